package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Row ids must read back as they were written, or a row-bound row never decrypts: a fixed-width
 * {@code CHAR(n)} key is refused when a statement on the table is first planned (PostgreSQL and H2 pad it
 * with blanks on the way back), and an empty string id, whose AAD would equal an unbound row's, is
 * refused at write time. Nothing is written in either case.
 */
class RowIdRulesTest {

  @ParameterizedTest
  @EnumSource(Db.class)
  void insert_charPrimaryKey_rejectedBeforeExecutionNamingTableAndColumn(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("charkey");
    exec(raw, "create table " + name + " (code char(6) primary key, secret " + db.binary() + ", rowseal_dek "
        + db.binary() + ")");
    try {
      RowSeal rowSeal = rowSeal(name, "code");
      // schema validation refuses the first connection (SchemaValidationTest); this checks the planner's own refusal
      DataSource wrapped = RowSealDataSource.builder(raw, rowSeal).schemaValidation(false).build();
      try (Connection c = wrapped.getConnection()) {
        SQLFeatureNotSupportedException e = catchThrowableOfType(SQLFeatureNotSupportedException.class,
            () -> c.prepareStatement("insert into " + name + " (code, secret) values (?, ?)"));
        assertThat(e.getSQLState()).isEqualTo("0A000");
        assertThat(e.getMessage()).contains(name).contains("code").contains("CHAR").contains("VARCHAR");
        SQLFeatureNotSupportedException read = catchThrowableOfType(SQLFeatureNotSupportedException.class,
            () -> c.prepareStatement("select secret from " + name + " where code = ?"));
        assertThat(read.getSQLState()).isEqualTo("0A000");
      }
      assertThat(count(raw, name)).isZero();
    } finally {
      exec(raw, "drop table " + name);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void insert_emptyStringId_failsWithBadValueAndWritesNothing(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("strkey");
    exec(raw, "create table " + name + " (code varchar(20) primary key, secret " + db.binary() + ", rowseal_dek "
        + db.binary() + ")");
    try {
      DataSource wrapped = RowSealDataSource.wrap(raw, rowSeal(name, "code"));
      try (Connection c = wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement("insert into " + name + " (code, secret) values (?, ?)")) {
        ps.setString(1, "");
        ps.setString(2, "s3cret");
        SQLException e = catchThrowableOfType(SQLException.class, ps::executeUpdate);
        assertThat(e.getSQLState()).isEqualTo("22R02");
        assertThat(e.getMessage()).contains("may not be empty").doesNotContain("s3cret");
        ps.setString(1, "A1");
        ps.setString(2, "s3cret");
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThat(count(raw, name)).isEqualTo(1);
      try (Connection c = wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement("select secret from " + name + " where code = ?")) {
        ps.setString(1, "A1");
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("s3cret");
        }
      }
    } finally {
      exec(raw, "drop table " + name);
    }
  }

  private static RowSeal rowSeal(String table, String id) {
    return RowSeal.builder()
        .keyRing(KeyRing.of(Cards.masterKey("k1")))
        .table(EncryptedTable.builder(table).idColumns(id).column("secret", String.class).build())
        .build();
  }

  private static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static int count(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
