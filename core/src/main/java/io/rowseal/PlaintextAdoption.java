package io.rowseal;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.RowSealException;
import io.rowseal.errors.TypeMismatchException;
import io.rowseal.format.ValueFormat;
import io.rowseal.format.ValueType;
import io.rowseal.internal.Utf8;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Helpers for adopting an existing plaintext column in place (a table built with
 * {@link EncryptedTable.Builder#adoptingPlaintext(boolean)}): the width the column needs, how a stored
 * plaintext is read as the column's Java type, and the read rule for code that uses {@link RowSeal}
 * directly. Stateless and thread-safe.
 *
 * <h2>What is supported</h2>
 * In-place adoption of character columns that will hold RowSeal's text form ({@link StorageForm#TEXT}:
 * {@code rs1:} and Base64). A {@code bytea}/{@code varbinary} column, a numeric or date column, or a
 * {@code byte[]} value cannot hold the text form in place: add a new column instead (not automated).
 * Before turning the mode on:
 * <ol>
 *   <li>widen every encrypted column to at least {@link #requiredTextWidth(EncryptedColumn, int)}
 *       characters, as {@code varchar(W)} (not {@code char(W)}, whose padding breaks the compare-and-set),
 *       or {@code text};</li>
 *   <li>add the companion column, nullable;</li>
 *   <li>drop indexes, unique and CHECK constraints on the encrypted columns, and stop filtering, sorting
 *       or grouping on them (the JDBC wrapper rejects such statements; the ciphertext is random).</li>
 * </ol>
 * <pre>
 * -- PostgreSQL (both are catalogue-only changes, no table rewrite)
 * ALTER TABLE cards ALTER COLUMN holder TYPE varchar(W);
 * ALTER TABLE cards ADD COLUMN rowseal_dek bytea;
 * -- MariaDB / MySQL (MODIFY must restate NULL/NOT NULL, DEFAULT and the character set, or they are lost;
 * -- ALGORITHM=INPLACE, LOCK=NONE keeps it online where the engine allows)
 * ALTER TABLE cards MODIFY holder varchar(W) NULL, ADD COLUMN rowseal_dek varbinary(512) NULL,
 *     ALGORITHM=INPLACE, LOCK=NONE;
 * -- H2
 * ALTER TABLE cards ALTER COLUMN holder SET DATA TYPE varchar(W);
 * ALTER TABLE cards ADD COLUMN rowseal_dek varbinary(512);
 * </pre>
 * Then deploy the application with the mode on (it reads both forms and writes only ciphertext), run
 * {@code io.rowseal.jobs.EncryptExistingJob} until it reports complete, and deploy with the mode off.
 *
 * <h2>Security while the mode is on</h2>
 * A row without a companion is trusted as plaintext, so anyone who can write to the database can plant a
 * plaintext value by clearing a row's companion column. Keep the migration window short. A value that
 * is itself in RowSeal's text form is never returned as plaintext (that row lost its data key).
 */
public final class PlaintextAdoption {
  private static final double BITS_PER_DIGIT = Math.log(10) / Math.log(2);

  private PlaintextAdoption() {}

  /**
   * Length, in characters, of the text form of a value whose encoded body (the bytes after the type tag)
   * is {@code bodyBytes} long: {@code 4 + 4 * ceil((30 + bodyBytes) / 3)}. For an ASCII-only string the
   * body length is its number of characters.
   */
  public static int textFormLength(int bodyBytes) {
    if (bodyBytes < 0) {
      throw new IllegalArgumentException("bodyBytes must not be negative, was " + bodyBytes);
    }
    long binary = (long) ValueFormat.OVERHEAD + 1 + bodyBytes;
    long length = ValueFormat.TEXT_PREFIX.length() + 4 * ((binary + 2) / 3);
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a value of " + bodyBytes + " bytes has no text form that fits an int length");
    }
    return (int) length;
  }

  /**
   * The width (characters) that {@code column} needs to hold the text form of any value whose plaintext
   * currently takes at most {@code maxPlaintextChars} characters, for example {@code n} for a
   * {@code varchar(n)}. Strings and enums count 4 UTF-8 bytes per character (the worst case; for
   * ASCII-only data {@link #textFormLength(int)} of the length is exact); decimals and big integers are
   * bounded by their digit count; other types have a fixed size and ignore {@code maxPlaintextChars}.
   */
  public static int requiredTextWidth(EncryptedColumn column, int maxPlaintextChars) {
    if (maxPlaintextChars < 0) {
      throw new IllegalArgumentException("maxPlaintextChars must not be negative, was " + maxPlaintextChars);
    }
    return textFormLength(maxBodyBytes(column.valueType(), maxPlaintextChars));
  }

  private static int maxBodyBytes(ValueType type, int chars) {
    switch (type) {
      case STRING:
      case ENUM:
      case BYTES:
        return Math.multiplyExact(4, chars);
      case BOOLEAN:
        return 1;
      case INT:
        return 4;
      case LONG:
      case DOUBLE:
      case LOCAL_DATE:
      case LOCAL_TIME:
        return 8;
      case INSTANT:
        return 12;
      case LOCAL_DATE_TIME:
      case UUID:
        return 16;
      case OFFSET_DATE_TIME:
        return 20;
      case BIG_INTEGER:
        return bigIntegerBytes(chars);
      case DECIMAL:
        return 4 + bigIntegerBytes(chars);
      default:
        throw new IllegalArgumentException("no width rule for " + type);
    }
  }

  private static int bigIntegerBytes(int digits) {
    // bitLength <= ceil(digits * log2(10)); toByteArray() has bitLength / 8 + 1 bytes
    return (int) Math.ceil(Math.max(1, digits) * BITS_PER_DIGIT) / 8 + 1;
  }

  /**
   * Checks that every encrypted column of {@code table} can be adopted in place: text storage and not a
   * {@code byte[]} column.
   *
   * @throws IllegalArgumentException naming the first column that cannot, and why
   */
  public static void requireAdoptable(EncryptedTable table) {
    for (EncryptedColumn c : table.columns()) {
      if (c.storage() != StorageForm.TEXT) {
        throw new IllegalArgumentException("table " + table.name() + ": column " + c.name() + " uses binary storage;"
            + " plaintext can be adopted in place only by a character column in RowSeal's text form"
            + " (StorageForm.TEXT). For a binary or non-character column add a new column, copy the data through"
            + " RowSeal and drop the old one");
      }
      if (c.valueType() == ValueType.BYTES) {
        throw new IllegalArgumentException("table " + table.name() + ": column " + c.name() + " holds byte[] values,"
            + " which have no plaintext form in a character column; add a new column and copy the data through"
            + " RowSeal instead");
      }
    }
  }

  /**
   * Whether {@code stored} is in RowSeal's text form ({@code rs1:}, strict Base64, long enough to be a
   * value). Such a value in a row without a companion is a row that lost its data key, not plaintext.
   */
  public static boolean looksEncrypted(String stored) {
    if (!stored.startsWith(ValueFormat.TEXT_PREFIX)) {
      return false;
    }
    try {
      return ValueFormat.fromText(stored).length >= ValueFormat.OVERHEAD + 1;
    } catch (InvalidFormatException e) {
      return false;
    }
  }

  /**
   * A plaintext value as stored in {@code column} before adoption, as the column's Java type: strings as
   * they are, enums by exact constant name, numbers in Java's decimal syntax, booleans as
   * {@code true/false/t/f/1/0} (any case), dates and times in ISO-8601 (a space instead of {@code T} is
   * accepted), UUIDs in canonical form.
   *
   * @throws DecryptionFailedException if {@code stored} is in RowSeal's text form (the row lost its data key)
   * @throws TypeMismatchException if it cannot be read as the column's type; the message names table,
   *     column and row, never the value
   */
  public static Object parsePlaintext(EncryptedColumn column, RowId rowId, String stored) {
    if (looksEncrypted(stored)) {
      throw new DecryptionFailedException("Cannot read " + where(column, rowId) + ": the row has no companion"
          + " column value, but the column holds an encrypted value (its data key was removed?); it is not"
          + " read as plaintext");
    }
    try {
      Object value = parse(column, stored);
      if (value != null) {
        return value;
      }
    } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
      // fall through: the message must not carry the value, which the parser's message may quote
    }
    throw new TypeMismatchException("Cannot read " + where(column, rowId) + " as plaintext: its stored text is not a "
        + column.javaType().getSimpleName() + " (" + column.valueType().name().toLowerCase(Locale.ROOT) + " syntax)");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static @Nullable Object parse(EncryptedColumn column, String s) {
    switch (column.valueType()) {
      case STRING:
        Utf8.encode(s); // rejects an unpaired surrogate, as encryption would
        return s;
      case ENUM:
        return Enum.valueOf((Class<? extends Enum>) column.javaType(), s);
      case BOOLEAN:
        switch (s.toLowerCase(Locale.ROOT)) {
          case "true": case "t": case "1":
            return Boolean.TRUE;
          case "false": case "f": case "0":
            return Boolean.FALSE;
          default:
            return null;
        }
      case INT:
        return Integer.parseInt(s);
      case LONG:
        return Long.parseLong(s);
      case DOUBLE:
        return Double.parseDouble(s);
      case DECIMAL:
        return new BigDecimal(s);
      case BIG_INTEGER:
        return new BigInteger(s);
      case LOCAL_DATE:
        return LocalDate.parse(s);
      case LOCAL_TIME:
        return LocalTime.parse(s);
      case LOCAL_DATE_TIME:
        return LocalDateTime.parse(isoT(s));
      case INSTANT:
        return Instant.parse(isoT(s));
      case OFFSET_DATE_TIME:
        return OffsetDateTime.parse(isoT(s));
      case UUID:
        UUID u = UUID.fromString(s);
        return u.toString().equalsIgnoreCase(s) ? u : null;
      default:
        return null; // BYTES: rejected when the table is built
    }
  }

  private static String isoT(String s) {
    return s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
  }

  /**
   * Reads one stored value of a row, honouring the table's adoption mode: with a companion, the value is
   * decrypted with the row's data key (and any failure is thrown; never a fallback to plaintext);
   * without one, it is read as plaintext only if the table is {@linkplain EncryptedTable#isAdoptingPlaintext()
   * adopting plaintext}, and otherwise fails closed. Opens the row key for each call: for many values of
   * a row, open it once with {@link RowSeal#openRowKey} when {@code companion} is not null.
   *
   * @param stored the column's value as read: a {@code String} (text form or plaintext), {@code byte[]}, or null
   * @throws DecryptionFailedException if the value fails authentication, or the row has no companion and
   *     the table is not adopting plaintext
   * @throws RowSealException any other failure of {@link RowSeal#openRowKey} or {@link RowKey#decrypt}
   */
  public static @Nullable Object read(RowSeal rowSeal, EncryptedColumn column, RowId rowId,
      byte @Nullable [] companion, @Nullable Object stored) {
    if (stored == null) {
      return null;
    }
    if (companion != null) {
      try (RowKey key = rowSeal.openRowKey(column.table(), rowId, companion)) {
        return key.decrypt(column, stored);
      }
    }
    if (!column.table().isAdoptingPlaintext() || !(stored instanceof String)) {
      throw new DecryptionFailedException("Cannot decrypt " + where(column, rowId) + ": it holds a value but the row's"
          + " companion column " + column.table().companionColumn() + " is NULL (the row was written without"
          + " RowSeal, or its data key was removed)");
    }
    return parsePlaintext(column, rowId, (String) stored);
  }

  private static String where(EncryptedColumn column, RowId rowId) {
    return column.table().name() + "." + column.name() + ", row " + rowId;
  }
}
