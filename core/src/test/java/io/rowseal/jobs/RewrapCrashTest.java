package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.internal.Hex;
import io.rowseal.internal.Randomness;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The re-wrap job killed with SIGKILL at random moments in a child JVM ({@link RewrapCrashChild}) over
 * 100 000 PostgreSQL rows: after every kill every row still opens and decrypts to its value; a rerun
 * finishes; the data columns are byte-for-byte unchanged. Each cycle rotates to the next of three keys,
 * so every run has work to do and a kill can land in the middle of it.
 */
@Tag("slow")
class RewrapCrashTest {
  private static final int ROWS = 100_000;
  private static final int KILLS = 20;
  private static final String[] KEYS = {"a", "b", "c"};

  @TempDir
  Path dir;

  @Test
  void run_killedWithSigkillAtRandomPoints_everyRowStaysReadableAndRerunFinishes() throws Exception {
    PGSimpleDataSource ds = (PGSimpleDataSource) TestDatabases.postgres();
    String name = TestDatabases.uniqueName("rw_crash");
    EncryptedTable t = RewrapCrashChild.table(name);
    Path keyFile = writeKeys();
    RowSeal all = RowSeal.builder().keyRing(RewrapCrashChild.ring(keyFile, "a")).table(t).build();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("create table " + name + " (id bigint primary key, card_number bytea, holder bytea, rowseal_dek bytea)");
      }
      String plaintextHash = insert(ds, all, t);
      String dataHash = dataHash(ds, name);

      // Cycle 0 runs to the end untouched.
      Child first = Child.start(ds, keyFile, name, "b");
      assertThat(first.awaitExit(120)).as("first run: %s", first.output).isZero();
      assertThat(status(ds, t)).isEqualTo(Map.of("local:b", (long) ROWS));

      int midRun = 0;
      List<String> log = new ArrayList<>();
      Map<String, Long> before = status(ds, t);
      for (int i = 1; i <= KILLS; i++) {
        // the key with the fewest rows: the run then has at least two thirds of the table to move
        String target = KEYS[0];
        for (String k : KEYS) {
          if (before.getOrDefault("local:" + k, 0L) < before.getOrDefault("local:" + target, 0L)) {
            target = k;
          }
        }
        long onTargetBefore = before.getOrDefault("local:" + target, 0L);
        long cycleStart = System.nanoTime();
        Child child = Child.start(ds, keyFile, name, target);
        double startup = (System.nanoTime() - cycleStart) / 1e9;
        // A random point of the run, chosen in rows rather than seconds so that it holds on a loaded machine:
        // wait until the child has committed re-wraps of a random share of the rows it has to move, then a
        // random few milliseconds more, so the kill lands anywhere in a later page (read, key operations,
        // update, commit).
        double share = 0.02 + 0.73 * random.nextDouble();
        long pageRows = child.awaitRewrapped((long) (share * (ROWS - onTargetBefore)), 60);
        long jitterMillis = random.nextInt(40);
        Thread.sleep(jitterMillis);
        child.kill();
        Map<String, Long> after = status(ds, t);
        assertThat(after.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ROWS);
        long onTargetAfter = after.getOrDefault("local:" + target, 0L);
        // mid-run: the killed run had moved some rows and not all
        boolean inside = onTargetAfter > onTargetBefore && onTargetAfter < ROWS && !child.finished();
        midRun += inside ? 1 : 0;
        log.add(String.format("kill %d -> %s after %.2fs (%d rows re-wrapped + %d ms): %d -> %d on target%s", i, target,
            child.secondsSinceStarted(), pageRows, jitterMillis, onTargetBefore, onTargetAfter,
            inside ? "" : " (not mid-run)"));
        long verifyStart = System.nanoTime();
        assertEveryRowOpens(ds, all, t);
        log.set(log.size() - 1, log.get(log.size() - 1) + String.format("; start %.2fs, verify %.2fs", startup,
            (System.nanoTime() - verifyStart) / 1e9));
        before = after;
      }
      assertThat(midRun).as("kills that landed mid-run (seed %d):%n%s", seed, String.join("\n", log))
          .isGreaterThanOrEqualTo(KILLS * 2 / 3);
      System.out.println(String.join("\n", log));

      String finalKey = KEYS[0];
      for (String k : KEYS) {
        if (before.getOrDefault("local:" + k, 0L) < before.getOrDefault("local:" + finalKey, 0L)) {
          finalKey = k;
        }
      }
      Child rerun = Child.start(ds, keyFile, name, finalKey);
      assertThat(rerun.awaitExit(120)).as("rerun: %s", rerun.output).isZero();
      assertThat(rerun.output).anyMatch(l -> l.startsWith("done") && l.contains("failed=0"));

      assertThat(status(ds, t)).isEqualTo(Map.of("local:" + finalKey, (long) ROWS));
      assertThat(dataHash(ds, name)).isEqualTo(dataHash);
      RowSeal finalOnly = RowSeal.builder()
          .keyRing(KeyRing.of(RewrapCrashChild.ring(keyFile, finalKey).active())).table(t).build();
      assertThat(assertEveryRowOpens(ds, finalOnly, t)).isEqualTo(plaintextHash);
    } finally {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("drop table if exists " + name);
      }
    }
  }

  private Path writeKeys() throws IOException {
    Path file = Files.createFile(dir.resolve("keys.txt"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    StringBuilder sb = new StringBuilder();
    for (String alias : KEYS) {
      sb.append(alias).append(' ').append(Hex.encode(Randomness.nextBytes(32))).append('\n');
    }
    Files.writeString(file, sb, StandardCharsets.US_ASCII);
    return file;
  }

  private static String insert(DataSource ds, RowSeal rowSeal, EncryptedTable t) throws Exception {
    MessageDigest plain = MessageDigest.getInstance("SHA-256");
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + t.name()
            + " (id, card_number, holder, rowseal_dek) values (?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      for (long id = 1; id <= ROWS; id++) {
        try (RowKey key = rowSeal.newRowKey(t, RowId.of(id))) {
          ps.setLong(1, id);
          ps.setBytes(2, key.encryptBinary(t.column("card_number"), card(id)));
          ps.setBytes(3, key.encryptBinary(t.column("holder"), holder(id)));
          ps.setBytes(4, key.companion());
          ps.addBatch();
        }
        plain.update((card(id) + "|" + holder(id) + "\n").getBytes(StandardCharsets.UTF_8));
        if (id % 2000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
      c.commit();
    }
    return Hex.encode(plain.digest());
  }

  private static String card(long id) {
    return "4111-" + id;
  }

  private static String holder(long id) {
    return "holder " + id;
  }

  /** SHA-256 over every data column's bytes, in id order. */
  private static String dataHash(DataSource ds, String table) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long n = 0;
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("select id, card_number, holder from " + table + " order by id")) {
        ps.setFetchSize(5000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            md.update(Long.toString(rs.getLong(1)).getBytes(StandardCharsets.US_ASCII));
            md.update(rs.getBytes(2));
            md.update(rs.getBytes(3));
            n++;
          }
        }
      }
      c.commit();
    }
    assertThat(n).isEqualTo(ROWS);
    return Hex.encode(md.digest());
  }

  /** Opens every row and decrypts every value, checking each; returns the SHA-256 of the plaintexts. */
  private static String assertEveryRowOpens(DataSource ds, RowSeal rowSeal, EncryptedTable t) throws Exception {
    MessageDigest plain = MessageDigest.getInstance("SHA-256");
    long n = 0;
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("select id, card_number, holder, rowseal_dek from " + t.name()
          + " order by id")) {
        ps.setFetchSize(5000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            n++;
            assertThat(id).isEqualTo(n);
            try (RowKey key = rowSeal.openRowKey(t, RowId.of(id), rs.getBytes(4))) {
              String card = key.decrypt(t.column("card_number"), rs.getBytes(2), String.class);
              String holder = key.decrypt(t.column("holder"), rs.getBytes(3), String.class);
              if (!card.equals(card(id)) || !holder.equals(holder(id))) {
                throw new AssertionError("row " + id + " decrypts to other values than were written");
              }
              plain.update((card + "|" + holder + "\n").getBytes(StandardCharsets.UTF_8));
            }
          }
        }
      }
      c.commit();
    }
    assertThat(n).isEqualTo(ROWS);
    return Hex.encode(plain.digest());
  }

  private static Map<String, Long> status(DataSource ds, EncryptedTable t) throws SQLException {
    return KeyStatus.count(ds, t);
  }

  /** A child JVM running {@link RewrapCrashChild}, its output collected by a reader thread. */
  private static final class Child {
    final Process process;
    final List<String> output = Collections.synchronizedList(new ArrayList<>());
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    long startedNanos;

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
          // the process was killed; its pipe closes
        }
      }, "crash-child-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Starts the child and returns once it printed {@code started}. */
    static Child start(PGSimpleDataSource ds, Path keyFile, String table, String target) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx256m", "-cp",
          System.getProperty("java.class.path"), RewrapCrashChild.class.getName(), keyFile.toString(), table, target);
      pb.redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("ROWSEAL_CRASH_DB_URL", ds.getUrl());
      env.put("ROWSEAL_CRASH_DB_USER", ds.getUser() == null ? "" : ds.getUser());
      env.put("ROWSEAL_CRASH_DB_PASSWORD", ds.getPassword() == null ? "" : ds.getPassword());
      Child child = new Child(pb.start());
      while (true) {
        String line = child.lines.poll(60, TimeUnit.SECONDS);
        if (line == null) {
          child.process.destroyForcibly();
          throw new AssertionError("child did not start: " + child.output);
        }
        if (line.equals("started")) {
          break;
        }
      }
      child.startedNanos = System.nanoTime();
      return child;
    }

    /**
     * Waits until the child reports a committed page with at least {@code rows} rows re-wrapped, or
     * finishes; returns the rows re-wrapped in its last reported page (0 if none).
     */
    long awaitRewrapped(long rows, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long rewrapped = 0;
      while (System.nanoTime() < deadline) {
        String line = lines.poll(10, TimeUnit.MILLISECONDS);
        if (line == null) {
          if (!process.isAlive() && lines.isEmpty()) {
            return rewrapped;
          }
          continue;
        }
        if (line.startsWith("page ")) {
          rewrapped = Long.parseLong(line.substring(5));
          if (rewrapped >= rows) {
            return rewrapped;
          }
        } else if (line.startsWith("done")) {
          return rewrapped;
        }
      }
      throw new AssertionError("child did not reach " + rows + " rows in " + seconds + " s: " + output);
    }

    boolean finished() {
      return output.stream().anyMatch(l -> l.startsWith("done"));
    }

    double secondsSinceStarted() {
      return (System.nanoTime() - startedNanos) / 1e9;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no rollback by the job
      process.waitFor();
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
