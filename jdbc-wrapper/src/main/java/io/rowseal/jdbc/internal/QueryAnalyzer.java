package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import org.jspecify.annotations.Nullable;

/*
 * How a query is analysed.
 *
 * Every FROM item becomes a Relation in a Scope: a base table (encrypted or not) or a derived table (a
 * subquery in FROM or a CTE) whose output columns are known from its own analysis. A column reference
 * is resolved through the scope chain (inner scope first, so correlated subqueries see the outer
 * query). An unqualified name that matches an encrypted column of any table in scope is treated as
 * that column: when in doubt, the statement is rejected rather than passed through.
 *
 * Where a column is used decides what happens. In the select list of a query whose rows the
 * application reads (the top level, a derived table, a CTE) a bare encrypted column is an "output":
 * the query is rewritten to also select, at the end of its select list, the companion and id columns
 * of that table occurrence (a "Source"), under generated labels, and derived tables pass those labels
 * up so that the outer query can select them in turn. Anywhere else (WHERE, JOIN ON, GROUP BY,
 * HAVING, ORDER BY, a function, a subquery's select list, a UNION branch) an encrypted column is
 * rejected, except as the operand of IS [NOT] NULL, since nullness is stored in clear.
 *
 * SELECT * over a scope that has encrypted tables is expanded into the table's columns (read once
 * from the database's metadata) so that the position of each encrypted output is known in advance;
 * the companion column is left out of the expansion.
 */

/**
 * Analyses a SELECT (rewriting it in place) to find its encrypted outputs and reject any use of an
 * encrypted column that needs its plaintext in the database. One instance per statement text; not
 * thread-safe.
 */
final class QueryAnalyzer {
  private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, EncryptedTable> tablesByKey;
  private final ColumnCatalog catalog;
  private final Connection connection;
  private final String identifierQuote;
  private int labels;

  /** {@code tablesByKey}: the encrypted tables by lower-cased physical name. */
  QueryAnalyzer(Map<String, EncryptedTable> tablesByKey, ColumnCatalog catalog, Connection connection,
      String identifierQuote) {
    this.tablesByKey = tablesByKey;
    this.catalog = catalog;
    this.connection = connection;
    this.identifierQuote = identifierQuote;
  }

  /** The encrypted table with this (possibly quoted) name, or null. */
  @Nullable EncryptedTable encryptedTable(String name) {
    return tablesByKey.get(Names.key(name));
  }

  // ---------------------------------------------------------------- queries whose rows are read

  /**
   * Analyses a query whose rows the application reads: encrypted columns in its select list become
   * outputs, everything else is checked. Rewrites {@code select} in place.
   */
  Shape analyzeReadable(Select select, @Nullable Scope outer) {
    if (select instanceof ParenthesedSelect) {
      ParenthesedSelect ps = (ParenthesedSelect) select;
      Shape inner = analyzeReadable(ps.getSelect(), outer);
      Scope scope = new Scope(outer);
      checkOrderBy(ps.getOrderByElements(), scope, inner);
      return inner;
    }
    if (select instanceof SetOperationList) {
      SetOperationList set = (SetOperationList) select;
      for (Select branch : set.getSelects()) {
        analyzeChecked(branch, outer, "a branch of a UNION, INTERSECT or EXCEPT");
      }
      checkOrderBy(set.getOrderByElements(), new Scope(outer), null);
      return Shape.opaque();
    }
    if (!(select instanceof PlainSelect)) {
      // VALUES and other row sources hold no encrypted column
      return Shape.opaque();
    }
    PlainSelect ps = (PlainSelect) select;
    Scope scope = new Scope(outer);
    addWithItems(ps.getWithItemsList(), scope);
    addFrom(ps.getFromItem(), ps.getJoins(), scope);
    checkClauses(ps, scope);

    boolean expand = scope.hasEncryptedRelation();
    List<SelectItem<?>> items = new ArrayList<>();
    List<Output> outputs = new ArrayList<>();
    boolean opaque = false;
    for (SelectItem<?> item : ps.getSelectItems()) {
      Expression e = item.getExpression();
      if (e instanceof AllTableColumns) {
        Relation r = scope.relation(Names.key(((AllTableColumns) e).getTable().getName()));
        if (expand && r != null) {
          expandInto(r, items, outputs);
        } else {
          items.add(item);
          opaque = true;
        }
      } else if (e instanceof AllColumns) {
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
        items.add(item);
        outputs.add(new Output(Names.key(label), r));
      } else {
        check(e, scope, "a function or expression in the select list", Use.EXPRESSION);
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
    if (!sources.isEmpty()) {
      EncryptedColumn first = firstEncrypted(outputs);
      if (ps.getDistinct() != null) {
        throw Rejections.grouping(first, "a SELECT DISTINCT");
      }
      GroupByElement groupBy = ps.getGroupBy();
      if (groupBy != null || ps.getHaving() != null) {
        throw Rejections.grouping(first, "the select list of a grouped query");
      }
      if (opaque) {
        throw Rejections.of(first, "a SELECT * over a table RowSeal cannot see (a function or VALUES in FROM) is"
            + " combined with encrypted columns; name the columns explicitly");
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
    }
    checkOrderBy(ps.getOrderByElements(), scope, new Shape(outputs, sources, false));
    return new Shape(outputs, sources, opaque);
  }

  /**
   * Analyses a query whose select list the database consumes itself (a subquery in a condition, a
   * UNION branch, the source of an INSERT ... SELECT): an encrypted column in its select list is
   * rejected, like any other plaintext use.
   */
  void analyzeChecked(Select select, @Nullable Scope outer, String where) {
    if (select instanceof ParenthesedSelect) {
      analyzeChecked(((ParenthesedSelect) select).getSelect(), outer, where);
      checkOrderBy(select.getOrderByElements(), new Scope(outer), null);
      return;
    }
    if (select instanceof SetOperationList) {
      for (Select branch : ((SetOperationList) select).getSelects()) {
        analyzeChecked(branch, outer, where);
      }
      checkOrderBy(select.getOrderByElements(), new Scope(outer), null);
      return;
    }
    if (!(select instanceof PlainSelect)) {
      return;
    }
    PlainSelect ps = (PlainSelect) select;
    Scope scope = new Scope(outer);
    addWithItems(ps.getWithItemsList(), scope);
    addFrom(ps.getFromItem(), ps.getJoins(), scope);
    checkClauses(ps, scope);
    for (SelectItem<?> item : ps.getSelectItems()) {
      Expression e = item.getExpression();
      if (e instanceof AllColumns) {
        continue; // EXISTS (SELECT * ...): the columns are not used
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
    check(ps.getWhere(), scope, "a WHERE condition", Use.PREDICATE);
    if (ps.getJoins() != null) {
      for (Join j : ps.getJoins()) {
        if (j.getOnExpressions() != null) {
          for (Expression on : j.getOnExpressions()) {
            check(on, scope, "a JOIN condition", Use.PREDICATE);
          }
        }
        if (j.getUsingColumns() != null) {
          for (Column c : j.getUsingColumns()) {
            check(c, scope, "a JOIN ... USING", Use.PREDICATE);
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
          continue;
        }
      }
      check(e, scope, "ORDER BY", Use.ORDERING);
    }
  }

  private static io.rowseal.UnsupportedStatementException reject(Resolved r, String clause, Use use) {
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
      Resolved r = resolve(column, scope);
      if (r != null) {
        throw reject(r, clause, use);
      }
      return null;
    }

    @Override
    public <S> Void visit(IsNullExpression expr, S context) {
      if (expr.getLeftExpression() instanceof Column) {
        return null; // nullness is stored in clear
      }
      return super.visit(expr, context);
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
      analyzeChecked(select, scope, "a subquery");
      return null;
    }

    @Override
    public <S> Void visit(Select select, S context) {
      analyzeChecked(select, scope, "a subquery");
      return null;
    }
  }

  // ---------------------------------------------------------------- scopes

  private void addWithItems(@Nullable List<WithItem<?>> withItems, Scope scope) {
    if (withItems == null) {
      return;
    }
    for (WithItem<?> w : withItems) {
      if (!(w.getSelect() instanceof ParenthesedSelect)) {
        continue;
      }
      Shape shape = analyzeReadable(w.getSelect(), scope);
      if (!shape.sources.isEmpty() && w.getWithItemList() != null) {
        throw Rejections.of(firstEncrypted(shape.outputs),
            "a WITH query with a column list cannot carry encrypted columns; drop the column list and alias the columns");
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
      }
    }
  }

  private void addFromItem(FromItem item, Scope scope) {
    String alias = item.getAlias() != null ? item.getAlias().getName() : null;
    if (item instanceof Table) {
      Table t = (Table) item;
      String name = Names.key(t.getName());
      Shape cte = t.getSchemaName() == null ? scope.cte(name) : null;
      String reference = alias != null ? alias : t.getFullyQualifiedName();
      if (cte != null) {
        scope.relations.add(Relation.derived(Names.key(alias != null ? alias : name), reference, cte));
        return;
      }
      EncryptedTable et = encryptedTable(t.getName());
      Relation r = new Relation(Names.key(alias != null ? alias : t.getName()), reference, Names.unquote(t.getName()), et,
          null);
      if (et != null) {
        List<Expression> ids = new ArrayList<>();
        for (String id : et.idColumns()) {
          ids.add(column(reference, id));
        }
        r.source = new Source(et, column(reference, et.companionColumn()), ids);
      }
      scope.relations.add(r);
    } else if (item instanceof ParenthesedSelect) {
      Shape shape = analyzeReadable(((ParenthesedSelect) item).getSelect(), scope.parent);
      checkOrderBy(((ParenthesedSelect) item).getOrderByElements(), new Scope(scope.parent), shape);
      scope.relations.add(Relation.derived(alias != null ? Names.key(alias) : "", alias != null ? alias : "", shape));
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
      scope.relations.add(Relation.derived(alias != null ? Names.key(alias) : "", alias != null ? alias : "",
          Shape.opaque()));
    }
  }

  private void expandInto(Relation r, List<SelectItem<?>> items, List<Output> outputs) {
    if (r.derived != null) {
      if (r.derived.opaque) {
        if (r.derived.sources.isEmpty()) {
          throw Rejections.general("a SELECT * combines encrypted tables with a derived table whose columns RowSeal"
              + " cannot see; name the columns explicitly");
        }
      }
      for (Output o : r.derived.outputs) {
        if (o.label.isEmpty()) {
          throw Rejections.general("a SELECT * over a derived table with an unnamed expression column, combined with"
              + " encrypted columns; name the columns explicitly");
        }
        Column c = column(r.reference, o.label);
        items.add(new SelectItem<>(c));
        outputs.add(new Output(o.label, o.resolved == null ? null : r.lift(o.resolved)));
      }
      return;
    }
    List<String> names = catalog.columns(connection, r.tableName);
    if (names.isEmpty()) {
      throw Rejections.general("a SELECT * over table " + r.tableName + " is combined with encrypted columns, but the"
          + " database's metadata does not list its columns; name the columns explicitly");
    }
    for (String name : names) {
      if (r.source != null && name.equalsIgnoreCase(r.source.table.companionColumn())) {
        continue; // the wrapped data key is RowSeal's business, not the application's
      }
      items.add(new SelectItem<>(column(r.reference, name)));
      Resolved resolved = r.source != null && r.source.table.isEncrypted(name)
          ? new Resolved(r.source.table.column(name), r.source) : null;
      outputs.add(new Output(Names.key(name), resolved));
    }
  }

  private Column column(String reference, String name) {
    String quoted = PLAIN_IDENTIFIER.matcher(name).matches() ? name : identifierQuote + name + identifierQuote;
    return reference.isEmpty() ? new Column(quoted) : new Column(new Table(reference), quoted);
  }

  private static SelectItem<Expression> hidden(Expression e, String label) {
    SelectItem<Expression> item = new SelectItem<>(e);
    item.setAlias(new Alias(label, true));
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
   * The encrypted column {@code c} refers to, or null for a plaintext column.
   *
   * @throws io.rowseal.UnsupportedStatementException if an unqualified name is an encrypted column of
   *     more than one table in scope
   */
  @Nullable Resolved resolve(Column c, Scope scope) {
    String name = Names.key(c.getColumnName());
    Table t = c.getTable();
    String qualifier = t == null || t.getName() == null ? null : Names.key(t.getName());
    for (Scope s = scope; s != null; s = s.parent) {
      if (qualifier != null) {
        Relation r = s.relation(qualifier);
        if (r != null) {
          return r.resolve(name);
        }
      } else {
        Resolved hit = null;
        for (Relation r : s.relations) {
          Resolved x = r.resolve(name);
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
      }
    }
    return null;
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
        if (r.source != null || (r.derived != null && !r.derived.sources.isEmpty())) {
          return true;
        }
      }
      return false;
    }
  }

  /** A FROM item: a base table (encrypted when {@link #source} is set) or a derived table. */
  static final class Relation {
    final String name;
    final String reference;
    final @Nullable String tableName;
    final @Nullable EncryptedTable table;
    final @Nullable Shape derived;
    @Nullable Source source;
    private final Map<Source, Source> lifted = new IdentityHashMap<>();

    Relation(String name, String reference, @Nullable String tableName, @Nullable EncryptedTable table,
        @Nullable Shape derived) {
      this.name = name;
      this.reference = reference;
      this.tableName = tableName;
      this.table = table;
      this.derived = derived;
    }

    static Relation derived(String name, String reference, Shape shape) {
      return new Relation(name, reference, null, null, shape);
    }

    @Nullable Resolved resolve(String column) {
      if (source != null) {
        return source.table.isEncrypted(column) ? new Resolved(source.table.column(column), source) : null;
      }
      if (derived != null) {
        Output o = derived.output(column);
        return o == null || o.resolved == null ? null : lift(o.resolved);
      }
      return null;
    }

    /** The inner query's source seen from this level, through the inner query's generated labels. */
    Resolved lift(Resolved inner) {
      Source outer = lifted.get(inner.source);
      if (outer == null) {
        List<Expression> ids = new ArrayList<>();
        for (String label : inner.source.idLabels) {
          ids.add(new Column(new Table(reference), label));
        }
        outer = new Source(inner.source.table, new Column(new Table(reference), inner.source.companionLabel), ids);
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
