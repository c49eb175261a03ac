package io.rowseal.internal;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A canonical row id with its context encoding {@code ctx(id)}, computed once: the per-row part of both the
 * wrap's AAD and every value's AAD, so a row encodes its id once, not once per use. The encoding is always made
 * here from the id itself, so the two cannot disagree. Immutable; the id is not secret.
 */
public final class EncodedRowId {
  private static final EncodedRowId EMPTY = new EncodedRowId("");

  // Made from ctx on first use for an id rendered from a long; a benign race: every thread makes an equal String.
  private @Nullable String value;
  private final byte[] ctx;

  private EncodedRowId(String value) {
    this.value = value;
    this.ctx = ContextEncoding.encode(value);
  }

  private EncodedRowId(byte[] ctx) {
    this.ctx = ctx;
  }

  /**
   * Encodes the decimal rendering of {@code id} (as {@link Long#toString(long)}), written straight into {@code
   * ctx}: no String is made unless {@link #value()} is asked for. Every row read or written by a numeric key
   * comes through here.
   */
  public static EncodedRowId of(long id) {
    if (id == Long.MIN_VALUE) {
      return new EncodedRowId(Long.toString(id));
    }
    boolean negative = id < 0;
    long rest = negative ? -id : id;
    int digits = 1;
    for (long bound = 10; digits < 19 && rest >= bound; bound *= 10) {
      digits++;
    }
    int n = digits + (negative ? 1 : 0);
    byte[] ctx = new byte[4 + n];
    ctx[3] = (byte) n; // n <= 20: the three high bytes of the length are zero
    int pos = ctx.length;
    do {
      ctx[--pos] = (byte) ('0' + (int) (rest % 10));
      rest /= 10;
    } while (rest != 0);
    if (negative) {
      ctx[4] = '-';
    }
    return new EncodedRowId(ctx);
  }

  /**
   * Encodes {@code value}.
   *
   * @throws IllegalArgumentException if it holds an unpaired surrogate
   */
  public static EncodedRowId of(String value) {
    return value.isEmpty() ? EMPTY : new EncodedRowId(value);
  }

  /** The id as rendered. */
  public String value() {
    String v = value;
    if (v == null) {
      v = new String(ctx, 4, ctx.length - 4, StandardCharsets.US_ASCII); // only of(long) leaves it unset
      value = v;
    }
    return v;
  }

  /** Whether the id is the empty rendering (an unbound row's). */
  public boolean isEmpty() {
    return ctx.length == 4;
  }

  /** {@code ctx(value)}: the array itself, which callers only read (AAD input). */
  public byte[] ctx() {
    return ctx;
  }

  @Override
  public String toString() {
    return value();
  }
}
