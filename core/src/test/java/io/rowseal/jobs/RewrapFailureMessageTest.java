package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A re-wrap that the database refuses fails with a message that quotes no wrapped key: the drivers'
 * messages quote the statement's parameters (the old and new wrapped keys) and the failing values, and
 * the job must not pass them on. The refusals are real: a unique index on the companion's header (the
 * key reference), so that moving a row to the key another row already uses collides, and a PostgreSQL
 * trigger that raises with the old and new values in its message.
 */
class RewrapFailureMessageTest {
  /** Header of a companion: version, flags, reference length, "local:kN" (8 bytes). */
  private static final int HEADER = 3 + 8;

  private final AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));
  private final AesGcmMasterKey k2 = AesGcmMasterKey.of(KeyRef.of("local:k2"), Randomness.nextBytes(32));

  private EncryptedTable table(DataSource ds, String bin) throws SQLException {
    String name = TestDatabases.uniqueName("rw_fail");
    exec(ds, "create table " + name + " (id bigint primary key, card_number " + bin + ", rowseal_dek " + bin + ")");
    return EncryptedTable.builder(name).idColumns("id").column("card_number", String.class).build();
  }

  private static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Row 1 under k1, row 2 under k2; returns row 1's companion. */
  private byte[] rows(DataSource ds, EncryptedTable t) throws SQLException {
    byte[] first = null;
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + t.name() + " (id, card_number, rowseal_dek) values (?, ?, ?)")) {
      for (long id = 1; id <= 2; id++) {
        RowSeal seal = RowSeal.builder().keyRing(id == 1 ? KeyRing.of(k1, k2) : KeyRing.of(k2, k1)).table(t).build();
        try (RowKey key = seal.newRowKey(t, RowId.of(id))) {
          ps.setLong(1, id);
          ps.setBytes(2, key.encryptBinary(t.column("card_number"), "card-" + id));
          ps.setBytes(3, key.companion());
          ps.executeUpdate();
          if (id == 1) {
            first = key.companion();
          }
        }
      }
    }
    return first;
  }

  private SQLException rewrapFails(DataSource ds, EncryptedTable t) {
    RowSeal toK2 = RowSeal.builder().keyRing(KeyRing.of(k2, k1)).table(t).build();
    return catchThrowableOfType(() -> RewrapJob.builder(ds, toK2, t).build().run(), SQLException.class);
  }

  private static void assertNoWrappedKey(SQLException e, byte[] oldCompanion) {
    SecretLeaks.assertNone(e, List.of(java.util.Arrays.copyOfRange(oldCompanion, HEADER, oldCompanion.length)), List.of());
  }


  @Test
  void run_uniqueViolationOnPostgres_messageHoldsNoWrappedKey() throws SQLException {
    DataSource ds = TestDatabases.postgres();
    EncryptedTable t = table(ds, "bytea");
    try {
      byte[] old = rows(ds, t);
      exec(ds, "create unique index " + t.name() + "_hdr on " + t.name() + " (substr(rowseal_dek, 1, " + HEADER + "))");
      SQLException e = rewrapFails(ds, t);
      assertThat((Throwable) e).isInstanceOf(BatchUpdateException.class).hasMessageContaining("re-wrap of " + t.name());
      assertThat(e.getSQLState()).isEqualTo("23505");
      assertThat((Throwable) e.getNextException()).isNotNull();
      assertThat(e.getNextException().getMessage()).contains("duplicate key value violates unique constraint");
      assertNoWrappedKey(e, old);
    } finally {
      exec(ds, "drop table " + t.name());
    }
  }

  @Test
  void run_triggerRaisesWithValuesOnPostgres_messageHoldsNoWrappedKey() throws SQLException {
    DataSource ds = TestDatabases.postgres();
    EncryptedTable t = table(ds, "bytea");
    String fn = t.name() + "_refuse";
    try {
      byte[] old = rows(ds, t);
      exec(ds, "create function " + fn + "() returns trigger language plpgsql as $$ begin"
          + " raise exception 'refused % -> % (%)', old.rowseal_dek, new.rowseal_dek, encode(new.rowseal_dek, 'base64')"
          + " using errcode = '23514'; end $$");
      exec(ds, "create trigger " + fn + " before update on " + t.name() + " for each row execute function " + fn + "()");
      SQLException e = rewrapFails(ds, t);
      assertThat(e.getSQLState()).isEqualTo("23514");
      assertNoWrappedKey(e, old);
      for (String m : SecretLeaks.messages(e)) {
        // base64 of a key: a long run of base64 characters with digits in it (words have none)
        for (String token : m.split("[^A-Za-z0-9+/=]+")) {
          assertThat(token.length() >= 12 && token.matches(".*[0-9].*")).as(token + " in " + m).isFalse();
        }
      }
    } finally {
      exec(ds, "drop table " + t.name());
      exec(ds, "drop function " + fn + "()");
    }
  }

  @Test
  void run_duplicateEntryOnMariaDb_messageHoldsNoWrappedKey() throws SQLException {
    DataSource ds = TestDatabases.mariadb();
    EncryptedTable t = table(ds, "varbinary(256)");
    try {
      byte[] old = rows(ds, t);
      exec(ds, "create unique index " + t.name() + "_hdr on " + t.name() + " (rowseal_dek(" + HEADER + "))");
      SQLException e = rewrapFails(ds, t);
      assertThat(e.getErrorCode()).isEqualTo(1062);
      assertThat(e.getSQLState()).isEqualTo("23000");
      assertNoWrappedKey(e, old);
      for (String m : SecretLeaks.messages(e)) {
        assertThat(m).doesNotContain("local:k");
      }
    } finally {
      exec(ds, "drop table " + t.name());
    }
  }
}
