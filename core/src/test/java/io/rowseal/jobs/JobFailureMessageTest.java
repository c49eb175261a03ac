package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rowseal.EncryptedTable;
import io.rowseal.PlaintextAdoption;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every job's failure paths on a real PostgreSQL pass on the database's reason, never a secret: the
 * database refuses the job's statements (a role without UPDATE, or without SELECT), or its connection is
 * killed mid-run ({@code pg_terminate_backend}). The exception names the real cause (permission denied,
 * connection lost) and no message in its chain holds a wrapped key (hex or Base64) or a plaintext value.
 */
class JobFailureMessageTest {
  private static final int ROWS = 30;
  private static final String PLAINTEXT = "SECRET-holder-";

  private final AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));
  private final AesGcmMasterKey k2 = AesGcmMasterKey.of(KeyRef.of("local:k2"), Randomness.nextBytes(32));
  private final DataSource admin = TestDatabases.postgres();
  private final String schema = TestDatabases.uniqueName("job_fail");
  private final String role = TestDatabases.uniqueName("job_fail_role");
  private DataSource ds;
  private EncryptedTable cards;
  private EncryptedTable people;
  private final List<byte[]> companions = new ArrayList<>();
  /** Backend pids of the job's connections, in the order the job opened them (the reader's first). */
  private final List<Integer> jobPids = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws SQLException {
    ds = TestDatabases.postgresSchema(schema);
    exec(ds, "create table cards (id bigint primary key, holder bytea, rowseal_dek bytea)");
    exec(ds, "create table people (id bigint primary key, holder varchar(" + PlaintextAdoption.textFormLength(80)
        + "), rowseal_dek bytea)");
    cards = EncryptedTable.builder("cards").idColumns("id").column("holder", String.class).build();
    people = EncryptedTable.builder("people").idColumns("id").column("holder", String.class, StorageForm.TEXT)
        .adoptingPlaintext(true).build();
    RowSeal underK1 = RowSeal.builder().keyRing(KeyRing.of(k1)).table(cards).build();
    try (Connection c = ds.getConnection();
        PreparedStatement card = c.prepareStatement("insert into cards values (?, ?, ?)");
        PreparedStatement person = c.prepareStatement("insert into people (id, holder) values (?, ?)")) {
      for (long id = 1; id <= ROWS; id++) {
        try (RowKey key = underK1.newRowKey(cards, RowId.of(id))) {
          card.setLong(1, id);
          card.setBytes(2, key.encryptBinary(cards.column("holder"), PLAINTEXT + id));
          card.setBytes(3, key.companion());
          card.executeUpdate();
          companions.add(key.companion());
        }
        person.setLong(1, id);
        person.setString(2, PLAINTEXT + id);
        person.executeUpdate();
      }
    }
    exec(admin, "create role " + role);
    exec(admin, "grant usage on schema " + schema + " to " + role);
  }

  @AfterEach
  void tearDown() throws SQLException {
    exec(admin, "drop schema " + schema + " cascade");
    exec(admin, "drop owned by " + role);
    exec(admin, "drop role " + role);
  }

  @Test
  void rewrap_roleWithoutUpdate_failsNamingPermissionWithoutSecrets() throws SQLException {
    exec(admin, "grant select on " + schema + ".cards to " + role);

    SQLException e = catchThrowableOfType(() -> RewrapJob.builder(asRole(), toK2(), cards).build().run(),
        SQLException.class);

    assertPermissionDenied(e, "re-wrap of cards");
  }

  @Test
  void encryptExisting_roleWithoutUpdate_failsNamingPermissionWithoutSecrets() throws SQLException {
    exec(admin, "grant select on " + schema + ".people to " + role);
    RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(people).build();

    SQLException e = catchThrowableOfType(() -> EncryptExistingJob.builder(asRole(), rowSeal, people).build().run(),
        SQLException.class);

    assertPermissionDenied(e, "encrypt-existing of people");
    assertThat(plaintextRows()).isEqualTo(ROWS);
  }

  @Test
  void verify_roleWithoutSelect_failsNamingPermissionWithoutSecrets() {
    RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(cards).build();

    SQLException e = catchThrowableOfType(() -> VerifyJob.builder(asRole(), rowSeal, cards).build().run(),
        SQLException.class);

    assertPermissionDenied(e, "verify of cards");
  }

  @Test
  void rewrap_connectionKilledBeforeWrite_failsNamingConnectionWithoutSecrets() throws SQLException {
    AtomicBoolean killed = new AtomicBoolean();

    SQLException e = catchThrowableOfType(() -> RewrapJob.builder(recording(ds), toK2(), cards).batchSize(10).build()
        .runWithHooks(PageHooks.beforeWrite(() -> killOnce(killed, 1))), SQLException.class);

    assertConnectionLost(e, "re-wrap of cards");
    assertEveryCardReadable();
  }

  @Test
  void encryptExisting_connectionKilledBeforeWrite_failsNamingConnectionWithoutSecrets() throws SQLException {
    AtomicBoolean killed = new AtomicBoolean();
    RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(people).build();

    SQLException e = catchThrowableOfType(() -> EncryptExistingJob.builder(recording(ds), rowSeal, people)
        .batchSize(10).build().runWithHooks(PageHooks.beforeWrite(() -> killOnce(killed, 1))), SQLException.class);

    assertConnectionLost(e, "encrypt-existing of people");
    assertThat(plaintextRows()).isEqualTo(ROWS);
  }

  @Test
  void verify_readerConnectionKilled_failsNamingConnectionWithoutSecrets() {
    AtomicBoolean killed = new AtomicBoolean();
    RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(cards).build();

    SQLException e = catchThrowableOfType(() -> VerifyJob.builder(recording(ds), rowSeal, cards).batchSize(10).build()
        .runWithHooks(PageHooks.afterRead(() -> killOnce(killed, 0))), SQLException.class);

    assertConnectionLost(e, "verify of cards");
  }

  private RowSeal toK2() {
    return RowSeal.builder().keyRing(KeyRing.of(k2, k1)).table(cards).build();
  }

  private void assertPermissionDenied(SQLException e, String job) {
    assertThat((Throwable) e).isNotNull();
    assertThat(e.getSQLState()).isEqualTo("42501"); // insufficient_privilege
    String all = String.join("\n", SecretLeaks.messages(e));
    assertThat(e.getMessage()).contains(job);
    assertThat(all).contains("permission denied");
    SecretLeaks.assertNone(e, companions, List.of(PLAINTEXT));
  }

  private void assertConnectionLost(SQLException e, String job) {
    assertThat((Throwable) e).isNotNull();
    assertThat(e.getSQLState()).as(e.toString()).matches("08...|57P01");
    assertThat(e.getMessage()).contains(job);
    assertThat(String.join("\n", SecretLeaks.messages(e))).containsPattern("(?i)terminat|I/O error|connection");
    SecretLeaks.assertNone(e, companions, List.of(PLAINTEXT));
  }

  /** Kills the job's {@code index}-th connection the first time it is called, and waits until it is gone. */
  private void killOnce(AtomicBoolean killed, int index) {
    if (killed.getAndSet(true)) {
      return;
    }
    try (Connection c = admin.getConnection();
        PreparedStatement kill = c.prepareStatement("select pg_terminate_backend(?)");
        PreparedStatement alive = c.prepareStatement("select count(*) from pg_stat_activity where pid = ?")) {
      kill.setInt(1, jobPids.get(index));
      kill.executeQuery().close();
      alive.setInt(1, jobPids.get(index));
      // wait for the event (the backend has exited), not for a time: the job's next statement must fail
      while (true) {
        try (ResultSet rs = alive.executeQuery()) {
          rs.next();
          if (rs.getInt(1) == 0) {
            return;
          }
        }
        Thread.onSpinWait();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertEveryCardReadable() throws SQLException {
    RowSeal either = RowSeal.builder().keyRing(KeyRing.of(k2, k1)).table(cards).build();
    JobReport verify = VerifyJob.builder(ds, either, cards).build().run();
    assertThat(verify.failures()).isEmpty();
    assertThat(verify.processed()).isEqualTo(ROWS);
  }

  private long plaintextRows() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from people where rowseal_dek is null")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {@link #ds} with every connection acting as the restricted role. */
  private DataSource asRole() {
    return onEachConnection(ds, c -> exec(c, "set role " + role));
  }

  /** {@code target}, recording each connection's backend pid in {@link #jobPids}. */
  private DataSource recording(DataSource target) {
    return onEachConnection(target, c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
        rs.next();
        jobPids.add(rs.getInt(1));
      }
    });
  }

  @FunctionalInterface
  private interface ConnectionSetup {
    void accept(Connection c) throws SQLException;
  }

  private static DataSource onEachConnection(DataSource target, ConnectionSetup setup) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (self, m, args) -> {
          try {
            Object result = m.invoke(target, args);
            if (m.getName().equals("getConnection")) {
              setup.accept((Connection) result);
            }
            return result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection()) {
      exec(c, sql);
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
