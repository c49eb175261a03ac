package io.rowseal.internal;

/**
 * A canonical row id with its context encoding {@code ctx(id)}, computed once: the per-row part of both the
 * wrap's AAD and every value's AAD, so a row encodes its id once, not once per use. The encoding is always made
 * here from the id itself, so the two cannot disagree. Immutable; the id is not secret.
 */
public final class EncodedRowId {
  private static final EncodedRowId EMPTY = new EncodedRowId("");

  private final String value;
  private final byte[] ctx;

  private EncodedRowId(String value) {
    this.value = value;
    this.ctx = ContextEncoding.encode(value);
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
    return value;
  }

  /** {@code ctx(value)}: the array itself, which callers only read (AAD input). */
  public byte[] ctx() {
    return ctx;
  }

  @Override
  public String toString() {
    return value;
  }
}
