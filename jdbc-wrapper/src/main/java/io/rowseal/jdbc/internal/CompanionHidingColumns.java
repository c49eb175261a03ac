package io.rowseal.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;

/**
 * {@link java.sql.DatabaseMetaData#getColumns} without the companion column of each configured table, as
 * {@link DecryptedMetaData} hides it from query results: tools that build statements from the listing (Spring's
 * SimpleJdbcInsert) then never name it. Forward-only: skipping rows makes positions differ from the driver's,
 * so the scrolling moves are refused. Not thread-safe.
 */
final class CompanionHidingColumns extends GuardedResultSet {
  private final Set<String> hidden;

  /** @param hidden keys made by {@link SurfaceRejections#companionKey} */
  CompanionHidingColumns(ResultSet delegate, Set<String> hidden) {
    super(delegate, null, null, java.util.List.of());
    this.hidden = hidden;
  }

  @Override
  public boolean next() throws SQLException {
    while (delegate.next()) {
      String table = delegate.getString("TABLE_NAME");
      String column = delegate.getString("COLUMN_NAME");
      if (table == null || column == null
          || !hidden.contains(SurfaceRejections.companionKey(table, column))) {
        return true;
      }
    }
    return false;
  }

  private static SQLFeatureNotSupportedException forwardOnly(String method) {
    return new SQLFeatureNotSupportedException("RowSeal's getColumns listing is forward-only (it hides companion"
        + " columns); ResultSet." + method + " is not supported, read it with next()", SqlErrors.UNSUPPORTED_STATEMENT);
  }

  @Override
  public boolean previous() throws SQLException {
    throw forwardOnly("previous");
  }

  @Override
  public boolean first() throws SQLException {
    throw forwardOnly("first");
  }

  @Override
  public boolean last() throws SQLException {
    throw forwardOnly("last");
  }

  @Override
  public boolean absolute(int row) throws SQLException {
    throw forwardOnly("absolute");
  }

  @Override
  public boolean relative(int rows) throws SQLException {
    throw forwardOnly("relative");
  }

  @Override
  public void beforeFirst() throws SQLException {
    throw forwardOnly("beforeFirst");
  }

  @Override
  public void afterLast() throws SQLException {
    throw forwardOnly("afterLast");
  }
}
