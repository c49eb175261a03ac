package io.rowseal;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The blind index of one searchable encrypted column: the physical column that holds it (binary), the
 * normalisation that defines equality, how many bits of the HMAC are kept, and the second column an
 * index-key rotation writes into. Immutable; each {@code with...} method returns a copy.
 *
 * <pre>{@code
 * EncryptedTable.builder("customers").idColumns("id")
 *     .column("email", String.class, StorageForm.TEXT)
 *     .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE).bits(64))
 *     .build();
 * }</pre>
 *
 * <p>With {@code bits} below 256 the index is truncated: several values share an index value (fewer bits,
 * less leaked about value frequencies), and RowSeal filters the false positives after decrypting, so a
 * lookup's answer stays exact; queries whose answer the database computes from the matching rows
 * (COUNT, EXISTS, GROUP BY, LIMIT, subqueries) then need the full 256 bits. See docs/FORMAT.md.
 */
public final class SearchIndex {
  /** Bits kept unless configured: the whole HMAC-SHA-256. */
  public static final int FULL_BITS = 256;
  /** The fewest bits allowed. */
  public static final int MIN_BITS = 8;
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

  private final String column;
  private final @Nullable String rotationColumn;
  private final Normalization normalization;
  private final int bits;

  private SearchIndex(String column, @Nullable String rotationColumn, Normalization normalization, int bits) {
    this.column = column;
    this.rotationColumn = rotationColumn;
    this.normalization = normalization;
    this.bits = bits;
  }

  /**
   * An index held in {@code indexColumn} (a binary column of the same table), no normalisation, 256 bits.
   *
   * @throws IllegalArgumentException if the name is not a plain SQL identifier
   */
  public static SearchIndex in(String indexColumn) {
    return new SearchIndex(identifier("search index column", indexColumn), null, Normalization.NONE, FULL_BITS);
  }

  /** A copy with this normalisation. */
  public SearchIndex normalize(Normalization normalization) {
    return new SearchIndex(column, rotationColumn, Objects.requireNonNull(normalization, "normalization"), bits);
  }

  /**
   * A copy keeping {@code bits} bits of the HMAC (8 to 256).
   *
   * @throws IllegalArgumentException if {@code bits} is outside 8..256
   */
  public SearchIndex bits(int bits) {
    if (bits < MIN_BITS || bits > FULL_BITS) {
      throw new IllegalArgumentException("search index bits must be in " + MIN_BITS + ".." + FULL_BITS + ", was " + bits);
    }
    return new SearchIndex(column, rotationColumn, normalization, bits);
  }

  /**
   * A copy whose index-key rotations use {@code rotationColumn} (default {@code <index column>_next}). The table
   * needs that column only once a rotation starts: until then RowSeal neither reads nor writes it.
   */
  public SearchIndex rotationColumn(String rotationColumn) {
    return new SearchIndex(column, identifier("search rotation column", rotationColumn), normalization, bits);
  }

  /** The physical column holding the index (a version's first home). */
  public String column() {
    return column;
  }

  /** The physical column a rotation writes the new version into: configured, else {@code <column>_next}. */
  public String rotationColumn() {
    return rotationColumn != null ? rotationColumn : column + "_next";
  }

  public Normalization normalization() {
    return normalization;
  }

  /** Bits of HMAC-SHA-256 kept, 8..256. */
  public int bits() {
    return bits;
  }

  /** Whether the whole HMAC is kept (then equality of index values is equality of normalised values). */
  public boolean isFullLength() {
    return bits == FULL_BITS;
  }

  private static String identifier(String what, String value) {
    Objects.requireNonNull(value, what);
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " '" + value + "' is not a plain SQL identifier (letters, digits, _ and $)");
    }
    return value;
  }

  @Override
  public String toString() {
    return "SearchIndex[" + column + ", rotation=" + rotationColumn() + ", " + normalization.configName() + ", "
        + bits + " bits]";
  }
}
