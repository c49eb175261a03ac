package io.rowseal.jdbc.internal;

import io.rowseal.PlaintextAdoption;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/*
 * Per row, the first read of an encrypted column opens that table occurrence's row key (reading the
 * hidden companion and id columns); later reads of the same row reuse it. Moving the cursor closes
 * (zeroes) the keys of the row left behind. Plaintext columns are read straight from the driver, so a
 * query pays for decryption only in the columns and rows it reads.
 */

/**
 * A result set that decrypts a query's encrypted outputs and hides the companion and id columns the
 * query appended: column indexes, labels and metadata are the application's own. Getters convert
 * the decrypted value losslessly or fail with SQLState 22R02; a value that cannot be decrypted fails
 * with 22R01, naming table, column, row id and key reference. Always over an encrypted table, so every
 * GUARDED method (update*, insertRow, ...) is refused. Not thread-safe, like the result set it wraps.
 */
final class DecryptingResultSet extends DelegatingResultSet {
  private final SelectPlan plan;
  private final RowSeal rowSeal;
  private final Statement statement;
  private final @Nullable RowKey[] keys;
  private boolean lastWasEncrypted;
  private boolean lastWasNull;

  DecryptingResultSet(ResultSet delegate, SelectPlan plan, RowSeal rowSeal, Statement statement) {
    super(delegate);
    this.plan = plan;
    this.rowSeal = rowSeal;
    this.statement = statement;
    this.keys = new RowKey[plan.sources().size()];
  }

  private SelectPlan.@Nullable EncryptedOutput encrypted(int column) throws SQLException {
    if (column < 1 || column > plan.visibleColumns()) {
      throw new SQLException("column index " + column + " is out of range 1.." + plan.visibleColumns(), "22023");
    }
    SelectPlan.EncryptedOutput o = plan.output(column);
    lastWasEncrypted = o != null;
    return o;
  }

  private @Nullable Object decrypted(SelectPlan.EncryptedOutput o, int column) throws SQLException {
    Object stored = o.column.storage() == StorageForm.BINARY ? delegate.getBytes(column) : delegate.getString(column);
    if (stored == null) {
      lastWasNull = true;
      return null;
    }
    lastWasNull = false;
    RowKey key = key(o);
    try {
      if (key == null) {
        // a row not yet encrypted by the adoption job: only reached while the table adopts plaintext
        SelectPlan.Source source = plan.sources().get(o.source);
        return PlaintextAdoption.parsePlaintext(o.column, rowId(source), (String) stored);
      }
      return key.decrypt(o.column, stored);
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
  }

  /** The row's key; null only for a row without a companion of a table that is adopting plaintext. */
  private @Nullable RowKey key(SelectPlan.EncryptedOutput o) throws SQLException {
    RowKey key = keys[o.source];
    if (key != null) {
      return key;
    }
    SelectPlan.Source source = plan.sources().get(o.source);
    RowId rowId = rowId(source);
    byte[] companion = delegate.getBytes(source.companionColumn);
    if (companion == null && source.table.isAdoptingPlaintext() && o.column.storage() == StorageForm.TEXT) {
      return null;
    }
    if (companion == null) {
      throw new SQLDataException("Cannot decrypt " + Rejections.name(o.column) + ", row " + rowId + ": it holds a value"
          + " but the row's companion column " + source.table.companionColumn() + " is NULL (the row was written"
          + " without RowSeal, or its data key was removed)", SqlErrors.NOT_DECRYPTABLE);
    }
    try {
      key = rowSeal.openRowKey(source.table, rowId, companion);
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
    keys[o.source] = key;
    return key;
  }

  private RowId rowId(SelectPlan.Source source) throws SQLException {
    int[] ids = source.idColumns;
    try {
      if (ids.length == 1) {
        Object id = delegate.getObject(ids[0]);
        return id == null ? RowId.unbound() : RowId.of(id);
      }
      Object[] parts = new Object[ids.length];
      for (int i = 0; i < ids.length; i++) {
        parts[i] = delegate.getObject(ids[i]);
        if (parts[i] == null) {
          return RowId.unbound();
        }
      }
      return RowId.composite(parts);
    } catch (IllegalArgumentException e) {
      throw SqlErrors.translate(e);
    }
  }

  private void forgetRow() {
    for (int i = 0; i < keys.length; i++) {
      RowKey k = keys[i];
      if (k != null) {
        keys[i] = null;
        k.close();
      }
    }
  }

  private static <T> T notSupported(SelectPlan.EncryptedOutput o, String as) throws SQLException {
    throw new SQLFeatureNotSupportedException("RowSeal cannot read encrypted column " + Rejections.name(o.column)
        + " as " + as, SqlErrors.BAD_VALUE);
  }

  private static @Nullable BigDecimal scaled(@Nullable BigDecimal d, int scale) {
    return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
  }

  @Override
  public boolean wasNull() throws SQLException {
    return lastWasEncrypted ? lastWasNull : delegate.wasNull();
  }

  @Override
  public int findColumn(String label) throws SQLException {
    int column = delegate.findColumn(label);
    if (column > plan.visibleColumns()) {
      throw new SQLException("no column labelled " + label + " in this result", "42S22");
    }
    return column;
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return new DecryptedMetaData(delegate.getMetaData(), plan);
  }

  @Override
  public Statement getStatement() {
    return statement;
  }

  @Override
  void guard(String method) throws SQLException {
    throw SurfaceRejections.method(method, SurfaceRejections.over(plan, rowSeal.tables()));
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return SurfaceRejections.unwrap(this, iface, "ResultSet");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /** Decides whether the current row is one the application asked for (lookups by a truncated index). */
  @FunctionalInterface
  interface RowFilter {
    boolean accept(DecryptingResultSet rows) throws SQLException;
  }

  private @Nullable RowFilter filter;

  /** Skips, in {@link #next()}, the rows {@code filter} rejects; other cursor moves are then refused. */
  DecryptingResultSet filtering(RowFilter filter) {
    this.filter = filter;
    return this;
  }

  /** The decrypted value of a hidden column (a filter's value column) of the current row. */
  @Nullable Object hiddenValue(SelectPlan.EncryptedOutput o, int column) throws SQLException {
    boolean wasEncrypted = lastWasEncrypted;
    boolean wasNull = lastWasNull;
    try {
      return decrypted(o, column);
    } finally {
      lastWasEncrypted = wasEncrypted;
      lastWasNull = wasNull;
    }
  }

  private void unfiltered(String method) throws SQLException {
    if (filter != null) {
      throw new SQLFeatureNotSupportedException("RowSeal filters this query's rows after decrypting (a lookup by a"
          + " truncated search index), so its result can only be read forward with next(), not with " + method,
          SqlErrors.UNSUPPORTED_STATEMENT);
    }
  }

  @Override
  public boolean next() throws SQLException {
    forgetRow();
    while (delegate.next()) {
      if (filter == null || filter.accept(this)) {
        return true;
      }
      forgetRow();
    }
    return false;
  }

  @Override
  public boolean previous() throws SQLException {
    unfiltered("previous()");
    forgetRow();
    return delegate.previous();
  }

  @Override
  public boolean first() throws SQLException {
    unfiltered("first()");
    forgetRow();
    return delegate.first();
  }

  @Override
  public boolean last() throws SQLException {
    unfiltered("last()");
    forgetRow();
    return delegate.last();
  }

  @Override
  public boolean absolute(int row) throws SQLException {
    unfiltered("absolute()");
    forgetRow();
    return delegate.absolute(row);
  }

  @Override
  public boolean relative(int rows) throws SQLException {
    unfiltered("relative()");
    forgetRow();
    return delegate.relative(rows);
  }

  @Override
  public void beforeFirst() throws SQLException {
    unfiltered("beforeFirst()");
    forgetRow();
    delegate.beforeFirst();
  }

  @Override
  public void afterLast() throws SQLException {
    unfiltered("afterLast()");
    forgetRow();
    delegate.afterLast();
  }

  @Override
  public void close() throws SQLException {
    forgetRow();
    delegate.close();
  }

  @Override
  @SuppressWarnings("deprecation")
  public String getString(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getString(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asString(o.column, v);
  }

  @Override
  @SuppressWarnings("deprecation")
  public String getString(String label) throws SQLException {
    return getString(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public String getNString(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getNString(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asString(o.column, v);
  }

  @Override
  @SuppressWarnings("deprecation")
  public String getNString(String label) throws SQLException {
    return getNString(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public boolean getBoolean(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getBoolean(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asBoolean(o.column, v);
  }

  @Override
  @SuppressWarnings("deprecation")
  public boolean getBoolean(String label) throws SQLException {
    return getBoolean(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public byte getByte(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getByte(column);
    }
    Object v = decrypted(o, column);
    return (byte) ValueConversions.asLong(o.column, v, Byte.MIN_VALUE, Byte.MAX_VALUE, "a byte");
  }

  @Override
  @SuppressWarnings("deprecation")
  public byte getByte(String label) throws SQLException {
    return getByte(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public short getShort(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getShort(column);
    }
    Object v = decrypted(o, column);
    return (short) ValueConversions.asLong(o.column, v, Short.MIN_VALUE, Short.MAX_VALUE, "a short");
  }

  @Override
  @SuppressWarnings("deprecation")
  public short getShort(String label) throws SQLException {
    return getShort(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public int getInt(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getInt(column);
    }
    Object v = decrypted(o, column);
    return (int) ValueConversions.asLong(o.column, v, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int");
  }

  @Override
  @SuppressWarnings("deprecation")
  public int getInt(String label) throws SQLException {
    return getInt(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public long getLong(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getLong(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asLong(o.column, v, Long.MIN_VALUE, Long.MAX_VALUE, "a long");
  }

  @Override
  @SuppressWarnings("deprecation")
  public long getLong(String label) throws SQLException {
    return getLong(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public float getFloat(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getFloat(column);
    }
    Object v = decrypted(o, column);
    return (float) ValueConversions.asDouble(o.column, v);
  }

  @Override
  @SuppressWarnings("deprecation")
  public float getFloat(String label) throws SQLException {
    return getFloat(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public double getDouble(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getDouble(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asDouble(o.column, v);
  }

  @Override
  @SuppressWarnings("deprecation")
  public double getDouble(String label) throws SQLException {
    return getDouble(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.math.BigDecimal getBigDecimal(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getBigDecimal(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asBigDecimal(o.column, v);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.math.BigDecimal getBigDecimal(String label) throws SQLException {
    return getBigDecimal(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.math.BigDecimal getBigDecimal(int column, int scale) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getBigDecimal(column, scale);
    }
    Object v = decrypted(o, column);
    return scaled(ValueConversions.asBigDecimal(o.column, v), scale);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.math.BigDecimal getBigDecimal(String label, int scale) throws SQLException {
    return getBigDecimal(findColumn(label), scale);
  }

  @Override
  @SuppressWarnings("deprecation")
  public byte[] getBytes(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getBytes(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asBytes(o.column, v);
  }

  @Override
  @SuppressWarnings("deprecation")
  public byte[] getBytes(String label) throws SQLException {
    return getBytes(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Date getDate(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getDate(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asDate(o.column, v, null);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Date getDate(String label) throws SQLException {
    return getDate(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Date getDate(int column, java.util.Calendar cal) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getDate(column, cal);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asDate(o.column, v, cal);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Date getDate(String label, java.util.Calendar cal) throws SQLException {
    return getDate(findColumn(label), cal);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Time getTime(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getTime(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asTime(o.column, v, null);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Time getTime(String label) throws SQLException {
    return getTime(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Time getTime(int column, java.util.Calendar cal) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getTime(column, cal);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asTime(o.column, v, cal);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Time getTime(String label, java.util.Calendar cal) throws SQLException {
    return getTime(findColumn(label), cal);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Timestamp getTimestamp(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getTimestamp(column);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asTimestamp(o.column, v, null);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Timestamp getTimestamp(String label) throws SQLException {
    return getTimestamp(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Timestamp getTimestamp(int column, java.util.Calendar cal) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getTimestamp(column, cal);
    }
    Object v = decrypted(o, column);
    return ValueConversions.asTimestamp(o.column, v, cal);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Timestamp getTimestamp(String label, java.util.Calendar cal) throws SQLException {
    return getTimestamp(findColumn(label), cal);
  }

  @Override
  @SuppressWarnings("deprecation")
  public Object getObject(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getObject(column);
    }
    Object v = decrypted(o, column);
    return v;
  }

  @Override
  @SuppressWarnings("deprecation")
  public Object getObject(String label) throws SQLException {
    return getObject(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public Object getObject(int column, java.util.Map<String, Class<?>> map) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getObject(column, map);
    }
    Object v = decrypted(o, column);
    return v;
  }

  @Override
  @SuppressWarnings("deprecation")
  public Object getObject(String label, java.util.Map<String, Class<?>> map) throws SQLException {
    return getObject(findColumn(label), map);
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.Reader getCharacterStream(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getCharacterStream(column);
    }
    Object v = decrypted(o, column);
    return v == null ? null : new java.io.StringReader(ValueConversions.asString(o.column, v));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.Reader getCharacterStream(String label) throws SQLException {
    return getCharacterStream(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.Reader getNCharacterStream(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getNCharacterStream(column);
    }
    Object v = decrypted(o, column);
    return v == null ? null : new java.io.StringReader(ValueConversions.asString(o.column, v));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.Reader getNCharacterStream(String label) throws SQLException {
    return getNCharacterStream(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.InputStream getBinaryStream(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getBinaryStream(column);
    }
    Object v = decrypted(o, column);
    return v == null ? null : new java.io.ByteArrayInputStream(ValueConversions.asBytes(o.column, v));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.InputStream getBinaryStream(String label) throws SQLException {
    return getBinaryStream(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.InputStream getAsciiStream(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getAsciiStream(column);
    }
    Object v = decrypted(o, column);
    return v == null ? null : new java.io.ByteArrayInputStream(ValueConversions.asString(o.column, v).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.InputStream getAsciiStream(String label) throws SQLException {
    return getAsciiStream(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.InputStream getUnicodeStream(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getUnicodeStream(column);
    }
    Object v = decrypted(o, column);
    return v == null ? null : new java.io.ByteArrayInputStream(ValueConversions.asString(o.column, v).getBytes(java.nio.charset.StandardCharsets.UTF_16BE));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.io.InputStream getUnicodeStream(String label) throws SQLException {
    return getUnicodeStream(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Clob getClob(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getClob(column);
    }
    Object v = decrypted(o, column);
    return v == null ? null : new javax.sql.rowset.serial.SerialClob(ValueConversions.asString(o.column, v).toCharArray());
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Clob getClob(String label) throws SQLException {
    return getClob(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.NClob getNClob(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getNClob(column);
    }
    Object v = decrypted(o, column);
    return notSupported(o, "an NClob");
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.NClob getNClob(String label) throws SQLException {
    return getNClob(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Blob getBlob(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getBlob(column);
    }
    Object v = decrypted(o, column);
    return v == null ? null : new javax.sql.rowset.serial.SerialBlob(ValueConversions.asBytes(o.column, v));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Blob getBlob(String label) throws SQLException {
    return getBlob(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Array getArray(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getArray(column);
    }
    Object v = decrypted(o, column);
    return notSupported(o, "an Array");
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Array getArray(String label) throws SQLException {
    return getArray(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Ref getRef(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getRef(column);
    }
    Object v = decrypted(o, column);
    return notSupported(o, "a Ref");
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.Ref getRef(String label) throws SQLException {
    return getRef(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.RowId getRowId(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getRowId(column);
    }
    Object v = decrypted(o, column);
    return notSupported(o, "a RowId");
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.RowId getRowId(String label) throws SQLException {
    return getRowId(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.SQLXML getSQLXML(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getSQLXML(column);
    }
    Object v = decrypted(o, column);
    return notSupported(o, "SQLXML");
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.sql.SQLXML getSQLXML(String label) throws SQLException {
    return getSQLXML(findColumn(label));
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.net.URL getURL(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getURL(column);
    }
    Object v = decrypted(o, column);
    return notSupported(o, "a URL");
  }

  @Override
  @SuppressWarnings("deprecation")
  public java.net.URL getURL(String label) throws SQLException {
    return getURL(findColumn(label));
  }

  @Override
  public <T> T getObject(int column, Class<T> type) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    if (o == null) {
      return delegate.getObject(column, type);
    }
    return ValueConversions.as(o.column, decrypted(o, column), type);
  }

  @Override
  public <T> T getObject(String label, Class<T> type) throws SQLException {
    return getObject(findColumn(label), type);
  }
}
