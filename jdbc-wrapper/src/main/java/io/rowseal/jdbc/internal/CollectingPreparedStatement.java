package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.search.IndexView;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A prepared statement that keeps the application's parameters (value and a binder for the driver) until
 * the statement runs, then binds the rewritten statement's parameters slot by slot: the application's
 * values, and values RowSeal computes from them (ciphertext, blind-index values). Parameters that feed a
 * computed value are kept as Java values and never sent to the driver as they are. Not thread-safe.
 */
abstract class CollectingPreparedStatement extends RowSealPreparedStatement {
  /** Binds one application parameter to the driver's statement. */
  @FunctionalInterface
  interface Binder {
    /** Binds {@code value}, the parameter's value as collected (some binders keep their own, e.g. a stream). */
    void bind(PreparedStatement ps, int index, @Nullable Object value) throws SQLException;
  }

  // The binders of the one-value setters capture nothing: a statement bound row after row allocates no binder.
  private static final Binder BOOLEAN = (ps, k, v) -> ps.setBoolean(k, (Boolean) v);
  private static final Binder BYTE = (ps, k, v) -> ps.setByte(k, (Byte) v);
  private static final Binder SHORT = (ps, k, v) -> ps.setShort(k, (Short) v);
  private static final Binder INT = (ps, k, v) -> ps.setInt(k, (Integer) v);
  private static final Binder LONG = (ps, k, v) -> ps.setLong(k, (Long) v);
  private static final Binder FLOAT = (ps, k, v) -> ps.setFloat(k, (Float) v);
  private static final Binder DOUBLE = (ps, k, v) -> ps.setDouble(k, (Double) v);
  private static final Binder BIG_DECIMAL = (ps, k, v) -> ps.setBigDecimal(k, (java.math.BigDecimal) v);
  private static final Binder STRING = (ps, k, v) -> ps.setString(k, (String) v);
  private static final Binder N_STRING = (ps, k, v) -> ps.setNString(k, (String) v);
  private static final Binder BYTES = (ps, k, v) -> ps.setBytes(k, (byte[]) v);
  private static final Binder DATE = (ps, k, v) -> ps.setDate(k, (java.sql.Date) v);
  private static final Binder TIME = (ps, k, v) -> ps.setTime(k, (java.sql.Time) v);
  private static final Binder TIMESTAMP = (ps, k, v) -> ps.setTimestamp(k, (java.sql.Timestamp) v);
  private static final Binder OBJECT = (ps, k, v) -> ps.setObject(k, (Object) v);

  final boolean[] encrypted;
  final @Nullable Object[] values;
  final @Nullable Binder[] binders;
  final boolean[] set;

  CollectingPreparedStatement(RowSealConnection connection, PreparedStatement delegate, StatementPlan plan,
      int userParameters, List<Slot> slots) {
    super(connection, delegate, plan);
    int n = userParameters + 1;
    this.encrypted = new boolean[n];
    for (Slot s : slots) {
      if (s.kind == Slot.Kind.ENCRYPTED_USER || s.kind == Slot.Kind.INDEX_USER) {
        encrypted[s.userIndex] = true;
      }
    }
    this.values = new Object[n];
    this.binders = new Binder[n];
    this.set = new boolean[n];
  }

  final boolean isEncrypted(int i) throws SQLException {
    if (i < 1 || i >= encrypted.length) {
      throw new SQLException("parameter index " + i + " is out of range 1.." + (encrypted.length - 1), "22023");
    }
    return encrypted[i];
  }

  final void put(int i, @Nullable Object value, @Nullable Binder binder) throws SQLException {
    isEncrypted(i);
    values[i] = value;
    binders[i] = binder;
    set[i] = true;
  }

  @Override
  public void clearParameters() throws SQLException {
    Arrays.fill(values, null);
    Arrays.fill(binders, null);
    Arrays.fill(set, false);
    delegate.clearParameters();
  }

  static SQLException notSet(int userIndex, boolean[] isSet) {
    return new SQLException("parameter " + userIndex + " was not set", "07001");
  }

  /** Binds an application parameter (a USER slot). */
  final void bindUser(int index, Slot s, @Nullable Object[] vals, @Nullable Binder[] bnds, boolean[] isSet)
      throws SQLException {
    bindUser(delegate, index, s, vals, bnds, isSet);
  }

  /** As {@link #bindUser(int, Slot, Object[], Binder[], boolean[])}, onto another statement of RowSeal's. */
  static void bindUser(PreparedStatement target, int index, Slot s, @Nullable Object[] vals, @Nullable Binder[] bnds,
      boolean[] isSet) throws SQLException {
    Binder b = bnds[s.userIndex];
    if (b == null) {
      throw notSet(s.userIndex, isSet);
    }
    b.bind(target, index, vals[s.userIndex]);
  }

  /**
   * Binds a blind-index value (an INDEX slot): the value written into, or compared with, one physical index
   * column under the index-key state now; NULL where that column is not written or not looked up.
   */
  final void bindIndex(int index, Slot s, @Nullable Object[] vals, boolean[] isSet) throws SQLException {
    bindIndex(delegate, index, s, vals, isSet);
  }

  /** As {@link #bindIndex(int, Slot, Object[], boolean[])}, onto another statement of RowSeal's. */
  final void bindIndex(PreparedStatement target, int index, Slot s, @Nullable Object[] vals, boolean[] isSet)
      throws SQLException {
    Object value;
    if (s.kind == Slot.Kind.INDEX_USER) {
      if (!isSet[s.userIndex]) {
        throw notSet(s.userIndex, isSet);
      }
      value = vals[s.userIndex];
    } else {
      value = s.constant;
    }
    EncryptedColumn column = s.column;
    byte[] bytes = null;
    if (value != null) {
      try {
        IndexView view = connection.engine().indexKeys().view(column);
        if (!s.lookup && !containsIgnoreCase(s.indexColumns, view.physicalColumns())) {
          throw new SQLException("the index of " + Rejections.name(column) + " now also uses column "
              + view.physicalColumns() + " (an index-key rotation started after this statement was prepared);"
              + " prepare the statement again", "40001");
        }
        Object typed = ValueConversions.toColumnType(column, value);
        bytes = s.lookup ? view.lookupValue(s.indexColumn, typed) : view.writeValue(s.indexColumn, typed);
      } catch (RuntimeException e) {
        throw SqlErrors.translate(e);
      }
    }
    if (bytes == null) {
      target.setNull(index, Types.VARBINARY);
    } else {
      target.setBytes(index, bytes);
    }
  }

  private static boolean containsIgnoreCase(List<String> have, List<String> needed) {
    for (int i = 0; i < needed.size(); i++) {
      boolean found = false;
      for (int j = 0; j < have.size() && !found; j++) {
        found = have.get(j).equalsIgnoreCase(needed.get(i));
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- setters (generated from PreparedStatement)

  @Override
  @SuppressWarnings("deprecation")
  public void setNull(int i, int sqlType) throws SQLException {
    put(i, null, (ps, k, v) -> ps.setNull(k, sqlType));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNull(int i, int sqlType, String typeName) throws SQLException {
    put(i, null, (ps, k, v) -> ps.setNull(k, sqlType, typeName));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBoolean(int i, boolean x) throws SQLException {
    put(i, x, BOOLEAN);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setByte(int i, byte x) throws SQLException {
    put(i, x, BYTE);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setShort(int i, short x) throws SQLException {
    put(i, x, SHORT);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setInt(int i, int x) throws SQLException {
    put(i, x, INT);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setLong(int i, long x) throws SQLException {
    put(i, x, LONG);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setFloat(int i, float x) throws SQLException {
    put(i, x, FLOAT);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setDouble(int i, double x) throws SQLException {
    put(i, x, DOUBLE);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBigDecimal(int i, java.math.BigDecimal x) throws SQLException {
    put(i, x, BIG_DECIMAL);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setString(int i, String x) throws SQLException {
    put(i, x, STRING);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNString(int i, String x) throws SQLException {
    put(i, x, N_STRING);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBytes(int i, byte[] x) throws SQLException {
    put(i, x, BYTES);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setDate(int i, java.sql.Date x) throws SQLException {
    put(i, x, DATE);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setDate(int i, java.sql.Date x, java.util.Calendar cal) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setDate(k, x, cal));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTime(int i, java.sql.Time x) throws SQLException {
    put(i, x, TIME);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTime(int i, java.sql.Time x, java.util.Calendar cal) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setTime(k, x, cal));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTimestamp(int i, java.sql.Timestamp x) throws SQLException {
    put(i, x, TIMESTAMP);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTimestamp(int i, java.sql.Timestamp x, java.util.Calendar cal) throws SQLException {
    put(i, isEncrypted(i) && x != null && cal != null ? ValueConversions.localDateTime(x, cal) : x, (ps, k, v) -> ps.setTimestamp(k, x, cal));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x) throws SQLException {
    put(i, x, OBJECT);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, int targetSqlType) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setObject(k, x, targetSqlType));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setObject(k, x, targetSqlType, scaleOrLength));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, java.sql.SQLType targetSqlType) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setObject(k, x, targetSqlType));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, java.sql.SQLType targetSqlType, int scaleOrLength) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setObject(k, x, targetSqlType, scaleOrLength));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setAsciiStream(int i, java.io.InputStream x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : new String(ValueConversions.readAll(x, Long.MAX_VALUE), java.nio.charset.StandardCharsets.US_ASCII), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setAsciiStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setAsciiStream(int i, java.io.InputStream x, int length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : new String(ValueConversions.readAll(x, length), java.nio.charset.StandardCharsets.US_ASCII), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setAsciiStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setAsciiStream(int i, java.io.InputStream x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : new String(ValueConversions.readAll(x, length), java.nio.charset.StandardCharsets.US_ASCII), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setAsciiStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBinaryStream(int i, java.io.InputStream x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setBinaryStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBinaryStream(int i, java.io.InputStream x, int length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setBinaryStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBinaryStream(int i, java.io.InputStream x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setBinaryStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setCharacterStream(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setCharacterStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setCharacterStream(int i, java.io.Reader x, int length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setCharacterStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setCharacterStream(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setCharacterStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNCharacterStream(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setNCharacterStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNCharacterStream(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setNCharacterStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setUnicodeStream(int i, java.io.InputStream x, int length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : new String(ValueConversions.readAll(x, length), java.nio.charset.StandardCharsets.UTF_16BE), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setUnicodeStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBlob(int i, java.sql.Blob x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setBlob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBlob(int i, java.io.InputStream x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setBlob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBlob(int i, java.io.InputStream x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setBlob(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setClob(int i, java.sql.Clob x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setClob(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setClob(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setClob(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNClob(int i, java.sql.NClob x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setNClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNClob(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setNClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNClob(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k, v) -> ps.setNClob(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setArray(int i, java.sql.Array x) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setArray(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setRef(int i, java.sql.Ref x) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setRef(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setURL(int i, java.net.URL x) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setURL(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setRowId(int i, java.sql.RowId x) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setRowId(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setSQLXML(int i, java.sql.SQLXML x) throws SQLException {
    put(i, x, (ps, k, v) -> ps.setSQLXML(k, x));
  }
}
