package io.rowseal;

import io.rowseal.format.ValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A table with encrypted columns: its physical and logical names, its primary-key columns, the
 * companion column that holds each row's wrapped data key, and its encrypted columns. Build with
 * {@link #builder(String)}; immutable and thread-safe.
 *
 * <pre>{@code
 * EncryptedTable cards = EncryptedTable.builder("cards")
 *     .idColumns("id")
 *     .companionColumn("dek")
 *     .column("card_number", String.class)
 *     .column("holder", String.class, StorageForm.TEXT)
 *     .build();
 * }</pre>
 */
public final class EncryptedTable {
  /** The companion column's name unless configured. */
  public static final String DEFAULT_COMPANION_COLUMN = "rowseal_dek";
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

  private final String name;
  private final String logicalName;
  private final List<String> idColumns;
  private final String companionColumn;
  private final Map<String, EncryptedColumn> columns;
  private final boolean adoptingPlaintext;

  private EncryptedTable(Builder b) {
    this.name = b.name;
    this.logicalName = b.logicalName != null ? b.logicalName : lower(b.name);
    this.idColumns = List.copyOf(b.idColumns);
    this.companionColumn = b.companionColumn;
    Map<String, EncryptedColumn> cols = new LinkedHashMap<>();
    for (Builder.ColumnSpec s : b.columns) {
      String logical = s.logicalName != null ? s.logicalName : lower(s.name);
      cols.put(lower(s.name), new EncryptedColumn(this, s.name, logical, s.javaType, s.valueType, s.storage,
          b.searches.get(lower(s.name))));
    }
    this.columns = Collections.unmodifiableMap(cols);
    this.adoptingPlaintext = b.adoptingPlaintext;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The physical table name as configured. */
  public String name() {
    return name;
  }

  /** The name bound into AADs and wraps: by default the physical name lower-cased. */
  public String logicalName() {
    return logicalName;
  }

  /** The primary-key columns, in key order. */
  public List<String> idColumns() {
    return idColumns;
  }

  public String companionColumn() {
    return companionColumn;
  }

  /** The encrypted columns, in configuration order. */
  public List<EncryptedColumn> columns() {
    return List.copyOf(columns.values());
  }

  /**
   * The encrypted column with this physical name (case-insensitive).
   *
   * @throws IllegalArgumentException if the column is not an encrypted column of this table
   */
  public EncryptedColumn column(String name) {
    EncryptedColumn c = columns.get(lower(name));
    if (c == null) {
      throw new IllegalArgumentException("column " + name + " is not an encrypted column of table " + this.name
          + "; encrypted columns: " + columns.keySet());
    }
    return c;
  }

  /**
   * Whether the table is being migrated from plaintext (see {@link Builder#adoptingPlaintext}): a row
   * whose companion column is NULL is then read as plaintext instead of failing closed.
   */
  public boolean isAdoptingPlaintext() {
    return adoptingPlaintext;
  }

  /** The encrypted columns that have a blind index, in configuration order. */
  public List<EncryptedColumn> searchableColumns() {
    List<EncryptedColumn> out = new ArrayList<>();
    for (EncryptedColumn c : columns.values()) {
      if (c.searchIndex() != null) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The columns RowSeal manages in this table besides its id: the companion, every encrypted column and, for
   * each searchable one, its index and rotation columns, as configured (names as given, in that order). Plain
   * SQL that names any of them needs RowSeal's rewriting; a statement that RowSeal cannot prove safe is refused.
   */
  public List<String> managedColumns() {
    List<String> out = new ArrayList<>();
    out.add(companionColumn);
    for (EncryptedColumn c : columns.values()) {
      out.add(c.name());
      if (c.searchIndex() != null) {
        out.add(c.searchIndex().column());
        out.add(c.searchIndex().rotationColumn());
      }
    }
    return out;
  }

  /**
   * The searchable column whose blind index may live in physical column {@code name} (its index or rotation
   * column, case-insensitive), or null.
   */
  public @org.jspecify.annotations.Nullable EncryptedColumn indexedBy(String name) {
    for (EncryptedColumn c : columns.values()) {
      SearchIndex s = c.searchIndex();
      if (s != null && (s.column().equalsIgnoreCase(name) || s.rotationColumn().equalsIgnoreCase(name))) {
        return c;
      }
    }
    return null;
  }

  /** Whether {@code name} is an encrypted column of this table (case-insensitive). */
  public boolean isEncrypted(String name) {
    return columns.containsKey(lower(name));
  }

  @Override
  public String toString() {
    return "EncryptedTable[" + name + ", id=" + idColumns + ", companion=" + companionColumn + ", columns="
        + columns.keySet() + (adoptingPlaintext ? ", adoptingPlaintext" : "") + "]";
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** Collects a table's configuration; {@link #build()} validates it. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String logicalName;
    private final List<String> idColumns = new ArrayList<>();
    private String companionColumn = DEFAULT_COMPANION_COLUMN;
    private final List<ColumnSpec> columns = new ArrayList<>();
    private boolean adoptingPlaintext;
    private final Map<String, SearchIndex> searches = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = requireIdentifier("table name", name);
    }

    /** The logical table name bound into AADs; set it to the old name after renaming the table. */
    public Builder logicalName(String logicalName) {
      this.logicalName = requireNonEmpty("logicalName", logicalName);
      return this;
    }

    /** The primary-key columns, in key order (one for a simple key). */
    public Builder idColumns(String... idColumns) {
      this.idColumns.clear();
      for (String c : idColumns) {
        this.idColumns.add(requireIdentifier("id column", c));
      }
      return this;
    }

    /** The column that holds each row's wrapped data key ({@value #DEFAULT_COMPANION_COLUMN} by default). */
    public Builder companionColumn(String companionColumn) {
      this.companionColumn = requireIdentifier("companion column", companionColumn);
      return this;
    }

    /**
     * Marks the table as migrating from plaintext (adoption; off by default). While on, a row whose
     * companion column is NULL but which holds values in encrypted columns is read as plaintext: each
     * value is returned as stored, converted to the column's Java type (see {@link PlaintextAdoption}).
     * A row with a companion is always decrypted, and a value that fails authentication still fails;
     * there is never a fallback to plaintext for such a row. Writes always encrypt. Turn it off once
     * {@code io.rowseal.jobs.EncryptExistingJob} has encrypted every row: from then on a row without a
     * companion fails closed again.
     *
     * <p>Only in-place adoption is supported: every encrypted column must use {@link StorageForm#TEXT}
     * (a character column widened to hold the text form) and must not be a {@code byte[]} column;
     * {@link #build()} rejects anything else. A binary or non-character column needs a new column and a
     * copy, which RowSeal does not do.
     */
    public Builder adoptingPlaintext(boolean adoptingPlaintext) {
      this.adoptingPlaintext = adoptingPlaintext;
      return this;
    }

    /** An encrypted column in binary storage, logical name = physical name lower-cased. */
    public Builder column(String name, Class<?> javaType) {
      return column(name, javaType, StorageForm.BINARY);
    }

    /** An encrypted column in the given storage form, logical name = physical name lower-cased. */
    public Builder column(String name, Class<?> javaType, StorageForm storage) {
      return addColumn(name, javaType, storage, null);
    }

    /** An encrypted column with an explicit logical name (for example its name before a rename). */
    public Builder column(String name, Class<?> javaType, StorageForm storage, String logicalName) {
      return addColumn(name, javaType, storage, requireNonEmpty("logicalName", logicalName));
    }

    private Builder addColumn(String name, Class<?> javaType, StorageForm storage, String logicalName) {
      Objects.requireNonNull(javaType, "javaType");
      Objects.requireNonNull(storage, "storage");
      ValueType type = ValueType.forJavaType(javaType);
      if (type == null) {
        throw new IllegalArgumentException("column " + this.name + "." + name + " has type " + javaType.getName()
            + ", which RowSeal cannot encrypt; supported: String, byte[], boolean, int, long, double, BigDecimal,"
            + " BigInteger, LocalDate, LocalTime, LocalDateTime, Instant, OffsetDateTime, UUID and enums");
      }
      columns.add(new ColumnSpec(requireIdentifier("column name", name), javaType, type, storage, logicalName));
      return this;
    }

    /**
     * Makes encrypted column {@code column} searchable by equality through the blind index {@code index}
     * (declare the column before or after; {@link #build()} checks it exists).
     */
    public Builder search(String column, SearchIndex index) {
      Objects.requireNonNull(index, "index");
      String key = lower(requireIdentifier("column name", column));
      if (searches.containsKey(key)) {
        throw new IllegalArgumentException("table " + name + ": column " + column + " has two search indexes");
      }
      searches.put(key, index);
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalStateException if no id column or no encrypted column is configured, a name is
     *     used twice, an id or companion column is also declared encrypted, or the table is
     *     {@linkplain #adoptingPlaintext adopting plaintext} with a column that cannot be adopted in place
     */
    public EncryptedTable build() {
      if (idColumns.isEmpty()) {
        throw new IllegalStateException("table " + name + ": idColumns must name the primary-key column(s)");
      }
      if (columns.isEmpty()) {
        throw new IllegalStateException("table " + name + ": declare at least one encrypted column");
      }
      List<String> seen = new ArrayList<>();
      for (ColumnSpec c : columns) {
        String n = lower(c.name);
        if (seen.contains(n)) {
          throw new IllegalStateException("table " + name + ": column " + c.name + " is declared twice");
        }
        seen.add(n);
        if (idColumns.stream().anyMatch(id -> lower(id).equals(n))) {
          throw new IllegalStateException("table " + name + ": id column " + c.name
              + " cannot be encrypted (RowSeal binds values to the row id, so the id must stay readable)");
        }
        if (lower(companionColumn).equals(n)) {
          throw new IllegalStateException("table " + name + ": column " + c.name + " is the companion column");
        }
      }
      if (idColumns.stream().anyMatch(id -> lower(id).equals(lower(companionColumn)))) {
        throw new IllegalStateException("table " + name + ": the companion column cannot be an id column");
      }
      checkSearches(seen);
      EncryptedTable table = new EncryptedTable(this);
      if (adoptingPlaintext) {
        try {
          PlaintextAdoption.requireAdoptable(table);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException(e.getMessage());
        }
      }
      return table;
    }

    private void checkSearches(List<String> encrypted) {
      List<String> taken = new ArrayList<>(encrypted);
      for (String id : idColumns) {
        taken.add(lower(id));
      }
      taken.add(lower(companionColumn));
      for (Map.Entry<String, SearchIndex> e : searches.entrySet()) {
        ColumnSpec spec = null;
        for (ColumnSpec c : columns) {
          if (lower(c.name).equals(e.getKey())) {
            spec = c;
          }
        }
        if (spec == null) {
          throw new IllegalStateException("table " + name + ": search index on " + e.getKey()
              + ", which is not an encrypted column of the table; declare it with column(...) first");
        }
        SearchIndex s = e.getValue();
        if (s.normalization() != io.rowseal.Normalization.NONE && spec.valueType != ValueType.STRING) {
          throw new IllegalStateException("table " + name + ": column " + spec.name + " is " + spec.javaType.getSimpleName()
              + "; normalisation " + s.normalization().configName() + " applies only to String columns (use none)");
        }
        for (String physical : List.of(s.column(), s.rotationColumn())) {
          if (taken.contains(lower(physical))) {
            throw new IllegalStateException("table " + name + ": search index column " + physical + " of " + spec.name
                + " is already used as an id, companion, encrypted or other index column; give it its own column");
          }
          taken.add(lower(physical));
        }
      }
    }

    private static String requireIdentifier(String what, String value) {
      Objects.requireNonNull(value, what);
      if (!IDENTIFIER.matcher(value).matches()) {
        throw new IllegalArgumentException(what + " '" + value + "' is not a plain SQL identifier (letters, digits, _ and $)");
      }
      return value;
    }

    private static String requireNonEmpty(String what, String value) {
      Objects.requireNonNull(value, what);
      if (value.isEmpty()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
      return value;
    }

    private static final class ColumnSpec {
      final String name;
      final Class<?> javaType;
      final ValueType valueType;
      final StorageForm storage;
      final String logicalName;

      ColumnSpec(String name, Class<?> javaType, ValueType valueType, StorageForm storage, String logicalName) {
        this.name = name;
        this.javaType = javaType;
        this.valueType = valueType;
        this.storage = storage;
        this.logicalName = logicalName;
      }
    }
  }
}
