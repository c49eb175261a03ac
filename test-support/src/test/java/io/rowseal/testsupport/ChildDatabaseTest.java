package io.rowseal.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class ChildDatabaseTest {

  @Test
  void fromEnvironment_ofPostgresSchema_reachesTheSameSchema() throws SQLException {
    assertSameNamespace(TestDatabases.postgresSchemaDroppedAtExit("child_db"));
  }

  @Test
  void fromEnvironment_ofMariadbDatabase_reachesTheSameDatabase() throws SQLException {
    assertSameNamespace(TestDatabases.mariadbDatabaseDroppedAtExit("child_db"));
  }

  @Test
  void environment_ofServer_noScope() {
    Map<String, String> env = ChildDatabase.environment(TestDatabases.postgres());

    assertThat(env).containsEntry(ChildDatabase.KIND, "POSTGRES").containsEntry(ChildDatabase.INIT, "");
  }

  @Test
  void environment_ofDataSourceNotFromTestDatabases_refused() {
    assertThatThrownBy(() -> ChildDatabase.environment(TestDatabases.h2(TestDatabases.uniqueName("child"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TestDatabases");
  }

  @Test
  void fromEnvironment_noVariables_failsNamingThem() {
    assertThatThrownBy(() -> ChildDatabase.fromEnvironment(Map.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(ChildDatabase.URL);
  }

  @Test
  void fromEnvironment_unknownKind_refused() {
    assertThatThrownBy(() -> ChildDatabase.fromEnvironment(Map.of(ChildDatabase.KIND, "ORACLE",
        ChildDatabase.URL, "jdbc:oracle:thin:@x"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("POSTGRES");
  }

  @Test
  void databaseLogin_toString_withholdsPassword() {
    DatabaseLogin login = new DatabaseLogin(DatabaseKind.POSTGRES, "jdbc:postgresql://h/db", "u", "s3cret-pw");

    assertThat(login.toString()).doesNotContain("s3cret-pw");
  }

  private static void assertSameNamespace(DataSource parent) throws SQLException {
    try (Connection c = parent.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table marker (id int primary key)");
      s.execute("insert into marker values (42)");
    }
    DataSource child = ChildDatabase.fromEnvironment(ChildDatabase.environment(parent));
    try (Connection c = child.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from marker")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }
}
