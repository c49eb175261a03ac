package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wrapper's JDBC surface on real databases: no way to an updatable result set over an encrypted table,
 * no raw driver object from getConnection, getStatement, prepareCall or unwrap, and database metadata that
 * hides the companion column.
 */
class JdbcSurfaceOnDatabaseTest {
  private static void assertRefused(Throwable thrown, String... mentions) {
    assertThat(thrown).isInstanceOf(SQLFeatureNotSupportedException.class);
    assertThat(((SQLException) thrown).getSQLState()).isEqualTo("0A000");
    for (String m : mentions) {
      assertThat(thrown.getMessage()).contains(m);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void executeQuery_updatableStatementOnEncryptedTable_throws0A000(Db db) throws Exception {
    try (Cards cards = Cards.create(db); Connection c = cards.wrapped.getConnection();
        Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE)) {
      cards.seed(1);
      for (String sql : List.of("select id, note from T", "select id, card_number from T")) {
        assertRefused(catchThrowable(() -> s.executeQuery(cards.sql(sql))), cards.name, "CONCUR_UPDATABLE");
      }
      assertRefused(catchThrowable(() -> s.execute(cards.sql("select id, note from T"))), cards.name);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void updateRow_resultOverEncryptedTable_throws0A000AndChangesNothing(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      cards.seed(2);
      List<String> before = cards.snapshot();
      try (Connection c = cards.wrapped.getConnection()) {
        for (String sql : List.of("select id, note from T", "select id, card_number, note from T")) {
          try (PreparedStatement ps = c.prepareStatement(cards.sql(sql)); ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertRefused(catchThrowable(() -> rs.updateString("note", "changed")), "ResultSet.updateString",
                cards.name);
            assertRefused(catchThrowable(rs::updateRow), "ResultSet.updateRow");
            assertRefused(catchThrowable(rs::deleteRow), "ResultSet.deleteRow");
            assertRefused(catchThrowable(rs::moveToInsertRow), "ResultSet.moveToInsertRow");
            assertRefused(catchThrowable(rs::insertRow), "ResultSet.insertRow");
            assertRefused(catchThrowable(rs::refreshRow), "ResultSet.refreshRow");
          }
        }
      }
      assertThat(cards.snapshot()).isEqualTo(before);
    }
  }

  @Test
  void updateRow_updatableResultOverPlainTable_writes() throws Exception {
    try (Cards cards = Cards.create(Db.H2)) {
      String plain = cards.name + "_plain";
      cards.rawExec("create table " + plain + " (id bigint primary key, note varchar(20))",
          "insert into " + plain + " values (1, 'a')");
      try (Connection c = cards.wrapped.getConnection();
          Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE)) {
        try (ResultSet rs = s.executeQuery("select id, note from " + plain)) {
          assertThat(rs.next()).isTrue();
          rs.updateString(2, "b");
          rs.updateRow();
        }
        try (ResultSet rs = s.executeQuery("select note from " + plain)) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("b");
        }
      } finally {
        cards.rawExec("drop table " + plain);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void getConnectionAndGetStatement_anyPath_returnRowSealWrappers(Db db) throws Exception {
    try (Cards cards = Cards.create(db); Connection c = cards.wrapped.getConnection()) {
      cards.seed(1);
      try (Statement s = c.createStatement()) {
        assertThat(s.getConnection()).isSameAs(c);
        for (String sql : List.of("select id, note from T", "select id, card_number from T", "select 1")) {
          assertThat(s.execute(cards.sql(sql))).isTrue();
          try (ResultSet rs = s.getResultSet()) {
            assertThat(rs.getStatement()).isSameAs(s);
            assertThat(rs.getClass().getPackageName()).isEqualTo("io.rowseal.jdbc.internal");
          }
          assertThat(s.getMoreResults()).isFalse();
          assertThat(s.getResultSet()).isNull();
        }
        try (ResultSet rs = s.executeQuery(cards.sql("select id, card_number from T"))) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(2)).isEqualTo(Cards.number(1));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(cards.sql("select id, note from T"));
          ResultSet rs = ps.executeQuery()) {
        assertThat(ps.getConnection()).isSameAs(c);
        assertThat(rs.getStatement()).isSameAs(ps);
        assertThat(rs.getMetaData().getClass().getPackageName()).isEqualTo("io.rowseal.jdbc.internal");
      }
      DatabaseMetaData md = c.getMetaData();
      assertThat(md.getConnection()).isSameAs(c);
      try (ResultSet tables = md.getTables(null, null, "%", null)) {
        assertThat(tables.getStatement()).isNull();
      }
    }
  }

  @Test
  void prepareCall_textNamingNoEncryptedTable_returnsWrapperWithWrappedResults() throws Exception {
    try (Cards cards = Cards.create(Db.H2); Connection c = cards.wrapped.getConnection();
        CallableStatement cs = c.prepareCall("call 40 + 2")) {
      assertThat(cs.getClass().getPackageName()).isEqualTo("io.rowseal.jdbc.internal");
      assertThat(cs.getConnection()).isSameAs(c);
      try (ResultSet rs = cs.executeQuery()) {
        assertThat(rs.getStatement()).isSameAs(cs);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
      assertRefused(catchThrowable(() -> cs.unwrap(org.h2.jdbc.JdbcCallableStatement.class)), "bypass");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void unwrap_statementOrResultToDriverClass_throws0A000(Db db) throws Exception {
    try (Cards cards = Cards.create(db); Connection c = cards.wrapped.getConnection();
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(cards.sql("select id, card_number from T"));
        PreparedStatement ps = c.prepareStatement(cards.sql(Cards.INSERT))) {
      for (Object[] w : new Object[][] {{s, Statement.class}, {rs, ResultSet.class}, {ps, PreparedStatement.class}}) {
        java.sql.Wrapper wrapper = (java.sql.Wrapper) w[0];
        assertThat(wrapper.unwrap((Class<?>) w[1])).isSameAs(wrapper);
        assertThat(wrapper.isWrapperFor(AutoCloseable.class)).isTrue();
        assertThat(wrapper.isWrapperFor(String.class)).isFalse();
        assertRefused(catchThrowable(() -> wrapper.unwrap(String.class)), "bypass");
      }
      assertRefused(catchThrowable(() -> c.getMetaData().unwrap(String.class)), "bypass");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void getColumns_encryptedTable_hidesCompanionColumn(Db db) throws Exception {
    try (Cards cards = Cards.create(db); Connection c = cards.wrapped.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      String table = md.storesUpperCaseIdentifiers() ? cards.name.toUpperCase(Locale.ROOT) : cards.name;
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = md.getColumns(c.getCatalog(), null, table, "%")) {
        while (rs.next()) {
          columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
      assertThat(columns).containsExactly("id", "holder", "card_number", "cvv", "note");
      List<String> raw = new ArrayList<>();
      try (Connection r = cards.raw.getConnection();
          ResultSet rs = r.getMetaData().getColumns(r.getCatalog(), null, table, "%")) {
        while (rs.next()) {
          raw.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
      assertThat(raw).contains("rowseal_dek");
    }
  }
}
