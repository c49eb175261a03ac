package io.rowseal.jdbc.internal;

import io.rowseal.RowSeal;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The driver's result set as {@link DecryptingResultSet} sees it when rows are read ahead and decrypted in
 * parallel ({@link ParallelRows}): column values come from the rows read ahead, not from the driver, whose
 * cursor is further on. Only for forward-only, read-only results ({@link #overIfEligible}).
 *
 * <p>Plaintext columns were read with the driver's {@code getObject} and are converted here only where the
 * conversion is exact (the column's own Java type; whole numbers to integer getters, numbers to
 * {@code getDouble}/{@code getBigDecimal}; character, whole-number, decimal and UUID values to {@code getString};
 * {@code java.sql} date/time objects to their {@code java.time} types); anything else is refused with SQLState
 * 0A000 rather than answered from another row. Which methods it serves, which go to the driver (they do not
 * depend on its cursor) and that every other one is refused is the generated {@link ReadAheadResultSet}'s
 * allow-list (section {@code [PrefetchedResultSet]} of {@code jdbc-surface.txt}; {@code JdbcSurfaceTest}).
 * Not thread-safe, like the result set it wraps, except {@link #stop} and {@link #close}, which may come from
 * another thread (a statement's cancel or close).
 */
@SuppressWarnings("deprecation")
final class PrefetchedResultSet extends ReadAheadResultSet {
  private final ParallelRows rows;
  private final int threads;
  private boolean wasNull;

  PrefetchedResultSet(ResultSet driver, ParallelRows rows, int threads) {
    super(driver);
    this.rows = rows;
    this.threads = threads;
  }

  /**
   * A read-ahead view of {@code driver} decrypting on {@code pool}, or {@code driver} itself when there is no
   * pool, or the result is scrollable or updatable (those stay serial), or the driver cannot say which.
   */
  static ResultSet overIfEligible(ResultSet driver, SelectPlan plan, RowSeal rowSeal, @Nullable DecryptPool pool) {
    if (pool == null) {
      return driver;
    }
    try {
      if (driver.getType() != ResultSet.TYPE_FORWARD_ONLY || driver.getConcurrency() != ResultSet.CONCUR_READ_ONLY) {
        return driver;
      }
      return new PrefetchedResultSet(driver, new ParallelRows(driver, plan, rowSeal, pool), pool.threads());
    } catch (SQLException e) {
      return driver; // serial decryption needs none of what failed here
    }
  }

  /** Stops the read-ahead from any thread; see {@link ParallelRows#stop}. */
  void stop(boolean cancel) {
    rows.stop(cancel);
  }

  /** The current row's decrypted value of encrypted output {@code column}, or the error reading it raised. */
  @Nullable Object decrypted(int column) throws SQLException {
    return rows.value(column);
  }

  private @Nullable Object read(int column) throws SQLException {
    if (column < 1 || column > rows.columnCount()) {
      throw new SQLException("column index " + column + " is out of range 1.." + rows.columnCount(), "22023");
    }
    Object v = rows.value(column);
    wasNull = v == null;
    return v;
  }

  private SQLFeatureNotSupportedException cannot(String method, int column, Object v) {
    return new SQLFeatureNotSupportedException("RowSeal reads this result ahead to decrypt it on " + threads
        + " threads (rowseal.jdbc.decrypt-parallelism) and does not convert column " + column + ", a "
        + v.getClass().getName() + ", with ResultSet." + method + ": read it with getObject, or set"
        + " decrypt-parallelism to 1 for this data source", SqlErrors.UNSUPPORTED_STATEMENT);
  }

  @Override
  SQLFeatureNotSupportedException refused(String method) {
    return new SQLFeatureNotSupportedException(method + " is not available on a result that RowSeal reads ahead to"
        + " decrypt on " + threads + " threads (rowseal.jdbc.decrypt-parallelism): use next() and the getters by"
        + " index or label (getObject, getString, getInt, ...), or set decrypt-parallelism to 1 for this data source",
        SqlErrors.UNSUPPORTED_STATEMENT);
  }

  @Override
  public boolean next() throws SQLException {
    return rows.next();
  }

  @Override
  public void close() throws SQLException {
    rows.close();
    delegate.close();
  }

  @Override
  public java.sql.Statement getStatement() throws SQLException {
    return delegate.getStatement();
  }

  @Override
  public java.sql.ResultSetMetaData getMetaData() throws SQLException {
    return delegate.getMetaData();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return SurfaceRejections.unwrap(this, iface, "ResultSet");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public boolean wasNull() {
    return wasNull;
  }

  @Override
  public int getRow() {
    return rows.row();
  }

  @Override
  public boolean isBeforeFirst() {
    return rows.isBeforeFirst();
  }

  @Override
  public boolean isAfterLast() {
    return rows.isAfterLast();
  }

  @Override
  public boolean isFirst() {
    return rows.isFirst();
  }

  @Override
  public boolean isLast() {
    return rows.isLast();
  }

  @Override
  public java.lang.Object getObject(int p0) throws java.sql.SQLException {
    return read(p0);
  }

  @Override
  public java.lang.String getString(int p0) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger || v instanceof UUID || v instanceof Character) {
      return v.toString();
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    throw cannot("getString", p0, v);
  }

  @Override
  public java.lang.String getNString(int p0) throws java.sql.SQLException {
    return getString(p0);
  }

  @Override
  public boolean getBoolean(int p0) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw cannot("getBoolean", p0, v);
  }

  private long whole(String method, int column, long min, long max) throws SQLException {
    Object v = read(column);
    if (v == null) {
      return 0;
    }
    long n;
    try {
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        n = ((Number) v).longValue();
      } else if (v instanceof BigInteger) {
        n = ((BigInteger) v).longValueExact();
      } else if (v instanceof BigDecimal) {
        n = ((BigDecimal) v).longValueExact();
      } else {
        throw cannot(method, column, v);
      }
    } catch (ArithmeticException e) {
      throw new SQLDataException("column " + column + " does not fit ResultSet." + method, "22003");
    }
    if (n < min || n > max) {
      throw new SQLDataException("column " + column + " does not fit ResultSet." + method, "22003");
    }
    return n;
  }

  @Override
  public byte getByte(int p0) throws java.sql.SQLException {
    return (byte) whole("getByte", p0, Byte.MIN_VALUE, Byte.MAX_VALUE);
  }

  @Override
  public short getShort(int p0) throws java.sql.SQLException {
    return (short) whole("getShort", p0, Short.MIN_VALUE, Short.MAX_VALUE);
  }

  @Override
  public int getInt(int p0) throws java.sql.SQLException {
    return (int) whole("getInt", p0, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  @Override
  public long getLong(int p0) throws java.sql.SQLException {
    return whole("getLong", p0, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Override
  public double getDouble(int p0) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null) {
      return 0;
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    throw cannot("getDouble", p0, v);
  }

  @Override
  public float getFloat(int p0) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null) {
      return 0;
    }
    if (v instanceof Float) {
      return (Float) v;
    }
    if (v instanceof Number && !(v instanceof Double)) {
      return ((Number) v).floatValue();
    }
    throw cannot("getFloat", p0, v);
  }

  @Override
  public java.math.BigDecimal getBigDecimal(int p0) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null || v instanceof BigDecimal) {
      return (BigDecimal) v;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof BigInteger) {
      return new BigDecimal((BigInteger) v);
    }
    throw cannot("getBigDecimal", p0, v);
  }

  @Override
  public java.math.BigDecimal getBigDecimal(int p0, int p1) throws java.sql.SQLException {
    BigDecimal d = getBigDecimal(p0);
    return d == null ? null : d.setScale(p1, RoundingMode.HALF_UP);
  }

  @Override
  public byte[] getBytes(int p0) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null) {
      return null;
    }
    if (v instanceof byte[]) {
      return ((byte[]) v).clone();
    }
    throw cannot("getBytes", p0, v);
  }

  /** The value of {@code column} if it is null or a {@code type}, else the refusal naming {@code method}. */
  private <T> T exactly(int column, Class<T> type, String method) throws java.sql.SQLException {
    Object v = read(column);
    if (v == null || type.isInstance(v)) {
      return type.cast(v);
    }
    throw cannot(method, column, v);
  }

  @Override
  public java.sql.Date getDate(int p0) throws java.sql.SQLException {
    return exactly(p0, java.sql.Date.class, "getDate");
  }

  @Override
  public java.sql.Time getTime(int p0) throws java.sql.SQLException {
    return exactly(p0, java.sql.Time.class, "getTime");
  }

  @Override
  public java.sql.Timestamp getTimestamp(int p0) throws java.sql.SQLException {
    return exactly(p0, java.sql.Timestamp.class, "getTimestamp");
  }

  @Override
  public <T> T getObject(int p0, java.lang.Class<T> p1) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null || p1.isInstance(v)) {
      return p1.cast(v);
    }
    Object converted;
    if (p1 == LocalDateTime.class && v instanceof java.sql.Timestamp) {
      converted = ((java.sql.Timestamp) v).toLocalDateTime();
    } else if (p1 == LocalDate.class && v instanceof java.sql.Date) {
      converted = ((java.sql.Date) v).toLocalDate();
    } else if (p1 == LocalTime.class && v instanceof java.sql.Time) {
      converted = ((java.sql.Time) v).toLocalTime();
    } else if (p1 == String.class) {
      converted = getString(p0);
    } else if (p1 == Integer.class) {
      converted = getInt(p0);
    } else if (p1 == Long.class) {
      converted = getLong(p0);
    } else if (p1 == Short.class) {
      converted = getShort(p0);
    } else if (p1 == BigDecimal.class) {
      converted = getBigDecimal(p0);
    } else if (p1 == Double.class) {
      converted = getDouble(p0);
    } else {
      throw cannot("getObject(" + p1.getName() + ")", p0, v);
    }
    return p1.cast(converted);
  }
}
