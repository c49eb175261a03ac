package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.PlaintextAdoption;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.internal.Randomness;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encrypt-existing job beside an application that writes through the JDBC wrapper: a partial update
 * made between the job's read of a page and its write (the job's package-private hook) is not
 * overwritten, and the row ends encrypted with the application's value. It lives in this module, which
 * has no module descriptor, because it needs both core's package-private seam and the JDBC wrapper.
 */
class EncryptExistingWithWrapperTest {

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_partialUpdateThroughWrapperMeanwhile_isNotOverwritten(String kind) throws Exception {
    // a schema of its own: the wrapper's schema validation reads the whole current schema
    DataSource raw = kind.equals("postgres") ? TestDatabases.postgresSchema(TestDatabases.uniqueName("adoptw"))
        : TestDatabases.h2(TestDatabases.uniqueName("adoptw"));
    String name = TestDatabases.uniqueName("adopt_w");
    int width = PlaintextAdoption.textFormLength(64);
    exec(raw, "create table " + name + " (id bigint primary key, holder varchar(" + width + "), card_number varchar("
        + width + "), rowseal_dek " + (kind.equals("postgres") ? "bytea" : "varbinary(512)") + ")");
    try {
      for (int id = 1; id <= 40; id++) {
        exec(raw, "insert into " + name + " (id, holder, card_number) values (" + id + ", 'Holder " + id + "', '41111111111111"
            + (10 + id) + "')");
      }
      AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));
      EncryptedTable table = EncryptedTable.builder(name).idColumns("id")
          .column("holder", String.class, StorageForm.TEXT)
          .column("card_number", String.class, StorageForm.TEXT)
          .adoptingPlaintext(true)
          .build();
      RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(table).build();
      RowSealDataSource app = RowSealDataSource.wrap(raw, rowSeal);
      boolean[] done = {false};

      JobReport report = EncryptExistingJob.builder(raw, rowSeal, table).batchSize(25).build().runWithHooks(PageHooks.beforeWrite(() -> {
        if (!done[0]) {
          done[0] = true;
          try (Connection c = app.getConnection();
              PreparedStatement ps = c.prepareStatement("update " + name + " set holder = ? where id = ?")) {
            ps.setString(1, "Changed meanwhile");
            ps.setLong(2, 12);
            ps.executeUpdate();
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        }
      }));

      assertThat(report.changedMeanwhile()).isEqualTo(1);
      assertThat(report.written()).isEqualTo(39);
      RowSeal strict = RowSeal.builder().keyRing(KeyRing.of(k1)).table(EncryptedTable.builder(name).idColumns("id")
          .column("holder", String.class, StorageForm.TEXT).column("card_number", String.class, StorageForm.TEXT)
          .build()).build();
      try (Connection c = RowSealDataSource.wrap(raw, strict).getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id, holder, card_number from " + name + " order by id")) {
        int rows = 0;
        while (rs.next()) {
          long id = rs.getLong(1);
          assertThat(rs.getString(2)).isEqualTo(id == 12 ? "Changed meanwhile" : "Holder " + id);
          assertThat(rs.getString(3)).isEqualTo("41111111111111" + (10 + id));
          rows++;
        }
        assertThat(rows).isEqualTo(40);
      }
    } finally {
      exec(raw, "drop table " + name);
    }
  }

  private static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
