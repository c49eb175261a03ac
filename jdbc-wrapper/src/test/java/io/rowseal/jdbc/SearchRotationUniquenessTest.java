package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexKeyVersion;
import io.rowseal.search.IndexView;
import io.rowseal.Normalization;
import io.rowseal.SearchIndex;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A UNIQUE full-length index stays exact through an index-key rotation (docs/FORMAT.md §7.6), on PostgreSQL.
 * Two "processes" (wrapped data sources with their own index-key stores and state caches, whose clocks the
 * test moves) write concurrently while one lags a phase behind the other, as the state TTL allows; the
 * phases and the re-index steps are driven by hand (the reindex job comes later). Four threads insert
 * e-mails from a small pool in random case (so most inserts are duplicates) and look up committed ones.
 * Checked after each step: no two rows hold equal normalised e-mails (no violation lost), every rejected
 * insert's e-mail is in the table (none invented), every committed e-mail is found by both processes; at
 * the end every row is indexed by the new version only.
 */
@org.junit.jupiter.api.Tag("slow")
class SearchRotationUniquenessTest {
  private static final int POOL = 120;
  private final KeyRing ring = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), new byte[32]));
  private final AtomicLong ids = new AtomicLong();
  private final Set<String> committed = ConcurrentHashMap.newKeySet();
  private final List<String> rejected = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  private static final class Process {
    final AtomicLong nanos = new AtomicLong();
    final IndexKeyStore store;
    final DataSource ds;

    Process(DataSource raw, KeyRing ring, EncryptedTable table) {
      store = IndexKeyStore.builder(raw, ring).stateTtl(Duration.ofSeconds(1)).ticker(nanos::get).build();
      ds = RowSealDataSource.builder(raw, RowSeal.builder().keyRing(ring).table(table).build()).indexKeys(store).build();
    }

    /** The state TTL passes for this process: its next statement reads the index-key states again. */
    void catchUp() {
      nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    }
  }

  @Test
  void uniqueIndex_throughEveryRotationPhase_withLaggingWriters_noViolationLostOrInvented() throws Exception {
    DataSource raw = TestDatabases.postgresSchemaDroppedAtExit("idx_rotation");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table accounts (id bigint primary key, email bytea, email_idx bytea, email_idx_next bytea,"
          + " rowseal_dek bytea, unique (email_idx), unique (email_idx_next))");
    }
    EncryptedTable table = EncryptedTable.builder("accounts").idColumns("id").column("email", String.class)
        .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE)).build();
    EncryptedColumn email = table.column("email");
    IndexKeyStore admin = IndexKeyStore.builder(raw, ring).stateTtl(Duration.ZERO).build();
    admin.migrate();
    Process old = new Process(raw, ring, table);
    Process current = new Process(raw, ring, table);

    writeConcurrently(old, current); // phase 0 everywhere
    IndexKeyVersion v2 = admin.startRotation(email); // phase 1
    step(old, current);
    admin.activate(email, v2.version()); // phase 2
    step(old, current);
    if (!Boolean.getBoolean("rowseal.test.skipFill")) { // mutation check: without the fill, lookups must miss
      reindex(admin, current.ds, raw, email, "email_idx_next", true);
    }
    writeConcurrently(old, current);
    check(old, current);
    admin.stopWriting(email, 1); // phase 3
    step(old, current);
    reindex(admin, current.ds, raw, email, "email_idx", false);
    admin.retire(email, 1); // phase 4
    step(old, current);
    IndexKeyVersion v3 = admin.startRotation(email); // the next rotation goes back into email_idx
    assertThat(v3.physicalColumn()).isEqualTo("email_idx");
    step(old, current);

    Map<IndexKeyVersion, Long> perVersion;
    try (Connection c = raw.getConnection()) {
      perVersion = admin.rowsPerVersion(c, email);
    }
    long rows = rowCount(raw);
    for (Map.Entry<IndexKeyVersion, Long> e : perVersion.entrySet()) {
      assertThat(e.getValue()).as(e.getKey().toString()).isEqualTo(e.getKey().version() == 2 ? rows : 0L);
    }
    assertThat(rejected).as("duplicates were attempted").isNotEmpty();
    assertThat(problems).isEmpty();
  }

  /** The current process moves to the new phase and both write; then the old one catches up and both write. */
  private void step(Process old, Process current) throws Exception {
    current.catchUp();
    writeConcurrently(old, current);
    check(old, current);
    old.catchUp();
    writeConcurrently(old, current);
    check(old, current);
  }

  private void writeConcurrently(Process old, Process current) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        DataSource ds = (t % 2 == 0 ? old : current).ds;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            insertOrReject(ds);
            lookUpCommitted(ds);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void insertOrReject(DataSource ds) throws SQLException {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String base = "user" + r.nextInt(POOL) + "@example.com";
    String value = r.nextBoolean() ? base : base.toUpperCase(Locale.ROOT);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into accounts (id, email) values (?, ?)")) {
      ps.setLong(1, ids.incrementAndGet());
      ps.setString(2, value);
      ps.executeUpdate();
      committed.add(base);
    } catch (SQLException e) {
      if (!"23505".equals(e.getSQLState())) {
        throw e;
      }
      rejected.add(base);
    }
  }

  private void lookUpCommitted(DataSource ds) throws SQLException {
    List<String> known = new ArrayList<>(committed);
    if (known.isEmpty()) {
      return;
    }
    String base = known.get(ThreadLocalRandom.current().nextInt(known.size()));
    int found = 0;
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("select id, email from accounts where email = ?")) {
      ps.setString(1, base.toUpperCase(Locale.ROOT));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found++;
          if (!rs.getString(2).toLowerCase(Locale.ROOT).equals(base)) {
            problems.add("lookup of " + base + " returned " + rs.getString(2));
          }
        }
      }
    }
    if (found != 1) {
      problems.add("lookup of committed " + base + " found " + found + " rows");
    }
  }

  /** Every invariant of the table, read through both processes. */
  private void check(Process old, Process current) throws SQLException {
    for (Process p : List.of(old, current)) {
      Set<String> seen = new HashSet<>();
      try (Connection c = p.ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select email from accounts")) {
        while (rs.next()) {
          if (!seen.add(rs.getString(1).toLowerCase(Locale.ROOT))) {
            problems.add("two rows hold " + rs.getString(1) + " (a UNIQUE violation was lost)");
          }
        }
      }
      for (String r : rejected) {
        if (!seen.contains(r)) {
          problems.add("insert of " + r + " was rejected as a duplicate but no row holds it (invented)");
        }
      }
      for (String e : committed) {
        try (Connection c = p.ds.getConnection();
            PreparedStatement ps = c.prepareStatement("select count(*) from accounts where email = ?")) {
          ps.setString(1, e);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) != 1) {
              problems.add("count of " + e + " is " + rs.getLong(1));
            }
          }
        }
      }
    }
  }

  /**
   * What the reindex job will do, by hand: fill {@code column} with the current write version for every row
   * ({@code fill}), or clear it; each row written with a compare-and-set on its encrypted value.
   */
  private static void reindex(IndexKeyStore admin, DataSource wrapped, DataSource raw, EncryptedColumn email,
      String column, boolean fill) throws SQLException {
    IndexView view = admin.view(email);
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = wrapped.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, email from accounts")) {
      while (rs.next()) {
        rows.add(new Object[] {rs.getLong(1), rs.getString(2)});
      }
    }
    try (Connection c = raw.getConnection()) {
      for (Object[] row : rows) {
        byte[] sealed;
        try (PreparedStatement ps = c.prepareStatement("select email from accounts where id = ?")) {
          ps.setLong(1, (Long) row[0]);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            sealed = rs.getBytes(1);
          }
        }
        try (PreparedStatement ps = c.prepareStatement("update accounts set " + column + " = ? where id = ? and email = ?")) {
          ps.setBytes(1, fill ? view.writeValue(column, row[1]) : null);
          ps.setLong(2, (Long) row[0]);
          ps.setBytes(3, sealed);
          ps.executeUpdate();
        }
      }
    }
  }

  private static long rowCount(DataSource raw) throws SQLException {
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from accounts")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
