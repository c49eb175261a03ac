package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import org.jspecify.annotations.Nullable;

/**
 * Plans INSERT, UPDATE and DELETE statements: which parameters are encrypted for which column and
 * row, where each row's id comes from, and the rewritten SQL that also writes the companion column.
 * One instance per statement text; not thread-safe.
 */
final class WritePlanner {
  private final QueryAnalyzer analyzer;
  private final String sql;
  private final int userParameters;

  WritePlanner(QueryAnalyzer analyzer, String sql) {
    this.analyzer = analyzer;
    this.sql = sql;
    this.userParameters = ParameterCounter.count(sql);
  }

  // ---------------------------------------------------------------- INSERT

  StatementPlan planInsert(Insert insert) {
    Table target = insert.getTable();
    EncryptedTable table = analyzer.encryptedTable(target.getName());
    QueryAnalyzer.Scope scope = new QueryAnalyzer.Scope(null);
    analyzer.addFrom(target, null, scope);
    if (insert.getWithItemsList() != null && !insert.getWithItemsList().isEmpty()) {
      if (table != null) {
        throw Rejections.of(table, "an INSERT with a WITH clause is not supported on it; insert plain VALUES");
      }
      analyzer.addWithItems(insert.getWithItemsList(), scope);
    }
    ExpressionList<Column> columns = insert.getColumns();
    if (columns != null) {
      for (Column c : columns) {
        analyzer.classify(c);
      }
    }
    QueryAnalyzer.Scope upsertScope = new QueryAnalyzer.Scope(null);
    upsertScope.relations.addAll(scope.relations);
    if (table != null) {
      // ON CONFLICT ... DO UPDATE sees the proposed row as EXCLUDED: the same columns, encrypted ones included
      QueryAnalyzer.Relation excluded = new QueryAnalyzer.Relation("excluded", new Table("excluded"),
          Names.unquote(target.getName()), null, table, null);
      excluded.source = new QueryAnalyzer.Source(table, new Column(table.companionColumn()), List.of());
      upsertScope.relations.add(excluded);
    }
    checkReturning(insert.getReturningClause(), scope, table);
    checkUpsert(insert.getDuplicateUpdateSets(), upsertScope, table);
    if (insert.getConflictAction() != null) {
      checkUpsert(insert.getConflictAction().getUpdateSets(), upsertScope, table);
      analyzer.check(insert.getConflictAction().getWhereExpression(), upsertScope, "ON CONFLICT ... WHERE",
          QueryAnalyzer.Use.PREDICATE);
    }
    if (insert.getConflictTarget() != null && insert.getConflictTarget().getWhereExpression() != null) {
      analyzer.check(insert.getConflictTarget().getWhereExpression(), scope, "ON CONFLICT ... WHERE",
          QueryAnalyzer.Use.PREDICATE);
    }
    if (insert.getSetUpdateSets() != null && !insert.getSetUpdateSets().isEmpty()) {
      if (table != null) {
        throw Rejections.of(table, "INSERT ... SET is not supported on it; write INSERT INTO " + table.name()
            + " (columns) VALUES (...)");
      }
      checkUpsert(insert.getSetUpdateSets(), scope, null);
    }
    if (table == null) {
      if (insert.getSelect() instanceof Values) {
        analyzer.check(insert.getValues().getExpressions(), scope, "the VALUES of an INSERT",
            QueryAnalyzer.Use.EXPRESSION);
      } else if (insert.getSelect() != null) {
        analyzer.analyzeChecked(insert.getSelect(), null, "an INSERT ... SELECT", false);
      }
      return new CheckedPlan(insert.toString());
    }
    if (columns == null || columns.isEmpty()) {
      throw Rejections.of(table, "an INSERT must name its columns so that RowSeal knows which values to encrypt;"
          + " write INSERT INTO " + table.name() + " (columns) VALUES (...)");
    }
    List<String> keys = new ArrayList<>();
    boolean anyEncrypted = false;
    for (Column c : columns) {
      String key = Names.key(c.getColumnName());
      if (key.equalsIgnoreCase(table.companionColumn())) {
        throw Rejections.of(table, "the statement writes companion column " + table.companionColumn()
            + ", which RowSeal manages itself; leave it out");
      }
      rejectIndexColumn(table, key);
      anyEncrypted |= table.isEncrypted(key);
      keys.add(key);
    }
    if (!(insert.getSelect() instanceof Values)) {
      if (anyEncrypted) {
        EncryptedColumn first = null;
        for (String k : keys) {
          if (table.isEncrypted(k)) {
            first = table.column(k);
            break;
          }
        }
        throw Rejections.copy(first, "an INSERT ... SELECT");
      }
      if (insert.getSelect() == null) {
        throw Rejections.of(table, "this INSERT form has no rule in RowSeal; write INSERT INTO " + table.name()
            + " (columns) VALUES (...)");
      }
      analyzer.analyzeChecked(insert.getSelect(), null, "an INSERT ... SELECT", false);
      return new CheckedPlan(insert.toString()); // only plaintext columns: encrypted ones stay NULL
    }

    List<ExpressionList<Expression>> rows = rows(insert.getValues(), table, columns.size());
    List<Slot> slots = new ArrayList<>();
    List<RowIdSource> rowIds = new ArrayList<>();
    Set<Integer> consumed = new HashSet<>();
    List<String> idColumns = lower(table.idColumns());
    List<@Nullable Slot> valueSources = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      ExpressionList<Expression> row = rows.get(r);
      int[] idParams = new int[idColumns.size()];
      Object[] idConstants = new Object[idColumns.size()];
      boolean[] idSeen = new boolean[idColumns.size()];
      boolean unbound = false;
      for (int c = 0; c < keys.size(); c++) {
        Expression e = row.get(c);
        String key = keys.get(c);
        if (table.isEncrypted(key)) {
          EncryptedColumn column = table.column(key);
          Slot slot = encryptedSlot(e, column, r, "INSERT ... VALUES");
          valueSources.add(slot);
          if (slot != null) {
            if (slot.kind == Slot.Kind.ENCRYPTED_CONSTANT) {
              row.set(c, new JdbcParameter());
            } else {
              consumed.add(slot.userIndex);
            }
            slots.add(slot);
          }
          continue;
        }
        valueSources.add(null);
        analyzer.check(e, scope, "the VALUES of an INSERT", QueryAnalyzer.Use.EXPRESSION);
        for (int p : parameters(e)) {
          slots.add(Slot.user(p));
          consumed.add(p);
        }
        int id = idColumns.indexOf(key);
        if (id >= 0) {
          idSeen[id] = true;
          if (uncast(e) instanceof JdbcParameter) {
            idParams[id] = ((JdbcParameter) uncast(e)).getIndex();
          } else {
            Object constant = literal(e);
            if (constant == null) {
              unbound = true; // DEFAULT, a sequence call or another expression: the database makes the id
            }
            idConstants[id] = constant;
          }
        }
      }
      for (boolean seen : idSeen) {
        unbound |= !seen;
      }
      row.add(new JdbcParameter());
      slots.add(Slot.companion(r));
      for (int c = 0; c < keys.size(); c++) {
        EncryptedColumn column = table.isEncrypted(keys.get(c)) ? table.column(keys.get(c)) : null;
        if (column != null && column.searchIndex() != null) {
          List<String> physical = analyzer.indexColumnsOf(column);
          for (String p : physical) {
            row.add(new JdbcParameter());
            slots.add(indexSlot(valueSources.get(r * keys.size() + c), column, p, physical, r));
          }
        }
      }
      rowIds.add(unbound ? RowIdSource.unbound() : RowIdSource.of(idParams, idConstants));
    }
    Column companion = new Column(table.companionColumn());
    analyzer.classify(companion);
    columns.add(companion);
    for (String k : keys) {
      EncryptedColumn column = table.isEncrypted(k) ? table.column(k) : null;
      if (column != null && column.searchIndex() != null) {
        for (String p : analyzer.indexColumnsOf(column)) {
          columns.add(analyzer.ownIndexColumn(p));
        }
      }
    }
    appendRemainingParameters(slots, consumed, table);
    return new WritePlan(insert.toString(), table, true, WritePlan.KeyMode.FRESH, slots, rowIds, userParameters, null);
  }

  @SuppressWarnings("unchecked")
  private static List<ExpressionList<Expression>> rows(Values values, EncryptedTable table, int width) {
    ExpressionList<?> expressions = values.getExpressions();
    List<ExpressionList<Expression>> rows = new ArrayList<>();
    if (expressions instanceof ParenthesedExpressionList && !(width == 1 && expressions.size() > 1)) {
      rows.add((ExpressionList<Expression>) expressions);
    } else {
      for (Object o : expressions) {
        if (o instanceof ParenthesedExpressionList) {
          rows.add((ExpressionList<Expression>) o);
        } else if (width == 1) {
          ExpressionList<Expression> single = new ParenthesedExpressionList<>((Expression) o);
          rows.add(single);
        } else {
          throw Rejections.of(table, "RowSeal cannot read the VALUES list of this INSERT; write one parenthesised"
              + " row per inserted row");
        }
      }
      if (!(expressions instanceof ParenthesedExpressionList) && width == 1 && rows.size() == expressions.size()) {
        // VALUES (?), (?): rows given one by one; rebuild the list so the companion can be appended per row
        ExpressionList<Expression> rebuilt = new ExpressionList<>();
        rebuilt.addAll((List<Expression>) (List<?>) rows);
        values.setExpressions(rebuilt);
      }
    }
    for (ExpressionList<Expression> row : rows) {
      if (row.size() != width) {
        throw Rejections.of(table, "an INSERT row has " + row.size() + " values for " + width + " columns");
      }
    }
    return rows;
  }

  private void checkUpsert(@Nullable List<UpdateSet> sets, QueryAnalyzer.Scope scope, @Nullable EncryptedTable table) {
    if (sets == null) {
      return;
    }
    for (UpdateSet set : sets) {
      for (Column c : set.getColumns()) {
        analyzer.classify(c);
        String key = Names.key(c.getColumnName());
        if (table != null && (table.isEncrypted(key) || key.equalsIgnoreCase(table.companionColumn()))) {
          throw Rejections.of(table.isEncrypted(key) ? table.column(key) : table.columns().get(0),
              "an upsert (ON CONFLICT DO UPDATE / ON DUPLICATE KEY UPDATE) cannot re-encrypt it in the database;"
                  + " INSERT, and on a duplicate key UPDATE the row by its primary key");
        }
 if (table != null) {
          rejectIndexColumn(table, key);
        }
        if (table != null && lower(table.idColumns()).contains(key)) {
          throw Rejections.of(table, "an upsert that changes primary key column " + c.getColumnName() + " would make"
              + " the row's encrypted values unreadable (they are bound to the id)");
        }
      }
      for (Object v : set.getValues()) {
        analyzer.check((Expression) v, scope, "an upsert's SET", QueryAnalyzer.Use.EXPRESSION);
      }
    }
  }

  private void checkReturning(@Nullable ReturningClause returning, QueryAnalyzer.Scope scope,
      @Nullable EncryptedTable table) {
    if (returning == null) {
      return;
    }
    for (SelectItem<?> item : returning) {
      Expression e = item.getExpression();
      if (item.getAlias() != null) {
        analyzer.declare(item.getAlias().getName());
      }
      if (e instanceof Column) {
        if (analyzer.resolve((Column) e, scope) != null) {
          throw Rejections.of(analyzer.resolve((Column) e, scope).column,
              "RETURNING would return its ciphertext; select the row back instead");
        }
        String key = Names.key(((Column) e).getColumnName());
        if (table != null && key.equalsIgnoreCase(table.companionColumn())) {
          throw Rejections.of(table, "RETURNING would return the wrapped data key; return the id columns");
        }
        if (table != null && table.isEncrypted(key)) {
          throw Rejections.of(table.column(key), "RETURNING would return its ciphertext; select the row back instead");
        }
      } else if (e instanceof net.sf.jsqlparser.statement.select.AllColumns && scope.hasEncryptedRelation()) {
        throw Rejections.general("RETURNING * on a table with encrypted columns would return ciphertext; return the"
            + " id columns and select the row back");
      } else {
        analyzer.check(e, scope, "RETURNING", QueryAnalyzer.Use.EXPRESSION);
      }
    }
  }

  // ---------------------------------------------------------------- UPDATE

  StatementPlan planUpdate(Update update) {
    Table target = update.getTable();
    EncryptedTable table = analyzer.encryptedTable(target.getName());
    QueryAnalyzer.Scope scope = new QueryAnalyzer.Scope(null);
    if (update.getWithItemsList() != null && !update.getWithItemsList().isEmpty()) {
      if (table != null) {
        throw Rejections.of(table, "an UPDATE with a WITH clause is not supported on it; update by primary key");
      }
      analyzer.addWithItems(update.getWithItemsList(), scope);
    }
    analyzer.addFrom(target, update.getStartJoins(), scope);
    analyzer.addFrom(update.getFromItem(), update.getJoins(), scope);
    for (List<Join> joins : java.util.Arrays.asList(update.getStartJoins(), update.getJoins())) {
      if (joins != null) {
        for (Join j : joins) {
          if (j.getOnExpressions() != null) {
            for (Expression on : j.getOnExpressions()) {
              analyzer.check(on, scope, "a JOIN condition", QueryAnalyzer.Use.PREDICATE);
            }
          }
        }
      }
    }
    boolean singleRowSource = (update.getFromItem() == null) && empty(update.getJoins()) && empty(update.getStartJoins())
        && update.getOrderByElements() == null && update.getLimit() == null && update.getReturningClause() == null
        && empty(update.getWithItemsList()) && table != null;
    update.setWhere(analyzer.rewriteWhere(update.getWhere(), scope, singleRowSource));
    analyzer.check(update.getWhere(), scope, "a WHERE condition", QueryAnalyzer.Use.PREDICATE);
    if (update.getOrderByElements() != null) {
      for (var o : update.getOrderByElements()) {
        analyzer.check(o.getExpression(), scope, "ORDER BY", QueryAnalyzer.Use.ORDERING);
      }
    }
    checkReturning(update.getReturningClause(), scope, table);

    List<EncryptedColumn> setEncrypted = new ArrayList<>();
    for (UpdateSet set : update.getUpdateSets()) {
      boolean pairwise = set.getColumns().size() == set.getValues().size();
      for (int k = 0; k < set.getColumns().size(); k++) {
        Column c = set.getColumns().get(k);
        String key = Names.key(c.getColumnName());
        if (table != null) {
          rejectIndexColumn(table, key);
        }
        QueryAnalyzer.Resolved resolved = analyzer.resolve(c, scope);
        for (QueryAnalyzer.Relation r : scope.relations) {
          if (r.table != null && key.equalsIgnoreCase(r.table.companionColumn())) {
            throw Rejections.of(r.table, "the statement writes companion column " + r.table.companionColumn()
                + ", which RowSeal manages itself; leave it out");
          }
        }
        if (resolved != null && resolved.column.table() != table) {
          throw Rejections.of(resolved.column, "a multi-table UPDATE sets it; RowSeal re-encrypts only the table named"
              + " after UPDATE, one row by primary key. Update " + resolved.column.table().name() + " by itself");
        }
        if (table != null && lower(table.idColumns()).contains(key)
            && (c.getTable() == null || analyzer.resolveRelation(c, scope) == scope.relations.get(0))) {
          throw Rejections.of(table, "the statement changes primary key column " + c.getColumnName() + "; every"
              + " encrypted value and the wrapped data key of a row are bound to its id, so the row would become"
              + " unreadable. Insert a new row through RowSeal and delete the old one");
        }
        if (table != null && table.isEncrypted(key) && resolved != null) {
          if (!pairwise) {
            throw Rejections.of(table.column(key), "it is set from a subquery or row expression; set it from a"
                + " parameter (SET " + c.getColumnName() + " = ?)");
          }
          setEncrypted.add(table.column(key));
        }
      }
      for (Object v : set.getValues()) {
        if (!pairwise) {
          analyzer.check((Expression) v, scope, "an UPDATE's SET", QueryAnalyzer.Use.EXPRESSION);
        }
      }
    }
    if (table == null || setEncrypted.isEmpty()) {
      for (UpdateSet set : update.getUpdateSets()) {
        if (set.getColumns().size() == set.getValues().size()) {
          for (Object v : set.getValues()) {
            analyzer.check((Expression) v, scope, "an UPDATE's SET", QueryAnalyzer.Use.EXPRESSION);
          }
        }
      }
      return new CheckedPlan(update.toString());
    }
    EncryptedColumn first = setEncrypted.get(0);
    if (update.getFromItem() != null || (update.getJoins() != null && !update.getJoins().isEmpty())
        || (update.getStartJoins() != null && !update.getStartJoins().isEmpty())
        || update.getOrderByElements() != null || update.getLimit() != null) {
      throw Rejections.of(first, "an UPDATE with FROM, JOIN, ORDER BY or LIMIT cannot be re-encrypted row by row;"
          + " update one row at a time by primary key (WHERE " + String.join(" = ? AND ", first.table().idColumns())
          + " = ?)");
    }

    List<String> idColumns = lower(table.idColumns());
    int[] idParams = new int[idColumns.size()];
    Object[] idConstants = new Object[idColumns.size()];
    String[] idLiterals = new String[idColumns.size()];
    boolean[] idSeen = new boolean[idColumns.size()];
    String reference = target.getAlias() != null ? Names.key(target.getAlias().getName()) : Names.key(target.getName());
    for (Expression conjunct : conjuncts(update.getWhere())) {
      if (!(conjunct instanceof EqualsTo)) {
        continue;
      }
      EqualsTo eq = (EqualsTo) conjunct;
      Expression left = uncast(eq.getLeftExpression());
      Expression right = uncast(eq.getRightExpression());
      if (!(left instanceof Column)) {
        Expression swap = left;
        left = right;
        right = swap;
      }
      if (!(left instanceof Column)) {
        continue;
      }
      Column col = (Column) left;
      if (col.getTable() != null && col.getTable().getName() != null
          && !Names.key(col.getTable().getName()).equals(reference)) {
        continue;
      }
      int id = idColumns.indexOf(Names.key(col.getColumnName()));
      if (id < 0) {
        continue;
      }
      if (right instanceof JdbcParameter) {
        idParams[id] = ((JdbcParameter) right).getIndex();
        idSeen[id] = true;
      } else if (literal(right) != null) {
        idConstants[id] = literal(right);
        idLiterals[id] = right.toString();
        idSeen[id] = true;
      }
    }
    for (boolean seen : idSeen) {
      if (!seen) {
        throw Rejections.of(first, "an UPDATE that sets it must identify one row by its primary key, so that RowSeal"
            + " can re-encrypt the row under its own data key; add WHERE "
            + String.join(" = ? AND ", table.idColumns()) + " = ? (run one statement, or one batch entry, per row)");
      }
    }

    List<Slot> slots = new ArrayList<>();
    Set<Integer> consumed = new HashSet<>();
    List<@Nullable Slot> setSources = new ArrayList<>();
    for (UpdateSet set : update.getUpdateSets()) {
      for (int k = 0; k < set.getColumns().size(); k++) {
        String key = Names.key(set.getColumns().get(k).getColumnName());
        Expression value = set.getValue(k);
        if (table.isEncrypted(key)) {
          Slot slot = encryptedSlot(value, table.column(key), 0, "UPDATE ... SET");
          setSources.add(slot);
          if (slot != null) {
            if (slot.kind == Slot.Kind.ENCRYPTED_CONSTANT) {
              @SuppressWarnings("unchecked")
              ExpressionList<Expression> values = (ExpressionList<Expression>) set.getValues();
              values.set(k, new JdbcParameter());
            } else {
              consumed.add(slot.userIndex);
            }
            slots.add(slot);
          }
        } else {
          analyzer.check(value, scope, "an UPDATE's SET", QueryAnalyzer.Use.EXPRESSION);
          for (int p : parameters(value)) {
            slots.add(Slot.user(p));
            consumed.add(p);
          }
        }
      }
    }
    Column companion = new Column(table.companionColumn());
    analyzer.classify(companion);
    update.getUpdateSets().add(new UpdateSet(companion, new JdbcParameter()));
    slots.add(Slot.companion(0));
    for (int i = 0; i < setEncrypted.size(); i++) {
      EncryptedColumn column = setEncrypted.get(i);
      if (column.searchIndex() != null) {
        List<String> physical = analyzer.indexColumnsOf(column);
        for (String p : physical) {
          update.getUpdateSets().add(new UpdateSet(analyzer.ownIndexColumn(p), new JdbcParameter()));
          slots.add(indexSlot(setSources.get(i), column, p, physical, 0));
        }
      }
    }
    int setSlots = slots.size();
    appendRemainingParameters(slots, consumed, table);

    // A lookup by a truncated index in the WHERE: the database's match may be a false positive, so the row is
    // read under its lock (its own key, as for a partial update) and updated only if its decrypted value matches.
    List<SelectPlan.Filter> filters = new ArrayList<>();
    boolean all = analyzer.filters.isEmpty() && setEncrypted.size() == table.columns().size()
        && new HashSet<>(setEncrypted).size() == table.columns().size();
    String lockSql = null;
    List<EncryptedColumn> adopt = new ArrayList<>();
    String adoptSql = null;
    if (!all) {
      StringBuilder byId = new StringBuilder(" WHERE ");
      for (int i = 0; i < table.idColumns().size(); i++) {
        // a literal id stays a literal, as the application wrote it: bound as a parameter, a string such as '1'
        // compared with a bigint column fails on PostgreSQL (varchar = bigint), where the literal is coerced
        byId.append(i == 0 ? "" : " AND ").append(table.idColumns().get(i)).append(" = ")
            .append(idLiterals[i] != null ? idLiterals[i] : "?");
      }
      StringBuilder sb = new StringBuilder("SELECT ").append(table.companionColumn());
      if (table.isAdoptingPlaintext()) {
        // A partial update of a row still in plaintext must not leave it half encrypted: the other
        // encrypted columns are read under the same lock and encrypted with the row's new key first.
        StringBuilder set = new StringBuilder("UPDATE ").append(target.getFullyQualifiedName()).append(" SET ");
        for (EncryptedColumn c : table.columns()) {
          if (!setEncrypted.contains(c)) {
            adopt.add(c);
            sb.append(", ").append(c.name());
            set.append(c.name()).append(" = ?, ");
          }
        }
        adoptSql = set.append(table.companionColumn()).append(" = ?").append(byId).append(" AND ")
            .append(table.companionColumn()).append(" IS NULL").toString();
      }
      int position = 2 + adopt.size();
      for (QueryAnalyzer.Filter f : analyzer.filters) {
        if (f.resolved.column.table() != table) {
          throw Rejections.of(f.resolved.column, "an UPDATE of " + table.name() + " filters by it; filter by a"
              + " searchable column of " + table.name() + " itself");
        }
        sb.append(", ").append(f.resolved.column.name());
        filters.add(new SelectPlan.Filter(new SelectPlan.EncryptedOutput(f.resolved.column, 0), position++,
            f.userIndexes, f.constants));
      }
      lockSql = sb.append(" FROM ").append(target.getFullyQualifiedName()).append(byId).append(" FOR UPDATE").toString();
    }
    return new WritePlan(update.toString(), table, false, all ? WritePlan.KeyMode.FRESH : WritePlan.KeyMode.EXISTING,
        slots, List.of(RowIdSource.of(idParams, idConstants)), userParameters, lockSql, adopt, adoptSql)
        .updating(setSlots, filters);
  }

  // ---------------------------------------------------------------- DELETE

  StatementPlan planDelete(Delete delete) {
    QueryAnalyzer.Scope scope = new QueryAnalyzer.Scope(null);
    analyzer.addWithItems(delete.getWithItemsList(), scope);
    analyzer.addFrom(delete.getTable(), null, scope);
    if (delete.getUsingList() != null) {
      for (Table t : delete.getUsingList()) {
        analyzer.addFrom(t, null, scope);
      }
    }
    analyzer.addFrom(null, delete.getJoins(), scope);
    if (delete.getJoins() != null) {
      for (Join j : delete.getJoins()) {
        if (j.getOnExpressions() != null) {
          for (Expression on : j.getOnExpressions()) {
            analyzer.check(on, scope, "a JOIN condition", QueryAnalyzer.Use.PREDICATE);
          }
        }
      }
    }
    if (delete.getTables() != null) {
      for (Table t : delete.getTables()) {
        if (scope.relation(Names.key(t.getName())) == null) {
          throw Rejections.general("a multi-table DELETE names " + t + ", which is not a table or alias of its FROM"
              + " clause; RowSeal cannot tell which rows it deletes");
        }
        analyzer.classify(t); // DELETE c FROM cards c ...: the rows to delete, not their values
      }
    }
    boolean singleRowSource = empty(delete.getUsingList()) && empty(delete.getJoins()) && empty(delete.getTables())
        && delete.getOrderByElements() == null && delete.getLimit() == null && delete.getReturningClause() == null
        && empty(delete.getWithItemsList()) && analyzer.encryptedTable(delete.getTable().getName()) != null;
    delete.setWhere(analyzer.rewriteWhere(delete.getWhere(), scope, singleRowSource));
    analyzer.check(delete.getWhere(), scope, "a WHERE condition", QueryAnalyzer.Use.PREDICATE);
    if (delete.getOrderByElements() != null) {
      for (var o : delete.getOrderByElements()) {
        analyzer.check(o.getExpression(), scope, "ORDER BY", QueryAnalyzer.Use.ORDERING);
      }
    }
    EncryptedTable table = analyzer.encryptedTable(delete.getTable().getName());
    checkReturning(delete.getReturningClause(), scope, table);
    return new CheckedPlan(delete.toString());
  }

  // ---------------------------------------------------------------- helpers

  private static boolean empty(@Nullable List<?> list) {
    return list == null || list.isEmpty();
  }

  /** Refuses a statement that names one of RowSeal's index columns itself (as it refuses the companion column). */
  private static void rejectIndexColumn(EncryptedTable table, String key) {
    EncryptedColumn indexed = table.indexedBy(key);
    if (indexed != null) {
      throw Rejections.of(indexed, "the statement writes " + key + ", its blind index, which RowSeal computes and writes"
          + " itself; leave it out");
    }
  }

  /** The slot of the index value written into {@code physical} for the value {@code source} encrypts (NULL for none). */
  private static Slot indexSlot(@Nullable Slot source, EncryptedColumn column, String physical, List<String> all,
      int row) {
    if (source == null) {
      return Slot.index(0, null, column, physical, all, false, row);
    }
    return Slot.index(source.kind == Slot.Kind.ENCRYPTED_USER ? source.userIndex : 0, source.constant, column, physical,
        all, false, row);
  }

  /** The slot for a value written to an encrypted column, null for SQL NULL. */
  private static @Nullable Slot encryptedSlot(Expression e, EncryptedColumn column, int row, String where) {
    if (e instanceof JdbcParameter) {
      return Slot.encryptedUser(((JdbcParameter) e).getIndex(), column, row);
    }
    if (e instanceof NullValue) {
      return null;
    }
    Object constant = literal(e);
    if (constant != null) {
      return Slot.encryptedConstant(constant, column, row);
    }
    throw Rejections.of(column, "its value in " + where + " is an expression the database would compute on"
        + " plaintext; bind the value as a parameter (?) instead");
  }

  /**
   * {@code e} without a {@code CAST(... AS type)} around it (jOOQ writes {@code cast(? as bigint)} for ids on
   * H2): an id compared or written through a cast is still the value the application bound.
   */
  private static Expression uncast(Expression e) {
    while (e instanceof net.sf.jsqlparser.expression.CastExpression) {
      e = ((net.sf.jsqlparser.expression.CastExpression) e).getLeftExpression();
    }
    return e;
  }

  /** The Java value of a string or number literal, or null if {@code e} is not one. */
  static @Nullable Object literal(Expression e) {
    if (e instanceof StringValue) {
      StringValue v = (StringValue) e;
      String prefix = v.getPrefix();
      if ((prefix != null && !prefix.isEmpty()) || v.getValue().indexOf('\\') >= 0) {
        // E'..', N'..', X'..', U&'..' or a backslash: what the literal means depends on the database (escape
        // rules, national character sets), so RowSeal cannot encrypt exactly the value the database would store.
        return null;
      }
      return v.getNotExcapedValue();
    } else if (e instanceof LongValue) {
      BigInteger v = ((LongValue) e).getBigIntegerValue();
      return v.bitLength() < 64 ? (Object) v.longValue() : v;
    } else if (e instanceof DoubleValue) {
      return new BigDecimal(e.toString());
    } else if (e instanceof SignedExpression && ((SignedExpression) e).getSign() == '-') {
      Object inner = literal(((SignedExpression) e).getExpression());
      if (inner instanceof Long) {
        return -(Long) inner;
      } else if (inner instanceof BigInteger) {
        return ((BigInteger) inner).negate();
      } else if (inner instanceof BigDecimal) {
        return ((BigDecimal) inner).negate();
      }
    }
    return null;
  }

  /** The application's parameters inside {@code e}, in text order. */
  private static List<Integer> parameters(Expression e) {
    List<Integer> found = new ArrayList<>();
    e.accept(new ExpressionVisitorAdapter<Void>() {
      @Override
      public <S> Void visit(JdbcParameter parameter, S context) {
        found.add(parameter.getIndex());
        return null;
      }
    }, null);
    found.sort(null);
    return found;
  }

  /** Adds the parameters after the rewritten part (WHERE, RETURNING, ...) in order. */
  private void appendRemainingParameters(List<Slot> slots, Set<Integer> consumed, EncryptedTable table) {
    int maxConsumed = 0;
    for (int p : consumed) {
      maxConsumed = Math.max(maxConsumed, p);
    }
    for (int p = 1; p <= userParameters; p++) {
      if (consumed.contains(p)) {
        continue;
      }
      if (p < maxConsumed) {
        throw Rejections.of(table, "RowSeal cannot place parameter " + p + " of this statement (a parameter inside a"
            + " subquery or in an unusual position); bind values directly in VALUES or SET and filter by id");
      }
      slots.add(Slot.user(p));
    }
  }

  private static List<Expression> conjuncts(@Nullable Expression where) {
    List<Expression> out = new ArrayList<>();
    collect(where, out);
    return out;
  }

  private static void collect(@Nullable Expression e, List<Expression> out) {
    if (e == null) {
      return;
    }
    if (e instanceof AndExpression) {
      collect(((AndExpression) e).getLeftExpression(), out);
      collect(((AndExpression) e).getRightExpression(), out);
    } else if (e instanceof ParenthesedExpressionList && ((ParenthesedExpressionList<?>) e).size() == 1) {
      collect((Expression) ((ParenthesedExpressionList<?>) e).get(0), out);
    } else {
      out.add(e);
    }
  }

  private static List<String> lower(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(Names.key(n));
    }
    return out;
  }
}
