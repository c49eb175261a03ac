package io.rowseal.benchmarks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.Normalization;
import io.rowseal.SearchIndex;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * Equality search on an encrypted column against a plaintext B-tree lookup, in one process on one PostgreSQL,
 * interleaved batch by batch (inserts) and block by block (lookups), after a warm-up pass, several rounds,
 * ratios measured in the same round and their medians:
 *
 * <ul>
 *   <li><b>lookup</b>: {@code --lookups} random {@code select id, email, note from t where email = ?} on
 *       {@code --rows} rows: plaintext {@code email text} with a B-tree index, against RowSeal's encrypted
 *       {@code email} with a full-length, lowercase blind index in the recommended schema (below), the lookup
 *       rewritten by the JDBC wrapper to the index column and the row decrypted;
 *   <li><b>insert</b>: batch insert of {@code --rows} rows through RowSeal, encrypted e-mail with its blind
 *       index against the same encrypted e-mail without one (and plaintext for reference), plus two variants
 *       that show where the cost of the index goes: the index column without any B-tree (RowSeal's own
 *       per-row work: one HMAC-SHA-256 and one more bound column) and the index with a plain {@code UNIQUE}
 *       on the all-NULL rotation column too (PostgreSQL indexes NULLs, so that B-tree grows with every row);
 *       and plaintext without its B-tree, for what one B-tree costs an insert with no RowSeal at all.
 * </ul>
 *
 * The recommended schema (docs/FORMAT.md §7.6): {@code email_idx bytea} with a partial UNIQUE index
 * {@code WHERE email_idx IS NOT NULL}, and the rotation column {@code email_idx_next bytea} likewise (or added
 * only when a rotation starts).
 *
 * <pre>
 * ./mvnw -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.jdbc.SearchBenchmark [--rows 20000]
 *     [--lookups 5000] [--rounds 5] [--batch 1000] [--url jdbc:postgresql://127.0.0.1:5432/test] [--user postgres]
 * </pre>
 */
public final class SearchBenchmark {
  private final int rows;
  private final int lookups;
  private final int batch;
  /** The least prime above {@code rows} that 48 271 does not divide: the modulus of {@link #scattered}. */
  private final long prime;
  private final DataSource pool;
  private final DataSource sealed;

  private SearchBenchmark(int rows, int lookups, int batch, DataSource pool) throws SQLException {
    this.rows = rows;
    this.lookups = lookups;
    this.batch = batch;
    long p = rows + 1L;
    while (!java.math.BigInteger.valueOf(p).isProbablePrime(40) || p % 48_271L == 0) {
      p++;
    }
    this.prime = p;
    this.pool = pool;
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    KeyRing ring = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:bench"), master));
    IndexKeyStore store = IndexKeyStore.builder(pool, ring).build();
    store.migrate();
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      // index keys of earlier runs are wrapped by their run's random master key
      s.execute("delete from " + IndexKeyStore.TABLE + " where table_name like 'bench_search%'");
    }
    EncryptedTable indexed = EncryptedTable.builder("bench_search_indexed").idColumns("id")
        .column("email", String.class, StorageForm.BINARY)
        .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE)).build();
    EncryptedTable unindexed = EncryptedTable.builder("bench_search_unindexed").idColumns("id")
        .column("email", String.class, StorageForm.BINARY).build();
    EncryptedTable hmacOnly = EncryptedTable.builder("bench_search_hmac_only").idColumns("id")
        .column("email", String.class, StorageForm.BINARY)
        .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE)).build();
    EncryptedTable fullUnique = EncryptedTable.builder("bench_search_full_unique").idColumns("id")
        .column("email", String.class, StorageForm.BINARY)
        .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE)).build();
    RowSeal rowSeal = RowSeal.builder().keyRing(ring).table(indexed).table(unindexed).table(hmacOnly)
        .table(fullUnique).build();
    this.sealed = RowSealDataSource.builder(pool, rowSeal).indexKeys(store).build();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("rows", "20000");
    opts.put("lookups", "5000");
    opts.put("rounds", "5");
    opts.put("batch", "1000");
    opts.put("url", System.getenv().getOrDefault("ROWSEAL_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    opts.put("user", "postgres");
    opts.put("password", "");
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--") || !opts.containsKey(args[i].substring(2))) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + opts.keySet());
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(opts.get("url"));
    config.setUsername(opts.get("user"));
    config.setPassword(opts.get("password"));
    config.setMaximumPoolSize(INSERTS.length + 3); // one connection per variant for a pass, and the key store
    // a schema of its own: RowSeal's schema validation would refuse other benchmarks' unconfigured tables
    config.setConnectionInitSql("create schema if not exists rowseal_bench_search; set search_path to rowseal_bench_search");
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      new SearchBenchmark(Integer.parseInt(opts.get("rows")), Integer.parseInt(opts.get("lookups")),
          Integer.parseInt(opts.get("batch")), hikari).run(Integer.parseInt(opts.get("rounds")));
    }
  }

  private static final String[] INSERTS = {"insert plain", "insert plain, no B-tree", "insert plain, random order",
      "insert sealed, no index", "insert sealed, HMAC only", "insert sealed, indexed", "insert sealed, UNIQUE on NULLs"};
  private static final String[] INSERT_TABLES = {"bench_search_plain", "bench_search_plain_nobtree",
      "bench_search_plain_random", "bench_search_unindexed", "bench_search_hmac_only", "bench_search_indexed",
      "bench_search_full_unique"};
  /** INSERTS before this one run on the raw pool, the others through RowSeal. */
  private static final int FIRST_SEALED = 3;
  /** The variant whose e-mails arrive in random order, as a blind index's values always do. */
  private static final int RANDOM_ORDER = 2;
  private static final String[] LOOKUPS = {"lookup plain b-tree", "lookup sealed index"};
  private static final String[] LOOKUP_TABLES = {"bench_search_plain", "bench_search_indexed"};
  private static final int LOOKUP_BLOCK = 250;

  private void run(int rounds) throws Exception {
    System.out.printf(Locale.ROOT, "RowSeal SearchBenchmark: %d rows, %d lookups, batch %d, %d rounds, java %s,"
        + " load average %s%n", rows, lookups, batch, rounds, System.getProperty("java.version"), loadAverage());
    createTables();
    Map<String, List<Double>> r = new LinkedHashMap<>();
    for (String k : INSERTS) {
      r.put(k, new ArrayList<>());
    }
    for (String k : LOOKUPS) {
      r.put(k, new ArrayList<>());
    }
    // warm-up: every path compiled and every key cached before the first measured round
    inserts();
    analyze();
    lookups();
    for (int round = 1; round <= rounds; round++) {
      double[] in = inserts();
      analyze();
      double[] look = lookups();
      for (int i = 0; i < INSERTS.length; i++) {
        r.get(INSERTS[i]).add(in[i]);
      }
      for (int i = 0; i < LOOKUPS.length; i++) {
        r.get(LOOKUPS[i]).add(look[i]);
      }
      System.out.printf(Locale.ROOT, "%nround %d (load average %s)%n", round, loadAverage());
      print(r, round - 1);
    }
    System.out.printf(Locale.ROOT, "%nmedian over %d rounds (rows/s; ratios: median of the per-round ratios)%n",
        rounds);
    print(r, -1);
  }

  /** Closes each variant's statement and connection, back in auto-commit for the pool. */
  private static void closeAll(PreparedStatement[] statements, Connection[] connections) throws SQLException {
    for (int i = 0; i < statements.length; i++) {
      if (statements[i] != null) {
        statements[i].close();
      }
      if (connections[i] != null) {
        connections[i].setAutoCommit(true);
        connections[i].close();
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("/proc/loadavg")),
          java.nio.charset.StandardCharsets.US_ASCII).trim().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void print(Map<String, List<Double>> r, int round) {
    r.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-34s %12.0f rows/s%n", k, pick(v, round)));
    ratio(r, round, "insert with index / without:", "insert sealed, indexed", "insert sealed, no index");
    ratio(r, round, "plain: with B-tree / without:", "insert plain", "insert plain, no B-tree");
    ratio(r, round, "plain, random order: B-tree / none:", "insert plain, random order", "insert plain, no B-tree");
    ratio(r, round, "insert HMAC only / without:", "insert sealed, HMAC only", "insert sealed, no index");
    ratio(r, round, "insert UNIQUE on NULLs / without:", "insert sealed, UNIQUE on NULLs", "insert sealed, no index");
    ratio(r, round, "sealed lookup / plain b-tree:", "lookup sealed index", "lookup plain b-tree");
  }

  private static void ratio(Map<String, List<Double>> r, int round, String label, String over, String under) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < r.get(over).size(); i++) {
      ratios.add(r.get(over).get(i) / r.get(under).get(i));
    }
    System.out.printf(Locale.ROOT, "  %-36s %.2fx%n", label, pick(ratios, round));
  }

  private static double pick(List<Double> values, int round) {
    if (round >= 0) {
      return values.get(round);
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private void createTables() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String t : INSERT_TABLES) {
        s.execute("drop table if exists " + t);
      }
      s.execute("create table bench_search_plain (id bigint primary key, email text, note text)");
      s.execute("create index bench_search_plain_email on bench_search_plain (email)");
      s.execute("create table bench_search_plain_nobtree (id bigint primary key, email text, note text)");
      s.execute("create table bench_search_plain_random (id bigint primary key, email text, note text)");
      s.execute("create index bench_search_plain_random_email on bench_search_plain_random (email)");
      s.execute("create table bench_search_unindexed (id bigint primary key, email bytea, note text, rowseal_dek bytea)");
      s.execute("create table bench_search_hmac_only (id bigint primary key, email bytea, note text, rowseal_dek bytea,"
          + " email_idx bytea)");
      // the recommended schema: partial UNIQUE indexes, so a column that holds no index version (the rotation
      // column outside a rotation) costs no B-tree entry per row
      s.execute("create table bench_search_indexed (id bigint primary key, email bytea, note text, rowseal_dek bytea,"
          + " email_idx bytea, email_idx_next bytea)");
      s.execute("create unique index bench_search_indexed_idx on bench_search_indexed (email_idx)"
          + " where email_idx is not null");
      s.execute("create unique index bench_search_indexed_next on bench_search_indexed (email_idx_next)"
          + " where email_idx_next is not null");
      s.execute("create table bench_search_full_unique (id bigint primary key, email bytea, note text,"
          + " rowseal_dek bytea, email_idx bytea unique, email_idx_next bytea unique)");
    }
  }

  private void analyze() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String t : LOOKUP_TABLES) {
        s.execute("analyze " + t);
      }
    }
  }

  static String email(long id) {
    return "customer." + id + "@example.com";
  }

  /**
   * A bijection of {@code 1..rows} that scatters neighbours (an affine map modulo a prime above {@code rows}, values
   * beyond {@code rows} skipped): the same e-mails as the other variants, in random order, so the plaintext B-tree
   * gets the random insertion order a blind index's HMAC values always have, instead of nearly sorted keys.
   */
  private long scattered(long id) {
    long x = id;
    do {
      x = (x * 48_271L + 11L) % prime; // a bijection of 0..prime-1; walking it until 1..rows keeps it one there
    } while (x == 0 || x > rows);
    return x;
  }

  /**
   * One pass of every insert variant over the same {@code rows} rows, interleaved batch by batch (each variant
   * inserts batch b before any inserts batch b + 1, in a random order per batch), so that the
   * machine's swings in speed, which on a shared VM last seconds, fall on every variant alike. Returns rows/s
   * per variant, from the time spent in its own batches.
   */
  private double[] inserts() throws Exception {
    int v = INSERTS.length;
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String t : INSERT_TABLES) {
        s.execute("truncate " + t);
      }
    }
    Connection[] connections = new Connection[v];
    PreparedStatement[] statements = new PreparedStatement[v];
    long[] nanos = new long[v];
    try {
      for (int i = 0; i < v; i++) {
        connections[i] = (i < FIRST_SEALED ? pool : sealed).getConnection();
        connections[i].setAutoCommit(false);
        statements[i] = connections[i].prepareStatement("insert into " + INSERT_TABLES[i]
            + " (id, email, note) values (?, ?, ?)");
      }
      SplittableRandom shuffle = new SplittableRandom(7);
      int[] order = new int[v];
      for (int first = 1; first <= rows; first += batch) {
        int last = Math.min(rows, first + batch - 1);
        for (int i = 0; i < v; i++) {
          order[i] = i;
        }
        for (int i = v - 1; i > 0; i--) { // a new random order per batch: no variant always follows the same one
          int k = shuffle.nextInt(i + 1);
          int t = order[i];
          order[i] = order[k];
          order[k] = t;
        }
        for (int j = 0; j < v; j++) {
          int i = order[j];
          long start = System.nanoTime();
          PreparedStatement ps = statements[i];
          for (int id = first; id <= last; id++) {
            ps.setLong(1, id);
            ps.setString(2, email(i == RANDOM_ORDER ? scattered(id) : id));
            ps.setString(3, "note " + id);
            ps.addBatch();
          }
          ps.executeBatch();
          connections[i].commit();
          nanos[i] += System.nanoTime() - start;
        }
      }
    } finally {
      closeAll(statements, connections);
    }
    double[] rate = new double[v];
    for (int i = 0; i < v; i++) {
      rate[i] = rows / (nanos[i] / 1e9);
    }
    return rate;
  }

  /**
   * {@code lookups} random lookups per variant, in blocks of {@value #LOOKUP_BLOCK} alternating ABBA, the same
   * e-mails for both. Returns lookups/s per variant, from the time spent in its own blocks.
   */
  private double[] lookups() throws Exception {
    int v = LOOKUPS.length;
    long[] nanos = new long[v];
    long checksum = 0;
    Connection[] connections = new Connection[v];
    PreparedStatement[] statements = new PreparedStatement[v];
    try {
      for (int i = 0; i < v; i++) {
        connections[i] = (i == 0 ? pool : sealed).getConnection();
        statements[i] = connections[i].prepareStatement("select id, email, note from " + LOOKUP_TABLES[i]
            + " where email = ?");
      }
      SplittableRandom random = new SplittableRandom(42);
      for (int done = 0, b = 0; done < lookups; done += LOOKUP_BLOCK, b++) {
        int n = Math.min(LOOKUP_BLOCK, lookups - done);
        long[] ids = new long[n];
        for (int k = 0; k < n; k++) {
          ids[k] = 1 + random.nextInt(rows);
        }
        for (int j = 0; j < v; j++) {
          int i = (b % 4 == 1 || b % 4 == 2) ? v - 1 - j : j; // ABBA by block
          long start = System.nanoTime();
          for (long id : ids) {
            statements[i].setString(1, email(id));
            try (ResultSet rs = statements[i].executeQuery()) {
              if (!rs.next() || rs.getLong(1) != id) {
                throw new IllegalStateException("row " + id + " not found by its e-mail in " + LOOKUP_TABLES[i]);
              }
              checksum += rs.getString(2).length() + rs.getString(3).length();
            }
          }
          nanos[i] += System.nanoTime() - start;
        }
      }
    } finally {
      closeAll(statements, connections);
    }
    if (checksum == 0) {
      throw new IllegalStateException("nothing read");
    }
    double[] rate = new double[v];
    for (int i = 0; i < v; i++) {
      rate[i] = lookups / (nanos[i] / 1e9);
    }
    return rate;
  }
}
