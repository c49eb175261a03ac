package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.internal.Hex;
import io.rowseal.internal.Randomness;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.ChildDatabase;
import io.rowseal.testsupport.ChildJvm;
import io.rowseal.testsupport.TestDatabases;
import java.io.IOException;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The re-wrap job killed with SIGKILL at random moments in a child JVM ({@link RewrapCrashChild}, run by
 * {@link ChildJvm}) over 100 000 PostgreSQL rows (20 kills) and 20 000 MariaDB rows (10 kills): after every kill
 * every row still opens and decrypts to its value; a rerun finishes; the data columns are byte-for-byte
 * unchanged. Each cycle rotates to the next of three keys, so every run has work to do and a kill can land in
 * the middle of it.
 */
@Tag("slow")
class RewrapCrashTest {
  private static final String[] KEYS = {"a", "b", "c"};

  @TempDir
  Path dir;

  private int rows;

  /** MariaDB runs a smaller table and fewer kills than PostgreSQL, to keep the suite's slow step short. */
  @ParameterizedTest(name = "{0}: {1} rows, {2} kills")
  @CsvSource({"postgres, 100000, 20", "mariadb, 20000, 10"})
  void run_killedWithSigkillAtRandomPoints_everyRowStaysReadableAndRerunFinishes(String database, int rowCount,
      int kills) throws Exception {
    rows = rowCount;
    boolean postgres = database.equals("postgres");
    DataSource ds = postgres ? TestDatabases.postgres() : TestDatabases.mariadb();
    String binary = postgres ? "bytea" : "varbinary(512)";
    String name = TestDatabases.uniqueName("rw_crash");
    EncryptedTable t = RewrapCrashChild.table(name);
    Path keyFile = writeKeys();
    RowSeal all = RowSeal.builder().keyRing(RewrapCrashChild.ring(keyFile, "a")).table(t).build();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("create table " + name + " (id bigint primary key, card_number " + binary + ", holder " + binary
            + ", rowseal_dek " + binary + ")");
      }
      String plaintextHash = insert(ds, all, t);
      String dataHash = dataHash(ds, name);

      // Cycle 0 runs to the end untouched.
      try (ChildJvm first = start(ds, keyFile, name, "b")) {
        assertThat(first.awaitExit(Duration.ofSeconds(120))).as("first run: %s", first.output()).isZero();
      }
      assertThat(status(ds, t)).isEqualTo(Map.of("local:b", (long) rows));

      int midRun = 0;
      List<String> log = new ArrayList<>();
      Map<String, Long> before = status(ds, t);
      for (int i = 1; i <= kills; i++) {
        // the key with the fewest rows: the run then has at least two thirds of the table to move
        String target = KEYS[0];
        for (String k : KEYS) {
          if (before.getOrDefault("local:" + k, 0L) < before.getOrDefault("local:" + target, 0L)) {
            target = k;
          }
        }
        long onTargetBefore = before.getOrDefault("local:" + target, 0L);
        try (ChildJvm child = start(ds, keyFile, name, target)) {
          // A random point of the run, chosen in rows rather than seconds so that it holds on a loaded machine:
          // wait until the child has committed re-wraps of a random share of the rows it has to move, then a
          // random few milliseconds more, so the kill lands anywhere in a later page (read, key operations,
          // update, commit).
          long share = (long) ((0.02 + 0.73 * random.nextDouble()) * (rows - onTargetBefore));
          child.awaitLines(l -> l.startsWith(ChildJvm.DONE)
              || l.startsWith("page ") && Long.parseLong(l.substring(5)) >= share, 1, Duration.ofSeconds(60));
          String lastPage = child.lastLine("page ");
          long jitterMillis = random.nextInt(40);
          Thread.sleep(jitterMillis);
          child.kill();
          Map<String, Long> after = status(ds, t);
          assertThat(after.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(rows);
          long onTargetAfter = after.getOrDefault("local:" + target, 0L);
          // mid-run: the killed run had moved some rows and not all
          boolean inside = onTargetAfter > onTargetBefore && onTargetAfter < rows && !child.finished();
          midRun += inside ? 1 : 0;
          String line = String.format("kill %d -> %s after %.2fs (%s rows re-wrapped + %d ms): %d -> %d on target%s", i,
              target, child.sinceStarted().toNanos() / 1e9, lastPage == null ? "0" : lastPage, jitterMillis,
              onTargetBefore, onTargetAfter, inside ? "" : " (not mid-run)");
          before = after;
          long verifyStart = System.nanoTime();
          assertEveryRowOpens(ds, all, t);
          log.add(line + String.format("; start %.2fs, verify %.2fs", child.startup().toNanos() / 1e9,
              (System.nanoTime() - verifyStart) / 1e9));
        }
      }
      assertThat(midRun).as("kills that landed mid-run (seed %d):%n%s", seed, String.join("\n", log))
          .isGreaterThanOrEqualTo(kills * 2 / 3);
      System.out.println(database + ":\n" + String.join("\n", log));

      String finalKey = KEYS[0];
      for (String k : KEYS) {
        if (before.getOrDefault("local:" + k, 0L) < before.getOrDefault("local:" + finalKey, 0L)) {
          finalKey = k;
        }
      }
      try (ChildJvm rerun = start(ds, keyFile, name, finalKey)) {
        assertThat(rerun.awaitExit(Duration.ofSeconds(120))).as("rerun: %s", rerun.output()).isZero();
        assertThat(rerun.output()).anyMatch(l -> l.startsWith(ChildJvm.DONE) && l.contains("failedRows=0"));
      }

      assertThat(status(ds, t)).isEqualTo(Map.of("local:" + finalKey, (long) rows));
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

  private static ChildJvm start(DataSource ds, Path keyFile, String table, String target) throws Exception {
    return ChildJvm.start(RewrapCrashChild.class, ChildDatabase.environment(ds), keyFile.toString(), table, target);
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

  private String insert(DataSource ds, RowSeal rowSeal, EncryptedTable t) throws Exception {
    MessageDigest plain = MessageDigest.getInstance("SHA-256");
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + t.name()
            + " (id, card_number, holder, rowseal_dek) values (?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      for (long id = 1; id <= rows; id++) {
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
  private String dataHash(DataSource ds, String table) throws Exception {
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
    assertThat(n).isEqualTo(rows);
    return Hex.encode(md.digest());
  }

  /** Opens every row and decrypts every value, checking each; returns the SHA-256 of the plaintexts. */
  private String assertEveryRowOpens(DataSource ds, RowSeal rowSeal, EncryptedTable t) throws Exception {
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
    assertThat(n).isEqualTo(rows);
    return Hex.encode(plain.digest());
  }

  private static Map<String, Long> status(DataSource ds, EncryptedTable t) throws SQLException {
    return KeyStatus.count(ds, t);
  }
}
