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
import io.rowseal.testsupport.TestDatabases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Online rotation of a blind-index key on PostgreSQL: {@code reindex} runs in a child JVM
 * ({@link ReindexCrashChild}) that is killed with SIGKILL at random moments and started again, while 4
 * application threads insert, update and look up rows by the indexed column through the JDBC wrapper, and try
 * to insert duplicates of existing values (the index columns carry UNIQUE constraints). No lookup may miss a
 * row that exists or return another, every duplicate must be refused (no UNIQUE violation lost) and no unique
 * value refused (none invented); at the end every row is on the last version and the old column is empty.
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

  @TempDir
  Path dir;

  private final Queue<String> problems = new ConcurrentLinkedQueue<>();
  private final AtomicLong lookups = new AtomicLong();
  private final AtomicLong duplicatesRefused = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong nextId = new AtomicLong(ROWS + 1);
  private final AtomicLong generation = new AtomicLong();
  private final Map<Long, String> expected = new ConcurrentHashMap<>();

  @Test
  void reindex_killedWithSigkillWhileFourThreadsWriteAndLookUp_noLookupMissesAndUniqueHoldsAndAllEndOnNewVersion()
      throws Exception {
    PGSimpleDataSource server = (PGSimpleDataSource) TestDatabases.postgres();
    String schema = TestDatabases.uniqueName("reidx_crash");
    DataSource raw = TestDatabases.postgresSchema(schema);
    String name = "customers";
    EncryptedTable table = ReindexCrashChild.table(name);
    Path keyFile = Files.createFile(dir.resolve("key.txt"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, HexFormat.of().formatHex(randomKey()), StandardCharsets.US_ASCII);
    KeyRing ring = ReindexCrashChild.ring(keyFile);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<String> log = new ArrayList<>();
    try {
      try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
        s.execute("create table " + name + " (id bigint primary key, email text, rowseal_dek bytea,"
            + " email_idx bytea unique, email_idx_next bytea unique)");
      }
      RowSeal rowSeal = ReindexCrashChild.rowSeal(ring, table);
      IndexKeyStore store = ReindexCrashChild.store(raw, ring, Duration.ofMillis(STATE_TTL_MS));
      store.migrate();
      DataSource app = RowSealDataSource.builder(raw, rowSeal).indexKeys(store).build();
      populate(app, name);

      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int owner = t;
        long threadSeed = random.nextLong();
        Thread thread = new Thread(() -> application(app, name, owner, threadSeed, stop), "app-" + t);
        thread.start();
        threads.add(thread);
      }

      int midRotation = 0;
      java.util.Set<String> phasesHit = new java.util.TreeSet<>();
      for (int i = 1; i <= KILLS; i++) {
        Child child = Child.start(server, keyFile, schema, name);
        // a random point of the run, chosen by what the child has done rather than by time (a loaded machine
        // makes times meaningless): inside the fill or clear pass after a random number of committed pages, or
        // just after a phase change, then a few random milliseconds more
        String[] after = {"page ", "step customers.email: added version", "step customers.email: activated",
            "step customers.email: stopped writing", "step customers.email: clearing", "step customers.email: retired"};
        String target = after[random.nextInt(after.length)];
        int count = target.equals("page ") ? 1 + random.nextInt(4) : 1;
        child.awaitLines(target, count, 180);
        long delay = random.nextInt(300);
        child.runFor(delay);
        child.kill();
        String last = child.lastStep();
        boolean mid = !child.finished();
        midRotation += mid ? 1 : 0;
        log.add(String.format("kill %d, %d ms after %d x '%s': last step '%s'%s, %d pages", i, delay, count, target,
            last, mid ? "" : " (finished before the kill)", child.pages()));
        phasesHit.add(phaseOf(last));
        assertThat(problems).as("after kill %d (seed %d):%n%s", i, seed, String.join("\n", log)).isEmpty();
      }
      Child rerun = Child.start(server, keyFile, schema, name);
      assertThat(rerun.awaitExit(300)).as("rerun: %s", rerun.output).isZero();
      log.add("final run: " + String.join(" | ", rerun.output));
      Thread.sleep(STATE_TTL_MS * 2); // the application threads go on after the rotation ended
      stop.set(true);
      for (Thread t : threads) {
        t.join(60_000);
      }
      System.out.println(String.join("\n", log));
      System.out.printf("lookups %d, writes %d, duplicates refused %d, 40001 retries %d%n", lookups.get(),
          writes.get(), duplicatesRefused.get(), retries.get());

      assertThat(problems).as("seed %d:%n%s", seed, String.join("\n", log)).isEmpty();
      assertThat(midRotation).as("kills that landed inside a rotation:%n%s", String.join("\n", log))
          .isGreaterThanOrEqualTo(KILLS / 2);
      assertThat(phasesHit).as("the phases kills landed in:%n%s", String.join("\n", log)).hasSizeGreaterThanOrEqualTo(3);
      assertThat(lookups.get()).isGreaterThan(1000);
      assertThat(duplicatesRefused.get()).isGreaterThan(50);
      assertEveryRowOnTheLastVersion(raw, store, table);
    } finally {
      try (Connection c = server.getConnection(); Statement s = c.createStatement()) {
        s.execute("drop schema if exists " + schema + " cascade");
      }
    }
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** The kind of a step line: added, waiting, activated, indexing, stopped, clearing, retired or (none). */
  private static String phaseOf(String step) {
    for (String kind : new String[] {"added", "waiting", "activated", "indexing", "stopped", "clearing", "retired"}) {
      if (step.contains(": " + kind)) {
        return kind;
      }
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
        if (hasState(e, "23505")) {
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
        if (hasState(e, "23505")) {
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

  /** A child JVM running {@link ReindexCrashChild}, its output collected by a reader thread. */
  private static final class Child {
    final Process process;
    final List<String> output = Collections.synchronizedList(new ArrayList<>());
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Child(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            output.add(line);
            lines.add(line);
          }
        } catch (IOException e) {
          // killed: the pipe closes
        }
      }, "reindex-child-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(PGSimpleDataSource server, Path keyFile, String schema, String table) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx256m", "-cp",
          System.getProperty("java.class.path"), ReindexCrashChild.class.getName(), keyFile.toString(), schema, table,
          Long.toString(STATE_TTL_MS), Long.toString(MARGIN_MS));
      pb.redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("ROWSEAL_CRASH_DB_URL", server.getUrl());
      env.put("ROWSEAL_CRASH_DB_USER", server.getUser() == null ? "" : server.getUser());
      env.put("ROWSEAL_CRASH_DB_PASSWORD", server.getPassword() == null ? "" : server.getPassword());
      Child child = new Child(pb.start());
      while (true) {
        String line = child.lines.poll(60, TimeUnit.SECONDS);
        if (line == null) {
          child.process.destroyForcibly();
          throw new AssertionError("child did not start: " + child.output);
        }
        if (line.equals("started")) {
          return child;
        }
      }
    }

    /** Waits until the child printed {@code count} lines starting with {@code prefix}, or exited. */
    void awaitLines(String prefix, int count, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      int seen = 0;
      while (System.nanoTime() < deadline) {
        String line = lines.poll(10, TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith(prefix) && ++seen >= count) {
          return;
        }
        if (line == null && !process.isAlive() && lines.isEmpty()) {
          return;
        }
      }
      throw new AssertionError("child printed no " + count + " x '" + prefix + "' in " + seconds + " s: " + output);
    }

    /** Lets the child run {@code millis} (or until it exits). */
    void runFor(long millis) throws InterruptedException {
      process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no rollback by the job
      process.waitFor();
    }

    String lastStep() {
      synchronized (output) {
        for (int i = output.size() - 1; i >= 0; i--) {
          if (output.get(i).startsWith("step ")) {
            return output.get(i).substring(5);
          }
        }
      }
      return "(none)";
    }

    long pages() {
      return output.stream().filter(l -> l.startsWith("page ")).count();
    }

    boolean finished() {
      return output.stream().anyMatch(l -> l.startsWith("done"));
    }

    int awaitExit(int seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("child did not finish in " + seconds + " s: " + output);
      }
      return process.exitValue();
    }
  }
}
