package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmokeTest {
  static DataSource raw(String kind) {
    switch (kind) {
      case "postgres": return TestDatabases.postgres();
      case "mariadb": return TestDatabases.mariadb();
      default: return TestDatabases.h2(TestDatabases.uniqueName("smoke"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"})
  void roundTrip(String kind) throws Exception {
    DataSource raw = raw(kind);
    String table = TestDatabases.uniqueName("cards");
    String bin = kind.equals("postgres") ? "bytea" : "varbinary(512)";
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + table + " (id bigint primary key, holder varchar(200), card_number " + bin
          + ", cvv " + bin + ", note varchar(100), rowseal_dek " + bin + ")");
    }
    EncryptedTable cards = EncryptedTable.builder(table).idColumns("id")
        .column("card_number", String.class).column("cvv", String.class)
        .column("holder", String.class, StorageForm.TEXT).build();
    RowSeal rowSeal = RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32)))).table(cards).build();
    DataSource ds = RowSealDataSource.wrap(raw, rowSeal);
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (id, holder, card_number, cvv, note) values (?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= 3; i++) {
          ps.setLong(1, i);
          ps.setString(2, "Holder " + i);
          ps.setString(3, "411111111111111" + i);
          ps.setString(4, "12" + i);
          ps.setString(5, "note " + i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("insert into " + table + " (id, holder, card_number, cvv) values (4, 'Lit Holder', '4000000000000004', null)");
      }
      try (PreparedStatement ps = c.prepareStatement("update " + table + " set card_number = ? where id = ?")) {
        ps.setString(1, "5500000000000002");
        ps.setLong(2, 2);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      try (PreparedStatement ps = c.prepareStatement("select c.id, c.holder, c.card_number, c.cvv, c.note from " + table + " c where c.id = ?")) {
        ps.setLong(1, 2);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getMetaData().getColumnCount()).isEqualTo(5);
          assertThat(rs.getString("holder")).isEqualTo("Holder 2");
          assertThat(rs.getString(3)).isEqualTo("5500000000000002");
          assertThat(rs.getObject("cvv")).isEqualTo("122");
          assertThat(rs.getString("note")).isEqualTo("note 2");
        }
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + table + " order by id")) {
        int n = 0;
        while (rs.next()) {
          n++;
          assertThat(rs.getString("card_number")).startsWith(n == 2 ? "55" : "4");
        }
        assertThat(n).isEqualTo(4);
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(5);
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select x.card_number from (select id, card_number from " + table + " where id > 1) x order by x.id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("5500000000000002");
      }
      assertThatThrownBy(() -> c.prepareStatement("select id from " + table + " where card_number = ?"))
          .isInstanceOf(SQLFeatureNotSupportedException.class)
          .hasMessageContaining(table + ".card_number");
      assertThatThrownBy(() -> c.prepareStatement("select id from " + table + " order by cvv"))
          .isInstanceOf(SQLFeatureNotSupportedException.class);
    }
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select holder, card_number from " + table + " where id = 1")) {
      rs.next();
      assertThat(rs.getString(1)).startsWith("rs1:");
      assertThat(rs.getBytes(2)[0]).isEqualTo((byte) 1);
    }
  }
}
