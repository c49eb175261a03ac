package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement that would need an encrypted column's plaintext inside the database (or would
 * copy, return or bulk-rewrite its ciphertext) fails with {@link SQLFeatureNotSupportedException},
 * SQLState 0A000, naming the table and column, and leaves the table exactly as it was. Each
 * statement is tried through every API that could run it (a prepared statement is executed if it is
 * not rejected), so a statement that slipped through would change the table or fail differently.
 */
class RejectedStatementsTest {
  enum Api { PREPARE, EXECUTE, PREPARE_CALL }

  private static final Set<Db> ALL = EnumSet.allOf(Db.class);
  private static final Set<Db> PG = EnumSet.of(Db.POSTGRES);
  private static final Set<Db> MARIADB = EnumSet.of(Db.MARIADB);
  private static final Set<Db> H2 = EnumSet.of(Db.H2);

  /** One rejected statement: {@code T} stands for the cards table. */
  static final class Case {
    final String name;
    final Set<Db> dbs;
    final String sql;
    final String column;
    final List<Api> apis;
    final Object[] parameters;

    Case(String name, Set<Db> dbs, String sql, String column, List<Api> apis, Object... parameters) {
      this.name = name;
      this.dbs = dbs;
      this.sql = sql;
      this.column = column;
      this.apis = apis;
      this.parameters = parameters;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Api> BOTH = List.of(Api.PREPARE, Api.EXECUTE);

  static Stream<Arguments> rejected() {
    List<Case> cases = List.of(
        new Case("WHERE card_number = ?", ALL, "select id from T where card_number = ?", "card_number",
            List.of(Api.PREPARE), "4111111111111101"),
        new Case("WHERE card_number = literal", ALL, "select id from T where card_number = '4111111111111101'",
            "card_number", BOTH),
        new Case("WHERE cvv IN (...)", ALL, "select id from T where cvv in ('007', '014')", "cvv", BOTH),
        new Case("LIKE on a text-form column", ALL, "select id from T where holder like 'Holder%'", "holder", BOTH),
        new Case("LIKE on a binary column", ALL, "select id from T where card_number like '4111%'", "card_number",
            BOTH),
        new Case("ORDER BY encrypted", ALL, "select id, card_number from T order by card_number", "card_number", BOTH),
        new Case("ORDER BY position of encrypted", ALL, "select id, card_number from T order by 2", "card_number",
            BOTH),
        new Case("ORDER BY alias of encrypted", ALL, "select id, card_number as pan from T order by pan", "card_number",
            BOTH),
        new Case("GROUP BY encrypted", ALL, "select count(*) from T group by cvv", "cvv", BOTH),
        new Case("DISTINCT encrypted", ALL, "select distinct card_number from T", "card_number", BOTH),
        new Case("function on encrypted in select list", ALL, "select upper(card_number) from T", "card_number", BOTH),
        new Case("function on encrypted in WHERE", ALL, "select id from T where upper(holder) = 'HOLDER 1'", "holder",
            BOTH),
        new Case("JOIN ON encrypted", ALL, "select a.id from T a join T b on a.card_number = b.card_number",
            "card_number", BOTH),
        new Case("encrypted predicate in a subquery", ALL,
            "select id from T where id in (select id from T where cvv = '007')", "cvv", BOTH),
        new Case("INSERT ... SELECT copying encrypted columns", ALL,
            "insert into T (id, holder, card_number, cvv, note) select id + 100, holder, card_number, cvv, note from T",
            "holder", BOTH),
        new Case("UPDATE of encrypted without WHERE", ALL, "update T set card_number = '5500000000000004'",
            "card_number", BOTH),
        new Case("UPDATE of encrypted WHERE another column", ALL,
            "update T set card_number = '5500000000000004' where note = 'note 1'", "card_number", BOTH),
        new Case("UPDATE of encrypted WHERE id range", ALL, "update T set cvv = '999' where id > 1", "cvv", BOTH),
        new Case("UPDATE SET card_number = card_number || 'x'", ALL,
            "update T set card_number = card_number || 'x' where id = 1", "card_number", BOTH),
        new Case("UPDATE SET holder = concat(holder, 'x')", ALL,
            "update T set holder = concat(holder, 'x') where id = 1", "holder", BOTH),
        new Case("UPDATE SET cvv = card_number (copy between columns)", ALL,
            "update T set cvv = card_number where id = 1", "cvv", BOTH),
        new Case("DELETE WHERE encrypted", ALL, "delete from T where cvv = '007'", "cvv", BOTH),
        new Case("stored procedure call naming the table", ALL, "{call rowseal_archive('T')}", "card_number",
            List.of(Api.PREPARE_CALL, Api.EXECUTE)),
        new Case("unparseable SQL naming the table", ALL, "select id, card_number from T where id = = 1",
            "card_number", BOTH),
        new Case("ON CONFLICT DO UPDATE SET card_number", PG,
            "insert into T (id, holder, card_number, cvv, note) values (1, 'Other', '5500000000000004', '999', 'n')"
                + " on conflict (id) do update set card_number = excluded.card_number", "card_number", BOTH),
        new Case("COPY FROM STDIN", PG, "COPY T FROM STDIN", "card_number", List.of(Api.EXECUTE)),
        new Case("INSERT ... RETURNING card_number", PG,
            "insert into T (id, holder, card_number, cvv, note) values (50, 'Other', '5500000000000004', '999', 'n')"
                + " returning card_number", "card_number", BOTH),
        new Case("UPDATE ... RETURNING card_number", PG, "update T set note = 'x' where id = 1 returning card_number",
            "card_number", BOTH),
        new Case("DELETE ... RETURNING card_number", PG, "delete from T where id = 1 returning card_number",
            "card_number", BOTH),
        new Case("ON DUPLICATE KEY UPDATE card_number", MARIADB,
            "insert into T (id, holder, card_number, cvv, note) values (1, 'Other', '5500000000000004', '999', 'n')"
                + " on duplicate key update card_number = values(card_number)", "card_number", BOTH),
        new Case("SELECT ... INTO OUTFILE", MARIADB,
            "select card_number from T into outfile '/tmp/rowseal_rejected_never_written.txt'", "card_number", BOTH),
        new Case("SELECT ... INTO DUMPFILE", MARIADB,
            "select card_number from T where id = 1 into dumpfile '/tmp/rowseal_rejected_never_written.bin'",
            "card_number", BOTH),
        new Case("SELECT ... INTO @variable", MARIADB, "select card_number from T where id = 1 into @v",
            "card_number", BOTH),
        new Case("REPLACE INTO", MARIADB,
            "replace into T (id, holder, card_number, cvv, note) values (1, 'Other', '5500000000000004', '999', 'n')",
            "card_number", BOTH),
        // The fail-closed issue's examples: each had run (writing plaintext or returning wrong rows) before the
        // allow-list engine.
        new Case("two statements, the second writing encrypted (prepared)", ALL,
            "select 1; update T set card_number = ? where id = ?", "card_number", List.of(Api.PREPARE),
            "5500000000000004", 1L),
        new Case("two statements, the second writing encrypted", ALL,
            "select 1; update T set card_number = '5500000000000004' where id = 1", "card_number", BOTH),
        new Case("two updates, the second of an encrypted column", ALL,
            "update T set note = 'x' where id = 2; update T set holder = 'Eve' where id = 1", "holder", BOTH),
        new Case("window partitioned by encrypted", ALL, "select id, count(*) over (partition by card_number) from T",
            "card_number", BOTH),
        new Case("position() on encrypted", ALL, "select id from T where position('41' in card_number) > 0",
            "card_number", BOTH),
        new Case("FILTER (WHERE encrypted = ?)", ALL, "select count(*) filter (where card_number = ?) from T",
            "card_number", List.of(Api.PREPARE), "4111111111111101"),
        new Case("alias column list, predicate on renamed encrypted", ALL, "select id from T x(a, b, c, d) where d = ?",
            "card_number", List.of(Api.PREPARE), "007"),
        new Case("alias column list in the select list", ALL, "select a, c from T as t(a, b, c)", "card_number", BOTH),
        new Case("NATURAL JOIN with *", ALL, "select * from T natural join T t2", "card_number", BOTH),
        new Case("JOIN ... USING (id) with *", ALL, "select * from T a join T b using (id)", "card_number", BOTH),
        new Case("UNION ALL of two SELECT *", ALL, "select * from T union all select * from T", "card_number", BOTH),
        new Case("TABLE T", ALL, "table T", "card_number", BOTH),
        new Case("the row as a value", ALL, "select c from T c", "card_number", BOTH),
        new Case("row_to_json(c)", ALL, "select row_to_json(c) from T c", "card_number", BOTH),
        new Case("to_jsonb(c.*)", ALL, "select to_jsonb(c.*) from T c", "card_number", BOTH),
        new Case("json_agg(c)", ALL, "select json_agg(c) from T c", "card_number", BOTH),
        new Case("json_object of encrypted", ALL, "select json_object('n', card_number) from T", "card_number", BOTH),
        new Case("VALUES with a subquery of encrypted", ALL, "values ((select card_number from T where id = 1))",
            "card_number", BOTH),
        new Case("CROSS JOIN LATERAL selecting encrypted", ALL,
            "select l.n from T c cross join lateral (select c.card_number as n) l", "card_number", BOTH),
        new Case("CREATE TABLE AS SELECT encrypted", ALL, "create table T_copy as select card_number from T",
            "card_number", BOTH),
        new Case("CREATE VIEW over *", ALL, "create view T_v as select * from T", "card_number", BOTH),
        new Case("primary key change", ALL, "update T set id = ? where id = ?", "id", List.of(Api.PREPARE), 10L, 1L),
        new Case("writable CTE", ALL, "with u as (update T set note = 'x' where id = 1 returning id) select id from u",
            "card_number", BOTH),
        new Case("upsert copying EXCLUDED.card_number into a plain column", ALL,
            "insert into T (id, note) values (1, 'x') on conflict (id) do update set note = excluded.card_number",
            "card_number", BOTH),
        new Case("multi-table UPDATE setting another table's encrypted column", MARIADB,
            "update T a join T b on a.id = b.id set b.card_number = 'x' where a.id = 1", "card_number", BOTH),
        new Case("OFFSET ? LIMIT ? (JSqlParser renders LIMIT first: the parameters would swap)", PG,
            "select id, card_number from T order by id offset ? limit ?", "card_number", List.of(Api.PREPARE), 1L, 2L),
        new Case("MERGE INTO ... KEY", H2,
            "merge into T (id, holder, card_number, cvv, note) key (id)"
                + " values (1, 'Other', '5500000000000004', '999', 'n')",
            "card_number", BOTH));
    List<Arguments> arguments = new ArrayList<>();
    for (Case k : cases) {
      for (Db db : k.dbs) {
        arguments.add(Arguments.of(db, k));
      }
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rejected")
  void statement_needsPlaintextInDatabase_throws0A000AndChangesNothing(Db db, Case k) throws Exception {
    try (Cards cards = Cards.create(db)) {
      cards.seed(3);
      List<String> before = cards.snapshot();
      String sql = cards.sql(k.sql);
      try (Connection c = cards.wrapped.getConnection()) {
        for (Api api : k.apis) {
          Throwable thrown = catchThrowable(() -> run(c, api, sql, k.parameters));
          assertThat(thrown).as("%s through %s", sql, api).isInstanceOf(SQLFeatureNotSupportedException.class);
          SQLException e = (SQLException) thrown;
          assertThat(e.getSQLState()).as("SQLState").isEqualTo("0A000");
          assertThat(e.getMessage()).as("message").contains(cards.name).contains(k.column);
        }
      }
      assertThat(cards.snapshot()).as("the table after the rejected statement").isEqualTo(before);
    }
  }

  private static void run(Connection c, Api api, String sql, Object[] parameters) throws SQLException {
    switch (api) {
      case PREPARE:
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (int i = 0; i < parameters.length; i++) {
            ps.setObject(i + 1, parameters[i]);
          }
          ps.execute();
        }
        break;
      case EXECUTE:
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        }
        break;
      default:
        try (CallableStatement cs = c.prepareCall(sql)) {
          cs.execute();
        }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void isNullAndIsNotNull_onEncryptedColumn_areAllowedAndFilter(Db db) throws Exception {
    try (Cards cards = Cards.create(db); Connection c = cards.wrapped.getConnection()) {
      cards.insert(c, 1, "Ann", "4111111111111111", null, "no cvv");
      cards.insert(c, 2, "Bob", "4000000000000002", "123", "cvv");
      cards.insert(c, 3, null, "4000000000000003", "456", "no holder");
      assertThat(ids(c, cards.sql("select id from T where cvv is null order by id"))).containsExactly(1L);
      assertThat(ids(c, cards.sql("select id from T where cvv is not null order by id"))).containsExactly(2L, 3L);
      assertThat(ids(c, cards.sql("select id from T where holder is not null and cvv is not null order by id")))
          .containsExactly(2L);
      try (PreparedStatement ps = c.prepareStatement(cards.sql(
          "select id, card_number, cvv from T where cvv is not null and id > ? order by id"))) {
        ps.setLong(1, 2);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString("card_number")).isEqualTo("4000000000000003");
          assertThat(rs.getString("cvv")).isEqualTo("456");
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }

  private static List<Long> ids(Connection c, String sql) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }
}
