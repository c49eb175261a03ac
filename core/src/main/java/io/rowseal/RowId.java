package io.rowseal;

import io.rowseal.internal.ContextEncoding;
import io.rowseal.internal.EncodedRowId;
import io.rowseal.internal.Hex;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * A row's primary key rendered canonically, as bound into every wrap and value of a row-bound row:
 * integers in decimal (no padding, no leading zeros, '-' for negatives), UUIDs lower-case hyphenated,
 * strings as they are (never empty), a composite key as the lower-case hex of {@code ctx(part1, part2, ...)}.
 * {@link #unbound()} is the id of a row written before its id was known (its rendering is {@code ""}).
 * Immutable.
 */
public final class RowId {
  private static final RowId UNBOUND = new RowId("", false);

  private final boolean bound;
  /** The rendering and {@code ctx(rendering)}, the per-row part of the wrap's and the values' AAD. */
  private final EncodedRowId encoded;

  private RowId(String value, boolean bound) {
    this(EncodedRowId.of(value), bound);
  }

  private RowId(EncodedRowId encoded, boolean bound) {
    this.encoded = encoded;
    this.bound = bound;
  }

  /** The id of a row whose primary key was not known when it was written. */
  public static RowId unbound() {
    return UNBOUND;
  }

  /** An integer key, in decimal. */
  public static RowId of(long id) {
    return new RowId(EncodedRowId.of(id), true);
  }

  public static RowId of(UUID id) {
    return new RowId(id.toString(), true);
  }

  /**
   * A string key, rendered as it is.
   *
   * @throws IllegalArgumentException if {@code id} is empty: its AAD would equal an unbound row's
   */
  public static RowId of(String id) {
    return new RowId(requireNonEmpty(id), true);
  }

  /**
   * Renders a key value of type Long, Integer, Short, Byte, BigInteger, an integral BigDecimal, UUID or
   * String.
   *
   * @throws IllegalArgumentException for any other type, or a BigDecimal with a fraction
   */
  public static RowId of(Object id) {
    if (id instanceof Long || id instanceof Integer || id instanceof Short || id instanceof Byte) {
      return of(((Number) id).longValue()); // the common case, rendered without a String
    }
    return new RowId(requireNonEmpty(render(id)), true);
  }

  private static String requireNonEmpty(String rendered) {
    if (rendered.isEmpty()) {
      throw new IllegalArgumentException("a row-bound string id may not be empty: its AAD would be the same as an"
          + " unbound row's; use a non-empty key");
    }
    return rendered;
  }

  /** A composite key: the lower-case hex of {@code ctx} of each part's canonical rendering. */
  public static RowId composite(Object... parts) {
    if (parts.length < 2) {
      throw new IllegalArgumentException("a composite key has at least two parts, got " + parts.length);
    }
    String[] rendered = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      rendered[i] = render(parts[i]);
    }
    return new RowId(Hex.encode(ContextEncoding.encode(rendered)), true);
  }

  private static String render(Object id) {
    Objects.requireNonNull(id, "a primary key value is null");
    if (id instanceof Long || id instanceof Integer || id instanceof Short || id instanceof Byte) {
      return Long.toString(((Number) id).longValue());
    } else if (id instanceof BigInteger) {
      return id.toString();
    } else if (id instanceof BigDecimal) {
      try {
        return ((BigDecimal) id).toBigIntegerExact().toString();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("a primary key BigDecimal must be integral");
      }
    } else if (id instanceof UUID || id instanceof String) {
      return id.toString();
    }
    throw new IllegalArgumentException("RowSeal cannot render a primary key of type " + id.getClass().getName()
        + "; supported: Long, Integer, Short, Byte, BigInteger, integral BigDecimal, UUID, String");
  }

  /** The canonical rendering ({@code ""} when unbound). */
  public String value() {
    return encoded.value();
  }

  /** Whether this id is known (a row-bound row) rather than {@link #unbound()}. */
  public boolean isBound() {
    return bound;
  }

  /** {@code ctx(value)}: the per-row part of a value's AAD. */
  byte[] aadPart() {
    return encoded.ctx();
  }

  EncodedRowId encoded() {
    return encoded;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowId && ((RowId) o).bound == bound
        && Arrays.equals(((RowId) o).encoded.ctx(), encoded.ctx()); // ctx is injective: equal ids, equal bytes
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded.ctx()) * 31 + (bound ? 1 : 0);
  }

  /** The rendering, or {@code (unbound)}; a row id is not secret. */
  @Override
  public String toString() {
    return bound ? value() : "(unbound)";
  }
}
