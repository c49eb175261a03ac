package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.PlaintextAdoption;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.format.ValueFormat;
import io.rowseal.key.KeyRef;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Checks the database schema against a {@link RowSeal} configuration through {@link DatabaseMetaData}, before the
 * application's first statement: each configured table, id column, encrypted column and companion column exists in
 * the connection's current schema (PostgreSQL {@code current_schema}, MariaDB the current database, H2 the
 * current schema); each encrypted column has a type that holds its storage form and is wide enough for its values;
 * the companion is a binary type wide enough for a wrapped data key; no id column is {@code CHAR(n)}; and no table
 * outside the configuration has a column named like a companion column unless it is listed as unmanaged.
 *
 * <p>Public only so that the Hibernate integration can reach it; not API. Thread-safe: a table that passed is not
 * checked again by this instance (one instance per DataSource or SessionFactory); one that failed is checked again
 * next time, so a schema fixed while the application runs is picked up.
 *
 * <p>Widths. A value is {@code 1 + 12 + encoded plaintext + 16} bytes (the encoded plaintext is a type tag and a
 * body; docs/FORMAT.md); its text form is {@code rs1:} and the Base64 of that. For types of bounded size (numbers,
 * dates, UUIDs, booleans, enums) the column must hold the largest value; for strings, bytes and decimals, which have
 * no bound, it must at least hold the shortest one (a {@code varchar(40)} holds no string's text form, since even
 * {@code ""} takes 44 characters). A companion holds {@code 3 + key reference (at most 255 bytes) + the wrap}: a local
 * or KEK wrap is 60 bytes, so at least {@value #LOCAL_COMPANION_BYTES} bytes; a KMS {@code CiphertextBlob} is opaque
 * and AWS bounds it only by 6144 bytes, but for a symmetric key and a 32-byte data key it is 184 bytes, so
 * {@value #KMS_COMPANION_BYTES} bytes are required when the key ring holds an AWS KMS key, and the proposed DDL
 * always uses 1024.
 */
public final class SchemaValidator {
  /** Smallest companion column for local and KEK wraps: header, longest key reference, nonce, DEK, tag. */
  public static final int LOCAL_COMPANION_BYTES = 3 + KeyRef.MAX_BYTES + 12 + 32 + 16;
  /** Smallest companion column when AWS KMS wraps data keys (184-byte symmetric CiphertextBlob). */
  public static final int KMS_COMPANION_BYTES = 3 + KeyRef.MAX_BYTES + 184;
  /** The width the proposed DDL gives companion columns. */
  static final int PROPOSED_COMPANION_BYTES = 1024;
  private static final long UNBOUNDED = 1_000_000_000L; // H2's largest declared length; bigger sizes mean "no limit"

  private final RowSeal rowSeal;
  private final boolean enabled;
  private final Set<String> unmanagedTables;
  private final Set<String> validTables = ConcurrentHashMap.newKeySet();
  private volatile boolean unconfiguredScanPassed;
  private volatile boolean complete;

  /**
   * @param enabled whether to check at all (a disabled validator accepts every schema)
   * @param unmanagedTables lower-cased names of tables allowed to have a companion-like column unconfigured
   */
  public SchemaValidator(RowSeal rowSeal, boolean enabled, Set<String> unmanagedTables) {
    this.rowSeal = rowSeal;
    this.enabled = enabled;
    this.unmanagedTables = Set.copyOf(unmanagedTables);
    this.complete = !enabled;
  }

  /** One thing wrong with the schema: the table it concerns and a message naming column, type found and fix. */
  public static final class Problem {
    private final String table;
    private final String message;

    Problem(String table, String message) {
      this.table = table;
      this.message = message;
    }

    /** A problem with another message (a front door adding its own context). */
    public static Problem of(String table, String message) {
      return new Problem(table, message);
    }

    /** The physical table name the problem concerns. */
    public String table() {
      return table;
    }

    public String message() {
      return message;
    }

    @Override
    public String toString() {
      return message;
    }
  }

  /** Whether every check has passed (or checking is off): then {@link #validate} returns at once. */
  public boolean isComplete() {
    return complete;
  }

  /**
   * Checks what has not passed yet, through {@code connection} (an unwrapped connection: a wrapped one hides the
   * companion column from its metadata).
   *
   * @throws SQLFeatureNotSupportedException SQLState {@code 0A000}, an {@link IllegalStateException} with the same
   *     message as cause, listing every problem
   * @throws SQLException if the metadata cannot be read
   */
  public void validate(Connection connection) throws SQLException {
    if (complete) {
      return;
    }
    List<Problem> problems = check(connection);
    if (!problems.isEmpty()) {
      String message = describe(problems);
      throw new SQLFeatureNotSupportedException(message, SqlErrors.UNSUPPORTED_STATEMENT,
          new IllegalStateException(message));
    }
  }

  /** The message listing {@code problems}, as both front doors report it. */
  public static String describe(List<Problem> problems) {
    StringBuilder sb = new StringBuilder("RowSeal schema validation failed with ").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems")
        .append(" (nothing ran; fix the schema or the configuration, or set rowseal.schema-validation = false"
            + " where the schema is checked another way):");
    for (Problem p : problems) {
      sb.append("\n- ").append(p.message());
    }
    return sb.toString();
  }

  /**
   * Everything wrong with the schema that has not passed before; empty if it fits. Tables that pass are
   * remembered and not read again.
   *
   * @throws SQLException if the metadata cannot be read
   */
  public synchronized List<Problem> check(Connection connection) throws SQLException {
    return check(connection, rowSeal.tables());
  }

  /**
   * Checks {@code tables} (those not passed before) and, until it passes once, that no unconfigured table has a
   * companion column, through {@code connection} (unwrapped). Used when the first statement that reads or
   * writes a table is planned, so that migrations that create the tables can run first through the same
   * wrapped DataSource.
   *
   * @throws SQLFeatureNotSupportedException SQLState {@code 0A000}, an {@link IllegalStateException} with the same
   *     message as cause, listing every problem
   * @throws SQLException if the metadata cannot be read
   */
  public void validate(Connection connection, java.util.Collection<EncryptedTable> tables) throws SQLException {
    if (complete) {
      return;
    }
    List<Problem> problems = check(connection, tables);
    if (!problems.isEmpty()) {
      String message = describe(problems);
      throw new SQLFeatureNotSupportedException(message, SqlErrors.UNSUPPORTED_STATEMENT,
          new IllegalStateException(message));
    }
  }

  private synchronized List<Problem> check(Connection connection, java.util.Collection<EncryptedTable> tables)
      throws SQLException {
    if (complete) {
      return List.of();
    }
    boolean pending = !unconfiguredScanPassed;
    for (EncryptedTable t : tables) {
      pending |= !validTables.contains(t.name().toLowerCase(Locale.ROOT));
    }
    if (!pending) {
      return List.of();
    }
    DatabaseMetaData meta = connection.getMetaData();
    Scope scope = Scope.of(connection, meta);
    Dialect dialect = Dialect.of(meta);
    List<Problem> problems = new ArrayList<>();
    for (EncryptedTable t : tables) {
      String key = t.name().toLowerCase(Locale.ROOT);
      if (validTables.contains(key)) {
        continue;
      }
      List<Problem> found = checkTable(meta, scope, dialect, t);
      if (found.isEmpty()) {
        validTables.add(key);
      }
      problems.addAll(found);
    }
    if (!unconfiguredScanPassed) {
      List<Problem> found = checkUnconfigured(meta, scope);
      unconfiguredScanPassed = found.isEmpty();
      problems.addAll(found);
    }
    complete = problems.isEmpty() && validTables.size() == rowSeal.tables().size();
    return problems;
  }

  // ---------------------------------------------------------------- one configured table

  private List<Problem> checkTable(DatabaseMetaData meta, Scope scope, Dialect dialect, EncryptedTable t)
      throws SQLException {
    List<Problem> problems = new ArrayList<>();
    Map<String, Column> columns = columns(meta, scope, t.name());
    if (columns.isEmpty()) {
      problems.add(new Problem(t.name(), "table " + t.name() + ": not found in " + scope + ", but configured with"
          + " encrypted columns " + Rejections.columnNames(t) + "; create it (or connect to the schema that holds it),"
          + " or remove it from the RowSeal configuration"));
      return problems;
    }
    for (String id : t.idColumns()) {
      Column c = columns.get(id.toLowerCase(Locale.ROOT));
      c = c == null ? null : c.named(id);
      if (c == null) {
        problems.add(new Problem(t.name(), "table " + t.name() + ", id column " + id + ": not found (the table has "
            + columns.keySet() + "); configure the table's primary-key column(s) as its id"));
      } else if (c.isFixedCharacter()) {
        problems.add(new Problem(t.name(), "table " + t.name() + ", id column " + id + ": is " + c.describe()
            + ", a fixed-width CHAR type whose values the database returns padded with blanks (PostgreSQL, H2) or"
            + " trimmed (MariaDB), so a row bound to its id as written could never be decrypted (every statement on"
            + " the table is also refused when planned, SQLState 0A000). Fix: " + dialect.changeType(t.name(), c,
                "varchar(" + Math.max(1, c.size) + ")", false)));
      }
    }
    for (EncryptedColumn e : t.columns()) {
      Column c = columns.get(e.name().toLowerCase(Locale.ROOT));
      c = c == null ? null : c.named(e.name());
      if (c == null) {
        problems.add(new Problem(t.name(), "table " + t.name() + ", encrypted column " + e.name() + ": not found;"
            + " add it (" + dialect.addColumn(t.name(), e.name(), proposedType(dialect, e, 0)) + ") or remove it"
            + " from the configuration"));
      } else {
        checkEncrypted(t, e, c, dialect, problems);
      }
    }
    for (EncryptedColumn e : t.searchableColumns()) {
      io.rowseal.SearchIndex index = e.searchIndex();
      for (String name : List.of(index.column(), index.rotationColumn())) {
        Column c = columns.get(name.toLowerCase(Locale.ROOT));
        c = c == null ? null : c.named(name);
        int needed = io.rowseal.search.BlindIndex.HEADER + (index.bits() + 7) / 8;
        String where = "table " + t.name() + ", search index column " + name + " of " + e.name() + ": ";
        if (c == null) {
          if (name.equals(index.column())) { // the rotation column is needed only once an index key is rotated
            problems.add(new Problem(t.name(), where + "not found; it holds the column's blind index. Add it: "
                + dialect.addColumn(t.name(), name, dialect.binaryType(needed))));
          }
        } else if (!c.isBinary() || c.isFixedBinary()) {
          problems.add(new Problem(t.name(), where + "is " + c.describe() + ", but a blind index needs a variable-width"
              + " binary type (bytea, binary varying/varbinary). Fix: " + dialect.changeType(t.name(), c,
                  dialect.binaryType(needed), false)));
        } else if (c.isNarrowerThan(needed)) {
          problems.add(new Problem(t.name(), where + "is " + c.describe() + ", too narrow: an index value of "
              + index.bits() + " bits takes " + needed + " bytes. Fix: " + dialect.changeType(t.name(), c,
                  dialect.binaryType(needed), false)));
        }
      }
    }
    Column companion = columns.get(t.companionColumn().toLowerCase(Locale.ROOT));
    companion = companion == null ? null : companion.named(t.companionColumn());
    if (companion == null) {
      problems.add(new Problem(t.name(), "table " + t.name() + ", companion column " + t.companionColumn()
          + ": not found; it holds each row's wrapped data key. Add it: " + dialect.addColumn(t.name(),
              t.companionColumn(), dialect.binaryType(PROPOSED_COMPANION_BYTES))));
    } else {
      checkCompanion(t, companion, dialect, problems);
    }
    return problems;
  }

  private void checkEncrypted(EncryptedTable t, EncryptedColumn e, Column c, Dialect dialect, List<Problem> problems) {
    String where = "table " + t.name() + ", encrypted column " + e.name() + " (" + e.valueType().name()
        .toLowerCase(Locale.ROOT) + ", " + e.storage().name().toLowerCase(Locale.ROOT) + " storage): ";
    Bound bound = Bound.of(e);
    if (e.storage() == StorageForm.BINARY) {
      if (!c.isBinary()) {
        problems.add(new Problem(t.name(), where + "is " + c.describe() + ", but binary storage needs a binary type"
            + " (bytea, binary varying/varbinary or blob): RowSeal would store text the database makes of the"
            + " ciphertext, which never decrypts. Fix: " + dialect.toBinary(t.name(), c, proposedType(dialect, e, c.size))
            + "; or keep the character type and configure text storage (type, text)"));
      } else if (c.isFixedBinary()) {
        problems.add(new Problem(t.name(), where + "is " + c.describe() + ", a fixed-width binary type that pads"
            + " values with zero bytes, so they would not decrypt. Fix: "
            + dialect.changeType(t.name(), c, proposedType(dialect, e, c.size), false)));
      } else if (c.isNarrowerThan(bound.binaryLength())) {
        problems.add(new Problem(t.name(), where + "is " + c.describe() + ", too narrow: " + bound.explain(false)
            + ". Fix: " + dialect.changeType(t.name(), c, proposedType(dialect, e, c.size), false)));
      }
    } else {
      if (!c.isCharacter()) {
        problems.add(new Problem(t.name(), where + "is " + c.describe() + ", but text storage needs a character"
            + " type (varchar, text or clob) for its rs1: Base64 form. Fix, for a column that holds no values yet: "
            + dialect.changeType(t.name(), c, proposedType(dialect, e, c.size), true)
            + "; with values in it, add a new column and copy them through RowSeal"));
      } else if (c.isFixedCharacter()) {
        problems.add(new Problem(t.name(), where + "is " + c.describe() + ", a fixed-width CHAR type that pads"
            + " values with blanks, so they would not decode. Fix: "
            + dialect.changeType(t.name(), c, proposedType(dialect, e, c.size), false)));
      } else if (c.isNarrowerThan(bound.textLength())) {
        problems.add(new Problem(t.name(), where + "is " + c.describe() + ", too narrow: " + bound.explain(true)
            + ". Fix (widening keeps the values): " + dialect.changeType(t.name(), c,
                proposedType(dialect, e, c.size), false)));
      }
    }
  }

  private void checkCompanion(EncryptedTable t, Column c, Dialect dialect, List<Problem> problems) {
    int needed = companionBytes();
    String where = "table " + t.name() + ", companion column " + t.companionColumn() + ": ";
    String proposed = dialect.binaryType(PROPOSED_COMPANION_BYTES);
    if (!c.isBinary()) {
      problems.add(new Problem(t.name(), where + "is " + c.describe() + ", but it holds each row's wrapped data key,"
          + " which needs a binary type (bytea, binary varying/varbinary or blob). Fix: "
          + dialect.toBinary(t.name(), c, proposed)));
    } else if (c.isFixedBinary()) {
      problems.add(new Problem(t.name(), where + "is " + c.describe() + ", a fixed-width binary type that pads"
          + " wrapped keys with zero bytes, so they would not unwrap. Fix: "
          + dialect.changeType(t.name(), c, proposed, false)));
    } else if (c.isNarrowerThan(needed)) {
      problems.add(new Problem(t.name(), where + "is " + c.describe() + ", too narrow: a wrapped data key takes up to "
          + needed + " bytes (3 header bytes, a key reference of up to 255 bytes and the "
          + (needed == KMS_COMPANION_BYTES ? "AWS KMS ciphertext blob" : "60-byte wrap") + "). Fix (widening keeps"
          + " the values): " + dialect.changeType(t.name(), c, proposed, false)));
    }
  }

  private int companionBytes() {
    for (KeyRef ref : rowSeal.keyRing().refs()) {
      if (ref.scheme().equals("aws-kms")) {
        return KMS_COMPANION_BYTES;
      }
    }
    return LOCAL_COMPANION_BYTES;
  }

  /** The type the fix proposes for an encrypted column that is now {@code currentSize} wide (0 if unknown). */
  private static String proposedType(Dialect dialect, EncryptedColumn e, long currentSize) {
    Bound bound = Bound.of(e);
    int width;
    if (bound.bounded) {
      width = e.storage() == StorageForm.BINARY ? bound.binaryLength() : bound.textLength();
    } else {
      // room for plaintexts as long as the column is now (4 UTF-8 bytes per character), and at least 255
      int chars = currentSize > 0 && currentSize < UNBOUNDED ? (int) Math.max(currentSize, 255) : 255;
      width = PlaintextAdoption.requiredTextWidth(e, chars);
    }
    return e.storage() == StorageForm.BINARY ? dialect.binaryType(width) : "varchar(" + width + ")";
  }

  // ---------------------------------------------------------------- tables outside the configuration

  private List<Problem> checkUnconfigured(DatabaseMetaData meta, Scope scope) throws SQLException {
    Set<String> companions = new TreeSet<>();
    companions.add(EncryptedTable.DEFAULT_COMPANION_COLUMN);
    Set<String> configured = new LinkedHashSet<>();
    for (EncryptedTable t : rowSeal.tables()) {
      companions.add(t.companionColumn().toLowerCase(Locale.ROOT));
      configured.add(t.name().toLowerCase(Locale.ROOT));
    }
    Map<String, String> offending = new LinkedHashMap<>(); // table -> column
    for (String companion : companions) {
      for (String variant : variants(companion)) {
        try (ResultSet rs = meta.getColumns(scope.catalog, scope.schemaPattern(meta), "%", escape(meta, variant))) {
          while (rs.next()) {
            String schema = rs.getString("TABLE_SCHEM");
            if (isSystemSchema(schema) || !rs.getString("COLUMN_NAME").equalsIgnoreCase(companion)) {
              continue;
            }
            String table = rs.getString("TABLE_NAME");
            String key = table.toLowerCase(Locale.ROOT);
            if (!configured.contains(key) && !unmanagedTables.contains(key)) {
              offending.putIfAbsent(table, rs.getString("COLUMN_NAME"));
            }
          }
        }
      }
    }
    List<Problem> problems = new ArrayList<>();
    offending.forEach((table, column) -> problems.add(new Problem(table, "table " + table + " (in " + scope
        + "): has a column " + column + ", named like a RowSeal companion column, but is not in the RowSeal"
        + " configuration, so its columns would be written and read as plaintext. Configure it (rowseal.tables."
        + table + ".*, or @Encrypted on its entity's fields), or list it in rowseal.unmanaged-tables if it is"
        + " deliberately not encrypted")));
    return problems;
  }

  // ---------------------------------------------------------------- metadata

  /** The table's columns by lower-cased name; empty if the table is not in scope. */
  private static Map<String, Column> columns(DatabaseMetaData meta, Scope scope, String table) throws SQLException {
    for (String variant : variants(table)) {
      Map<String, Column> found = new LinkedHashMap<>();
      try (ResultSet rs = meta.getColumns(scope.catalog, scope.schemaPattern(meta), escape(meta, variant), "%")) {
        while (rs.next()) {
          if (isSystemSchema(rs.getString("TABLE_SCHEM")) || !rs.getString("TABLE_NAME").equals(variant)) {
            continue;
          }
          Column c = new Column(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"),
              rs.getLong("COLUMN_SIZE"), "NO".equalsIgnoreCase(rs.getString("IS_NULLABLE")));
          found.putIfAbsent(c.name.toLowerCase(Locale.ROOT), c);
        }
      }
      if (!found.isEmpty()) {
        return found;
      }
    }
    return Map.of();
  }

  /** Unquoted names are stored lower-case by PostgreSQL, upper-case by H2 and as written by MariaDB. */
  private static Set<String> variants(String name) {
    return new LinkedHashSet<>(List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)));
  }

  private static String escape(DatabaseMetaData meta, String name) throws SQLException {
    String esc = meta.getSearchStringEscape();
    if (esc == null || esc.isEmpty()) {
      return name;
    }
    return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
  }

  private static boolean isSystemSchema(@Nullable String schema) {
    return schema != null && (schema.equalsIgnoreCase("information_schema") || schema.equalsIgnoreCase("pg_catalog"));
  }

  /** Where tables are looked for: the connection's current catalog and schema. */
  private static final class Scope {
    final @Nullable String catalog;
    final @Nullable String schema;

    private Scope(@Nullable String catalog, @Nullable String schema) {
      this.catalog = catalog;
      this.schema = schema;
    }

    static Scope of(Connection connection, DatabaseMetaData meta) throws SQLException {
      String schema = null;
      try {
        schema = connection.getSchema();
      } catch (SQLException | AbstractMethodError e) {
        // an old driver: the catalog alone scopes the search
      }
      return new Scope(connection.getCatalog(), schema);
    }

    @Nullable String schemaPattern(DatabaseMetaData meta) throws SQLException {
      return schema == null ? null : escape(meta, schema);
    }

    @Override
    public String toString() {
      return schema != null ? "schema " + schema : catalog != null ? "database " + catalog : "the current schema";
    }
  }

  /** A column as {@link DatabaseMetaData#getColumns} describes it. */
  static final class Column {
    final String name;
    final int jdbcType;
    final String typeName;
    final long size;
    final boolean notNull;

    Column(String name, int jdbcType, @Nullable String typeName, long size, boolean notNull) {
      this.name = name;
      this.jdbcType = jdbcType;
      this.typeName = typeName == null ? "type " + jdbcType : typeName;
      this.size = size;
      this.notNull = notNull;
    }

    /** This column under the name the configuration gives it (DDL then reads as the user writes it). */
    Column named(String configured) {
      return new Column(configured, jdbcType, typeName, size, notNull);
    }

    boolean isBinary() {
      return jdbcType == Types.BINARY || jdbcType == Types.VARBINARY || jdbcType == Types.LONGVARBINARY
          || jdbcType == Types.BLOB;
    }

    /** {@code BINARY(n)} (MariaDB, H2) pads with zero bytes; PostgreSQL's {@code bytea} reports BINARY too. */
    boolean isFixedBinary() {
      return jdbcType == Types.BINARY && typeName.equalsIgnoreCase("binary");
    }

    boolean isCharacter() {
      return jdbcType == Types.CHAR || jdbcType == Types.VARCHAR || jdbcType == Types.LONGVARCHAR
          || jdbcType == Types.NCHAR || jdbcType == Types.NVARCHAR || jdbcType == Types.LONGNVARCHAR
          || jdbcType == Types.CLOB || jdbcType == Types.NCLOB;
    }

    boolean isFixedCharacter() {
      return jdbcType == Types.CHAR || jdbcType == Types.NCHAR;
    }

    boolean isNarrowerThan(long needed) {
      return size > 0 && size < needed;
    }

    /** The type as found, such as {@code varchar(40)} or {@code bytea}. */
    String describe() {
      String t = typeName.toLowerCase(Locale.ROOT);
      boolean sized = (jdbcType == Types.CHAR || jdbcType == Types.VARCHAR || jdbcType == Types.NCHAR
          || jdbcType == Types.NVARCHAR || jdbcType == Types.BINARY || jdbcType == Types.VARBINARY)
          && size > 0 && size < UNBOUNDED && !t.contains("(") && !t.equals("bytea") && !t.equals("text");
      return sized ? t + "(" + size + ")" : t;
    }
  }

  /** The sizes a column's values can take: exact for bounded types, the smallest for the others. */
  private static final class Bound {
    final int bodyBytes;
    final boolean bounded;

    private Bound(int bodyBytes, boolean bounded) {
      this.bodyBytes = bodyBytes;
      this.bounded = bounded;
    }

    static Bound of(EncryptedColumn c) {
      switch (c.valueType()) {
        case STRING:
        case BYTES:
          return new Bound(0, false);
        case BIG_INTEGER:
          return new Bound(1, false);
        case DECIMAL:
          return new Bound(5, false);
        case ENUM:
          int longest = 1;
          for (Object constant : c.javaType().getEnumConstants()) {
            longest = Math.max(longest, ((Enum<?>) constant).name().getBytes(StandardCharsets.UTF_8).length);
          }
          return new Bound(longest, true);
        case BOOLEAN:
          return new Bound(1, true);
        case INT:
          return new Bound(4, true);
        case INSTANT:
          return new Bound(12, true);
        case LOCAL_DATE_TIME:
        case UUID:
          return new Bound(16, true);
        case OFFSET_DATE_TIME:
          return new Bound(20, true);
        default: // long, double, local date, local time
          return new Bound(8, true);
      }
    }

    int binaryLength() {
      return ValueFormat.OVERHEAD + 1 + bodyBytes;
    }

    int textLength() {
      return PlaintextAdoption.textFormLength(bodyBytes);
    }

    String explain(boolean text) {
      int length = text ? textLength() : binaryLength();
      String unit = text ? " characters" : " bytes";
      return bounded
          ? "every value of this type takes up to " + length + unit + " (" + (text ? "rs1: and the Base64 of " : "")
              + "version byte, nonce, type tag, " + bodyBytes + "-byte body and tag)"
          : "even the shortest value takes " + length + unit + " (" + (text ? "rs1: and the Base64 of " : "")
              + "version byte, nonce, type tag, " + bodyBytes + "-byte body and tag), and longer ones more";
    }
  }

  /** The few DDL words that differ between the databases RowSeal is tested on. */
  enum Dialect {
    POSTGRES, MARIADB, H2, OTHER;

    static Dialect of(DatabaseMetaData meta) throws SQLException {
      String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("postgres")) {
        return POSTGRES;
      } else if (product.contains("mariadb") || product.contains("mysql")) {
        return MARIADB;
      } else if (product.contains("h2")) {
        return H2;
      }
      return OTHER;
    }

    String binaryType(int width) {
      return this == POSTGRES ? "bytea" : "varbinary(" + width + ")";
    }

    String addColumn(String table, String column, String type) {
      return "ALTER TABLE " + table + " ADD COLUMN " + column + " " + type;
    }

    /**
     * A type change. {@code onlyIfEmpty}: a conversion that would not keep the values, which the caller says may
     * run only on a column that holds none.
     */
    String changeType(String table, Column c, String type, boolean onlyIfEmpty) {
      switch (this) {
        case POSTGRES:
          return "ALTER TABLE " + table + " ALTER COLUMN " + c.name + " TYPE " + type
              + (onlyIfEmpty ? " USING NULL" : "");
        case MARIADB:
          return "ALTER TABLE " + table + " MODIFY " + c.name + " " + type + (c.notNull ? " NOT NULL" : " NULL")
              + " (restate the column's DEFAULT, if any)";
        case H2:
          return "ALTER TABLE " + table + " ALTER COLUMN " + c.name + " SET DATA TYPE " + type;
        default:
          return "change column " + table + "." + c.name + " to " + type;
      }
    }

    /**
     * A character (or other) column to a binary type. PostgreSQL stores a binary value bound to a character column
     * as its {@code \x} hex text, which the cast turns back into the same bytes; MariaDB's conversion keeps the
     * bytes as stored; H2's does not keep them, so there the fix is for an empty column only.
     */
    String toBinary(String table, Column c, String type) {
      switch (this) {
        case POSTGRES:
          return changeType(table, c, "bytea", false) + " USING " + c.name + "::bytea (keeps values already"
              + " written, which PostgreSQL stored as \\x hex text; NULLs stay NULL)";
        case MARIADB:
          return changeType(table, c, type, false) + " (keeps the bytes as stored)";
        case H2:
          return "if the column holds no values yet, " + changeType(table, c, type, false)
              + "; with values in it, add a new binary column and copy them through RowSeal";
        default:
          return changeType(table, c, type, false);
      }
    }
  }
}
