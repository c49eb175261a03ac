package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.errors.UnsupportedStatementException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Turns a SQL text into a {@link StatementPlan}. A text in which no word is an encrypted table's name
 * (a conservative word scan that also reads literals and comments, see {@link SqlWords}) and that has no
 * Unicode escape runs unchanged. Anything else is parsed whole with JSqlParser: several statements in one
 * text, or a text it cannot parse, are rejected; otherwise the statement is planned by allow-list (each
 * statement kind has a rule, see {@link QueryAnalyzer}, {@link WritePlanner} and {@link DdlRules}), audited,
 * and the database receives RowSeal's rendering of the statement it analysed, never the original text.
 * Thread-safe.
 */
final class SqlPlanner {
  private static final java.util.regex.Pattern SHARE_MODE_LOCK =
      java.util.regex.Pattern.compile("\\s+((?i:lock\\s+in\\s+share\\s+mode))\\s*;?\\s*$");

  private static final java.util.regex.Pattern PLAIN_WORD = java.util.regex.Pattern.compile("[\\p{L}_][\\p{L}\\p{Nd}_$]*");

  /**
   * The statement kinds (by first keyword) that may run unparsed when their text names no encrypted table.
   * Anything else (EXECUTE IMMEDIATE, PREPARE ... FROM, DO, RUNSCRIPT, SCRIPT, LOAD DATA, HANDLER, ...) can
   * reach tables without naming them and is refused. CALL stays allowed, with the limit documented for stored
   * procedures.
   */
  private static final java.util.Set<String> PASS_THROUGH_KINDS = java.util.Set.of("select", "insert", "update",
      "delete", "with", "values", "table", "merge", "replace", "upsert", "create", "alter", "drop", "truncate",
      "comment", "grant", "revoke", "set", "reset", "show", "describe", "desc", "explain", "use", "begin", "start",
      "commit", "rollback", "savepoint", "release", "end", "lock", "unlock", "analyze", "vacuum", "checkpoint",
      "discard", "deallocate", "listen", "notify", "unlisten", "fetch", "close", "declare", "move", "call", "rename",
      "optimize", "flush", "kill", "abort", "refresh", "reindex", "cluster");

  private static final java.util.Set<String> SCHEMA_CHANGES = java.util.Set.of("create", "alter", "drop", "rename");

  private final ColumnCatalog catalog;
  private final Map<String, EncryptedTable> tablesByKey = new HashMap<>();
  /** Ids, encrypted, companion and index columns of every encrypted table, as {@link Names#key} (misreadIn). */
  private final java.util.Set<String> specialColumns = new java.util.HashSet<>();

  private final java.util.function.Function<io.rowseal.EncryptedColumn, List<String>> indexColumns;

  SqlPlanner(RowSeal rowSeal, ColumnCatalog catalog) {
    this(rowSeal, catalog, c -> List.of(c.searchIndex().column()));
  }

  SqlPlanner(RowSeal rowSeal, ColumnCatalog catalog,
      java.util.function.Function<io.rowseal.EncryptedColumn, List<String>> indexColumns) {
    this.indexColumns = indexColumns;
    this.catalog = catalog;
    for (EncryptedTable t : rowSeal.tables()) {
      tablesByKey.put(t.name().toLowerCase(Locale.ROOT), t);
      t.idColumns().forEach(id -> specialColumns.add(Names.key(id)));
      t.managedColumns().forEach(c -> specialColumns.add(Names.key(c)));
    }
  }

  /** Forgets the columns read from metadata (after a schema change). */
  void schemaChanged() {
    catalog.clear();
  }

  StatementPlan plan(String sql, Connection connection) {
    EncryptedTable named = firstNamedTable(sql);
    boolean unicodeEscape = SqlWords.hasUnicodeEscape(sql);
    if (named == null && !unicodeEscape) {
      String keyword = SqlWords.firstKeyword(sql);
      if (keyword != null && !PASS_THROUGH_KINDS.contains(keyword)) {
        return new RejectedPlan("RowSeal rejected a statement: a " + keyword.toUpperCase(Locale.ROOT) + " statement"
            + " can run SQL that RowSeal never sees (dynamic SQL, a script, a dump or load of any table), so it could"
            + " write plaintext into or read ciphertext out of the encrypted tables " + tableNames() + " without naming"
            + " them. Run it on a connection that is not wrapped");
      }
      return new PassThroughPlan(sql, keyword != null && SCHEMA_CHANGES.contains(keyword));
    }
    if (unicodeEscape) {
      return new RejectedPlan("RowSeal rejected a statement: it uses a Unicode-escaped name or string (U&\"...\")"
          + " that RowSeal cannot read, so it cannot tell whether it names an encrypted table"
          + (named == null ? "" : " (it names " + named.name() + ", which has encrypted columns "
              + Rejections.columnNames(named) + ")") + ". Write names plainly");
    }
    if (sql.contains("/*!") || sql.contains("/*M!")) {
      return new RejectedPlan("RowSeal rejected a statement: it names table " + named.name() + ", which has encrypted"
          + " columns " + Rejections.columnNames(named) + ", and has a MariaDB/MySQL executable comment (/*! ... */),"
          + " whose content the database runs but RowSeal's parser skips. Write the SQL without executable comments");
    }
    if (SqlWords.hasTextAfterSemicolon(sql)) {
      return new RejectedPlan("RowSeal rejected a statement: it names table " + named.name() + ", which has encrypted"
          + " columns " + Rejections.columnNames(named) + ", and has text after a ';' (another statement, or a"
          + " comment the database runs as an empty statement); RowSeal plans one statement per text. Send each"
          + " statement separately (or as JDBC batch entries)");
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
    Statements statements;
    try {
      statements = CCJSqlParserUtil.parseStatements(parsed);
    } catch (JSQLParserException | RuntimeException e) {
      return new RejectedPlan("RowSeal rejected a statement: it names table " + named.name()
          + ", which has encrypted columns " + Rejections.columnNames(named) + ", but RowSeal cannot parse it, so it"
          + " cannot tell whether it reads or writes them (a stored procedure call, COPY, or a dialect feature RowSeal"
          + " does not know). Run statements on " + named.name() + " one at a time as plain SELECT, INSERT, UPDATE or"
          + " DELETE; for bulk loads, insert through RowSeal in JDBC batches.");
    }
    if (statements.size() != 1) {
      return new RejectedPlan("RowSeal rejected a statement: the text holds " + statements.size() + " statements and"
          + " names table " + named.name() + ", which has encrypted columns " + Rejections.columnNames(named) + "; RowSeal"
          + " plans one statement per text. Send each statement separately (or as JDBC batch entries).");
    }
    Statement statement = statements.get(0);
    String misread = misreadIn(statement);
    if (misread != null) {
      return new RejectedPlan("RowSeal rejected a statement: it names table " + named.name() + ", which has encrypted"
          + " columns " + Rejections.columnNames(named) + ", and its parser (JSqlParser 5.3) reads the IN list on "
          + misread + " as one that swallows the conditions after it, so RowSeal cannot tell what the statement"
          + " does. Put the IN list last in its AND chain (WHERE b = ? AND a IN (...))");
    }
    try {
      String quote = identifierQuote(connection);
      QueryAnalyzer analyzer = new QueryAnalyzer(tablesByKey, catalog, connection, quote, indexColumns);
      if ("`".equals(quote)) {
        analyzer.keepExpressionLabels(parsed);
      }
      StatementPlan plan = planStatement(statement, analyzer, lockSuffix);
      if (!analyzer.ownParameters().isEmpty()) {
        plan = withLookups(plan, statement, analyzer, parsed);
      }
      if (!(plan instanceof PassThroughPlan)) {
        analyzer.audit(plan.sql());
        if (!ParameterOrder.preserved(statement)) {
          throw Rejections.general("RowSeal's rendering of this statement would change the order of its ? parameters"
              + " (JSqlParser writes some clauses in a canonical order, such as LIMIT before OFFSET); write the"
              + " clauses in standard order");
        }
        for (EncryptedTable t : analyzer.touched()) {
          checkIdColumns(t, connection);
        }
        plan.reading(analyzer.touched());
        boolean searchable = false;
        for (EncryptedTable t : analyzer.touched()) {
          searchable |= !t.searchableColumns().isEmpty();
        }
        if (searchable) {
          plan.searchShape(shape(analyzer.touched(), indexColumns));
        }
      }
      return plan;
    } catch (UnsupportedStatementException e) {
      return new RejectedPlan(namingTable(e.getMessage(), named));
    }
  }

  /**
   * JSqlParser 5.3 reads {@code a IN (...) AND b} as {@code a IN ((...) AND b)} (its issues #2244, #2282; 5.4 fixes
   * it but makes {@code number} a reserved word). The text RowSeal sends is
   * rendered from that tree and reads as written, and no rule of the engine depends on how predicates on plain
   * columns nest; but the rules for ids (which rows a write touches), encrypted columns and blind-index lookups
   * read the tree. So such an IN is refused (the IN's column, or "an expression", is returned) when it, or
   * what it swallowed, names a column RowSeal treats specially in any encrypted table: an id, an encrypted
   * column, a companion or an index column. Null if there is no such IN.
   */
  private @Nullable String misreadIn(Statement statement) {
    for (net.sf.jsqlparser.expression.operators.relational.InExpression in
        : ParameterOrder.collect(statement, net.sf.jsqlparser.expression.operators.relational.InExpression.class)) {
      net.sf.jsqlparser.expression.Expression right = in.getRightExpression();
      if (right instanceof net.sf.jsqlparser.expression.operators.conditional.AndExpression
          || right instanceof net.sf.jsqlparser.expression.operators.conditional.OrExpression
          || right instanceof net.sf.jsqlparser.expression.operators.conditional.XorExpression) {
        if (!namesSpecialColumn(in)) {
          continue;
        }
        // names the IN's left side only if it is a column: never a literal, which may be a secret value
        net.sf.jsqlparser.expression.Expression left = in.getLeftExpression();
        return left instanceof net.sf.jsqlparser.schema.Column ? ((net.sf.jsqlparser.schema.Column) left).getColumnName()
            : "an expression";
      }
    }
    return null;
  }

  private boolean namesSpecialColumn(Object node) {
    for (net.sf.jsqlparser.schema.Column c : ParameterOrder.collect(node, net.sf.jsqlparser.schema.Column.class)) {
      if (specialColumns.contains(Names.key(c.getColumnName()))) {
        return true;
      }
    }
    return false;
  }

  private String tableNames() {
    List<String> names = new ArrayList<>();
    for (EncryptedTable t : tablesByKey.values()) {
      names.add(t.name());
    }
    java.util.Collections.sort(names);
    return String.join(", ", names);
  }

  /** {@code message}, with the encrypted table it concerns named if it does not name one already. */
  private String namingTable(String message, @Nullable EncryptedTable table) {
    String lower = message.toLowerCase(Locale.ROOT);
    for (EncryptedTable t : tablesByKey.values()) {
      if (lower.contains(t.name().toLowerCase(Locale.ROOT))) {
        return message;
      }
    }
    if (table == null) {
      return message;
    }
    return message + " (table " + table.name() + " has encrypted columns " + Rejections.columnNames(table) + ")";
  }

  /** Dispatches on the statement kind: each kind that may touch an encrypted table has a rule; others are refused. */
  private StatementPlan planStatement(Statement statement, QueryAnalyzer analyzer, String lockSuffix) {
    if (statement instanceof Select) {
      return planSelect((Select) statement, analyzer, lockSuffix);
    } else if (statement instanceof Insert) {
      return new WritePlanner(analyzer, statement.toString()).planInsert((Insert) statement);
    } else if (statement instanceof Update) {
      return new WritePlanner(analyzer, statement.toString()).planUpdate((Update) statement);
    } else if (statement instanceof Delete) {
      return new WritePlanner(analyzer, statement.toString()).planDelete((Delete) statement);
    }
    return new DdlRules(analyzer).plan(statement);
  }

  /**
   * Refuses id columns whose values do not read back as written: a {@code CHAR(n)} key is padded with
   * blanks when read, so a row written bound to {@code 'AB'} would be read as {@code 'AB    '} and never
   * decrypt.
   */
  private void checkIdColumns(EncryptedTable t, Connection connection) {
    for (ColumnCatalog.ColumnInfo c : catalog.info(connection, null, t.name())) {
      for (String id : t.idColumns()) {
        if (c.name.equalsIgnoreCase(id) && c.isFixedWidthCharacter()) {
          throw Rejections.of(t, "its id column " + id + " is a fixed-width CHAR column, whose values the database"
              + " pads with blanks when it returns them, so a row bound to the id as written could never be decrypted."
              + " Change the column to VARCHAR (ALTER TABLE " + t.name() + " ALTER COLUMN " + id + " ...)");
        }
      }
    }
  }

  /** The index columns of every searchable column of {@code tables}, as one text (see {@code JdbcEngine}). */
  static String shape(java.util.Set<EncryptedTable> tables,
      java.util.function.Function<io.rowseal.EncryptedColumn, List<String>> indexColumns) {
    List<EncryptedTable> sorted = new ArrayList<>(tables);
    sorted.sort(java.util.Comparator.comparing(EncryptedTable::name));
    StringBuilder sb = new StringBuilder();
    for (EncryptedTable t : sorted) {
      for (io.rowseal.EncryptedColumn c : t.searchableColumns()) {
        sb.append(t.name()).append('.').append(c.name()).append(indexColumns.apply(c)).append(';');
      }
    }
    return sb.toString();
  }

  /**
   * A plan whose statement holds RowSeal's index-lookup parameters: they are bound per execution, so the plan
   * lists every parameter of the rendered statement in order (found by rendering each with a number).
   */
  private static StatementPlan withLookups(StatementPlan plan, Statement statement, QueryAnalyzer analyzer,
      String sql) {
    Map<net.sf.jsqlparser.expression.JdbcParameter, Slot> own = analyzer.ownParameters();
    List<Slot> slots = slotsInOrder(statement, own);
    int userParameters = ParameterCounter.count(sql);
    if (plan instanceof SelectPlan) {
      return ((SelectPlan) plan).withSlots(slots, userParameters);
    }
    if (plan instanceof CheckedPlan) {
      SearchPlan search = new SearchPlan(plan.sql(), slots, userParameters);
      if (!analyzer.filters.isEmpty()) {
        search.candidates(candidates(statement, analyzer, own));
      }
      return search;
    }
    if (plan instanceof WritePlan && statement instanceof Update) {
      return ((WritePlan) plan).withWhereSlots(slotsInOrder(((Update) statement).getWhere(), own));
    }
    throw Rejections.general("RowSeal cannot look this statement up by a searchable column; filter it by primary key");
  }

  /**
   * For an UPDATE or DELETE by a truncated index: the query that locks the candidate rows (id columns, companion
   * and the filtered columns' values) under the statement's own WHERE, with its parameters.
   */
  private static SearchPlan.Candidates candidates(Statement statement, QueryAnalyzer analyzer,
      Map<net.sf.jsqlparser.expression.JdbcParameter, Slot> own) {
    net.sf.jsqlparser.schema.Table target;
    net.sf.jsqlparser.expression.Expression where;
    if (statement instanceof Update) {
      target = ((Update) statement).getTable();
      where = ((Update) statement).getWhere();
    } else if (statement instanceof Delete) {
      target = ((Delete) statement).getTable();
      where = ((Delete) statement).getWhere();
    } else {
      throw Rejections.general("a lookup by a truncated search index is supported in SELECT, UPDATE and DELETE only");
    }
    EncryptedTable table = analyzer.encryptedTable(target.getName());
    String qualifier = target.getAlias() != null ? target.getAlias().getName() : target.getFullyQualifiedName();
    StringBuilder sql = new StringBuilder("SELECT ");
    for (String id : table.idColumns()) {
      sql.append(qualifier).append('.').append(id).append(", ");
    }
    sql.append(qualifier).append('.').append(table.companionColumn());
    List<SelectPlan.Filter> filters = new ArrayList<>();
    int column = table.idColumns().size() + 2;
    for (QueryAnalyzer.Filter f : analyzer.filters) {
      sql.append(", ").append(qualifier).append('.').append(f.resolved.column.name());
      filters.add(new SelectPlan.Filter(new SelectPlan.EncryptedOutput(f.resolved.column, 0), column++, f.userIndexes,
          f.constants));
    }
    sql.append(" FROM ").append(target.getFullyQualifiedName());
    if (target.getAlias() != null) {
      sql.append(' ').append(target.getAlias().getName());
    }
    List<Slot> slots = slotsInOrder(where, own);
    String plain = where.toString();
    sql.append(" WHERE ").append(plain).append(" FOR UPDATE");
    StringBuilder keys = new StringBuilder(" AND ");
    keys.append(table.idColumns().size() == 1 ? qualifier + "." + table.idColumns().get(0)
        : "(" + String.join(", ", table.idColumns().stream().map(id -> qualifier + "." + id).toList()) + ")");
    return new SearchPlan.Candidates(table, sql.toString(), slots, filters, keys.append(" IN ").toString());
  }

  /**
   * The slots of every parameter in {@code node}'s rendering, in text order: each is rendered with a number
   * (the application's its own index, RowSeal's a number of its own), read back, and reset.
   */
  private static List<Slot> slotsInOrder(Object node, Map<net.sf.jsqlparser.expression.JdbcParameter, Slot> own) {
    List<net.sf.jsqlparser.expression.JdbcParameter> all = ParameterOrder.collect(node);
    Map<Integer, Slot> byNumber = new HashMap<>();
    int next = 1_000_000;
    for (net.sf.jsqlparser.expression.JdbcParameter p : all) {
      Slot slot = own.get(p);
      if (slot != null) {
        p.setIndex(next);
        byNumber.put(next++, slot);
      } else if (p.getIndex() != null && p.getIndex() > 0) {
        byNumber.put(p.getIndex(), Slot.user(p.getIndex()));
      }
      p.setUseFixedIndex(true);
    }
    String numbered;
    try {
      numbered = node.toString();
    } finally {
      for (net.sf.jsqlparser.expression.JdbcParameter p : all) {
        p.setUseFixedIndex(false);
        if (own.containsKey(p)) {
          p.setIndex(null);
        }
      }
    }
    List<Slot> slots = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\?(\\d+)").matcher(numbered);
    while (m.find()) {
      Slot slot = byNumber.get(Integer.parseInt(m.group(1)));
      if (slot == null) {
        throw Rejections.general("RowSeal cannot place the parameters of this statement around its index lookup;"
            + " bind values only in plain positions");
      }
      slots.add(slot);
    }
    return slots;
  }

  private static StatementPlan planSelect(Select select, QueryAnalyzer analyzer, String lockSuffix) {
    analyzer.topLevel(select);
    QueryAnalyzer.Shape shape = analyzer.analyzeReadable(select, null);
    if (shape.sources.isEmpty() && analyzer.filters.isEmpty()) {
      if (!analyzer.ownParameters().isEmpty()) {
        return new SelectPlan(select + lockSuffix, shape.outputs.size(), new SelectPlan.EncryptedOutput[0], List.of());
      }
      return new CheckedPlan(select + lockSuffix);
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
    List<SelectPlan.Filter> filters = new ArrayList<>();
    for (QueryAnalyzer.Filter f : analyzer.filters) {
      filters.add(new SelectPlan.Filter(new SelectPlan.EncryptedOutput(f.resolved.column,
          shape.sources.indexOf(f.resolved.source)), next++, f.userIndexes, f.constants));
    }
    return new SelectPlan(select + lockSuffix, visible, outputs, sources).filtering(filters);
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
    // A name that is not a plain word (it needs quotes: a space, a hyphen) is looked for as a substring.
    String lower = null;
    for (Map.Entry<String, EncryptedTable> e : tablesByKey.entrySet()) {
      if (!PLAIN_WORD.matcher(e.getKey()).matches()) {
        lower = lower != null ? lower : sql.toLowerCase(Locale.ROOT);
        if (lower.contains(e.getKey())) {
          return e.getValue();
        }
      }
    }
    return null;
  }
}
