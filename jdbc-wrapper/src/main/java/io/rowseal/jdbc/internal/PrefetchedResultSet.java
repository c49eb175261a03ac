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
 * {@code java.sql} date/time objects to their {@code java.time} types). Anything else, and every method that
 * depends on the driver's cursor and is not served from the read rows (streams, LOBs, Calendar variants,
 * scrolling, updates), is refused with SQLState 0A000 rather than answered from another row. Every method of
 * {@link ResultSet} is declared here or listed as cursor-independent ({@code PrefetchedResultSetTest}).
 * Not thread-safe, like the result set it wraps.
 */
@SuppressWarnings("deprecation")
final class PrefetchedResultSet extends DelegatingResultSet {
  private final ParallelRows rows;
  private final int threads;
  private boolean wasNull;

  private PrefetchedResultSet(ResultSet driver, ParallelRows rows, int threads) {
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

  private SQLFeatureNotSupportedException refused(String method) {
    return new SQLFeatureNotSupportedException(method + " is not available on a result that RowSeal reads ahead to"
        + " decrypt on " + threads + " threads (rowseal.jdbc.decrypt-parallelism): use next() and the getters by"
        + " index or label (getObject, getString, getInt, ...), or set decrypt-parallelism to 1 for this data source",
        SqlErrors.UNSUPPORTED_STATEMENT);
  }

  @Override
  void guard(String method) throws SQLException {
    throw refused(method);
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

  @Override
  public java.sql.Date getDate(int p0) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null || v instanceof java.sql.Date) {
      return (java.sql.Date) v;
    }
    throw cannot("getDate", p0, v);
  }

  @Override
  public java.sql.Time getTime(int p0) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null || v instanceof java.sql.Time) {
      return (java.sql.Time) v;
    }
    throw cannot("getTime", p0, v);
  }

  @Override
  public java.sql.Timestamp getTimestamp(int p0) throws java.sql.SQLException {
    Object v = read(p0);
    if (v == null || v instanceof java.sql.Timestamp) {
      return (java.sql.Timestamp) v;
    }
    throw cannot("getTimestamp", p0, v);
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

  // Cursor-dependent methods not served from the rows read ahead: refused, never sent to the driver.

  @Override
  public boolean absolute(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.absolute");
  }

  @Override
  public void afterLast() throws java.sql.SQLException {
    throw refused("ResultSet.afterLast");
  }

  @Override
  public void beforeFirst() throws java.sql.SQLException {
    throw refused("ResultSet.beforeFirst");
  }

  @Override
  public void cancelRowUpdates() throws java.sql.SQLException {
    throw refused("ResultSet.cancelRowUpdates");
  }

  @Override
  public void deleteRow() throws java.sql.SQLException {
    throw refused("ResultSet.deleteRow");
  }

  @Override
  public boolean first() throws java.sql.SQLException {
    throw refused("ResultSet.first");
  }

  @Override
  public java.sql.Array getArray(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getArray");
  }

  @Override
  public java.sql.Array getArray(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getArray");
  }

  @Override
  public java.io.InputStream getAsciiStream(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getAsciiStream");
  }

  @Override
  public java.io.InputStream getAsciiStream(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getAsciiStream");
  }

  @Override
  public java.math.BigDecimal getBigDecimal(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getBigDecimal");
  }

  @Override
  public java.math.BigDecimal getBigDecimal(java.lang.String p0, int p1) throws java.sql.SQLException {
    throw refused("ResultSet.getBigDecimal");
  }

  @Override
  public java.io.InputStream getBinaryStream(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getBinaryStream");
  }

  @Override
  public java.io.InputStream getBinaryStream(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getBinaryStream");
  }

  @Override
  public java.sql.Blob getBlob(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getBlob");
  }

  @Override
  public java.sql.Blob getBlob(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getBlob");
  }

  @Override
  public boolean getBoolean(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getBoolean");
  }

  @Override
  public byte getByte(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getByte");
  }

  @Override
  public byte[] getBytes(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getBytes");
  }

  @Override
  public java.io.Reader getCharacterStream(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getCharacterStream");
  }

  @Override
  public java.io.Reader getCharacterStream(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getCharacterStream");
  }

  @Override
  public java.sql.Clob getClob(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getClob");
  }

  @Override
  public java.sql.Clob getClob(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getClob");
  }

  @Override
  public java.sql.Date getDate(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getDate");
  }

  @Override
  public java.sql.Date getDate(java.lang.String p0, java.util.Calendar p1) throws java.sql.SQLException {
    throw refused("ResultSet.getDate");
  }

  @Override
  public java.sql.Date getDate(int p0, java.util.Calendar p1) throws java.sql.SQLException {
    throw refused("ResultSet.getDate");
  }

  @Override
  public double getDouble(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getDouble");
  }

  @Override
  public float getFloat(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getFloat");
  }

  @Override
  public int getInt(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getInt");
  }

  @Override
  public long getLong(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getLong");
  }

  @Override
  public java.io.Reader getNCharacterStream(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getNCharacterStream");
  }

  @Override
  public java.io.Reader getNCharacterStream(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getNCharacterStream");
  }

  @Override
  public java.sql.NClob getNClob(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getNClob");
  }

  @Override
  public java.sql.NClob getNClob(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getNClob");
  }

  @Override
  public java.lang.String getNString(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getNString");
  }

  @Override
  public java.lang.Object getObject(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getObject");
  }

  @Override
  public <T> T getObject(java.lang.String p0, java.lang.Class<T> p1) throws java.sql.SQLException {
    throw refused("ResultSet.getObject");
  }

  @Override
  public java.lang.Object getObject(java.lang.String p0, java.util.Map<java.lang.String, java.lang.Class<?>> p1) throws java.sql.SQLException {
    throw refused("ResultSet.getObject");
  }

  @Override
  public java.lang.Object getObject(int p0, java.util.Map<java.lang.String, java.lang.Class<?>> p1) throws java.sql.SQLException {
    throw refused("ResultSet.getObject");
  }

  @Override
  public java.sql.Ref getRef(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getRef");
  }

  @Override
  public java.sql.Ref getRef(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getRef");
  }

  @Override
  public java.sql.RowId getRowId(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getRowId");
  }

  @Override
  public java.sql.RowId getRowId(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getRowId");
  }

  @Override
  public java.sql.SQLXML getSQLXML(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getSQLXML");
  }

  @Override
  public java.sql.SQLXML getSQLXML(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getSQLXML");
  }

  @Override
  public short getShort(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getShort");
  }

  @Override
  public java.lang.String getString(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getString");
  }

  @Override
  public java.sql.Time getTime(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getTime");
  }

  @Override
  public java.sql.Time getTime(java.lang.String p0, java.util.Calendar p1) throws java.sql.SQLException {
    throw refused("ResultSet.getTime");
  }

  @Override
  public java.sql.Time getTime(int p0, java.util.Calendar p1) throws java.sql.SQLException {
    throw refused("ResultSet.getTime");
  }

  @Override
  public java.sql.Timestamp getTimestamp(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getTimestamp");
  }

  @Override
  public java.sql.Timestamp getTimestamp(java.lang.String p0, java.util.Calendar p1) throws java.sql.SQLException {
    throw refused("ResultSet.getTimestamp");
  }

  @Override
  public java.sql.Timestamp getTimestamp(int p0, java.util.Calendar p1) throws java.sql.SQLException {
    throw refused("ResultSet.getTimestamp");
  }

  @Override
  public java.net.URL getURL(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getURL");
  }

  @Override
  public java.net.URL getURL(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getURL");
  }

  @Override
  public java.io.InputStream getUnicodeStream(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.getUnicodeStream");
  }

  @Override
  public java.io.InputStream getUnicodeStream(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.getUnicodeStream");
  }

  @Override
  public void insertRow() throws java.sql.SQLException {
    throw refused("ResultSet.insertRow");
  }

  @Override
  public boolean last() throws java.sql.SQLException {
    throw refused("ResultSet.last");
  }

  @Override
  public void moveToCurrentRow() throws java.sql.SQLException {
    throw refused("ResultSet.moveToCurrentRow");
  }

  @Override
  public void moveToInsertRow() throws java.sql.SQLException {
    throw refused("ResultSet.moveToInsertRow");
  }

  @Override
  public boolean previous() throws java.sql.SQLException {
    throw refused("ResultSet.previous");
  }

  @Override
  public void refreshRow() throws java.sql.SQLException {
    throw refused("ResultSet.refreshRow");
  }

  @Override
  public boolean relative(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.relative");
  }

  @Override
  public boolean rowDeleted() throws java.sql.SQLException {
    throw refused("ResultSet.rowDeleted");
  }

  @Override
  public boolean rowInserted() throws java.sql.SQLException {
    throw refused("ResultSet.rowInserted");
  }

  @Override
  public boolean rowUpdated() throws java.sql.SQLException {
    throw refused("ResultSet.rowUpdated");
  }

  @Override
  public void updateArray(java.lang.String p0, java.sql.Array p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateArray");
  }

  @Override
  public void updateArray(int p0, java.sql.Array p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateArray");
  }

  @Override
  public void updateAsciiStream(java.lang.String p0, java.io.InputStream p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(java.lang.String p0, java.io.InputStream p1, int p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(java.lang.String p0, java.io.InputStream p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(int p0, java.io.InputStream p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(int p0, java.io.InputStream p1, int p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(int p0, java.io.InputStream p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateBigDecimal(java.lang.String p0, java.math.BigDecimal p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBigDecimal");
  }

  @Override
  public void updateBigDecimal(int p0, java.math.BigDecimal p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBigDecimal");
  }

  @Override
  public void updateBinaryStream(java.lang.String p0, java.io.InputStream p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(java.lang.String p0, java.io.InputStream p1, int p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(java.lang.String p0, java.io.InputStream p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(int p0, java.io.InputStream p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(int p0, java.io.InputStream p1, int p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(int p0, java.io.InputStream p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBlob(java.lang.String p0, java.sql.Blob p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(java.lang.String p0, java.io.InputStream p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(java.lang.String p0, java.io.InputStream p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(int p0, java.sql.Blob p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(int p0, java.io.InputStream p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(int p0, java.io.InputStream p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateBlob");
  }

  @Override
  public void updateBoolean(java.lang.String p0, boolean p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBoolean");
  }

  @Override
  public void updateBoolean(int p0, boolean p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBoolean");
  }

  @Override
  public void updateByte(java.lang.String p0, byte p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateByte");
  }

  @Override
  public void updateByte(int p0, byte p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateByte");
  }

  @Override
  public void updateBytes(java.lang.String p0, byte[] p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBytes");
  }

  @Override
  public void updateBytes(int p0, byte[] p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateBytes");
  }

  @Override
  public void updateCharacterStream(java.lang.String p0, java.io.Reader p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(java.lang.String p0, java.io.Reader p1, int p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(java.lang.String p0, java.io.Reader p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(int p0, java.io.Reader p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(int p0, java.io.Reader p1, int p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(int p0, java.io.Reader p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateClob(java.lang.String p0, java.sql.Clob p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateClob");
  }

  @Override
  public void updateClob(java.lang.String p0, java.io.Reader p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateClob");
  }

  @Override
  public void updateClob(java.lang.String p0, java.io.Reader p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateClob");
  }

  @Override
  public void updateClob(int p0, java.sql.Clob p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateClob");
  }

  @Override
  public void updateClob(int p0, java.io.Reader p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateClob");
  }

  @Override
  public void updateClob(int p0, java.io.Reader p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateClob");
  }

  @Override
  public void updateDate(java.lang.String p0, java.sql.Date p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateDate");
  }

  @Override
  public void updateDate(int p0, java.sql.Date p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateDate");
  }

  @Override
  public void updateDouble(java.lang.String p0, double p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateDouble");
  }

  @Override
  public void updateDouble(int p0, double p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateDouble");
  }

  @Override
  public void updateFloat(java.lang.String p0, float p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateFloat");
  }

  @Override
  public void updateFloat(int p0, float p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateFloat");
  }

  @Override
  public void updateInt(java.lang.String p0, int p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateInt");
  }

  @Override
  public void updateInt(int p0, int p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateInt");
  }

  @Override
  public void updateLong(java.lang.String p0, long p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateLong");
  }

  @Override
  public void updateLong(int p0, long p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateLong");
  }

  @Override
  public void updateNCharacterStream(java.lang.String p0, java.io.Reader p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNCharacterStream(java.lang.String p0, java.io.Reader p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNCharacterStream(int p0, java.io.Reader p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNCharacterStream(int p0, java.io.Reader p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNClob(java.lang.String p0, java.sql.NClob p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(java.lang.String p0, java.io.Reader p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(java.lang.String p0, java.io.Reader p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(int p0, java.sql.NClob p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(int p0, java.io.Reader p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(int p0, java.io.Reader p1, long p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateNClob");
  }

  @Override
  public void updateNString(java.lang.String p0, java.lang.String p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateNString");
  }

  @Override
  public void updateNString(int p0, java.lang.String p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateNString");
  }

  @Override
  public void updateNull(java.lang.String p0) throws java.sql.SQLException {
    throw refused("ResultSet.updateNull");
  }

  @Override
  public void updateNull(int p0) throws java.sql.SQLException {
    throw refused("ResultSet.updateNull");
  }

  @Override
  public void updateObject(java.lang.String p0, java.lang.Object p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateObject");
  }

  @Override
  public void updateObject(java.lang.String p0, java.lang.Object p1, java.sql.SQLType p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateObject");
  }

  @Override
  public void updateObject(java.lang.String p0, java.lang.Object p1, java.sql.SQLType p2, int p3) throws java.sql.SQLException {
    throw refused("ResultSet.updateObject");
  }

  @Override
  public void updateObject(java.lang.String p0, java.lang.Object p1, int p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateObject");
  }

  @Override
  public void updateObject(int p0, java.lang.Object p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateObject");
  }

  @Override
  public void updateObject(int p0, java.lang.Object p1, java.sql.SQLType p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateObject");
  }

  @Override
  public void updateObject(int p0, java.lang.Object p1, java.sql.SQLType p2, int p3) throws java.sql.SQLException {
    throw refused("ResultSet.updateObject");
  }

  @Override
  public void updateObject(int p0, java.lang.Object p1, int p2) throws java.sql.SQLException {
    throw refused("ResultSet.updateObject");
  }

  @Override
  public void updateRef(java.lang.String p0, java.sql.Ref p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateRef");
  }

  @Override
  public void updateRef(int p0, java.sql.Ref p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateRef");
  }

  @Override
  public void updateRow() throws java.sql.SQLException {
    throw refused("ResultSet.updateRow");
  }

  @Override
  public void updateRowId(java.lang.String p0, java.sql.RowId p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateRowId");
  }

  @Override
  public void updateRowId(int p0, java.sql.RowId p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateRowId");
  }

  @Override
  public void updateSQLXML(java.lang.String p0, java.sql.SQLXML p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateSQLXML");
  }

  @Override
  public void updateSQLXML(int p0, java.sql.SQLXML p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateSQLXML");
  }

  @Override
  public void updateShort(java.lang.String p0, short p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateShort");
  }

  @Override
  public void updateShort(int p0, short p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateShort");
  }

  @Override
  public void updateString(java.lang.String p0, java.lang.String p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateString");
  }

  @Override
  public void updateString(int p0, java.lang.String p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateString");
  }

  @Override
  public void updateTime(java.lang.String p0, java.sql.Time p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateTime");
  }

  @Override
  public void updateTime(int p0, java.sql.Time p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateTime");
  }

  @Override
  public void updateTimestamp(java.lang.String p0, java.sql.Timestamp p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateTimestamp");
  }

  @Override
  public void updateTimestamp(int p0, java.sql.Timestamp p1) throws java.sql.SQLException {
    throw refused("ResultSet.updateTimestamp");
  }
}
