package io.rowseal.jdbc.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import java.util.HexFormat;
import java.security.SecureRandom;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.KeyRing;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexKeyVersion;
import io.rowseal.search.IndexView;
import io.rowseal.testsupport.ChildDatabase;
import io.rowseal.testsupport.ChildJvm;
import io.rowseal.testsupport.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online rotation of a blind-index key on PostgreSQL and on MariaDB: {@code reindex} runs in a child JVM
 * ({@link ReindexCrashChild}, run by {@link ChildJvm}) that is killed with SIGKILL at random moments spread over
 * every phase of the rotation and started again, while 4 application threads insert, update and look up rows by
 * the indexed column through the JDBC wrapper, and try to insert duplicates of existing values (the index columns
 * carry UNIQUE constraints). No lookup may miss a row that exists or return another, every duplicate must be
 * refused (no UNIQUE violation lost) and no unique value refused (none invented); at the end every row is on the
 * last version and the old column is empty. On MariaDB the index columns are {@code varbinary} (UNIQUE compares
 * them byte for byte) and a duplicate is error 1062 (SQLState 23000, which other errors share).
 *
 * <p>Each thread owns its rows (ids it inserted, and initial ids congruent to its number), so it knows each
 * one's current value without locks. A statement planned before a rotation added a column fails with SQLState
 * 40001, which the engine documents as "prepare again": the threads retry those and count them.
 */
@Tag("slow")
class ReindexCrashTest {
  private static final int ROWS = 8_000;
  private static final int KILLS = 12;
  private static final int THREADS = 4;
  private static final long STATE_TTL_MS = 800;
  private static final long MARGIN_MS = 400;
  /** The steps a kill follows, in the order a rotation takes them (the passes then a few committed pages). */
  private static final List<String> TRIGGERS = List.of("step customers.email: added",
      "step customers.email: activated", "step customers.email: indexing", "step customers.email: stopped",
      "step customers.email: clearing", "step customers.email: retired");

  @TempDir
  Path dir;

  private final Queue<String> problems = new ConcurrentLinkedQueue<>();
  private final AtomicLong lookups = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong duplicatesRefused = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong nextId = new AtomicLong(ROWS + 1);
  private final AtomicLong generation = new AtomicLong();
  private final Map<Long, String> expected = new ConcurrentHashMap<>();
  private boolean postgres;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgres", "mariadb"})
  void reindex_killedWithSigkillWhileFourThreadsWriteAndLookUp_noLookupMissesAndUniqueHoldsAndAllEndOnNewVersion(
      String database) throws Exception {
    postgres = database.equals("postgres");
    // a namespace of its own: the index key table has a fixed name
    DataSource raw = postgres ? TestDatabases.postgresSchemaDroppedAtExit("reidx_crash")
        : TestDatabases.mariadbDatabaseDroppedAtExit("reidx_crash");
    String binary = postgres ? "bytea" : "varbinary(512)";
    String name = "customers";
    EncryptedTable table = ReindexCrashChild.table(name);
    Path keyFile = Files.createFile(dir.resolve("key.txt"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, HexFormat.of().formatHex(randomKey()), StandardCharsets.US_ASCII);
    KeyRing ring = ReindexCrashChild.ring(keyFile);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<String> log = new ArrayList<>();
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (id bigint primary key, email text, rowseal_dek " + binary + ","
          + " email_idx " + binary + " unique, email_idx_next " + binary + " unique)");
    }
    RowSeal rowSeal = ReindexCrashChild.rowSeal(ring, table);
    IndexKeyStore store = ReindexCrashChild.store(raw, ring, Duration.ofMillis(STATE_TTL_MS));
    store.migrate();
    DataSource app = RowSealDataSource.builder(raw, rowSeal).indexKeys(store).build();
    populate(app, name);

    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    int midRotation = 0;
    Map<String, Integer> killsPerPhase = new TreeMap<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        int owner = t;
        long threadSeed = random.nextLong();
        Thread thread = new Thread(() -> application(app, name, owner, threadSeed, stop), "app-" + t);
        thread.start();
        threads.add(thread);
      }

      // Where to kill, chosen by what the child has done rather than by time (a loaded machine makes times
      // meaningless): the triggers in the order a rotation passes them, so each kill lands in the next phase of
      // the rotation the previous run left unfinished; inside the fill and clear passes after a random number of
      // committed pages; then a random few milliseconds more.
      long testStart = System.nanoTime();
      for (int i = 1; i <= KILLS; i++) {
        String trigger = TRIGGERS.get((i - 1) % TRIGGERS.size());
        try (ChildJvm child = start(raw, keyFile, name)) {
          boolean pass = trigger.endsWith("indexing") || trigger.endsWith("clearing");
          int pages = pass ? random.nextInt(5) : 0;
          if (child.awaitLines(l -> l.startsWith(trigger), 1, Duration.ofSeconds(180)) != null && pages > 0) {
            child.awaitLines(l -> l.startsWith("page "), pages, Duration.ofSeconds(180));
          }
          long delay = random.nextInt(300);
          child.runFor(Duration.ofMillis(delay));
          child.kill();
          String last = child.lastLine("step ");
          boolean mid = !child.finished();
          midRotation += mid ? 1 : 0;
          String phase = mid ? phaseOf(last) : "(finished)";
          killsPerPhase.merge(phase, 1, Integer::sum);
          log.add(String.format("%5.1fs kill %d, %d ms after '%s' + %d pages: in %s, last step '%s'%s, %d pages",
              (System.nanoTime() - testStart) / 1e9, i, delay, trigger.substring(5), pages, phase, last,
              mid ? "" : " (finished before the kill)", child.count("page ")));
        }
        assertThat(problems).as("after kill %d (seed %d):%n%s", i, seed, String.join("\n", log)).isEmpty();
      }
      try (ChildJvm rerun = start(raw, keyFile, name)) {
        assertThat(rerun.awaitExit(Duration.ofSeconds(300))).as("rerun: %s", rerun.output()).isZero();
        log.add(String.format("%5.1fs final run: %d pages, %s", (System.nanoTime() - testStart) / 1e9,
            rerun.count("page "), String.join(" | ", rerun.output().stream().filter(l -> !l.startsWith("page "))
                .toList())));
      }
      Thread.sleep(STATE_TTL_MS * 2); // the application threads go on after the rotation ended
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join(60_000);
      }
    }
    System.out.println(database + ":\n" + String.join("\n", log));
    System.out.printf("%s: kills per phase %s; lookups %d (misses %d), writes %d, duplicates refused %d,"
        + " 40001 retries %d, problems %d%n", database, killsPerPhase, lookups.get(), misses.get(), writes.get(),
        duplicatesRefused.get(), retries.get(), problems.size());

    assertThat(problems).as("seed %d:%n%s", seed, String.join("\n", log)).isEmpty();
    assertThat(midRotation).as("kills that landed inside a rotation:%n%s", String.join("\n", log))
        .isGreaterThanOrEqualTo(KILLS * 2 / 3);
    assertThat(killsPerPhase).as("the phases kills landed in:%n%s", String.join("\n", log))
        .containsKeys("pending", "filling", "clearing");
    assertThat(log).as("kills inside the fill and the clear pass")
        .anyMatch(l -> l.contains("last step 'customers.email: indexing"))
        .anyMatch(l -> l.contains("last step 'customers.email: clearing"));
    assertThat(lookups.get()).isGreaterThan(1000);
    assertThat(duplicatesRefused.get()).isGreaterThan(50);
    assertEveryRowOnTheLastVersion(raw, store, table);
  }

  private static ChildJvm start(DataSource raw, Path keyFile, String table) throws Exception {
    return ChildJvm.start(ReindexCrashChild.class, ChildDatabase.environment(raw), keyFile.toString(), table,
        Long.toString(STATE_TTL_MS), Long.toString(MARGIN_MS));
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /**
   * The rotation phase the job was in at the kill, from its last step line: {@code start} (no step yet),
   * {@code pending} (new version added, waiting until every process has seen it), {@code filling} (both active:
   * waiting, then indexing rows into the new column), {@code clearing} (old version read-only: waiting, then
   * clearing its column) or {@code retired} (after the last step, before the job said done).
   */
  private static String phaseOf(String step) {
    if (step == null) {
      return "start";
    }
    if (step.contains(": added") || step.contains(" pending")) {
      return "pending";
    }
    if (step.contains(": activated") || step.contains(": indexing") || step.endsWith(" active")) {
      return "filling";
    }
    if (step.contains(": stopped") || step.contains(": clearing") || step.endsWith(" read_only")) {
      return "clearing";
    }
    if (step.contains(": retired")) {
      return "retired";
    }
    return step;
  }

  private void populate(DataSource app, String table) throws SQLException {
    try (Connection c = app.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + table + " (id, email) values (?, ?)")) {
      for (long id = 1; id <= ROWS; id++) {
        String email = email(id);
        ps.setLong(1, id);
        ps.setString(2, email);
        ps.addBatch();
        expected.put(id, email);
        if (id % 500 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
  }

  private String email(long id) {
    return "User" + id + "." + generation.incrementAndGet() + "@Example.com";
  }

  /** One application thread: its own rows, random operations until {@code stop}. */
  private void application(DataSource app, String table, int owner, long seed, AtomicBoolean stop) {
    Random random = new Random(seed);
    List<Long> mine = new ArrayList<>();
    for (long id = 1; id <= ROWS; id++) {
      if (id % THREADS == owner) {
        mine.add(id);
      }
    }
    try (Connection c = app.getConnection()) {
      while (!stop.get()) {
        Thread.sleep(1); // leave the child some CPU on a 2-core machine
        int op = random.nextInt(10);
        long id = mine.get(random.nextInt(mine.size()));
        if (op < 5) {
          lookup(c, table, id, random);
        } else if (op < 7) {
          String email = email(id);
          if (write(c, "update " + table + " set email = ? where id = ?", email, id) == 1) {
            expected.put(id, email);
          } else {
            problems.add("update of row " + id + " changed no row");
          }
        } else if (op < 9) {
          long fresh = nextId.getAndIncrement();
          String email = email(fresh);
          expected.put(fresh, email);
          if (write(c, "insert into " + table + " (email, id) values (?, ?)", email, fresh) == 1) {
            mine.add(fresh);
          } else {
            expected.remove(fresh);
          }
        } else {
          duplicate(c, table, id, random);
        }
      }
    } catch (SQLException | RuntimeException e) {
      problems.add("thread " + owner + " stopped: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void lookup(Connection c, String table, long id, Random random) throws SQLException {
    String email = expected.get(id);
    String asked = random.nextBoolean() ? email.toUpperCase(Locale.ROOT) : email.toLowerCase(Locale.ROOT);
    for (int attempt = 0; ; attempt++) {
      try (PreparedStatement ps = c.prepareStatement("select id, email from " + table + " where email = ?")) {
        ps.setString(1, asked);
        List<Long> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getLong(1));
          }
        }
        lookups.incrementAndGet();
        if (!found.equals(List.of(id))) {
          misses.incrementAndGet();
          problems.add("lookup of row " + id + "'s value found " + found);
        }
        return;
      } catch (SQLException e) {
        if (!retryable(e, attempt)) {
          throw e;
        }
      }
    }
  }

  /** Runs an insert or update of a unique value; a UNIQUE violation here is one the index invented. */
  private int write(Connection c, String sql, String email, long id) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, email);
        ps.setLong(2, id);
        int n = ps.executeUpdate();
        writes.incrementAndGet();
        return n;
      } catch (SQLException e) {
        if (uniqueViolation(e)) {
          problems.add("a unique value for row " + id + " was refused as a duplicate: " + e.getMessage());
          return 0;
        }
        if (!retryable(e, attempt)) {
          throw e;
        }
      }
    }
  }

  /** Inserts a new row with another case of row {@code id}'s value: must be refused by UNIQUE. */
  private void duplicate(Connection c, String table, long id, Random random) throws SQLException {
    String email = expected.get(id);
    String copy = random.nextBoolean() ? email.toUpperCase(Locale.ROOT) : email.toLowerCase(Locale.ROOT);
    long fresh = nextId.getAndIncrement();
    for (int attempt = 0; ; attempt++) {
      try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (id, email) values (?, ?)")) {
        ps.setLong(1, fresh);
        ps.setString(2, copy);
        ps.executeUpdate();
        problems.add("a duplicate of row " + id + "'s value was inserted as row " + fresh);
        try (PreparedStatement delete = c.prepareStatement("delete from " + table + " where id = ?")) {
          delete.setLong(1, fresh);
          delete.executeUpdate();
        }
        return;
      } catch (SQLException e) {
        if (uniqueViolation(e)) {
          duplicatesRefused.incrementAndGet();
          return;
        }
        if (!retryable(e, attempt)) {
          throw e;
        }
      }
    }
  }

  private boolean retryable(SQLException e, int attempt) {
    if (hasState(e, "40001") && attempt < 5) {
      retries.incrementAndGet();
      return true;
    }
    return false;
  }

  /** PostgreSQL's unique_violation; on MariaDB ER_DUP_ENTRY (1062), whose SQLState 23000 other errors share. */
  private boolean uniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && (postgres ? "23505".equals(s.getSQLState())
          : "23000".equals(s.getSQLState()) && s.getErrorCode() == 1062)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasState(Throwable e, String state) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && state.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private void assertEveryRowOnTheLastVersion(DataSource raw, IndexKeyStore store, EncryptedTable table)
      throws SQLException {
    EncryptedColumn email = table.column("email");
    store.refresh();
    IndexView view = store.view(email);
    List<IndexKeyVersion> live = new ArrayList<>();
    for (IndexKeyVersion v : view.versions()) {
      if (v.state() != IndexKeyVersion.State.RETIRED) {
        live.add(v);
      }
    }
    assertThat(live).hasSize(1);
    IndexKeyVersion last = live.get(0);
    assertThat(last.state()).isEqualTo(IndexKeyVersion.State.ACTIVE);
    assertThat(last.version()).isGreaterThanOrEqualTo(2);
    String on = last.physicalColumn();
    String off = on.equalsIgnoreCase("email_idx") ? "email_idx_next" : "email_idx";
    long rows = 0;
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, " + on + ", " + off + " from " + table.name())) {
      while (rs.next()) {
        rows++;
        long id = rs.getLong(1);
        String value = expected.get(id);
        assertThat(value).as("row %d exists but no thread wrote it", id).isNotNull();
        assertThat(rs.getBytes(2)).as("row %d's index in %s", id, on).isEqualTo(view.writeValue(on, value));
        assertThat(rs.getBytes(3)).as("row %d's old column %s", id, off).isNull();
      }
    }
    assertThat(rows).isEqualTo(expected.size());
    try (Connection c = raw.getConnection()) {
      Map<IndexKeyVersion, Long> perVersion = store.rowsPerVersion(c, email);
      Map<Integer, Long> byNumber = new java.util.HashMap<>();
      perVersion.forEach((v, n) -> byNumber.put(v.version(), n));
      assertThat(byNumber.get(last.version())).isEqualTo(rows);
    }
  }
}
