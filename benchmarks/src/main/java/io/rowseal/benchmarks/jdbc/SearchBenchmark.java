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
 * interleaved, several rounds, ratios measured in the same round:
 *
 * <ul>
 *   <li><b>lookup</b>: {@code --lookups} random {@code select id, email, note from t where email = ?} on
 *       {@code --rows} rows: plaintext {@code email text} with a B-tree index, against RowSeal's encrypted
 *       {@code email} with a full-length, lowercase blind index ({@code email_idx bytea} with a UNIQUE B-tree),
 *       the lookup rewritten by the JDBC wrapper to the index column and the row decrypted;
 *   <li><b>insert</b>: batch insert of {@code --rows} rows through RowSeal, encrypted e-mail with its blind
 *       index against the same encrypted e-mail without one (and plaintext for reference).
 * </ul>
 *
 * <pre>
 * ./mvnw -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.jdbc.SearchBenchmark [--rows 100000]
 *     [--lookups 20000] [--rounds 3] [--batch 1000] [--url jdbc:postgresql://127.0.0.1:5432/test] [--user postgres]
 * </pre>
 */
public final class SearchBenchmark {
  private final int rows;
  private final int lookups;
  private final int batch;
  private final DataSource pool;
  private final DataSource sealed;

  private SearchBenchmark(int rows, int lookups, int batch, DataSource pool) throws SQLException {
    this.rows = rows;
    this.lookups = lookups;
    this.batch = batch;
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
    RowSeal rowSeal = RowSeal.builder().keyRing(ring).table(indexed).table(unindexed).build();
    this.sealed = RowSealDataSource.builder(pool, rowSeal).indexKeys(store).build();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("rows", "100000");
    opts.put("lookups", "20000");
    opts.put("rounds", "3");
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
    config.setMaximumPoolSize(2);
    // a schema of its own: RowSeal's schema validation would refuse other benchmarks' unconfigured tables
    config.setConnectionInitSql("create schema if not exists rowseal_bench_search; set search_path to rowseal_bench_search");
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      new SearchBenchmark(Integer.parseInt(opts.get("rows")), Integer.parseInt(opts.get("lookups")),
          Integer.parseInt(opts.get("batch")), hikari).run(Integer.parseInt(opts.get("rounds")));
    }
  }

  private void run(int rounds) throws Exception {
    System.out.printf(Locale.ROOT, "RowSeal SearchBenchmark: %d rows, %d lookups, batch %d, %d rounds, java %s%n",
        rows, lookups, batch, rounds, System.getProperty("java.version"));
    createTables();
    Map<String, List<Double>> r = new LinkedHashMap<>();
    for (String k : new String[] {"insert plain", "insert sealed, no index", "insert sealed, indexed",
        "lookup plain b-tree", "lookup sealed index"}) {
      r.put(k, new ArrayList<>());
    }
    insert("bench_search_plain", pool, Math.min(rows, 20_000));
    insert("bench_search_unindexed", sealed, Math.min(rows, 20_000));
    insert("bench_search_indexed", sealed, Math.min(rows, 20_000));
    lookup("bench_search_plain", pool, Math.min(lookups, 2_000), Math.min(rows, 20_000));
    lookup("bench_search_indexed", sealed, Math.min(lookups, 2_000), Math.min(rows, 20_000));
    for (int round = 1; round <= rounds; round++) {
      r.get("insert plain").add(insert("bench_search_plain", pool, rows));
      r.get("insert sealed, no index").add(insert("bench_search_unindexed", sealed, rows));
      r.get("insert sealed, indexed").add(insert("bench_search_indexed", sealed, rows));
      r.get("lookup plain b-tree").add(lookup("bench_search_plain", pool, lookups, rows));
      r.get("lookup sealed index").add(lookup("bench_search_indexed", sealed, lookups, rows));
      System.out.printf(Locale.ROOT, "%nround %d%n", round);
      print(r, round - 1);
    }
    System.out.printf(Locale.ROOT, "%nmedian over %d rounds%n", rounds);
    print(r, -1);
  }

  private static void print(Map<String, List<Double>> r, int round) {
    r.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-24s %12.0f rows/s%n", k, pick(v, round)));
    System.out.printf(Locale.ROOT, "  insert with index / without:   %.2fx%n",
        pick(r.get("insert sealed, indexed"), round) / pick(r.get("insert sealed, no index"), round));
    System.out.printf(Locale.ROOT, "  sealed lookup / plain b-tree:  %.2fx%n",
        pick(r.get("lookup sealed index"), round) / pick(r.get("lookup plain b-tree"), round));
  }

  private static double pick(List<Double> values, int round) {
    if (round >= 0) {
      return values.get(round);
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private void createTables() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String t : new String[] {"bench_search_plain", "bench_search_unindexed", "bench_search_indexed"}) {
        s.execute("drop table if exists " + t);
      }
      s.execute("create table bench_search_plain (id bigint primary key, email text, note text)");
      s.execute("create index bench_search_plain_email on bench_search_plain (email)");
      s.execute("create table bench_search_unindexed (id bigint primary key, email bytea, note text, rowseal_dek bytea)");
      s.execute("create table bench_search_indexed (id bigint primary key, email bytea, note text, rowseal_dek bytea,"
          + " email_idx bytea unique, email_idx_next bytea unique)");
    }
  }

  static String email(long id) {
    return "customer." + id + "@example.com";
  }

  private double insert(String table, DataSource ds, int n) throws Exception {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("truncate " + table);
    }
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (id, email, note) values (?, ?, ?)")) {
        for (int id = 1; id <= n; id++) {
          ps.setLong(1, id);
          ps.setString(2, email(id));
          ps.setString(3, "note " + id);
          ps.addBatch();
          if (id % batch == 0 || id == n) {
            ps.executeBatch();
            c.commit();
          }
        }
      }
      c.setAutoCommit(true);
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private double lookup(String table, DataSource ds, int count, int maxId) throws Exception {
    SplittableRandom ids = new SplittableRandom(42);
    long checksum = 0;
    long start = System.nanoTime();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("select id, email, note from " + table + " where email = ?")) {
      for (int i = 0; i < count; i++) {
        long id = 1 + ids.nextInt(maxId);
        ps.setString(1, email(id));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getLong(1) != id) {
            throw new IllegalStateException("row " + id + " not found by its e-mail in " + table);
          }
          checksum += rs.getString(2).length() + rs.getString(3).length();
        }
      }
    }
    if (checksum == 0) {
      throw new IllegalStateException("nothing read");
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }
}
