package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import java.util.Locale;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.comment.Comment;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.truncate.Truncate;

/**
 * The rules for statements other than SELECT, INSERT, UPDATE and DELETE in a text that names an
 * encrypted table. Allowed: schema changes that read no row values ({@code CREATE TABLE} without a
 * query, {@code DROP}, {@code TRUNCATE}, {@code CREATE INDEX}, {@code COMMENT}, and {@code ALTER TABLE}
 * operations that add or drop things without naming an encrypted column), and statements whose query
 * the analyzer proves reads no encrypted value ({@code CREATE TABLE ... AS SELECT}, {@code CREATE VIEW}).
 * Every other statement kind is refused. One instance per statement text; not thread-safe.
 */
final class DdlRules {
  private final QueryAnalyzer analyzer;

  DdlRules(QueryAnalyzer analyzer) {
    this.analyzer = analyzer;
  }

  StatementPlan plan(Statement statement) {
    if (statement instanceof CreateTable) {
      CreateTable create = (CreateTable) statement;
      if (create.getSelect() != null) {
        analyzer.analyzeChecked(create.getSelect(), null, "CREATE TABLE ... AS SELECT", false);
        analyzer.classify(create.getTable());
        return new CheckedPlan(statement.toString(), true);
      }
      return schemaOnly(statement);
    }
    if (statement instanceof CreateView) {
      CreateView view = (CreateView) statement;
      analyzer.analyzeChecked(view.getSelect(), null, "a view's query", false);
      analyzer.classify(view.getView());
      return new CheckedPlan(statement.toString(), true);
    }
    if (statement instanceof AlterView) {
      analyzer.analyzeChecked(((AlterView) statement).getSelect(), null, "a view's query", false);
      analyzer.classify(((AlterView) statement).getView());
      return new CheckedPlan(statement.toString(), true);
    }
    if (statement instanceof Drop || statement instanceof Truncate || statement instanceof CreateIndex
        || statement instanceof Comment) {
      return schemaOnly(statement);
    }
    if (statement instanceof Alter) {
      Alter alter = (Alter) statement;
      EncryptedTable table = analyzer.encryptedTable(alter.getTable().getName());
      if (table != null && alter.getAlterExpressions() != null) {
        for (AlterExpression e : alter.getAlterExpressions()) {
          checkAlter(table, e);
        }
      }
      return schemaOnly(statement);
    }
    if (statement instanceof net.sf.jsqlparser.statement.merge.Merge
        || statement instanceof net.sf.jsqlparser.statement.upsert.Upsert) {
      throw Rejections.general("MERGE, UPSERT and REPLACE cannot be encrypted row by row; use INSERT and UPDATE by"
          + " primary key");
    }
    throw Rejections.general("a " + statement.getClass().getSimpleName() + " statement names a table with encrypted"
        + " columns, and RowSeal has no rule for that kind of statement (it could read or write values inside the"
        + " database). Use SELECT, INSERT, UPDATE or DELETE through RowSeal, or run schema changes on a connection"
        + " that is not wrapped");
  }

  /** A schema change that reads no row values: it runs as rendered, without the word audit. */
  private StatementPlan schemaOnly(Statement statement) {
    analyzer.auditNotNeeded();
    return new CheckedPlan(statement.toString(), true);
  }

  /**
   * An ALTER TABLE operation on an encrypted table: dropping is fine; anything else that names an encrypted
   * column or the companion (a type change with USING, a rename, a generated column computed from it) would
   * transform or copy ciphertext, or break the configuration, and is refused.
   */
  private static void checkAlter(EncryptedTable table, AlterExpression e) {
    AlterOperation op = e.getOperation();
    String text = e.toString().toLowerCase(Locale.ROOT);
    if (op == AlterOperation.RENAME_TABLE || op == AlterOperation.RENAME) {
      throw Rejections.of(table, "an ALTER TABLE ... RENAME would move its rows (or a column) out from under the"
          + " name RowSeal is configured with, and they would read back as ciphertext. Rename in a migration on a"
          + " connection that is not wrapped, and configure the new name with the old one as its logical name");
    }
    if (op == AlterOperation.DROP) {
      if (mentions(text, table.companionColumn()) > 0) {
        throw Rejections.of(table, "dropping companion column " + table.companionColumn() + " would make every"
            + " encrypted value of the table unreadable");
      }
      return;
    }
    // ADD COLUMN of an encrypted column or of the companion itself is fine (Hibernate's schema update adds
    // the companion): the name may appear once, as the new column's name, and nowhere else.
    java.util.Set<String> added = new java.util.HashSet<>();
    if (op == AlterOperation.ADD && e.getColDataTypeList() != null) {
      for (AlterExpression.ColumnDataType d : e.getColDataTypeList()) {
        added.add(Names.key(d.getColumnName()));
      }
    }
    for (EncryptedColumn c : table.columns()) {
      int allowed = added.contains(Names.key(c.name())) ? 1 : 0;
      if (mentions(text, c.name()) > allowed) {
        throw Rejections.of(c, "an ALTER TABLE " + op + " names it; a change of type, name or default, or a"
            + " column computed from it, would transform or copy ciphertext inside the database. Run such schema"
            + " changes on a connection that is not wrapped, with a migration that re-encrypts through RowSeal");
      }
    }
    int allowed = added.contains(Names.key(table.companionColumn())) ? 1 : 0;
    if (mentions(text, table.companionColumn()) > allowed) {
      throw Rejections.of(table, "an ALTER TABLE " + op + " names companion column " + table.companionColumn()
          + ", which RowSeal manages; run such schema changes on a connection that is not wrapped");
    }
  }

  private static int mentions(String text, String word) {
    int[] found = {0};
    String w = Names.key(word);
    SqlWords.scan(text, false, x -> {
      if (x.equals(w)) {
        found[0]++;
      }
      return true;
    });
    return found[0];
  }
}
