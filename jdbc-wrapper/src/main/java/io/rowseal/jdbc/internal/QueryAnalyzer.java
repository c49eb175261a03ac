package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import org.jspecify.annotations.Nullable;

/*
 * How a query is analysed.
 *
 * Allow-list, not deny-list: the analyzer proves that every reference to an encrypted table and to each
 * of its encrypted columns sits in a position it has a rule for, and rejects the statement otherwise.
 * Two mechanisms make that hold by construction:
 *
 * 1. Every FROM item becomes a Relation in a Scope: a base table (encrypted or not) or a derived table (a
 *    subquery in FROM or a CTE) whose output columns are known from its own analysis. A column reference
 *    is resolved through the scope chain (inner scope first, so correlated subqueries see the outer
 *    query). A qualifier that names no relation in scope, or an unqualified name that is itself an
 *    encrypted relation (a whole-row reference such as SELECT c FROM cards c), is rejected. Positions
 *    with rules: a bare encrypted column in the select list of a query whose rows the application reads
 *    and whose rows map one-to-one to base-table rows (an "output": the query is rewritten to also select
 *    the companion and id columns of that table occurrence, a "Source", under generated labels; derived
 *    tables pass those labels up), and the operand of IS [NOT] NULL. Anything else is rejected.
 *
 * 2. The audit (see #audit): every node the analyzer classified is recorded. After rewriting, the words of
 *    the rendered SQL that could refer to encrypted data (encrypted table and column names, companion
 *    columns, aliases of relations that carry encrypted data, labels of encrypted outputs) are counted,
 *    and each occurrence must belong to a recorded node. A construct the analyzer does not descend into
 *    (a clause JSqlParser models in a way this class does not visit, a function form, a vendor extension)
 *    therefore leaves an unaccounted word, and the statement is rejected rather than passed through.
 *
 * SELECT * over a scope that has encrypted tables is expanded into the table's columns (read once
 * from the database's metadata) so that the position of each encrypted output is known in advance;
 * the companion column is left out of the expansion.
 */

/**
 * Analyses a SELECT (rewriting it in place) to find its encrypted outputs and reject any use of an
 * encrypted column or table that has no rule. One instance per statement text; not thread-safe.
 */
final class QueryAnalyzer {
  private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * Functions that map one row to one value, allowed in the select list beside encrypted outputs (any
   * other function might aggregate rows, and the hidden key columns would no longer match the values).
   */
  private static final Set<String> SCALAR_FUNCTIONS = Set.of("lower", "upper", "coalesce", "nullif", "length",
      "char_length", "character_length", "octet_length", "abs", "round", "trim", "ltrim", "rtrim", "concat",
      "substring", "substr", "left", "right", "replace", "now", "current_timestamp", "current_date", "ceil",
      "ceiling", "floor", "mod", "sign", "greatest", "least", "ifnull", "nvl", "extract", "year", "month", "day",
      "date", "to_char", "format", "lpad", "rpad");

  private final Map<String, EncryptedTable> tablesByKey;
  private final ColumnCatalog catalog;
  private final Connection connection;
  private final String identifierQuote;
  private int labels;

  /** Nodes (Column, Table, AllTableColumns) this analysis classified; see the audit above. */
  private final Set<Object> classified = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Declared names (aliases, CTE names, labels) this analysis read, one entry per occurrence. */
  private final List<String> declaredWords = new ArrayList<>();
  /** Words that may refer to encrypted data in this statement, beyond the configured names. */
  private final Set<String> watched = new HashSet<>();
  /** The encrypted tables the statement reads or writes. */
  private final Set<EncryptedTable> touched = new HashSet<>();
  private boolean auditNotNeeded;
  /** On MariaDB and MySQL, the parsed text: an unaliased expression's column label is its text as written. */
  private @Nullable String labelSource;

  /** The physical index columns of a searchable column, as writers set them now. */
  private final java.util.function.Function<EncryptedColumn, List<String>> indexColumns;
  /** Parameters RowSeal put into the statement for index lookups, with what each is bound to. */
  private final Map<net.sf.jsqlparser.expression.JdbcParameter, Slot> ownParameters = new IdentityHashMap<>();
  /** Index-column references RowSeal wrote itself (the application may not name index columns). */
  private final Set<Column> ownIndexColumns = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The query whose rows the application reads, where a truncated index's matches can be filtered. */
  private @Nullable PlainSelect topSelect;
  /** Lookups by a truncated index in {@link #topSelect}, filtered after decryption. */
  final List<Filter> filters = new ArrayList<>();

  /** {@code tablesByKey}: the encrypted tables by lower-cased physical name. */
  QueryAnalyzer(Map<String, EncryptedTable> tablesByKey, ColumnCatalog catalog, Connection connection,
      String identifierQuote) {
    this(tablesByKey, catalog, connection, identifierQuote, c -> List.of(c.searchIndex().column()));
  }

  QueryAnalyzer(Map<String, EncryptedTable> tablesByKey, ColumnCatalog catalog, Connection connection,
      String identifierQuote, java.util.function.Function<EncryptedColumn, List<String>> indexColumns) {
    this.indexColumns = indexColumns;
    this.tablesByKey = tablesByKey;
    this.catalog = catalog;
    this.connection = connection;
    this.identifierQuote = identifierQuote;
  }

  /** The encrypted table with this (possibly quoted) name, or null. */
  @Nullable EncryptedTable encryptedTable(String name) {
    return tablesByKey.get(Names.key(name));
  }

  /**
   * MariaDB and MySQL label an unaliased expression column with the expression's text exactly as written;
   * since the database receives RowSeal's rendering (which JSqlParser normalises: keyword case, spacing),
   * such columns get their original text as an explicit alias so that labels stay the same. {@code sql} is
   * the text the parser read.
   */
  void keepExpressionLabels(String sql) {
    this.labelSource = sql;
  }

  private void keepLabel(SelectItem<?> item) {
    Expression e = item.getExpression();
    if (labelSource == null || item.getAlias() != null || e instanceof Column || e instanceof AllColumns
        || e instanceof AllTableColumns || item.getASTNode() == null) {
      return;
    }
    net.sf.jsqlparser.parser.Token first = item.getASTNode().jjtGetFirstToken();
    net.sf.jsqlparser.parser.Token last = item.getASTNode().jjtGetLastToken();
    int begin = first.absoluteBegin - 1;
    int end = last.absoluteEnd - 1;
    if (begin < 0 || end > labelSource.length() || begin >= end) {
      return;
    }
    String written = labelSource.substring(begin, end);
    if (!written.equals(e.toString())) {
      item.setAlias(new Alias("`" + written.replace("`", "``") + "`", true));
      declare(item.getAlias().getName());
    }
  }

  /** The encrypted tables that appeared as relations in this statement. */
  Set<EncryptedTable> touched() {
    return touched;
  }

  /** For statements whose rule reads no row values at all (schema changes): the audit has nothing to prove. */
  void auditNotNeeded() {
    auditNotNeeded = true;
  }

  /** Records a node as classified (see the audit). */
  void classify(Object node) {
    classified.add(node);
  }

  /** Records one occurrence of a declared name (an alias, a CTE name, a column definition). */
  void declare(@Nullable String word) {
    if (word != null) {
      declaredWords.add(Names.key(word));
    }
  }

  /** Adds a word that may refer to encrypted data in this statement (an alias, a label). */
  void watch(@Nullable String word) {
    if (word != null && !word.isEmpty()) {
      watched.add(Names.key(word));
    }
  }

  /**
   * Checks that every word of {@code renderedSql} that could refer to encrypted data belongs to a node
   * this analysis classified.
   *
   * @throws io.rowseal.errors.UnsupportedStatementException naming the word (a table, column or alias name)
   *     otherwise
   */
  void audit(String renderedSql) {
    if (auditNotNeeded) {
      return;
    }
    Set<String> words = new HashSet<>(watched);
    for (EncryptedTable t : tablesByKey.values()) {
      words.add(Names.key(t.name()));
      t.managedColumns().forEach(c -> words.add(Names.key(c)));
    }
    Map<String, Integer> inText = SqlWords.count(renderedSql, words);
    if (inText.isEmpty()) {
      return;
    }
    Map<String, Integer> accounted = new HashMap<>();
    for (String w : declaredWords) {
      accounted.merge(w, 1, Integer::sum);
    }
    for (Object node : classified) {
      if (node instanceof Column) {
        Column c = (Column) node;
        accounted.merge(Names.key(c.getColumnName()), 1, Integer::sum);
        if (c.getTable() != null) {
          accountTable(c.getTable(), accounted);
        }
      } else if (node instanceof Table) {
        accountTable((Table) node, accounted);
        Table t = (Table) node;
        if (t.getAlias() != null) {
          accounted.merge(Names.key(t.getAlias().getName()), 1, Integer::sum);
        }
      } else if (node instanceof AllTableColumns) {
        accountTable(((AllTableColumns) node).getTable(), accounted);
      }
    }
    for (Map.Entry<String, Integer> e : inText.entrySet()) {
      if (e.getValue() > accounted.getOrDefault(e.getKey(), 0)) {
        throw unplaced(e.getKey());
      }
    }
  }

  private static void accountTable(Table t, Map<String, Integer> accounted) {
    for (String part : t.getNameParts()) {
      if (part != null) {
        accounted.merge(Names.key(part), 1, Integer::sum);
      }
    }
  }

  private io.rowseal.errors.UnsupportedStatementException unplaced(String word) {
    for (EncryptedTable t : tablesByKey.values()) {
      if (t.isEncrypted(word)) {
        return Rejections.of(t.column(word), "it appears in a position RowSeal has no rule for (a function form,"
            + " a clause or a vendor extension it cannot prove safe), so the result could be wrong or plaintext could"
            + " be written. Select the bare column and compute in the application, or filter by a plaintext column");
      }
    }
    for (EncryptedTable t : tablesByKey.values()) {
      if (Names.key(t.name()).equals(word) || Names.key(t.companionColumn()).equals(word)) {
        return Rejections.of(t, "the statement refers to " + word + " in a position RowSeal has no rule for"
            + " (a whole-row value, a table function, a vendor extension); name the columns explicitly in a plain"
            + " SELECT, INSERT, UPDATE or DELETE");
      }
    }
    return Rejections.general("the statement refers to " + word + ", which carries encrypted columns, in a"
        + " position RowSeal has no rule for (a whole-row value, a table function, a vendor extension); name the"
        + " columns explicitly");
  }

  // ---------------------------------------------------------------- queries whose rows are read

  /**
   * Analyses a query whose rows the application reads: encrypted columns in its select list become
   * outputs, everything else is checked. Rewrites {@code select} in place.
   */
  Shape analyzeReadable(Select select, @Nullable Scope outer) {
    if (select instanceof ParenthesedSelect) {
      ParenthesedSelect ps = (ParenthesedSelect) select;
      addWithItems(ps.getWithItemsList(), new Scope(outer));
      Shape inner = analyzeReadable(ps.getSelect(), outer);
      Scope scope = new Scope(outer);
      checkOrderBy(ps.getOrderByElements(), scope, inner);
      return inner;
    }
    if (select instanceof SetOperationList) {
      SetOperationList set = (SetOperationList) select;
      addWithItems(set.getWithItemsList(), new Scope(outer));
      for (Select branch : set.getSelects()) {
        analyzeChecked(branch, outer, "a branch of a UNION, INTERSECT or EXCEPT", false);
      }
      checkOrderBy(set.getOrderByElements(), new Scope(outer), null);
      return Shape.opaque();
    }
    if (select instanceof Values) {
      checkValues((Values) select, new Scope(outer));
      return Shape.opaque();
    }
    if (!(select instanceof PlainSelect)) {
      throw Rejections.general("a " + select.getClass().getSimpleName() + " query form (such as TABLE t) has no rule"
          + " in RowSeal when the statement names an encrypted table; write SELECT with the columns named");
    }
    PlainSelect ps = (PlainSelect) select;
    Scope scope = new Scope(outer);
    addWithItems(ps.getWithItemsList(), scope);
    addFrom(ps.getFromItem(), ps.getJoins(), scope);
    checkClauses(ps, scope);
    rejectInto(ps, scope);

    boolean expand = scope.hasEncryptedRelation();
    List<SelectItem<?>> items = new ArrayList<>();
    List<Output> outputs = new ArrayList<>();
    boolean opaque = false;
    boolean aggregating = false;
    for (SelectItem<?> item : ps.getSelectItems()) {
      Expression e = item.getExpression();
      if (item.getAlias() != null) {
        declare(item.getAlias().getName());
      }
      keepLabel(item);
      if (e instanceof AllTableColumns) {
        AllTableColumns all = (AllTableColumns) e;
        Relation r = scope.relation(Names.key(all.getTable().getName()));
        classify(all);
        if (expand && r != null) {
          expandInto(r, items, outputs);
        } else if (r == null) {
          throw Rejections.general("the select list names " + all.getTable() + ".*, but RowSeal cannot tell which"
              + " table " + all.getTable() + " is; use the table's name or alias from FROM");
        } else {
          items.add(item);
          opaque = true;
        }
      } else if (e instanceof AllColumns) {
        if (expand && !items.isEmpty() && "`".equals(identifierQuote)) {
          throw Rejections.general("a bare * after other select items is a syntax error on MariaDB and MySQL, but"
              + " RowSeal would expand it into valid SQL; put * first or write t.*");
        }
        if (expand) {
          for (Relation r : scope.relations) {
            expandInto(r, items, outputs);
          }
        } else {
          items.add(item);
          opaque = true;
        }
      } else if (e instanceof Column) {
        Resolved r = resolve((Column) e, scope);
        String label = item.getAlias() != null ? item.getAlias().getName() : ((Column) e).getColumnName();
        if (r != null) {
          watch(label);
        }
        items.add(item);
        outputs.add(new Output(Names.key(label), r));
      } else {
        check(e, scope, "a function or expression in the select list", Use.EXPRESSION);
        aggregating |= !rowPreserving(e);
        items.add(item);
        outputs.add(new Output(item.getAlias() != null ? Names.key(item.getAlias().getName()) : "", null));
      }
    }
    ps.setSelectItems(items);

    List<Source> sources = new ArrayList<>();
    for (Output o : outputs) {
      if (o.resolved != null && !sources.contains(o.resolved.source)) {
        sources.add(o.resolved.source);
      }
    }
    if (ps == topSelect) {
      for (Filter f : filters) {
        if (!sources.contains(f.resolved.source)) {
          sources.add(f.resolved.source);
        }
      }
    }
    if (!sources.isEmpty() && outputs.stream().allMatch(o -> o.resolved == null)) {
      // only the filters read encrypted values: the checks below concern projected ones
    } else if (!sources.isEmpty()) {
      EncryptedColumn first = firstEncrypted(outputs);
      if (ps.getDistinct() != null) {
        throw Rejections.grouping(first, "a SELECT DISTINCT");
      }
      GroupByElement groupBy = ps.getGroupBy();
      if (groupBy != null || ps.getHaving() != null) {
        throw Rejections.grouping(first, "the select list of a grouped query");
      }
      if (aggregating) {
        throw Rejections.of(first, "it is selected beside a function RowSeal cannot prove keeps one result row per"
            + " table row (an aggregate, or a function it does not know); select the aggregate in a separate query");
      }
      if (opaque) {
        throw Rejections.of(first, "a SELECT * over a table RowSeal cannot see (a function or VALUES in FROM) is"
            + " combined with encrypted columns; name the columns explicitly");
      }
    }
    for (Source s : sources) {
      int n = ++labels;
      s.companionLabel = "rowseal_k" + n;
      items.add(hidden(s.companion, s.companionLabel));
      for (int j = 0; j < s.ids.size(); j++) {
        String label = "rowseal_i" + n + "_" + (j + 1);
        s.idLabels.add(label);
        items.add(hidden(s.ids.get(j), label));
      }
    }
    if (ps == topSelect) {
      for (Filter f : filters) {
        f.label = "rowseal_f" + (++labels);
        items.add(hidden(f.value, f.label));
      }
    }
    checkOrderBy(ps.getOrderByElements(), scope, new Shape(outputs, sources, false));
    return new Shape(outputs, sources, opaque);
  }

  /** {@code SELECT ... INTO}: the database would copy what it reads (ciphertext, wrapped keys) into a new table. */
  private static void rejectInto(PlainSelect ps, Scope scope) {
    if ((ps.getIntoTables() != null && !ps.getIntoTables().isEmpty()) || ps.getIntoTempTable() != null) {
      if (scope.hasEncryptedRelation()) {
        throw Rejections.general("SELECT ... INTO over a table with encrypted columns would copy ciphertext and"
            + " wrapped keys inside the database; read the rows through RowSeal and insert them through RowSeal");
      }
    }
  }

  /** Whether {@code e} keeps one value per row: no aggregate and no function RowSeal does not know. */
  private static boolean rowPreserving(Expression e) {
    boolean[] ok = {true};
    e.accept(new ExpressionVisitorAdapter<Void>() {
      @Override
      public <S> Void visit(Function f, S context) {
        String name = f.getName() == null ? "" : Names.key(f.getName());
        if (!SCALAR_FUNCTIONS.contains(name) || f.isAllColumns() || f.isDistinct()) {
          ok[0] = false;
        }
        return super.visit(f, context);
      }

      @Override
      public <S> Void visit(ParenthesedSelect select, S context) {
        return null; // a scalar subquery yields one value per row
      }
    }, null);
    return ok[0];
  }

  /**
   * Analyses a query whose select list the database consumes itself (a subquery in a condition, a
   * UNION branch, the source of an INSERT ... SELECT): an encrypted column in its select list is
   * rejected, like any other plaintext use, and so is {@code *} over an encrypted table unless
   * {@code columnsUnused} (the select list of EXISTS).
   */
  void analyzeChecked(Select select, @Nullable Scope outer, String where, boolean columnsUnused) {
    if (select instanceof ParenthesedSelect) {
      addWithItems(select.getWithItemsList(), new Scope(outer));
      analyzeChecked(((ParenthesedSelect) select).getSelect(), outer, where, columnsUnused);
      checkOrderBy(select.getOrderByElements(), new Scope(outer), null);
      return;
    }
    if (select instanceof SetOperationList) {
      addWithItems(select.getWithItemsList(), new Scope(outer));
      for (Select branch : ((SetOperationList) select).getSelects()) {
        analyzeChecked(branch, outer, where, columnsUnused);
      }
      checkOrderBy(select.getOrderByElements(), new Scope(outer), null);
      return;
    }
    if (select instanceof Values) {
      checkValues((Values) select, new Scope(outer));
      return;
    }
    if (!(select instanceof PlainSelect)) {
      throw Rejections.general("a " + select.getClass().getSimpleName() + " query form (such as TABLE t) in " + where
          + " has no rule in RowSeal when the statement names an encrypted table; write SELECT with the columns named");
    }
    PlainSelect ps = (PlainSelect) select;
    Scope scope = new Scope(outer);
    addWithItems(ps.getWithItemsList(), scope);
    addFrom(ps.getFromItem(), ps.getJoins(), scope);
    checkClauses(ps, scope);
    rejectInto(ps, scope);
    for (SelectItem<?> item : ps.getSelectItems()) {
      Expression e = item.getExpression();
      if (item.getAlias() != null) {
        declare(item.getAlias().getName());
      }
      keepLabel(item);
      if (e instanceof AllColumns || e instanceof AllTableColumns) {
        if (e instanceof AllTableColumns) {
          classify(e);
          Relation r = scope.relation(Names.key(((AllTableColumns) e).getTable().getName()));
          if (r == null || (!columnsUnused && r.carriesEncrypted())) {
            throw Rejections.general("the select list of " + where + " takes every column of "
                + ((AllTableColumns) e).getTable() + ", which has encrypted columns, as data; the database would copy"
                + " or compare ciphertext and wrapped keys. Name the plaintext columns explicitly");
          }
        } else if (!columnsUnused && scope.hasEncryptedRelation()) {
          throw Rejections.general("the select list of " + where + " is SELECT * over a table with encrypted columns;"
              + " the database would copy or compare ciphertext and wrapped keys. Name the plaintext columns explicitly");
        }
        continue;
      }
      if (e instanceof Column) {
        Resolved r = resolve((Column) e, scope);
        if (r != null) {
          throw Rejections.copy(r.column, "the select list of " + where);
        }
      } else {
        check(e, scope, "the select list of " + where, Use.EXPRESSION);
      }
    }
    checkOrderBy(ps.getOrderByElements(), scope, null);
  }

  private void checkValues(Values values, Scope scope) {
    check(values.getExpressions(), scope, "a VALUES list", Use.EXPRESSION);
  }

  // ---------------------------------------------------------------- checks

  /** How an encrypted column found in an expression is reported. */
  enum Use { PREDICATE, EXPRESSION, GROUPING, ORDERING }

  /** Rejects any use of an encrypted column in {@code e} other than {@code col IS [NOT] NULL}. */
  void check(@Nullable Expression e, Scope scope, String clause, Use use) {
    if (e == null) {
      return;
    }
    e.accept(new Checker(scope, clause, use), null);
  }

  private void checkClauses(PlainSelect ps, Scope scope) {
    ps.setWhere(rewriteWhere(ps.getWhere(), scope, ps == topSelect && filterable(ps)));
    check(ps.getWhere(), scope, "a WHERE condition", Use.PREDICATE);
    if (ps.getJoins() != null) {
      for (Join j : ps.getJoins()) {
        if (j.getOnExpressions() != null) {
          for (Expression on : j.getOnExpressions()) {
            check(on, scope, "a JOIN condition", Use.PREDICATE);
          }
        }
      }
    }
    GroupByElement groupBy = ps.getGroupBy();
    if (groupBy != null && groupBy.getGroupByExpressionList() != null) {
      for (Object o : groupBy.getGroupByExpressionList()) {
        check((Expression) o, scope, "GROUP BY", Use.GROUPING);
      }
    }
    check(ps.getHaving(), scope, "a HAVING condition", Use.PREDICATE);
    check(ps.getQualify(), scope, "a QUALIFY condition", Use.PREDICATE);
    if (ps.getDistinct() != null && ps.getDistinct().getOnSelectItems() != null) {
      for (SelectItem<?> item : ps.getDistinct().getOnSelectItems()) {
        check(item.getExpression(), scope, "DISTINCT ON", Use.GROUPING);
      }
    }
    if (ps.getForUpdateTable() != null) {
      Table locked = ps.getForUpdateTable();
      if (scope.relation(Names.key(locked.getName())) != null) {
        classify(locked); // FOR UPDATE OF c: a lock, not a read of the row's values
      }
    }
  }

  private void checkOrderBy(@Nullable List<OrderByElement> orderBy, Scope scope, @Nullable Shape shape) {
    if (orderBy == null) {
      return;
    }
    for (OrderByElement o : orderBy) {
      Expression e = o.getExpression();
      if (shape != null && e instanceof LongValue) {
        long position = ((LongValue) e).getValue();
        if (position >= 1 && position <= shape.outputs.size()) {
          Resolved r = shape.outputs.get((int) position - 1).resolved;
          if (r != null) {
            throw Rejections.ordering(r.column);
          }
        }
        continue;
      }
      if (shape != null && e instanceof Column && ((Column) e).getTable() == null) {
        String label = Names.key(((Column) e).getColumnName());
        Output byLabel = shape.output(label);
        if (byLabel != null) {
          if (byLabel.resolved != null) {
            throw Rejections.ordering(byLabel.resolved.column);
          }
          if (scope.relation(label) == null) {
            classify(e); // a plaintext output's label
            continue;
          }
        }
      }
      check(e, scope, "ORDER BY", Use.ORDERING);
    }
  }

  private static io.rowseal.errors.UnsupportedStatementException reject(Resolved r, String clause, Use use) {
    switch (use) {
      case PREDICATE:
        return Rejections.predicate(r.column, clause);
      case GROUPING:
        return Rejections.grouping(r.column, clause);
      case ORDERING:
        return Rejections.ordering(r.column);
      default:
        return Rejections.expression(r.column, clause);
    }
  }

  private final class Checker extends ExpressionVisitorAdapter<Void> {
    private final Scope scope;
    private final String clause;
    private final Use use;

    Checker(Scope scope, String clause, Use use) {
      this.scope = scope;
      this.clause = clause;
      this.use = use;
    }

    @Override
    public <S> Void visit(Column column, S context) {
      if (ownIndexColumns.contains(column)) {
        return null; // RowSeal's own index lookup
      }
      Resolved r = resolve(column, scope);
      if (r != null) {
        throw reject(r, clause, use);
      }
      return null;
    }

    @Override
    public <S> Void visit(AllTableColumns all, S context) {
      Relation r = scope.find(Names.key(all.getTable().getName()));
      if (r == null || r.carriesEncrypted()) {
        throw Rejections.general(clause + " uses " + all.getTable() + ".*, a whole row of a table with encrypted"
            + " columns, as a value; the database would see ciphertext and wrapped keys. Name the plaintext columns");
      }
      classify(all);
      return null;
    }

    @Override
    public <S> Void visit(IsNullExpression expr, S context) {
      if (expr.getLeftExpression() instanceof Column) {
        resolve((Column) expr.getLeftExpression(), scope); // nullness is stored in clear
        return null;
      }
      return super.visit(expr, context);
    }

    @Override
    public <S> Void visit(ExistsExpression exists, S context) {
      Expression inner = exists.getRightExpression();
      if (inner instanceof Select) {
        analyzeChecked((Select) inner, scope, "an EXISTS subquery", true);
        return null;
      }
      return super.visit(exists, context);
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
      analyzeChecked(select, scope, "a subquery", false);
      return null;
    }

    @Override
    public <S> Void visit(Select select, S context) {
      analyzeChecked(select, scope, "a subquery", false);
      return null;
    }
  }

  // ---------------------------------------------------------------- scopes

  void addWithItems(@Nullable List<WithItem<?>> withItems, Scope scope) {
    if (withItems == null) {
      return;
    }
    for (WithItem<?> w : withItems) {
      declare(w.getAliasName());
      EncryptedTable shadowed = encryptedTable(w.getAliasName());
      if (shadowed != null) {
        throw Rejections.of(shadowed, "a WITH query is named like the encrypted table; databases disagree about which"
            + " of the two a later FROM " + w.getAliasName() + " means (H2 reads the table). Name the WITH query"
            + " differently");
      }
      if (!(w.getParenthesedStatement() instanceof ParenthesedSelect)) {
        throw Rejections.general("a WITH clause holds an INSERT, UPDATE or DELETE (a writable CTE); RowSeal cannot"
            + " encrypt or check what it writes. Run the write as its own statement");
      }
      Shape shape;
      if (w.isRecursive()) {
        analyzeChecked(w.getSelect(), scope, "a recursive WITH query", false);
        shape = Shape.opaque();
      } else {
        shape = analyzeReadable(w.getSelect(), scope);
      }
      if (!shape.sources.isEmpty()) {
        watch(w.getAliasName());
      }
      if (w.getWithItemList() != null && !w.getWithItemList().isEmpty()) {
        List<String> names = new ArrayList<>();
        for (SelectItem<?> item : w.getWithItemList()) {
          names.add(item.getExpression().toString());
        }
        shape = renamed(shape, names, "WITH " + w.getAliasName());
        List<SelectItem<?>> list = new ArrayList<>(w.getWithItemList());
        for (String hidden : hiddenLabels(shape)) {
          Column c = new Column(hidden);
          classify(c);
          list.add(new SelectItem<>(c));
        }
        w.setWithItemList(list);
      }
      scope.ctes.put(Names.key(w.getAliasName()), shape);
    }
  }

  /** Adds the relations of a FROM clause (and its joins) to {@code scope}. */
  void addFrom(@Nullable FromItem from, @Nullable List<Join> joins, Scope scope) {
    if (from != null) {
      addFromItem(from, scope);
    }
    if (joins != null) {
      for (Join j : joins) {
        addFromItem(j.getRightItem(), scope);
        if (j.isNatural() || (j.getUsingColumns() != null && !j.getUsingColumns().isEmpty())) {
          if (scope.hasEncryptedRelation()) {
            throw Rejections.general("a NATURAL JOIN or JOIN ... USING joins a table with encrypted columns; the"
                + " database would match or merge columns by name, including ciphertext and wrapped keys. Write"
                + " JOIN ... ON with the plaintext key columns");
          }
          if (j.getUsingColumns() != null) {
            for (Column c : j.getUsingColumns()) {
              classify(c);
            }
          }
        }
      }
    }
  }

  private void addFromItem(FromItem item, Scope scope) {
    Alias alias = item.getAlias();
    String aliasName = alias != null ? alias.getName() : null;
    declare(aliasName);
    if (item instanceof Table) {
      Table t = (Table) item;
      classify(t);
      rejectAmbiguousQuotes(t.getName());
      String name = Names.key(t.getName());
      Shape cte = t.getSchemaName() == null ? scope.cte(name) : null;
      if (cte != null) {
        Relation r = Relation.derived(Names.key(aliasName != null ? aliasName : name),
            aliasName != null ? new Table(aliasName) : new Table(t.getName()), cte);
        rejectAliasColumns(alias, r);
        if (r.carriesEncrypted()) {
          watch(aliasName);
        }
        scope.relations.add(r);
        return;
      }
      EncryptedTable et = encryptedTable(t.getName());
      Table qualifier = aliasName != null ? new Table(aliasName) : copy(t);
      Relation r = new Relation(Names.key(aliasName != null ? aliasName : t.getName()), qualifier,
          Names.unquote(t.getName()), t.getSchemaName() == null ? null : Names.unquote(t.getSchemaName()), et, null);
      if (et != null) {
        touched.add(et);
        watch(aliasName);
        List<Expression> ids = new ArrayList<>();
        for (String id : et.idColumns()) {
          ids.add(column(qualifier, id));
        }
        r.source = new Source(et, column(qualifier, et.companionColumn()), ids);
      }
      rejectAliasColumns(alias, r);
      scope.relations.add(r);
    } else if (item instanceof LateralSubSelect) {
      analyzeChecked(((LateralSubSelect) item).getSelect(), scope, "a LATERAL subquery", false);
      Relation r = Relation.derived(aliasName != null ? Names.key(aliasName) : "",
          new Table(aliasName != null ? aliasName : ""), Shape.opaque());
      scope.relations.add(r);
    } else if (item instanceof ParenthesedSelect) {
      Shape shape = analyzeReadable(((ParenthesedSelect) item).getSelect(), scope.parent);
      checkOrderBy(((ParenthesedSelect) item).getOrderByElements(), new Scope(scope.parent), shape);
      if (alias != null && alias.getAliasColumns() != null && !alias.getAliasColumns().isEmpty()) {
        // x(c0, c1): Hibernate writes such lists for subqueries in FROM. The outputs are renamed by position and
        // RowSeal's hidden key columns are named at the end of the list (H2 wants one name per column).
        List<String> names = new ArrayList<>();
        for (Alias.AliasColumn c : alias.getAliasColumns()) {
          names.add(c.name);
        }
        shape = renamed(shape, names, "the derived table " + aliasName);
        List<Alias.AliasColumn> list = new ArrayList<>(alias.getAliasColumns());
        for (String hidden : hiddenLabels(shape)) {
          list.add(new Alias.AliasColumn(hidden));
        }
        alias.setAliasColumns(list);
      }
      Relation r = Relation.derived(aliasName != null ? Names.key(aliasName) : "",
          new Table(aliasName != null ? aliasName : ""), shape);
      if (r.carriesEncrypted()) {
        watch(aliasName);
      }
      scope.relations.add(r);
    } else if (item instanceof ParenthesedFromItem) {
      ParenthesedFromItem p = (ParenthesedFromItem) item;
      addFrom(p.getFromItem(), p.getJoins(), scope);
      if (p.getJoins() != null) {
        for (Join j : p.getJoins()) {
          if (j.getOnExpressions() != null) {
            for (Expression on : j.getOnExpressions()) {
              check(on, scope, "a JOIN condition", Use.PREDICATE);
            }
          }
        }
      }
    } else {
      // A table function, VALUES or a vendor form: RowSeal does not see inside; the audit rejects the statement
      // if it names encrypted data there.
      scope.relations.add(Relation.derived(aliasName != null ? Names.key(aliasName) : "",
          new Table(aliasName != null ? aliasName : ""), Shape.opaque()));
    }
  }

  /**
   * {@code shape} with its outputs renamed by position to {@code names} (a column list after a derived table's
   * alias or a WITH query's name); each name is declared for the audit.
   */
  private Shape renamed(Shape shape, List<String> names, String where) {
    for (String n : names) {
      declare(n);
    }
    if (shape.sources.isEmpty()) {
      if (shape.opaque || names.size() != shape.outputs.size()) {
        return shape; // plaintext only: the database applies the list; nothing of RowSeal's depends on it
      }
    } else if (names.size() != shape.outputs.size()) {
      throw Rejections.of(firstEncrypted(shape.outputs), where + " names " + names.size() + " columns for a query"
          + " with " + shape.outputs.size() + "; RowSeal needs one name per column to know which are encrypted");
    }
    List<Output> outputs = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      Resolved r = shape.outputs.get(i).resolved;
      if (r != null) {
        watch(names.get(i));
      }
      outputs.add(new Output(Names.key(names.get(i)), r));
    }
    return new Shape(outputs, shape.sources, shape.opaque);
  }

  /** The generated labels of a query's hidden key columns, in the order they follow its visible columns. */
  private static List<String> hiddenLabels(Shape shape) {
    List<String> labels = new ArrayList<>();
    for (Source s : shape.sources) {
      labels.add(s.companionLabel);
      labels.addAll(s.idLabels);
    }
    return labels;
  }

  private static void rejectAliasColumns(@Nullable Alias alias, Relation r) {
    if (alias != null && alias.getAliasColumns() != null && !alias.getAliasColumns().isEmpty()
        && r.carriesEncrypted()) {
      throw Rejections.general("the alias " + alias.getName() + " renames the columns of a table with encrypted columns"
          + " (a column list after the alias); RowSeal could not tell which names are encrypted. Alias the columns in"
          + " the select list instead");
    }
  }

  private static Table copy(Table t) {
    List<String> parts = new ArrayList<>(t.getNameParts());
    Collections.reverse(parts);
    return new Table(parts);
  }

  private void expandInto(Relation r, List<SelectItem<?>> items, List<Output> outputs) {
    if (r.derived != null) {
      if (r.derived.opaque) {
        throw Rejections.general("a SELECT * combines encrypted tables with a derived table whose columns RowSeal"
            + " cannot see; name the columns explicitly");
      }
      Set<String> labelsSeen = new HashSet<>();
      for (Output o : r.derived.outputs) {
        if (!o.label.isEmpty() && !labelsSeen.add(o.label)) {
          throw Rejections.general("a SELECT * over a derived table or WITH query that has two columns named " + o.label
              + ", combined with encrypted columns; RowSeal selects a derived table's columns by name, so alias them"
              + " distinctly");
        }
        if (o.label.isEmpty()) {
          throw Rejections.general("a SELECT * over a derived table with an unnamed expression column, combined with"
              + " encrypted columns; name the columns explicitly");
        }
        Column c = column(r.qualifier, o.label);
        items.add(new SelectItem<>(c));
        outputs.add(new Output(o.label, o.resolved == null ? null : r.lift(o.resolved, this)));
      }
      return;
    }
    List<String> names = catalog.columns(connection, r.schemaName, r.tableName);
    if (names.isEmpty()) {
      throw Rejections.general("a SELECT * over table " + r.tableName + " is combined with encrypted columns, but the"
          + " database's metadata does not list its columns; name the columns explicitly");
    }
    for (String name : names) {
      if (r.source != null && (name.equalsIgnoreCase(r.source.table.companionColumn())
          || r.source.table.indexedBy(name) != null)) {
        continue; // the wrapped data key and the blind indexes are RowSeal's business, not the application's
      }
      items.add(new SelectItem<>(column(r.qualifier, name)));
      Resolved resolved = r.source != null && r.source.table.isEncrypted(name)
          ? new Resolved(r.source.table.column(name), r.source) : null;
      outputs.add(new Output(Names.key(name), resolved));
    }
  }

  /** A new column node {@code qualifier.name}, classified (it is RowSeal's own). */
  private Column column(Table qualifier, String name) {
    String quoted = PLAIN_IDENTIFIER.matcher(name).matches() ? name : identifierQuote + name + identifierQuote;
    String q = qualifier.getName();
    Column c = q == null || q.isEmpty() ? new Column(quoted) : new Column(copy(qualifier), quoted);
    classify(c);
    return c;
  }

  private SelectItem<Expression> hidden(Expression e, String label) {
    SelectItem<Expression> item = new SelectItem<>(e);
    item.setAlias(new Alias(label, true));
    declare(label);
    if (e instanceof Column) {
      classify(e);
    }
    return item;
  }

  private static EncryptedColumn firstEncrypted(List<Output> outputs) {
    for (Output o : outputs) {
      if (o.resolved != null) {
        return o.resolved.column;
      }
    }
    throw new IllegalStateException("no encrypted output");
  }

  /**
   * The encrypted column {@code c} refers to, or null for a plaintext column. Records {@code c} as
   * classified.
   *
   * @throws io.rowseal.errors.UnsupportedStatementException if an unqualified name is an encrypted column of
   *     more than one table in scope, if a qualifier names no relation in scope, or if the name is a
   *     relation carrying encrypted data (a whole-row reference)
   */
  @Nullable Resolved resolve(Column c, Scope scope) {
    classify(c);
    rejectAmbiguousQuotes(c.getColumnName());
    String name = Names.key(c.getColumnName());
    Table t = c.getTable();
    if (t != null && t.getName() != null) {
      rejectAmbiguousQuotes(t.getName());
    }
    for (Scope s = scope; s != null; s = s.parent) {
      for (Relation r : s.relations) {
        EncryptedColumn indexed = r.table == null ? null : r.table.indexedBy(name);
        if (indexed != null && !ownIndexColumns.contains(c)) {
          throw Rejections.of(indexed, "the statement names " + c.getColumnName() + ", its blind index, which RowSeal"
              + " writes and compares itself; filter with " + indexed.name() + " = ? instead and leave the index column"
              + " out");
        }
        if (r.table != null && name.equals(Names.key(r.table.companionColumn()))) {
          throw Rejections.of(r.table, "the statement names companion column " + r.table.companionColumn()
              + ", the row's wrapped data key, which RowSeal manages and never hands out; leave it out");
        }
      }
    }
    String qualifier = t == null || t.getName() == null ? null : Names.key(t.getName());
    for (Scope s = scope; s != null; s = s.parent) {
      if (qualifier != null) {
        Relation r = s.relation(qualifier);
        if (r != null) {
          return r.resolve(name, this);
        }
      } else {
        Resolved hit = null;
        for (Relation r : s.relations) {
          Resolved x = r.resolve(name, this);
          if (x != null) {
            if (hit != null && hit.source != x.source) {
              throw Rejections.of(x.column, "the unqualified name " + c.getColumnName() + " is an encrypted column of more"
                  + " than one table in this query; qualify it with its table or alias");
            }
            hit = x;
          }
        }
        if (hit != null) {
          return hit;
        }
        Relation whole = s.relation(name);
        if (whole != null && whole.carriesEncrypted()) {
          throw Rejections.general("the statement uses " + c.getColumnName() + ", a whole row of a table with encrypted"
              + " columns, as a value; the database would see ciphertext and wrapped keys. Select the columns by name");
        }
      }
    }
    if (qualifier != null) {
      throw Rejections.general("the statement refers to " + c + ", but RowSeal cannot tell which table "
          + t.getFullyQualifiedName() + " is (it is not a table or alias in FROM at that point), so it cannot tell"
          + " whether the column is encrypted. Qualify columns with a table or alias from the FROM clause");
    }
    return null;
  }

  /**
   * On MariaDB and MySQL (whose identifier quote is the backtick) {@code "x"} is a string literal unless the
   * session runs with ANSI_QUOTES, and JSqlParser reads it as a name: RowSeal cannot tell which it is.
   */
  void rejectAmbiguousQuotes(@Nullable String identifier) {
    if (identifier != null && identifier.startsWith("\"") && "`".equals(identifierQuote)) {
      throw Rejections.general("the statement uses " + identifier + ", which MariaDB and MySQL read as a string"
          + " unless sql_mode has ANSI_QUOTES, while RowSeal would read a name; quote names with backticks and"
          + " strings with single quotes");
    }
  }

  /** The relation that {@code c}'s qualifier names, or null if it has none or names nothing in scope. */
  @Nullable Relation resolveRelation(Column c, Scope scope) {
    Table t = c.getTable();
    if (t == null || t.getName() == null) {
      return null;
    }
    return scope.find(Names.key(t.getName()));
  }


  // ---------------------------------------------------------------- search (blind-index lookups)

  /** Marks {@code select} as the query whose rows the application reads (a truncated index may be filtered there). */
  void topLevel(Select select) {
    if (select instanceof PlainSelect) {
      topSelect = (PlainSelect) select;
    }
  }

  /** The physical index columns writers of {@code column} set now. */
  List<String> indexColumnsOf(EncryptedColumn column) {
    return indexColumns.apply(column);
  }

  /** A column node for one of RowSeal's own index columns, classified and exempt from the index-column rule. */
  Column ownIndexColumn(String name) {
    Column c = new Column(name);
    ownIndexColumns.add(c);
    classify(c);
    return c;
  }

  /** The parameters RowSeal added for index lookups, with their slots. */
  Map<net.sf.jsqlparser.expression.JdbcParameter, Slot> ownParameters() {
    return ownParameters;
  }

  /** Whether rows of {@code ps} map one-to-one to the rows the application reads, so filtering them is exact. */
  private boolean filterable(PlainSelect ps) {
    if (ps.getDistinct() != null || ps.getGroupBy() != null || ps.getHaving() != null || ps.getLimit() != null
        || ps.getOffset() != null || ps.getFetch() != null || ps.getTop() != null || ps.getLimitBy() != null) {
      return false;
    }
    for (SelectItem<?> item : ps.getSelectItems()) {
      Expression e = item.getExpression();
      if (!(e instanceof Column) && !(e instanceof AllColumns) && !(e instanceof AllTableColumns) && !rowPreserving(e)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code where} with each top-level conjunct {@code col = ?}, {@code col = 'literal'} or {@code col IN (...)}
   * on a searchable column replaced by a comparison of its index columns with the values' blind indexes (one
   * per index column in use); the original parameters become inputs of RowSeal's own. Other conjuncts stay.
   * A truncated index is accepted only where {@code filterable} (its false positives are dropped after
   * decryption); elsewhere it is refused.
   */
  @Nullable Expression rewriteWhere(@Nullable Expression where, Scope scope, boolean filterable) {
    if (where == null) {
      return null;
    }
    List<Expression> conjuncts = new ArrayList<>();
    flattenAnd(where, conjuncts);
    boolean changed = false;
    List<Expression> out = new ArrayList<>();
    for (Expression e : conjuncts) {
      Expression r = searchPredicate(e, scope, filterable);
      changed |= r != null;
      out.add(r != null ? r : e);
    }
    if (!changed) {
      return where;
    }
    Expression result = out.get(0);
    for (int i = 1; i < out.size(); i++) {
      result = new net.sf.jsqlparser.expression.operators.conditional.AndExpression(result, out.get(i));
    }
    return result;
  }

  private static void flattenAnd(Expression e, List<Expression> out) {
    if (e instanceof net.sf.jsqlparser.expression.operators.conditional.AndExpression) {
      flattenAnd(((net.sf.jsqlparser.expression.operators.conditional.AndExpression) e).getLeftExpression(), out);
      flattenAnd(((net.sf.jsqlparser.expression.operators.conditional.AndExpression) e).getRightExpression(), out);
    } else if (e instanceof net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList
        && ((net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?>) e).size() == 1
        && ((net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?>) e).get(0)
            instanceof net.sf.jsqlparser.expression.operators.conditional.AndExpression) {
      flattenAnd((Expression) ((net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?>) e).get(0),
          out);
    } else {
      out.add(e);
    }
  }

  private @Nullable Expression searchPredicate(Expression e, Scope scope, boolean filterable) {
    Expression left;
    List<Expression> values = new ArrayList<>();
    if (e instanceof net.sf.jsqlparser.expression.operators.relational.EqualsTo) {
      net.sf.jsqlparser.expression.operators.relational.EqualsTo eq =
          (net.sf.jsqlparser.expression.operators.relational.EqualsTo) e;
      left = eq.getLeftExpression();
      Expression right = eq.getRightExpression();
      if (!(left instanceof Column)) {
        left = right;
        right = eq.getLeftExpression();
      }
      values.add(right);
    } else if (e instanceof net.sf.jsqlparser.expression.operators.relational.InExpression) {
      net.sf.jsqlparser.expression.operators.relational.InExpression in =
          (net.sf.jsqlparser.expression.operators.relational.InExpression) e;
      if (in.isNot() || in.isGlobal() || in.getOldOracleJoinSyntax() != 0
          || !(in.getRightExpression() instanceof net.sf.jsqlparser.expression.operators.relational.ExpressionList)) {
        return null;
      }
      left = in.getLeftExpression();
      for (Object o : (net.sf.jsqlparser.expression.operators.relational.ExpressionList<?>) in.getRightExpression()) {
        values.add((Expression) o);
      }
    } else {
      return null;
    }
    if (!(left instanceof Column) || values.isEmpty()) {
      return null;
    }
    Column col = (Column) left;
    Resolved r = resolve(col, scope);
    if (r == null || r.column.searchIndex() == null) {
      return null;
    }
    int[] users = new int[values.size()];
    Object[] constants = new Object[values.size()];
    for (int i = 0; i < values.size(); i++) {
      Expression v = values.get(i);
      if (v instanceof net.sf.jsqlparser.expression.JdbcParameter
          && ((net.sf.jsqlparser.expression.JdbcParameter) v).getIndex() != null) {
        users[i] = ((net.sf.jsqlparser.expression.JdbcParameter) v).getIndex();
      } else {
        constants[i] = WritePlanner.literal(v);
        if (constants[i] == null) {
          return null; // an expression, NULL or a vendor literal: the checker refuses the predicate
        }
      }
    }
    EncryptedColumn column = r.column;
    io.rowseal.SearchIndex index = column.searchIndex();
    if (!index.isFullLength() && !filterable) {
      throw Rejections.of(column, "its search index keeps " + index.bits() + " bits, so the database's matches include"
          + " other values, which RowSeal can drop after decrypting only in the WHERE of a top-level SELECT whose rows"
          + " the application reads (no DISTINCT, GROUP BY, aggregate, LIMIT, OFFSET or FETCH), or in the WHERE of a"
          + " single-table UPDATE or DELETE (no join, ORDER BY, LIMIT or RETURNING); COUNT, EXISTS and subqueries by"
          + " it need a full-length index (bits = 256). Select the matching rows and count them in the application");
    }
    List<String> physical = indexColumns.apply(column);
    String qualifier = col.getTable() != null && col.getTable().getName() != null ? col.getTable() + "." : "";
    StringBuilder text = new StringBuilder(physical.size() > 1 ? "(" : "");
    for (int p = 0; p < physical.size(); p++) {
      text.append(p == 0 ? "" : " OR ").append(qualifier).append(physical.get(p));
      if (values.size() == 1) {
        text.append(" = ?");
      } else {
        text.append(" IN (").append(String.join(", ", java.util.Collections.nCopies(values.size(), "?"))).append(')');
      }
    }
    text.append(physical.size() > 1 ? ")" : "");
    Expression rewritten;
    try {
      rewritten = net.sf.jsqlparser.parser.CCJSqlParserUtil.parseCondExpression(text.toString());
    } catch (net.sf.jsqlparser.JSQLParserException ex) {
      throw Rejections.of(column, "RowSeal could not build its index lookup for this predicate; filter by the"
          + " primary key instead");
    }
    List<net.sf.jsqlparser.expression.JdbcParameter> params = new ArrayList<>();
    rewritten.accept(new ExpressionVisitorAdapter<Void>() {
      @Override
      public <S> Void visit(net.sf.jsqlparser.expression.JdbcParameter parameter, S context) {
        params.add(parameter);
        return null;
      }

      @Override
      public <S> Void visit(Column c, S context) {
        ownIndexColumns.add(c);
        classify(c);
        return null;
      }
    }, null);
    params.sort(java.util.Comparator.comparing(net.sf.jsqlparser.expression.JdbcParameter::getIndex));
    if (params.size() != physical.size() * values.size()) {
      throw new IllegalStateException("index lookup has " + params.size() + " parameters");
    }
    for (int i = 0; i < params.size(); i++) {
      int v = i % values.size();
      ownParameters.put(params.get(i), Slot.index(users[v], constants[v], column, physical.get(i / values.size()),
          physical, true, 0));
      params.get(i).setIndex(null);
    }
    if (!index.isFullLength()) {
      Column value = col.getTable() == null ? new Column(col.getColumnName()) : new Column(copy(col.getTable()),
          col.getColumnName());
      filters.add(new Filter(r, value, users, constants)); // classified when added to a select list (hidden())
    }
    return rewritten;
  }

  /** A lookup by a truncated index: the rows' decrypted values must equal (normalised) one of the values. */
  static final class Filter {
    final Resolved resolved;
    final Expression value;
    final int[] userIndexes;
    final Object[] constants;
    String label = "";

    Filter(Resolved resolved, Expression value, int[] userIndexes, Object[] constants) {
      this.resolved = resolved;
      this.value = value;
      this.userIndexes = userIndexes;
      this.constants = constants;
    }
  }

  // ---------------------------------------------------------------- model

  /** The relations visible at one level of a query, and the enclosing level's scope. */
  static final class Scope {
    final @Nullable Scope parent;
    final List<Relation> relations = new ArrayList<>();
    final Map<String, Shape> ctes = new HashMap<>();

    Scope(@Nullable Scope parent) {
      this.parent = parent;
    }

    @Nullable Relation relation(String key) {
      for (Relation r : relations) {
        if (r.name.equals(key)) {
          return r;
        }
      }
      return null;
    }

    /** The relation named {@code key} here or in an enclosing scope. */
    @Nullable Relation find(String key) {
      for (Scope s = this; s != null; s = s.parent) {
        Relation r = s.relation(key);
        if (r != null) {
          return r;
        }
      }
      return null;
    }

    @Nullable Shape cte(String key) {
      for (Scope s = this; s != null; s = s.parent) {
        Shape shape = s.ctes.get(key);
        if (shape != null) {
          return shape;
        }
      }
      return null;
    }

    boolean hasEncryptedRelation() {
      for (Relation r : relations) {
        if (r.carriesEncrypted()) {
          return true;
        }
      }
      return false;
    }
  }

  /** A FROM item: a base table (encrypted when {@link #source} is set) or a derived table. */
  static final class Relation {
    final String name;
    /** How RowSeal's own column references qualify this relation: its alias, or its (qualified) name. */
    final Table qualifier;
    final @Nullable String tableName;
    final @Nullable String schemaName;
    final @Nullable EncryptedTable table;
    final @Nullable Shape derived;
    @Nullable Source source;
    private final Map<Source, Source> lifted = new IdentityHashMap<>();

    Relation(String name, Table qualifier, @Nullable String tableName, @Nullable String schemaName,
        @Nullable EncryptedTable table, @Nullable Shape derived) {
      this.name = name;
      this.qualifier = qualifier;
      this.tableName = tableName;
      this.schemaName = schemaName;
      this.table = table;
      this.derived = derived;
    }

    static Relation derived(String name, Table qualifier, Shape shape) {
      return new Relation(name, qualifier, null, null, null, shape);
    }

    /** Whether values of this relation include encrypted data (an encrypted table, or a derived table over one). */
    boolean carriesEncrypted() {
      return source != null || table != null || (derived != null && !derived.sources.isEmpty());
    }

    @Nullable Resolved resolve(String column, QueryAnalyzer analyzer) {
      if (source != null) {
        return source.table.isEncrypted(column) ? new Resolved(source.table.column(column), source) : null;
      }
      if (derived != null) {
        Output o = derived.output(column);
        return o == null || o.resolved == null ? null : lift(o.resolved, analyzer);
      }
      return null;
    }

    /** The inner query's source seen from this level, through the inner query's generated labels. */
    Resolved lift(Resolved inner, QueryAnalyzer analyzer) {
      Source outer = lifted.get(inner.source);
      if (outer == null) {
        List<Expression> ids = new ArrayList<>();
        for (String label : inner.source.idLabels) {
          ids.add(analyzer.column(qualifier, label));
        }
        outer = new Source(inner.source.table, analyzer.column(qualifier, inner.source.companionLabel), ids);
        lifted.put(inner.source, outer);
      }
      return new Resolved(inner.column, outer);
    }
  }

  /** One occurrence of an encrypted table, and how to select its companion and id columns here. */
  static final class Source {
    final EncryptedTable table;
    final Expression companion;
    final List<Expression> ids;
    String companionLabel = "";
    final List<String> idLabels = new ArrayList<>();

    Source(EncryptedTable table, Expression companion, List<Expression> ids) {
      this.table = table;
      this.companion = companion;
      this.ids = ids;
    }
  }

  /** An encrypted column and the table occurrence it is read from. */
  static final class Resolved {
    final EncryptedColumn column;
    final Source source;

    Resolved(EncryptedColumn column, Source source) {
      this.column = column;
      this.source = source;
    }
  }

  /** One column of a query's result, by label. */
  static final class Output {
    final String label;
    final @Nullable Resolved resolved;

    Output(String label, @Nullable Resolved resolved) {
      this.label = label;
      this.resolved = resolved;
    }
  }

  /** What a query returns: its visible outputs and the sources whose columns it appended. */
  static final class Shape {
    final List<Output> outputs;
    final List<Source> sources;
    final boolean opaque;

    Shape(List<Output> outputs, List<Source> sources, boolean opaque) {
      this.outputs = outputs;
      this.sources = sources;
      this.opaque = opaque;
    }

    static Shape opaque() {
      return new Shape(List.of(), List.of(), true);
    }

    @Nullable Output output(String label) {
      for (Output o : outputs) {
        if (o.label.equals(label)) {
          return o;
        }
      }
      return null;
    }
  }
}
