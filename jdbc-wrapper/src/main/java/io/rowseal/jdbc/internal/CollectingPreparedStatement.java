package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.search.IndexView;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.jspecify.annotations.Nullable;
import java.util.List;

/**
 * A prepared statement that keeps the application's parameters ({@link Parameters}) until the statement
 * runs, then binds the rewritten statement's parameters slot by slot: the application's values, and values
 * RowSeal computes from them (ciphertext, blind-index values). Parameters that feed a computed value are kept
 * as Java values and never sent to the driver as they are. Not thread-safe.
 */
abstract class CollectingPreparedStatement extends RowSealPreparedStatement {
  final boolean[] encrypted;
  final Parameters params;

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
    this.params = new Parameters(userParameters);
  }

  final boolean isEncrypted(int i) throws SQLException {
    params.check(i);
    return encrypted[i];
  }

  @Override
  public void clearParameters() throws SQLException {
    params.clear();
    delegate.clearParameters();
  }

  /** Binds an application parameter (a USER slot) onto {@code target}, the driver's statement or another of RowSeal's. */
  static void bindUser(PreparedStatement target, int index, Slot s, Parameters p) throws SQLException {
    p.bind(target, index, s.userIndex);
  }

  /**
   * Binds a blind-index value (an INDEX slot): the value written into, or compared with, one physical index
   * column under the index-key state now; NULL where that column is not written or not looked up.
   */
  final void bindIndex(int index, Slot s, Parameters p) throws SQLException {
    bindIndex(delegate, index, s, p);
  }

  /** As {@link #bindIndex(int, Slot, Parameters)}, onto another statement of RowSeal's. */
  final void bindIndex(PreparedStatement target, int index, Slot s, Parameters p) throws SQLException {
    byte[] bytes = indexValue(s, p);
    if (bytes == null) {
      target.setNull(index, Types.VARBINARY);
    } else {
      target.setBytes(index, bytes);
    }
  }

  /** The value an INDEX slot binds ({@link #bindIndex(int, Slot, Parameters)}); null for NULL. */
  final byte @Nullable [] indexValue(Slot s, Parameters p) throws SQLException {
    Object value;
    if (s.kind == Slot.Kind.INDEX_USER) {
      if (!p.isSet(s.userIndex)) {
        throw Parameters.notSet(s.userIndex);
      }
      value = p.value(s.userIndex);
    } else {
      value = s.constant;
    }
    if (value == null) {
      return null;
    }
    EncryptedColumn column = s.column;
    try {
      IndexView view = connection.engine().indexKeys().view(column);
      requireCurrentColumns(s, view);
      Object typed = ValueConversions.toColumnType(column, value);
      return s.lookup ? view.lookupValue(s.indexColumn, typed) : view.writeValue(s.indexColumn, typed);
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
  }

  /**
   * The statement's SQL names the index columns in use when it was prepared. A rotation that moved on since may
   * need more: a writer must set every column in use (else a row keeps a stale index value), a lookup must
   * compare every column a version is looked up in (else rows indexed only there, written after the old version
   * stopped being written, would not match). Either way the statement is prepared again (SQLState 40001), never
   * run as it is.
   */
  private static void requireCurrentColumns(Slot s, IndexView view) throws SQLException {
    for (String physical : view.physicalColumns()) {
      boolean needed = !s.lookup || view.lookupVersion(physical) != null;
      if (needed && !containsIgnoreCase(s.indexColumns, physical)) {
        throw new SQLException("the index of " + Rejections.name(s.column) + " now " + (s.lookup ? "is looked up in"
            : "also uses") + " column " + physical + " (an index-key rotation moved on after this statement was"
            + " prepared), which this statement's SQL does not name; prepare the statement again", "40001");
      }
    }
  }

  private static boolean containsIgnoreCase(List<String> have, String name) {
    for (int j = 0; j < have.size(); j++) {
      if (have.get(j).equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- setters (generated from PreparedStatement)

  @Override
  @SuppressWarnings("deprecation")
  public void setNull(int i, int sqlType) throws SQLException {
    params.putPrimitive(i, Parameters.NULL, sqlType);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNull(int i, int sqlType, String typeName) throws SQLException {
    params.putCustom(i, null, (ps, k) -> ps.setNull(k, sqlType, typeName));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBoolean(int i, boolean x) throws SQLException {
    params.putPrimitive(i, Parameters.BOOLEAN, x ? 1 : 0);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setByte(int i, byte x) throws SQLException {
    params.putPrimitive(i, Parameters.BYTE, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setShort(int i, short x) throws SQLException {
    params.putPrimitive(i, Parameters.SHORT, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setInt(int i, int x) throws SQLException {
    params.putPrimitive(i, Parameters.INT, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setLong(int i, long x) throws SQLException {
    params.putPrimitive(i, Parameters.LONG, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setFloat(int i, float x) throws SQLException {
    params.putPrimitive(i, Parameters.FLOAT, Float.floatToRawIntBits(x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setDouble(int i, double x) throws SQLException {
    params.putPrimitive(i, Parameters.DOUBLE, Double.doubleToRawLongBits(x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBigDecimal(int i, java.math.BigDecimal x) throws SQLException {
    params.putObject(i, Parameters.BIG_DECIMAL, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setString(int i, String x) throws SQLException {
    params.putObject(i, Parameters.STRING, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNString(int i, String x) throws SQLException {
    params.putObject(i, Parameters.N_STRING, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBytes(int i, byte[] x) throws SQLException {
    params.putObject(i, Parameters.BYTES, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setDate(int i, java.sql.Date x) throws SQLException {
    params.putObject(i, Parameters.DATE, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setDate(int i, java.sql.Date x, java.util.Calendar cal) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setDate(k, x, cal));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTime(int i, java.sql.Time x) throws SQLException {
    params.putObject(i, Parameters.TIME, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTime(int i, java.sql.Time x, java.util.Calendar cal) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setTime(k, x, cal));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTimestamp(int i, java.sql.Timestamp x) throws SQLException {
    params.putObject(i, Parameters.TIMESTAMP, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setTimestamp(int i, java.sql.Timestamp x, java.util.Calendar cal) throws SQLException {
    params.putCustom(i, isEncrypted(i) && x != null && cal != null ? ValueConversions.localDateTime(x, cal) : x, (ps, k) -> ps.setTimestamp(k, x, cal));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x) throws SQLException {
    params.putObject(i, Parameters.OBJECT, x);
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, int targetSqlType) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setObject(k, x, targetSqlType));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setObject(k, x, targetSqlType, scaleOrLength));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, java.sql.SQLType targetSqlType) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setObject(k, x, targetSqlType));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setObject(int i, Object x, java.sql.SQLType targetSqlType, int scaleOrLength) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setObject(k, x, targetSqlType, scaleOrLength));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setAsciiStream(int i, java.io.InputStream x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : new String(ValueConversions.readAll(x, Long.MAX_VALUE), java.nio.charset.StandardCharsets.US_ASCII), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setAsciiStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setAsciiStream(int i, java.io.InputStream x, int length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : new String(ValueConversions.readAll(x, length), java.nio.charset.StandardCharsets.US_ASCII), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setAsciiStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setAsciiStream(int i, java.io.InputStream x, long length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : new String(ValueConversions.readAll(x, length), java.nio.charset.StandardCharsets.US_ASCII), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setAsciiStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBinaryStream(int i, java.io.InputStream x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setBinaryStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBinaryStream(int i, java.io.InputStream x, int length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setBinaryStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBinaryStream(int i, java.io.InputStream x, long length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setBinaryStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setCharacterStream(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setCharacterStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setCharacterStream(int i, java.io.Reader x, int length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setCharacterStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setCharacterStream(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setCharacterStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNCharacterStream(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setNCharacterStream(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNCharacterStream(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setNCharacterStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setUnicodeStream(int i, java.io.InputStream x, int length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : new String(ValueConversions.readAll(x, length), java.nio.charset.StandardCharsets.UTF_16BE), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setUnicodeStream(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBlob(int i, java.sql.Blob x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setBlob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBlob(int i, java.io.InputStream x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setBlob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setBlob(int i, java.io.InputStream x, long length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setBlob(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setClob(int i, java.sql.Clob x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setClob(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setClob(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setClob(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNClob(int i, java.sql.NClob x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setNClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNClob(int i, java.io.Reader x) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, Long.MAX_VALUE), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setNClob(k, x));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setNClob(int i, java.io.Reader x, long length) throws SQLException {
    if (isEncrypted(i)) {
      params.putCustom(i, x == null ? null : ValueConversions.readAll(x, length), null);
    } else {
      params.putCustom(i, x, (ps, k) -> ps.setNClob(k, x, length));
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setArray(int i, java.sql.Array x) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setArray(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setRef(int i, java.sql.Ref x) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setRef(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setURL(int i, java.net.URL x) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setURL(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setRowId(int i, java.sql.RowId x) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setRowId(k, x));
  }

  @Override
  @SuppressWarnings("deprecation")
  public void setSQLXML(int i, java.sql.SQLXML x) throws SQLException {
    params.putCustom(i, x, (ps, k) -> ps.setSQLXML(k, x));
  }
}
