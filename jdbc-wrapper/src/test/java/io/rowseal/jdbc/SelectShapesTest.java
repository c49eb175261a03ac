package io.rowseal.jdbc;

import io.rowseal.jdbc.KeySetups.EveryKeySetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The query shapes applications and ORMs generate read decrypted values, and the result set shows
 * only the application's own columns.
 */
class SelectShapesTest {
  private static final int CARDS = 6;

  /** Cards 1..6 (card i belongs to customer 2 - i % 2, card 6 to none) and customers 1 and 2. */
  private static Cards withData(KeySetups.Setup setup) throws SQLException {
    return withData(Cards.on(setup));
  }

  private static Cards withData(Db db) throws SQLException {
    return withData(Cards.on(db));
  }

  private static Cards withData(Cards.Builder fixture) throws SQLException {
    Cards cards = fixture.withCustomers().build();
    try (Connection c = cards.wrapped.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(cards.sql("insert into CU (id, name, national_id) values (?, ?, ?)"))) {
        for (int id = 1; id <= 2; id++) {
          ps.setLong(1, id);
          ps.setString(2, customerName(id));
          ps.setString(3, nationalId(id));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      for (int id = 1; id <= CARDS; id++) {
        cards.insert(c, id, Cards.holder(id), Cards.number(id), Cards.cvv(id), "note " + id);
      }
      try (PreparedStatement ps = c.prepareStatement(cards.sql("update T set customer_id = ? where id = ?"))) {
        for (int id = 1; id < CARDS; id++) {
          ps.setLong(1, customerOf(id));
          ps.setLong(2, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    return cards;
  }

  private static long customerOf(long card) {
    return 2 - card % 2;
  }

  private static String customerName(long id) {
    return "Customer " + (char) ('A' + id);
  }

  private static String nationalId(long id) {
    return "NID-" + (1000 + id);
  }

  @EveryKeySetup
  void select_tableAliasAndColumnAliases_decrypts(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql(
            "select c.id, c.card_number as pan, c.holder, c.cvv as \"code\" from T c where c.id = ?"))) {
      ps.setLong(1, 3);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("pan")).isEqualTo(Cards.number(3));
        assertThat(rs.getString("holder")).isEqualTo(Cards.holder(3));
        assertThat(rs.getString(4)).isEqualTo(Cards.cvv(3));
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Db.class, names = "MARIADB")
  void select_lockInShareMode_decryptsUnderTheReadLock(Db db) throws Exception {
    try (Cards cards = withData(db); Connection c = cards.wrapped.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(cards.sql(
          "select c.id, c.card_number from T c where c.id = ? lock in share mode"))) {
        ps.setLong(1, 2);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(2)).isEqualTo(Cards.number(2));
        }
      }
      c.commit();
    }
  }

  @EveryKeySetup
  void select_joinOfTwoEncryptedTables_decryptsBothSides(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(cards.sql("select c.id, c.card_number, cu.name, cu.national_id, c.holder"
            + " from T c join CU cu on cu.id = c.customer_id order by c.id"))) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        long id = rs.getLong(1);
        assertThat(rs.getString(2)).isEqualTo(Cards.number(id));
        assertThat(rs.getString(3)).isEqualTo(customerName(customerOf(id)));
        assertThat(rs.getString("national_id")).isEqualTo(nationalId(customerOf(id)));
        assertThat(rs.getString("holder")).isEqualTo(Cards.holder(id));
      }
      assertThat(rows).isEqualTo(CARDS - 1);
      assertThat(rs.getMetaData().getColumnCount()).isEqualTo(5);
    }
  }

  @EveryKeySetup
  void select_leftJoinWithMissingSide_readsNullsForIt(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql("select c.card_number, cu.name from T c"
            + " left join CU cu on cu.id = c.customer_id where c.id = ?"))) {
      ps.setLong(1, CARDS);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(Cards.number(CARDS));
        assertThat(rs.getString(2)).isNull();
        assertThat(rs.wasNull()).isTrue();
      }
    }
  }

  @EveryKeySetup
  void selectStar_encryptedTable_decryptsAndHidesCompanion(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(cards.sql("select * from T order by id"))) {
      assertThat(labels(rs.getMetaData())).containsExactly("id", "holder", "card_number", "cvv", "note", "customer_id");
      for (long id = 1; id <= CARDS; id++) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("id")).isEqualTo(id);
        assertThat(rs.getString("holder")).isEqualTo(Cards.holder(id));
        assertThat(rs.getString("card_number")).isEqualTo(Cards.number(id));
        assertThat(rs.getObject("cvv")).isEqualTo(Cards.cvv(id));
        assertThat(rs.getString("note")).isEqualTo("note " + id);
      }
      assertThat(rs.next()).isFalse();
    }
  }

  @EveryKeySetup
  void selectTableStar_inJoin_decryptsThatTablesColumns(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql(
            "select c.*, cu.name from T c join CU cu on cu.id = c.customer_id where c.id = ?"))) {
      ps.setLong(1, 2);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(labels(rs.getMetaData()))
            .containsExactly("id", "holder", "card_number", "cvv", "note", "customer_id", "name");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("card_number")).isEqualTo(Cards.number(2));
        assertThat(rs.getString("cvv")).isEqualTo(Cards.cvv(2));
        assertThat(rs.getString("name")).isEqualTo(customerName(customerOf(2)));
      }
    }
  }

  @EveryKeySetup
  void select_subqueryInFrom_decrypts(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql("select x.id, x.card_number, x.pan_holder from"
            + " (select id, card_number, holder as pan_holder from T where id > ?) x order by x.id"))) {
      ps.setLong(1, 4);
      try (ResultSet rs = ps.executeQuery()) {
        for (long id = 5; id <= CARDS; id++) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(id);
          assertThat(rs.getString(2)).isEqualTo(Cards.number(id));
          assertThat(rs.getString("pan_holder")).isEqualTo(Cards.holder(id));
        }
        assertThat(rs.next()).isFalse();
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(3);
      }
    }
  }

  @EveryKeySetup
  void select_commonTableExpression_decrypts(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(cards.sql("with owned as (select c.id, c.card_number, cu.name from T c"
            + " join CU cu on cu.id = c.customer_id) select o.id, o.card_number, o.name from owned o order by o.id"))) {
      List<Long> ids = new ArrayList<>();
      while (rs.next()) {
        long id = rs.getLong("id");
        ids.add(id);
        assertThat(rs.getString("card_number")).isEqualTo(Cards.number(id));
        assertThat(rs.getString("name")).isEqualTo(customerName(customerOf(id)));
      }
      assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  @EveryKeySetup
  void select_commonTableExpressionWithColumnList_decryptsUnderTheListedNames(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql("with w (n, i) as (select card_number, id from T)"
            + " select w.n, w.i from w where w.i = ?"))) {
      ps.setLong(1, 3);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("n")).isEqualTo(Cards.number(3));
        assertThat(rs.getLong("i")).isEqualTo(3);
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
        assertThat(rs.next()).isFalse();
      }
    }
  }

  /** Hibernate's rendering of an HQL subquery in FROM: a derived table with a column list after its alias. */
  @ParameterizedTest
  @EnumSource(value = Db.class, names = {"POSTGRES", "H2"}) // MariaDB 10.11 has no derived column lists
  void select_derivedTableWithColumnList_decryptsUnderTheListedNames(Db db) throws Exception {
    try (Cards cards = withData(db); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql("select x1_0.c0, x1_0.c1 from (select c1_0.card_number,"
            + " c1_0.id from T c1_0) x1_0(c0, c1) where x1_0.c1 = ?"))) {
      ps.setLong(1, 4);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(Cards.number(4));
        assertThat(rs.getString("c0")).isEqualTo(Cards.number(4));
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @EveryKeySetup
  void select_derivedColumnListWithTheWrongCount_rejected(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection()) {
      assertThatThrownBy(() -> c.prepareStatement(cards.sql("with w (n) as (select card_number, id from T)"
          + " select n from w"))).isInstanceOf(java.sql.SQLFeatureNotSupportedException.class)
          .hasMessageContaining("one name per column");
    }
  }

  @EveryKeySetup
  void executeThenGetResultSet_statementAndPrepared_decrypt(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection()) {
      try (Statement s = c.createStatement()) {
        assertThat(s.execute(cards.sql("select id, card_number from T where id = 2"))).isTrue();
        try (ResultSet rs = s.getResultSet()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString("card_number")).isEqualTo(Cards.number(2));
          assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(cards.sql("select id, cvv from T where id = ?"))) {
        ps.setLong(1, 3);
        assertThat(ps.execute()).isTrue();
        try (ResultSet rs = ps.getResultSet()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString("cvv")).isEqualTo(Cards.cvv(3));
        }
      }
    }
  }

  static Stream<Arguments> pagination() {
    String hibernate = "select c1_0.id, c1_0.card_number, c1_0.holder from T c1_0 order by c1_0.id";
    return Stream.of(
        Arguments.of(Db.POSTGRES, hibernate + " offset ? rows fetch first ? rows only", new long[] {2, 3}),
        Arguments.of(Db.POSTGRES, hibernate + " limit ? offset ?", new long[] {3, 2}),
        Arguments.of(Db.POSTGRES, hibernate + " fetch first ? rows only", new long[] {3}),
        Arguments.of(Db.MARIADB, hibernate + " limit ?, ?", new long[] {2, 3}),
        Arguments.of(Db.MARIADB, hibernate + " limit ? offset ?", new long[] {3, 2}),
        Arguments.of(Db.MARIADB, hibernate + " limit ?", new long[] {3}),
        Arguments.of(Db.H2, hibernate + " offset ? rows fetch first ? rows only", new long[] {2, 3}),
        Arguments.of(Db.H2, hibernate + " limit ? offset ?", new long[] {3, 2}),
        Arguments.of(Db.H2, hibernate + " fetch first ? rows only", new long[] {3}));
  }

  /** Offset 2 and page size 3 (or the first 3 rows) whatever the syntax orders its parameters. */
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("pagination")
  void select_paginationForm_returnsTheRightDecryptedPage(Db db, String sql, long[] parameters) throws Exception {
    long first = parameters.length == 1 ? 1 : 3;
    try (Cards cards = withData(db); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql(sql))) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setLong(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        for (long id = first; id < first + 3; id++) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong("id")).isEqualTo(id);
          assertThat(rs.getString("card_number")).isEqualTo(Cards.number(id));
          assertThat(rs.getString("holder")).isEqualTo(Cards.holder(id));
        }
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @EveryKeySetup
  void metaData_joinProjection_showsOnlyTheApplicationsColumns(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql("select c.id, c.card_number, cu.national_id"
            + " from T c join CU cu on cu.id = c.customer_id where c.id = ?"))) {
      // before execution, from the prepared statement
      ResultSetMetaData prepared = ps.getMetaData();
      if (prepared != null) { // a driver may not describe before execution
        assertThat(labels(prepared)).containsExactly("id", "card_number", "national_id");
      }
      ps.setLong(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        assertThat(meta.getColumnCount()).isEqualTo(3);
        assertThat(labels(meta)).containsExactly("id", "card_number", "national_id");
        assertThat(meta.getColumnClassName(2)).isEqualTo(String.class.getName());
        assertThat(meta.getColumnType(2)).isEqualTo(java.sql.Types.VARCHAR);
        assertThatThrownBy(() -> meta.getColumnLabel(4)).isInstanceOf(SQLException.class);
      }
    }
  }

  @EveryKeySetup
  void findColumn_hiddenLabel_fails(KeySetups.Setup setup) throws Exception {
    try (Cards cards = withData(setup); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql("select c.id, c.card_number from T c where c.id = ?"))) {
      ps.setLong(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("card_number")).isEqualTo(Cards.number(1));
        // the labels the wrapper appends for the companion and the id (rowseal_k<n>, rowseal_i<n>_<part>)
        for (String hidden : List.of("rowseal_k1", "rowseal_i1_1", "rowseal_dek")) {
          assertThatThrownBy(() -> rs.findColumn(hidden)).as(hidden).isInstanceOf(SQLException.class);
          assertThatThrownBy(() -> rs.getBytes(hidden)).as(hidden).isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() -> rs.getBytes(3)).isInstanceOf(SQLException.class);
      }
    }
  }

  private static List<String> labels(ResultSetMetaData meta) throws SQLException {
    List<String> labels = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      labels.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
    }
    return labels;
  }
}
