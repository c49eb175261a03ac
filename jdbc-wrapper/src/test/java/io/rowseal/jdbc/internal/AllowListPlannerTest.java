package io.rowseal.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.errors.UnsupportedStatementException;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The planner's allow-list mechanics, on H2 (for metadata): what passes unparsed, what is always
 * rendered, the word audit that refuses any reference the analyzer did not classify, and the proof that
 * rendering keeps parameter order.
 */
class AllowListPlannerTest {
  private DataSource raw;
  private Connection connection;
  private JdbcEngine engine;
  private String cards;

  @BeforeEach
  void setUp() throws SQLException {
    raw = TestDatabases.h2(TestDatabases.uniqueName("allow"));
    cards = TestDatabases.uniqueName("cards");
    connection = raw.getConnection();
    try (Statement s = connection.createStatement()) {
      s.execute("create table " + cards + " (id bigint primary key, card_number varbinary(256), note varchar(50),"
          + " rowseal_dek varbinary(256))");
      s.execute("create table merchants (id bigint primary key, name varchar(50), card_number varchar(50))");
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    RowSeal rowSeal = RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), key)))
        .table(EncryptedTable.builder(cards).idColumns("id").column("card_number", String.class).build())
        .build();
    engine = new JdbcEngine(rowSeal, 100);
  }

  @AfterEach
  void tearDown() throws SQLException {
    connection.close();
  }

  private StatementPlan plan(String sql) throws SQLException {
    return engine.plan(sql.replace("T", cards), connection);
  }

  private SQLFeatureNotSupportedException rejected(String sql) {
    SQLFeatureNotSupportedException e = catchThrowableOfType(SQLFeatureNotSupportedException.class,
        () -> plan(sql));
    assertThat((Object) e).as(sql).isNotNull();
    assertThat(e.getSQLState()).isEqualTo("0A000");
    assertThat(e.getMessage()).contains(cards);
    return e;
  }

  @Test
  void plan_textNamingNoEncryptedTable_runsAsWritten() throws SQLException {
    String sql = "select name /* a comment */ from merchants where card_number = 'x'";
    StatementPlan p = engine.plan(sql, connection);
    assertThat(p).isInstanceOf(PassThroughPlan.class);
    assertThat(p.sql()).isSameAs(sql);
    assertThat(p.touchesEncryptedTable()).isFalse();
  }

  @Test
  void plan_dynamicSqlNamingNoTable_rejectedBecauseItCouldReachAnyTable() {
    for (String sql : List.of("EXECUTE IMMEDIATE CONCAT('UPDATE ca', 'rds SET card_number = 1')",
        "PREPARE s FROM 'select 1'", "DO $$ BEGIN EXECUTE 'x'; END $$", "RUNSCRIPT FROM 'dump.sql'", "SCRIPT NODATA",
        "# comment\nEXECUTE IMMEDIATE 'x'", "/* c */ execute immediate 'x'")) {
      SQLFeatureNotSupportedException e = catchThrowableOfType(SQLFeatureNotSupportedException.class,
          () -> engine.plan(sql, connection));
      assertThat((Object) e).as(sql).isNotNull();
      assertThat(e.getMessage()).contains(cards).contains("not wrapped");
    }
  }

  @Test
  void plan_ordinaryStatementKindsNamingNoTable_runAsWritten() throws SQLException {
    for (String sql : List.of("select 1", "(select 1)", "-- c\nselect 1", "set search_path to public",
        "{call my_proc(?)}", "commit", "create table x (id int)", "values (1)", "show tables")) {
      assertThat(engine.plan(sql, connection)).as(sql).isInstanceOf(PassThroughPlan.class);
    }
  }

  @Test
  void plan_textNamingTheTable_runsTheEnginesRenderingNotTheText() throws SQLException {
    StatementPlan p = plan("select id /* T */ , note -- T\n from T where id = ?");
    assertThat(p).isInstanceOf(CheckedPlan.class);
    assertThat(p.sql()).doesNotContain("/*").doesNotContain("--").contains(cards);
    assertThat(p.touchesEncryptedTable()).isTrue();
  }

  @Test
  void plan_tableNamedOnlyInsideALiteral_isParsedAndRendered() throws SQLException {
    StatementPlan p = plan("select name from merchants where name = 'T'");
    assertThat(p).isInstanceOf(CheckedPlan.class);
  }

  @Test
  void plan_unicodeEscapedIdentifier_isRejected() {
    SQLFeatureNotSupportedException e = catchThrowableOfType(SQLFeatureNotSupportedException.class,
        () -> engine.plan("update U&\"c\\0061rds\" set card_number = 'x'", connection));
    assertThat(e.getMessage()).contains("Unicode");
  }

  @Test
  void plan_severalStatements_rejectedWhole() {
    assertThat(rejected("select 1; update T set card_number = ? where id = ?").getMessage())
        .contains("one statement per text");
    rejected("update merchants set name = 'x'; delete from T");
  }

  @Test
  void plan_trailingGarbage_rejectedNotTruncated() {
    rejected("select id from T where id = 1 ) or (1 = 1");
  }

  @Test
  void plan_offsetBeforeLimit_rejectedBecauseRenderingWouldSwapParameters() {
    assertThat(rejected("select id, card_number from T order by id offset ? limit ?").getMessage())
        .contains("order of its ? parameters");
  }

  @Test
  void plan_limitBeforeOffset_keepsParameterOrder() throws SQLException {
    assertThat(plan("select id, card_number from T order by id limit ? offset ?")).isInstanceOf(SelectPlan.class);
  }

  @Test
  void plan_plainTablesColumnNamedLikeAnEncryptedOne_isClassifiedAndAllowed() throws SQLException {
    assertThat(plan("select m.card_number, c.note from T c join merchants m on m.id = c.id where m.card_number = ?"))
        .isInstanceOf(CheckedPlan.class);
  }

  @Test
  void plan_unqualifiedEncryptedNameResolvesToTheEncryptedTable_rejected() {
    rejected("select c.note from T c join merchants m on m.id = c.id where card_number = ?");
  }

  @Test
  void plan_unknownQualifier_rejected() {
    assertThat(rejected("select x.card_number from T c").getMessage()).contains("cannot tell which table");
  }

  @Test
  void plan_hibernateStyleSelectAndLock_planned() throws SQLException {
    assertThat(plan("select c1_0.id,c1_0.card_number,c1_0.note from T c1_0 where c1_0.id=? for update"))
        .isInstanceOf(SelectPlan.class);
    assertThat(plan("select c1_0.id from T c1_0 where c1_0.card_number is null offset ? rows fetch first ? rows only"))
        .isInstanceOf(CheckedPlan.class);
  }

  @Test
  void plan_schemaQualifiedQuotedNames_renderedAsNameParts() throws SQLException {
    StatementPlan p = plan("select \"PUBLIC\".\"T\".\"id\", \"PUBLIC\".\"T\".\"card_number\" from \"PUBLIC\".\"T\"");
    assertThat(p).isInstanceOf(SelectPlan.class);
    assertThat(p.sql()).contains("\"PUBLIC\".\"" + cards + "\".rowseal_dek").doesNotContain("\"\".\"\"");
  }

  @Test
  void audit_wordTheAnalyzerDidNotClassify_rejectsNamingTheColumn() throws SQLException {
    Map<String, EncryptedTable> tables = new HashMap<>();
    for (EncryptedTable t : engine.rowSeal().tables()) {
      tables.put(t.name(), t);
    }
    QueryAnalyzer analyzer = new QueryAnalyzer(tables, new ColumnCatalog(), connection, "\"");
    UnsupportedStatementException e = catchThrowableOfType(UnsupportedStatementException.class,
        () -> analyzer.audit("SELECT some_function(card_number) FROM merchants"));
    assertThat(e.getMessage()).contains(cards + ".card_number").contains("no rule");
    analyzer.audit("SELECT 'card_number' FROM merchants"); // a literal is data, not a reference
  }

  @Test
  void audit_literalWithBackslash_countsWhatFollowsBecauseDatabasesDisagreeWhereItEnds() throws SQLException {
    Map<String, EncryptedTable> tables = new HashMap<>();
    for (EncryptedTable t : engine.rowSeal().tables()) {
      tables.put(t.name(), t);
    }
    QueryAnalyzer analyzer = new QueryAnalyzer(tables, new ColumnCatalog(), connection, "\"");
    assertThat((Object) catchThrowableOfType(UnsupportedStatementException.class,
        () -> analyzer.audit("SELECT 'a\\' , 'x card_number y' FROM merchants"))).isNotNull();
  }

  @Test
  void sqlWords_quotedAndPlainWords_lowerCased() {
    List<String> words = new java.util.ArrayList<>();
    SqlWords.scan("SELECT \"Card\"\"X\", `b`, c$1 FROM 'skip me' -- not a comment to me", true, w -> words.add(w));
    assertThat(words).containsExactly("select", "card\"x", "b", "c$1", "from", "not", "a", "comment", "to", "me");
  }
}
