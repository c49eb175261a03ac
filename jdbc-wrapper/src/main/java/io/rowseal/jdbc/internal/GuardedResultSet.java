package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedTable;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A result set with nothing to decrypt: a query that projects no encrypted column, generated keys, a call's
 * results or a metadata listing. Reads go straight to the driver; over an encrypted table the update methods
 * are refused; {@link #getStatement} is RowSeal's statement and {@link #unwrap} never reaches the driver.
 * Not thread-safe, like the result set it wraps.
 */
class GuardedResultSet extends DelegatingResultSet {
  private final @Nullable Statement statement;
  private final @Nullable StatementPlan plan;
  private final List<EncryptedTable> tables;

  /**
   * @param statement RowSeal's statement that made it, or null (metadata listings)
   * @param plan the statement's plan, or null if it is not over a statement text
   * @param tables the configured encrypted tables, to name them in refusals
   */
  GuardedResultSet(ResultSet delegate, @Nullable Statement statement, @Nullable StatementPlan plan,
      List<EncryptedTable> tables) {
    super(delegate);
    this.statement = statement;
    this.plan = plan;
    this.tables = tables;
  }

  @Override
  final void guard(String method) throws SQLException {
    if (plan != null && plan.touchesEncryptedTable()) {
      throw SurfaceRejections.method(method, SurfaceRejections.over(plan, tables));
    }
  }

  @Override
  public final @Nullable Statement getStatement() {
    return statement;
  }

  @Override
  public final @Nullable ResultSetMetaData getMetaData() throws SQLException {
    ResultSetMetaData meta = delegate.getMetaData();
    return meta == null ? null : new PlainResultSetMetaData(meta);
  }

  @Override
  public final <T> T unwrap(Class<T> iface) throws SQLException {
    return SurfaceRejections.unwrap(this, iface, "ResultSet");
  }

  @Override
  public final boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
