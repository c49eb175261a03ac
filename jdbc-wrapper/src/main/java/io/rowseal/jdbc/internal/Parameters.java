package io.rowseal.jdbc.internal;

import io.rowseal.RowId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/*
 * Per-row path. A batch insert sets every parameter of every row, so a setter must cost little more than an
 * array store: a primitive (boolean, byte, short, int, long, float, double) stays unboxed in longs[] (floats
 * and doubles as their raw bits), an object goes into values[], and kinds[] says which setter it came from.
 * bind() turns the kind back into that setter with a switch: no boxing, no lambda per setter (a megamorphic
 * call site when a row mixes setLong and setString), no reference store for a primitive (on G1 the first
 * reference store into a card per row marks it). Only the rare setters (with a Calendar, a target SQL type,
 * a stream, a LOB...) keep a Binder that captures what they need.
 *
 * A computed value (ciphertext, a blind index, the row id) needs the Java object: value() boxes a primitive
 * then, for that parameter only; rowId() renders an integral id without boxing it.
 */

/**
 * The application's parameters of one prepared statement, kept until the statement binds them to the driver:
 * per parameter (1-based) what was set and how the driver gets it. Not thread-safe.
 */
final class Parameters {
  /** Binds one parameter set by a setter without a kind of its own; it captures the values it binds. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps, int index) throws SQLException;
  }

  /** Not set since the statement was prepared or its parameters cleared. */
  static final byte UNSET = 0;
  /** A value RowSeal uses (an encrypted column's stream read into a value), never bound as it is. */
  static final byte VALUE = 1;
  /** Set by a setter with a {@link Binder}. */
  static final byte CUSTOM = 2;
  static final byte NULL = 3; // setNull(i, sqlType): the type in longs
  static final byte BOOLEAN = 4;
  static final byte BYTE = 5;
  static final byte SHORT = 6;
  static final byte INT = 7;
  static final byte LONG = 8;
  static final byte FLOAT = 9;
  static final byte DOUBLE = 10;
  static final byte BIG_DECIMAL = 11;
  static final byte STRING = 12;
  static final byte N_STRING = 13;
  static final byte BYTES = 14;
  static final byte DATE = 15;
  static final byte TIME = 16;
  static final byte TIMESTAMP = 17;
  static final byte OBJECT = 18;

  private final byte[] kinds;
  private final long[] longs;
  private final @Nullable Object[] values;
  private final @Nullable Binder[] binders;

  /** Room for parameters 1..{@code count}. */
  Parameters(int count) {
    int n = count + 1;
    this.kinds = new byte[n];
    this.longs = new long[n];
    this.values = new Object[n];
    this.binders = new Binder[n];
  }

  private Parameters(Parameters from) {
    this.kinds = from.kinds.clone();
    this.longs = from.longs.clone();
    this.values = from.values.clone();
    this.binders = from.binders.clone();
  }

  /** A copy of the parameters as they are now (a row of a batch), independent of later setters. */
  Parameters copy() {
    return new Parameters(this);
  }

  /** @throws SQLException with SQLState 22023 if {@code i} is not a parameter of the statement */
  void check(int i) throws SQLException {
    if (i < 1 || i >= kinds.length) {
      throw new SQLException("parameter index " + i + " is out of range 1.." + (kinds.length - 1), "22023");
    }
  }

  /** Parameter {@code i} is a primitive of {@code kind}, {@code bits} its value as {@link #longs} keeps it. */
  void putPrimitive(int i, byte kind, long bits) throws SQLException {
    check(i);
    kinds[i] = kind;
    longs[i] = bits;
    if (values[i] != null) { // drops an object set before, without a reference store per row otherwise
      values[i] = null;
    }
    binders[i] = null;
  }

  /** Parameter {@code i} is {@code value}, set by the one-value setter of {@code kind}. */
  void putObject(int i, byte kind, @Nullable Object value) throws SQLException {
    check(i);
    kinds[i] = kind;
    values[i] = value;
    binders[i] = null;
  }

  /** Parameter {@code i} is {@code value}, bound by {@code binder} (null: RowSeal uses the value, see {@link #VALUE}). */
  void putCustom(int i, @Nullable Object value, @Nullable Binder binder) throws SQLException {
    check(i);
    kinds[i] = binder == null ? VALUE : CUSTOM;
    values[i] = value;
    binders[i] = binder;
  }

  void clear() {
    Arrays.fill(kinds, UNSET);
    Arrays.fill(longs, 0L); // an encrypted column's primitive plaintext is not left behind
    Arrays.fill(values, null);
    Arrays.fill(binders, null);
  }

  /** Lets go of the objects the parameters refer to, and zeroes the primitives (the statement is closed). */
  void dropValues() {
    Arrays.fill(longs, 0L);
    Arrays.fill(values, null);
  }

  boolean isSet(int i) {
    return kinds[i] != UNSET;
  }

  /** Parameter {@code i} as a Java object (a primitive boxed), null if it is NULL or not set. */
  @Nullable Object value(int i) {
    long bits = longs[i];
    switch (kinds[i]) {
      case BOOLEAN:
        return Boolean.valueOf(bits != 0);
      case BYTE:
        return Byte.valueOf((byte) bits);
      case SHORT:
        return Short.valueOf((short) bits);
      case INT:
        return Integer.valueOf((int) bits);
      case LONG:
        return Long.valueOf(bits);
      case FLOAT:
        return Float.valueOf(Float.intBitsToFloat((int) bits));
      case DOUBLE:
        return Double.valueOf(Double.longBitsToDouble(bits));
      default:
        return values[i];
    }
  }

  /**
   * The row id that parameter {@code i} holds (an integral one rendered without boxing); unbound if it is NULL
   * or not set.
   *
   * @throws IllegalArgumentException if its type cannot be a row id (see {@link RowId#of(Object)})
   */
  RowId rowId(int i) {
    switch (kinds[i]) {
      case BYTE:
      case SHORT:
      case INT:
      case LONG:
        return RowId.of(longs[i]);
      default:
        Object v = value(i);
        return v == null ? RowId.unbound() : RowId.of(v);
    }
  }

  /**
   * Binds parameter {@code i} to parameter {@code index} of {@code ps}.
   *
   * @throws SQLException with SQLState 07001 if it was not set
   */
  void bind(PreparedStatement ps, int index, int i) throws SQLException {
    long bits = longs[i];
    Object v = values[i];
    switch (kinds[i]) {
      case LONG -> ps.setLong(index, bits);
      case INT -> ps.setInt(index, (int) bits);
      case STRING -> ps.setString(index, (String) v);
      case NULL -> ps.setNull(index, (int) bits);
      case BIG_DECIMAL -> ps.setBigDecimal(index, (java.math.BigDecimal) v);
      case BOOLEAN -> ps.setBoolean(index, bits != 0);
      case BYTE -> ps.setByte(index, (byte) bits);
      case SHORT -> ps.setShort(index, (short) bits);
      case FLOAT -> ps.setFloat(index, Float.intBitsToFloat((int) bits));
      case DOUBLE -> ps.setDouble(index, Double.longBitsToDouble(bits));
      case N_STRING -> ps.setNString(index, (String) v);
      case BYTES -> ps.setBytes(index, (byte[]) v);
      case DATE -> ps.setDate(index, (java.sql.Date) v);
      case TIME -> ps.setTime(index, (java.sql.Time) v);
      case TIMESTAMP -> ps.setTimestamp(index, (java.sql.Timestamp) v);
      case OBJECT -> ps.setObject(index, v);
      case CUSTOM -> binders[i].bind(ps, index);
      default -> throw notSet(i); // UNSET, or VALUE: a value only RowSeal's computed parameters use
    }
  }

  static SQLException notSet(int i) {
    return new SQLException("parameter " + i + " was not set", "07001");
  }
}
