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
    void bind(PreparedStatement ps, int index) throws SQLException;
  }

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
  final void bindUser(int index, Slot s, @Nullable Binder[] bnds, boolean[] isSet) throws SQLException {
    bindUser(delegate, index, s, bnds, isSet);
  }

  /** As {@link #bindUser(int, Slot, Binder[], boolean[])}, onto another statement of RowSeal's. */
  static void bindUser(PreparedStatement target, int index, Slot s, @Nullable Binder[] bnds, boolean[] isSet)
      throws SQLException {
    Binder b = bnds[s.userIndex];
    if (b == null) {
      throw notSet(s.userIndex, isSet);
    }
    b.bind(target, index);
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
    put(i, null, (ps, k) -> ps.setNull(k, sqlType));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNull(int i, int sqlType, String typeName) throws SQLException {
    put(i, null, (ps, k) -> ps.setNull(k, sqlType, typeName));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBoolean(int i, boolean x) throws SQLException {
    put(i, x, (ps, k) -> ps.setBoolean(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setByte(int i, byte x) throws SQLException {
    put(i, x, (ps, k) -> ps.setByte(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setShort(int i, short x) throws SQLException {
    put(i, x, (ps, k) -> ps.setShort(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setInt(int i, int x) throws SQLException {
    put(i, x, (ps, k) -> ps.setInt(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setLong(int i, long x) throws SQLException {
    put(i, x, (ps, k) -> ps.setLong(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setFloat(int i, float x) throws SQLException {
    put(i, x, (ps, k) -> ps.setFloat(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setDouble(int i, double x) throws SQLException {
    put(i, x, (ps, k) -> ps.setDouble(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBigDecimal(int i, java.math.BigDecimal x) throws SQLException {
    put(i, x, (ps, k) -> ps.setBigDecimal(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setString(int i, String x) throws SQLException {
    put(i, x, (ps, k) -> ps.setString(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNString(int i, String x) throws SQLException {
    put(i, x, (ps, k) -> ps.setNString(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBytes(int i, byte[] x) throws SQLException {
    put(i, x, (ps, k) -> ps.setBytes(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setDate(int i, java.sql.Date x) throws SQLException {
    put(i, x, (ps, k) -> ps.setDate(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setDate(int i, java.sql.Date x, java.util.Calendar cal) throws SQLException {
    put(i, x, (ps, k) -> ps.setDate(k, x, cal));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTime(int i, java.sql.Time x) throws SQLException {
    put(i, x, (ps, k) -> ps.setTime(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTime(int i, java.sql.Time x, java.util.Calendar cal) throws SQLException {
    put(i, x, (ps, k) -> ps.setTime(k, x, cal));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTimestamp(int i, java.sql.Timestamp x) throws SQLException {
    put(i, x, (ps, k) -> ps.setTimestamp(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTimestamp(int i, java.sql.Timestamp x, java.util.Calendar cal) throws SQLException {
    put(i, isEncrypted(i) && x != null && cal != null ? ValueConversions.localDateTime(x, cal) : x, (ps, k) -> ps.setTimestamp(k, x, cal));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x) throws SQLException {
    put(i, x, (ps, k) -> ps.setObject(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, int targetSqlType) throws SQLException {
    put(i, x, (ps, k) -> ps.setObject(k, x, targetSqlType));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    put(i, x, (ps, k) -> ps.setObject(k, x, targetSqlType, scaleOrLength));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, java.sql.SQLType targetSqlType) throws SQLException {
    put(i, x, (ps, k) -> ps.setObject(k, x, targetSqlType));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, java.sql.SQLType targetSqlType, int scaleOrLength) throws SQLException {
    put(i, x, (ps, k) -> ps.setObject(k, x, targetSqlType, scaleOrLength));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setAsciiStream(int i, java.io.InputStream x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : new String(ValueConversions.readAll(x, Long.MAX_VALUE), java.nio.charset.StandardCharsets.US_ASCII), null);
    } else {
      put(i, x, (ps, k) -> ps.setAsciiStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setAsciiStream(int i, java.io.InputStream x, int length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : new String(ValueConversions.readAll(x, length), java.nio.charset.StandardCharsets.US_ASCII), null);
    } else {
      put(i, x, (ps, k) -> ps.setAsciiStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setAsciiStream(int i, java.io.InputStream x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : new String(ValueConversions.readAll(x, length), java.nio.charset.StandardCharsets.US_ASCII), null);
    } else {
      put(i, x, (ps, k) -> ps.setAsciiStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBinaryStream(int i, java.io.InputStream x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k) -> ps.setBinaryStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBinaryStream(int i, java.io.InputStream x, int length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k) -> ps.setBinaryStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBinaryStream(int i, java.io.InputStream x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k) -> ps.setBinaryStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setCharacterStream(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k) -> ps.setCharacterStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setCharacterStream(int i, java.io.Reader x, int length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k) -> ps.setCharacterStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setCharacterStream(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k) -> ps.setCharacterStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNCharacterStream(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k) -> ps.setNCharacterStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNCharacterStream(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k) -> ps.setNCharacterStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setUnicodeStream(int i, java.io.InputStream x, int length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : new String(ValueConversions.readAll(x, length), java.nio.charset.StandardCharsets.UTF_16BE), null);
    } else {
      put(i, x, (ps, k) -> ps.setUnicodeStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBlob(int i, java.sql.Blob x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x), null);
    } else {
      put(i, x, (ps, k) -> ps.setBlob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBlob(int i, java.io.InputStream x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k) -> ps.setBlob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBlob(int i, java.io.InputStream x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k) -> ps.setBlob(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setClob(int i, java.sql.Clob x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x), null);
    } else {
      put(i, x, (ps, k) -> ps.setClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setClob(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k) -> ps.setClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setClob(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k) -> ps.setClob(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNClob(int i, java.sql.NClob x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x), null);
    } else {
      put(i, x, (ps, k) -> ps.setNClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNClob(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      put(i, x, (ps, k) -> ps.setNClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNClob(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      put(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      put(i, x, (ps, k) -> ps.setNClob(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setArray(int i, java.sql.Array x) throws SQLException {
    put(i, x, (ps, k) -> ps.setArray(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setRef(int i, java.sql.Ref x) throws SQLException {
    put(i, x, (ps, k) -> ps.setRef(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setURL(int i, java.net.URL x) throws SQLException {
    put(i, x, (ps, k) -> ps.setURL(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setRowId(int i, java.sql.RowId x) throws SQLException {
    put(i, x, (ps, k) -> ps.setRowId(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setSQLXML(int i, java.sql.SQLXML x) throws SQLException {
    put(i, x, (ps, k) -> ps.setSQLXML(k, x));
  }
}
