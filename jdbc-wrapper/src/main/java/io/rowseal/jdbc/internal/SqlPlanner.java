package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.UnsupportedStatementException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.schema.Table;

/**
 * Turns a SQL text into a {@link StatementPlan}. A text that names no encrypted table (a word scan,
 * no parsing) runs unchanged; anything else is parsed with JSqlParser and planned, and a text that
 * names an encrypted table but cannot be parsed is rejected rather than passed through. Thread-safe.
 */
final class SqlPlanner {
  private static final java.util.regex.Pattern SHARE_MODE_LOCK =
      java.util.regex.Pattern.compile("\\s+((?i:lock\\s+in\\s+share\\s+mode))\\s*;?\\s*$");

  private final ColumnCatalog catalog;
  private final Map<String, EncryptedTable> tablesByKey = new HashMap<>();

  SqlPlanner(RowSeal rowSeal, ColumnCatalog catalog) {
    this.catalog = catalog;
    for (EncryptedTable t : rowSeal.tables()) {
      tablesByKey.put(t.name().toLowerCase(Locale.ROOT), t);
    }
  }

  StatementPlan plan(String sql, Connection connection) {
    EncryptedTable named = firstNamedTable(sql);
    if (named == null) {
      return new PassThroughPlan(sql);
    }
    // MariaDB's and MySQL's read lock, which Hibernate emits for PESSIMISTIC_READ: JSqlParser does not
    // know it, so it is taken off before parsing and put back on the rewritten query.
    String lockSuffix = "";
    java.util.regex.Matcher lock = SHARE_MODE_LOCK.matcher(sql);
    String parsed = sql;
    if (lock.find()) {
      lockSuffix = " " + lock.group(1);
      parsed = sql.substring(0, lock.start());
    }
    Statement statement;
    try {
      statement = CCJSqlParserUtil.parse(parsed);
    } catch (JSQLParserException | RuntimeException e) {
      return new RejectedPlan("RowSeal rejected a statement: it names table " + named.name()
          + ", which has encrypted columns " + Rejections.columnNames(named) + ", but RowSeal cannot parse it, so it"
          + " cannot tell whether it reads or writes them (a stored procedure call, COPY, several statements in one"
          + " text, or a dialect feature RowSeal does not know). Run statements on " + named.name() + " one at a"
          + " time as plain SELECT, INSERT, UPDATE or DELETE; for bulk loads, insert through RowSeal in JDBC batches.");
    }
    try {
      QueryAnalyzer analyzer = new QueryAnalyzer(tablesByKey, catalog, connection, identifierQuote(connection));
      if (statement instanceof Select) {
        return planSelect((Select) statement, sql, analyzer, lockSuffix);
      } else if (statement instanceof Insert) {
        return new WritePlanner(analyzer, sql).planInsert((Insert) statement);
      } else if (statement instanceof Update) {
        return new WritePlanner(analyzer, sql).planUpdate((Update) statement);
      } else if (statement instanceof Delete) {
        return new WritePlanner(analyzer, sql).planDelete((Delete) statement);
      } else if (statement instanceof Merge || statement instanceof Upsert) {
        Table target = statement instanceof Merge ? ((Merge) statement).getTable() : ((Upsert) statement).getTable();
        EncryptedTable t = analyzer.encryptedTable(target.getName());
        if (t != null) {
          throw Rejections.of(t, "MERGE, UPSERT and REPLACE cannot be encrypted row by row; use INSERT and UPDATE"
              + " by primary key");
        }
        return new PassThroughPlan(sql);
      }
      return new PassThroughPlan(sql); // DDL and the like carry no values
    } catch (UnsupportedStatementException e) {
      return new RejectedPlan(e.getMessage());
    }
  }

  private static StatementPlan planSelect(Select select, String sql, QueryAnalyzer analyzer, String lockSuffix) {
    QueryAnalyzer.Shape shape = analyzer.analyzeReadable(select, null);
    if (shape.sources.isEmpty()) {
      return new PassThroughPlan(sql);
    }
    int visible = shape.outputs.size();
    SelectPlan.EncryptedOutput[] outputs = new SelectPlan.EncryptedOutput[visible];
    List<SelectPlan.Source> sources = new ArrayList<>();
    int next = visible + 1;
    for (QueryAnalyzer.Source s : shape.sources) {
      int companion = next++;
      int[] ids = new int[s.ids.size()];
      for (int j = 0; j < ids.length; j++) {
        ids[j] = next++;
      }
      sources.add(new SelectPlan.Source(s.table, companion, ids));
    }
    for (int i = 0; i < visible; i++) {
      QueryAnalyzer.Resolved r = shape.outputs.get(i).resolved;
      if (r != null) {
        outputs[i] = new SelectPlan.EncryptedOutput(r.column, shape.sources.indexOf(r.source));
      }
    }
    return new SelectPlan(select + lockSuffix, visible, outputs, sources);
  }

  private static String identifierQuote(Connection connection) {
    try {
      String q = connection.getMetaData().getIdentifierQuoteString();
      return q == null || q.isBlank() ? "\"" : q.trim();
    } catch (SQLException e) {
      return "\"";
    }
  }

  /** The first encrypted table whose name appears as a word in {@code sql}, or null. */
  private EncryptedTable firstNamedTable(String sql) {
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        EncryptedTable t = tablesByKey.get(sql.substring(start, i).toLowerCase(Locale.ROOT));
        if (t != null) {
          return t;
        }
      } else {
        i++;
      }
    }
    return null;
  }
}
