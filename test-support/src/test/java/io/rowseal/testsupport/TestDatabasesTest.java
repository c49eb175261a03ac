package io.rowseal.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class TestDatabasesTest {

  @Test
  void postgres_serverAvailable_answersQueries() throws SQLException {
    assertRoundTrip(TestDatabases.postgres(), "create temporary table %s (id int primary key, v varchar(50))");
  }

  @Test
  void postgres_calledTwice_returnsSameInstance() {
    assertThat(TestDatabases.postgres()).isSameAs(TestDatabases.postgres());
  }

  @Test
  void postgresDescription_resolved_namesSourceWithoutPassword() {
    String description = TestDatabases.postgresDescription();

    assertThat(description).contains("jdbc:postgresql://");
    assertThat(description).doesNotContainPattern("(?i)password=[^*&;]");
    assertThat(description).doesNotContainPattern(":[^/@]+@");
  }

  @Test
  void mariadb_serverAvailable_answersQueries() throws SQLException {
    assertRoundTrip(TestDatabases.mariadb(), "create temporary table %s (id int primary key, v varchar(50))");
  }

  @Test
  void mariadbDescription_resolved_namesSourceWithoutPassword() {
    String description = TestDatabases.mariadbDescription();

    assertThat(description).contains("jdbc:mariadb://");
    assertThat(description).doesNotContainPattern("(?i)password=[^*&;]");
  }

  @Test
  void h2_namedDatabase_answersQueries() throws SQLException {
    assertRoundTrip(TestDatabases.h2(TestDatabases.uniqueName("h2")),
        "create local temporary table %s (id int primary key, v varchar(50))");
  }

  @Test
  void h2_sameName_sharesDatabaseAcrossDataSources() throws SQLException {
    String db = TestDatabases.uniqueName("shared");
    String table = TestDatabases.uniqueName("t");
    try (Connection c = TestDatabases.h2(db).getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + table + " (id int)");
      s.execute("insert into " + table + " values (42)");
    }
    try (Connection c = TestDatabases.h2(db).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from " + table)) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  void h2_nameWithSettingsInjection_throwsIllegalArgument() {
    assertThatThrownBy(() -> TestDatabases.h2("x;INIT=drop all objects"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void uniqueName_manyCalls_returnsDistinctIdentifierSafeNames() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String name = TestDatabases.uniqueName("Orders");
      assertThat(name).matches("[a-z][a-z0-9_]{0,62}").startsWith("orders_");
      names.add(name);
    }
    assertThat(names).hasSize(10_000);
  }

  @Test
  void uniqueName_oddOrLongPrefix_isSanitisedAndTruncated() {
    assertThat(TestDatabases.uniqueName("9 Weird-Name!")).matches("t_9_weird_name__[a-z0-9_]+");
    assertThat(TestDatabases.uniqueName("")).matches("t__[a-z0-9_]+");
    assertThat(TestDatabases.uniqueName("x".repeat(200))).hasSizeLessThanOrEqualTo(63)
        .matches("x+_[a-z0-9]+_[a-z0-9]{8}");
  }

  private static void assertRoundTrip(DataSource dataSource, String createTemplate)
      throws SQLException {
    String table = TestDatabases.uniqueName("roundtrip");
    try (Connection c = dataSource.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute(String.format(createTemplate, table));
      }
      try (PreparedStatement insert =
          c.prepareStatement("insert into " + table + " (id, v) values (?, ?)")) {
        insert.setInt(1, 1);
        insert.setString(2, "sealed \u00e9\u4e2d");
        assertThat(insert.executeUpdate()).isEqualTo(1);
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id, v from " + table)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.getString(2)).isEqualTo("sealed \u00e9\u4e2d");
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
