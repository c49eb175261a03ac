package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code SELECT *} over an encrypted table is expanded into the columns the table had when the plan was
 * made; a schema change must not leave a cached plan that silently drops a new column.
 */
class SchemaChangeTest {

  @ParameterizedTest
  @EnumSource(Db.class)
  void selectStar_afterAddColumnThroughTheWrapper_includesTheNewColumn(Db db) throws Exception {
    try (Cards cards = Cards.create(db); Connection c = cards.wrapped.getConnection(); Statement s = c.createStatement()) {
      cards.seed(1);
      String select = cards.sql("select * from T where id = 1");
      assertThat(labels(s, select)).doesNotContain("extra");
      s.execute(cards.sql("alter table T add column extra varchar(20)"));
      assertThat(labels(s, select)).contains("extra").doesNotContain("rowseal_dek");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void selectStar_afterAddColumnElsewhereAndSchemaChanged_includesTheNewColumn(Db db) throws Exception {
    try (Cards cards = Cards.create(db); Connection c = cards.wrapped.getConnection(); Statement s = c.createStatement()) {
      cards.seed(1);
      String select = cards.sql("select * from T where id = 1");
      assertThat(labels(s, select)).doesNotContain("extra");
      cards.rawExec(cards.sql("alter table T add column extra varchar(20)"));
      cards.wrapped.schemaChanged();
      assertThat(labels(s, select)).contains("extra");
    }
  }

  private static List<String> labels(Statement s, String sql) throws Exception {
    List<String> labels = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        labels.add(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
      }
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("card_number")).isNotNull();
    }
    return labels;
  }
}
