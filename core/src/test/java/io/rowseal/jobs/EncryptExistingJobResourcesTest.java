package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rowseal.EncryptedTable;
import io.rowseal.PlaintextAdoption;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import io.rowseal.testsupport.TestDatabases;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What encrypt-existing holds while it works and what it gives back when it stops. */
class EncryptExistingJobResourcesTest {
  private final AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));

  private static EncryptedTable table(DataSource ds, String name, String bin) throws SQLException {
    exec(ds, "create table " + name + " (id bigint primary key, holder varchar(" + PlaintextAdoption.textFormLength(80)
        + "), note varchar(" + PlaintextAdoption.textFormLength(80) + "), rowseal_dek " + bin + ")");
    // rows with different NULL patterns, so the job prepares more than one compare-and-set statement
    exec(ds, "insert into " + name + " (id, holder, note) values (1, 'Ada', 'a'), (2, 'Grace', null), (3, null, 'c')");
    return EncryptedTable.builder(name).idColumns("id")
        .column("holder", String.class, StorageForm.TEXT)
        .column("note", String.class, StorageForm.TEXT)
        .adoptingPlaintext(true).build();
  }

  private static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void run_writeStatementCloseFails_closesEveryStatementAndRestoresAutoCommit() throws Exception {
    DataSource h2 = TestDatabases.h2(TestDatabases.uniqueName("adopt_close"));
    EncryptedTable t = table(h2, "cards", "varbinary(256)");
    List<PreparedStatement> updates = new ArrayList<>();
    AtomicInteger closed = new AtomicInteger();
    List<Connection> raw = new ArrayList<>();
    DataSource failingClose = proxy(DataSource.class, h2, (ds, m, args) -> {
      Object result = invoke(m, h2, args);
      if (!m.getName().equals("getConnection")) {
        return result;
      }
      Connection connection = (Connection) result;
      raw.add(connection);
      return proxy(Connection.class, connection, (c, cm, cargs) -> {
        Object r = invoke(cm, connection, cargs);
        if (cm.getName().equals("prepareStatement") && ((String) cargs[0]).startsWith("UPDATE")) {
          PreparedStatement real = (PreparedStatement) r;
          updates.add(real);
          return proxy(PreparedStatement.class, real, (s, sm, sargs) -> {
            Object sr = invoke(sm, real, sargs);
            if (sm.getName().equals("close")) {
              closed.incrementAndGet();
              throw new SQLException("close failed " + closed.get(), "08006");
            }
            return sr;
          });
        }
        return r;
      });
    });
    RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(t).build();

    SQLException e = catchThrowableOfType(() -> EncryptExistingJob.builder(failingClose, rowSeal, t).build().run(),
        SQLException.class);

    assertThat(updates).hasSizeGreaterThanOrEqualTo(2);
    assertThat(closed).hasValue(updates.size());
    for (PreparedStatement ps : updates) {
      assertThat(ps.isClosed()).isTrue();
    }
    assertThat(raw).isNotEmpty().allSatisfy(c -> assertThat(c.isClosed()).isTrue());
    assertThat(e.getMessage()).contains("close failed 1");
    assertThat(e.getSuppressed()).hasSize(updates.size() - 1);
    // the pages were committed before the close failed
    try (Connection c = h2.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from cards where rowseal_dek is null")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  void run_makingKeys_noTransactionOpenOnPostgres() throws Exception {
    DataSource pg = TestDatabases.postgres();
    String name = TestDatabases.uniqueName("adopt_tx");
    EncryptedTable t = table(pg, name, "bytea");
    try {
      List<Integer> jobPids = new ArrayList<>();
      DataSource recording = proxy(DataSource.class, pg, (ds, m, args) -> {
        Object result = invoke(m, pg, args);
        if (m.getName().equals("getConnection")) {
          try (Statement s = ((Connection) result).createStatement();
              ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            jobPids.add(rs.getInt(1));
          }
        }
        return result;
      });
      List<String> statesDuringWrap = new ArrayList<>();
      AtomicBoolean checking = new AtomicBoolean();
      MasterKey observed = new MasterKey() {
        @Override
        public KeyRef ref() {
          return k1.ref();
        }

        @Override
        public byte[] wrap(DataKey dataKey, WrapContext context) {
          if (checking.compareAndSet(false, true)) {
            try (Connection c = pg.getConnection();
                PreparedStatement ps = c.prepareStatement("select state from pg_stat_activity where pid = ?")) {
              for (int pid : jobPids) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                  statesDuringWrap.add(rs.next() ? rs.getString(1) : "gone");
                }
              }
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            } finally {
              checking.set(false);
            }
          }
          return k1.wrap(dataKey, context);
        }

        @Override
        public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
          return k1.unwrap(wrappedKey, context);
        }
      };
      RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(observed)).table(t).build();

      JobReport report = EncryptExistingJob.builder(recording, rowSeal, t).batchSize(2).build().run();

      assertThat(report.written()).isEqualTo(3);
      assertThat(jobPids).hasSize(2); // the reader's and the one worker's
      // every job connection, at each of the 3 wraps, is idle: none holds a transaction across a key operation
      assertThat(statesDuringWrap).hasSize(3 * jobPids.size()).containsOnly("idle");
    } finally {
      exec(pg, "drop table " + name);
    }
  }

  @FunctionalInterface
  private interface Handler {
    Object handle(Object self, java.lang.reflect.Method m, Object[] args) throws Throwable;
  }

  private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Object target, Handler handler) {
    InvocationHandler h = (self, m, args) -> handler.handle(self, m, args);
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
  }
}
