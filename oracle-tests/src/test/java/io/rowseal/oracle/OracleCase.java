package io.rowseal.oracle;

import java.util.List;
import java.util.Set;

/**
 * One statement shape of the oracle: its SQL template ({@code {S}} and {@code {C}} are filled in per copy),
 * parameters, the databases and the JDBC APIs it runs with.
 *
 * @param batch parameter groups for {@link Api#BATCH}; empty otherwise
 * @param update for {@link Api#UPDRS}: the column and the value written through the updatable result set
 */
record OracleCase(String name, String sql, List<Object> params, List<List<Object>> batch, Set<OracleDb> dbs,
    List<Api> apis, String[] update) {

  /** How a case's SQL reaches the driver. */
  enum Api {
    /** {@code Statement.execute}, parameters inlined as literals. */
    STMT,
    /** {@code PreparedStatement.execute}. */
    PREP,
    /** {@code PreparedStatement.addBatch} per parameter group, then {@code executeBatch}. */
    BATCH,
    /** {@code Connection.prepareCall}. */
    CALL,
    /** {@code Statement.addBatch} per part, then {@code executeBatch}. */
    SBATCH,
    /** The query through a {@code CONCUR_UPDATABLE} result set, {@code updateString} and {@code updateRow} per row. */
    UPDRS
  }

  boolean ordered() {
    return Sql.hasTopLevelOrderBy(sql);
  }
}
