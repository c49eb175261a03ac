package io.rowseal.benchmarks.rewrap;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import io.rowseal.jobs.KeyStatus;
import io.rowseal.jobs.RewrapJob;
import io.rowseal.jobs.JobReport;
import io.rowseal.jobs.VerifyJob;
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
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The re-wrap job's benchmark command: how fast {@link RewrapJob} moves rows to a new local master key,
 * against the floor of the same database work done bare, in one process and one run.
 *
 * <ul>
 *   <li><b>bare</b>: a batched {@code UPDATE t SET rowseal_dek = ? WHERE id = ?} of every row of an
 *       identical copy of the table, with companion bytes computed before the clock starts, the same batch
 *       size, one commit per batch. No read, no key work, no compare-and-set.
 *   <li><b>rewrap, 1 worker</b> and <b>rewrap, 2 workers</b>: the job over the sealed table (count, keyset
 *       pages, unwrap + wrap per row, compare-and-set update, one commit per page), each run moving every
 *       row to the next key.
 *   <li><b>rerun</b>: the job again over the rows it has just moved: it must make no key operation,
 *       counted both by the job's report and by a counting wrapper around every master key.
 * </ul>
 *
 * Each round runs bare, 1 worker, bare, 2 workers, bare; each re-wrap ratio is against the mean of its two
 * bare neighbours, and the summary gives the median over {@code --rounds} rounds. The bare update uses one
 * connection; the 2-worker job writes through two. Tables are vacuumed before each timed run (outside the
 * timing). Rows have one encrypted column; the job never reads or writes it.
 *
 * <p>With {@code --job verify} or {@code --job rewrap-dry} it measures the read-only jobs instead, with each
 * worker count of {@code --workers} (default 1,2,4): {@link VerifyJob} (reads the companion and the encrypted
 * column, unwraps the row's key and decrypts the value on the workers) and a {@link RewrapJob} dry run (reads
 * the companion and checks its key reference; no key operation). Their floor, <b>bare scan</b>, is the same
 * keyset-paged SELECT of the job's columns on one connection with no key work. Each reports rows/s, the ratio
 * to the bare scan of the same round, and the job's {@link JobReport#maxPagesInFlight()} (bounded by
 * {@code 2 * workers + 1} pages of {@code --batch} rows).
 *
 * <pre>
 * ./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.rewrap.RewrapBenchmark [--rows 100000]
 *     [--batch 1000] [--rounds 3] [--job rewrap|verify|rewrap-dry] [--workers 1,2,4]
 *     [--url jdbc:postgresql://127.0.0.1:5432/test] [--user postgres] [--password '']
 * </pre>
 */
public final class RewrapBenchmark {
  private final int rows;
  private final int batch;
  private final int rounds;
  private final DataSource ds;
  private final SecureRandom random = new SecureRandom();
  private final String sealed = "bench_rewrap_sealed";
  private final String bare = "bench_rewrap_bare";

  private RewrapBenchmark(int rows, int batch, int rounds, DataSource ds) {
    this.rows = rows;
    this.batch = batch;
    this.rounds = rounds;
    this.ds = ds;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("rows", "100000");
    opts.put("batch", "1000");
    opts.put("rounds", "3");
    opts.put("job", "rewrap");
    opts.put("workers", "1,2,4");
    opts.put("url", System.getenv().getOrDefault("ROWSEAL_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    opts.put("user", "postgres");
    opts.put("password", "");
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--") || !opts.containsKey(args[i].substring(2))) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + opts.keySet());
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(opts.get("url"));
    if (!opts.get("url").contains("user=")) {
      ds.setUser(opts.get("user"));
    }
    if (!opts.get("password").isEmpty()) {
      ds.setPassword(opts.get("password"));
    }
    RewrapBenchmark bench = new RewrapBenchmark(Integer.parseInt(opts.get("rows")), Integer.parseInt(opts.get("batch")),
        Integer.parseInt(opts.get("rounds")), ds);
    String job = opts.get("job");
    if (job.equals("rewrap")) {
      bench.run();
    } else if (job.equals("verify") || job.equals("rewrap-dry")) {
      List<Integer> workers = new ArrayList<>();
      for (String w : opts.get("workers").split(",")) {
        workers.add(Integer.parseInt(w.strip()));
      }
      bench.runReadOnly(job, workers);
    } else {
      throw new IllegalArgumentException("--job must be rewrap, verify or rewrap-dry, was " + job);
    }
  }

  /** {@code job} (verify or rewrap-dry) with each worker count, against the bare scan, over {@link #rounds}. */
  private void runReadOnly(String job, List<Integer> workers) throws Exception {
    System.out.printf(Locale.ROOT, "RowSeal RewrapBenchmark --job %s: %d rows, batch %d, workers %s, %d rounds,"
        + " java %s, %d CPUs%n", job, rows, batch, workers, rounds, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    // plain local keys (in process, so RowSeal keeps no data-key cache for them, as in production)
    MasterKey[] keys = new MasterKey[2];
    for (int i = 0; i < keys.length; i++) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      keys[i] = AesGcmMasterKey.of(KeyRef.of("local:bench" + i), bytes);
    }
    EncryptedTable table = EncryptedTable.builder(sealed).idColumns("id").column("card_number", String.class).build();
    createTables(table, ringWith(keys[0], keys), keys);
    vacuum(sealed);
    // verify opens the rows' key (keys[0]); the dry run moves them to keys[1]
    KeyRing ring = ringWith(job.equals("verify") ? keys[0] : keys[1], keys);

    boolean values = job.equals("verify"); // the dry run reads only the companion
    readOnlyJob(job, table, ring, workers.get(workers.size() - 1)); // warm-up: JIT and the database's caches
    bareScan(values);
    List<double[]> results = new ArrayList<>(); // per round: bare, then rows/s and pages in flight per count
    for (int round = 1; round <= rounds; round++) {
      double[] r = new double[1 + 2 * workers.size()];
      r[0] = bareScan(values);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d: bare scan %.0f", round, r[0]));
      for (int i = 0; i < workers.size(); i++) {
        JobReport report = readOnlyJob(job, table, ring, workers.get(i));
        r[1 + 2 * i] = rows / (report.elapsed().toNanos() / 1e9);
        r[2 + 2 * i] = report.maxPagesInFlight();
        line.append(String.format(Locale.ROOT, ", %d worker%s %.0f (%.2fx, %d pages in flight)", workers.get(i),
            workers.get(i) == 1 ? "" : "s", r[1 + 2 * i], r[1 + 2 * i] / r[0], report.maxPagesInFlight()));
      }
      results.add(r);
      System.out.println(line.append(" rows/s"));
    }
    System.out.printf(Locale.ROOT, "%nmedian over %d rounds%n  %-22s %12s %12s %18s %16s%n", rounds, "variant",
        "rows/s", "job / bare", "max pages (bound)", "max rows held");
    System.out.printf(Locale.ROOT, "  %-22s %12.0f%n", "bare scan", median(results, 0));
    for (int i = 0; i < workers.size(); i++) {
      int w = workers.get(i);
      List<double[]> ratios = new ArrayList<>();
      for (double[] r : results) {
        ratios.add(new double[] {r[1 + 2 * i] / r[0]});
      }
      int pages = (int) maxOf(results, 2 + 2 * i);
      System.out.printf(Locale.ROOT, "  %-22s %12.0f %11.2fx %11d (%d) %16d%n", job + ", " + w + " worker" + (w == 1 ? "" : "s"),
          median(results, 1 + 2 * i), median(ratios, 0), pages, 2 * w + 1, pages * batch);
    }
    dropTables();
  }

  private static double maxOf(List<double[]> results, int column) {
    double max = 0;
    for (double[] r : results) {
      max = Math.max(max, r[column]);
    }
    return max;
  }

  /** Runs {@code job} once over every row with {@code workers} workers and checks its report. */
  private JobReport readOnlyJob(String job, EncryptedTable table, KeyRing ring, int workers) throws SQLException {
    RowSeal rowSeal = RowSeal.builder().keyRing(ring).table(table).build();
    JobReport report;
    if (job.equals("verify")) {
      report = VerifyJob.builder(ds, rowSeal, table).batchSize(batch).workers(workers).build().run();
      if (report.unchanged() != rows || report.values() != rows || report.failedRows() != 0) {
        throw new IllegalStateException("verify did not decrypt every row: " + report);
      }
    } else {
      report = RewrapJob.builder(ds, rowSeal, table).batchSize(batch).workers(workers).dryRun(true).build().run();
      if (report.wouldWrite() != rows || report.written() != 0 || report.failedRows() != 0) {
        throw new IllegalStateException("the dry run did not count every row: " + report);
      }
    }
    return report;
  }

  /**
   * The floor of the read-only jobs: the same keyset-paged SELECT of the job's columns (the companion, and
   * with {@code values} the encrypted column) on one connection, no key work; rows/s.
   */
  private double bareScan(boolean values) throws SQLException {
    long start = System.nanoTime();
    long seen = 0;
    long last = 0;
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id, rowseal_dek" + (values ? ", card_number" : "")
            + " FROM " + sealed + " WHERE id > ? ORDER BY id LIMIT " + batch)) {
      while (true) {
        ps.setLong(1, last);
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            last = rs.getLong(1);
            if (rs.getBytes(2) == null || values && rs.getBytes(3) == null) {
              throw new IllegalStateException("row " + last + " has no companion or value");
            }
            n++;
          }
        }
        seen += n;
        if (n < batch) {
          break;
        }
      }
    }
    if (seen != rows) {
      throw new IllegalStateException("bare scan saw " + seen + " rows, not " + rows);
    }
    return rows / ((System.nanoTime() - start) / 1e9);
  }

  private void run() throws Exception {
    System.out.printf(Locale.ROOT, "RowSeal RewrapBenchmark: %d rows, batch %d, %d rounds, java %s%n", rows, batch,
        rounds, System.getProperty("java.version"));
    CountingKey[] keys = new CountingKey[4];
    for (int i = 0; i < keys.length; i++) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      keys[i] = new CountingKey(AesGcmMasterKey.of(KeyRef.of("local:bench" + i), bytes));
    }
    EncryptedTable table = EncryptedTable.builder(sealed).idColumns("id").column("card_number", String.class).build();
    createTables(table, ringWith(keys[0], keys), keys);
    byte[][] precomputed = new byte[rows][];
    for (int i = 0; i < rows; i++) {
      // the same length as a local companion: 3-byte header, "local:benchN", 60-byte wrap
      precomputed[i] = new byte[3 + 12 + 60];
      random.nextBytes(precomputed[i]);
    }

    // warm-up: the JIT and the database's caches, on a rotation that is not measured
    rewrap(table, keys, 1, 1);
    bareUpdate(precomputed);

    List<double[]> results = new ArrayList<>(); // per round: bare, 1 worker, bare, 2 workers, bare
    int target = 1;
    for (int round = 1; round <= rounds; round++) {
      double bare1 = bareUpdate(precomputed);
      target = target % 3 + 1;
      double one = rewrap(table, keys, target, 1);
      double bare2 = bareUpdate(precomputed);
      target = target % 3 + 1;
      double two = rewrap(table, keys, target, 2);
      double bare3 = bareUpdate(precomputed);
      double[] r = {bare1, one, bare2, two, bare3, one / ((bare1 + bare2) / 2), two / ((bare2 + bare3) / 2)};
      results.add(r);
      System.out.printf(Locale.ROOT, "round %d: bare %.0f, 1 worker %.0f (%.2fx), bare %.0f, 2 workers %.0f (%.2fx),"
          + " bare %.0f rows/s%n", round, bare1, one, r[5], bare2, two, r[6], bare3);
    }
    System.out.printf(Locale.ROOT, "%nmedian over %d rounds%n  %-22s %12s %14s%n", rounds, "variant", "rows/s",
        "rewrap / bare");
    System.out.printf(Locale.ROOT, "  %-22s %12.0f%n", "bare UPDATE", median(results, 0, 2, 4));
    System.out.printf(Locale.ROOT, "  %-22s %12.0f %13.2fx%n", "rewrap, 1 worker", median(results, 1), median(results, 5));
    System.out.printf(Locale.ROOT, "  %-22s %12.0f %13.2fx%n", "rewrap, 2 workers", median(results, 3), median(results, 6));

    for (CountingKey k : keys) {
      k.operations.set(0);
    }
    vacuum(sealed);
    RowSeal same = RowSeal.builder().keyRing(ringWith(keys[target], keys)).table(table).build();
    long start = System.nanoTime();
    JobReport rerun = RewrapJob.builder(ds, same, table).batchSize(batch).workers(2).build().run();
    double seconds = (System.nanoTime() - start) / 1e9;
    long counted = 0;
    for (CountingKey k : keys) {
      counted += k.operations.get();
    }
    System.out.printf(Locale.ROOT, "%n  rerun over the rotated rows: %d scanned, %d already on %s, %d key operations"
        + " (report), %d (counted at the master keys), %.0f rows/s%n", rerun.scanned(), rerun.unchanged(),
        rerun.target(), rerun.keyOperations(), counted, rerun.scanned() / seconds);
    System.out.printf(Locale.ROOT, "  key status: %s%n", KeyStatus.count(ds, table));
    dropTables();
  }

  private static double median(List<double[]> results, int... columns) {
    List<Double> values = new ArrayList<>();
    for (double[] r : results) {
      for (int c : columns) {
        values.add(r[c]);
      }
    }
    values.sort(null);
    return values.get(values.size() / 2);
  }

  private static KeyRing ringWith(MasterKey active, MasterKey[] all) {
    return KeyRing.of(active, List.of(all));
  }

  /** Moves every row to {@code keys[target]}; returns rows/s. */
  private double rewrap(EncryptedTable table, CountingKey[] keys, int target, int workers) throws SQLException {
    vacuum(sealed);
    RowSeal rowSeal = RowSeal.builder().keyRing(ringWith(keys[target], keys)).table(table).build();
    long start = System.nanoTime();
    JobReport report = RewrapJob.builder(ds, rowSeal, table).batchSize(batch).workers(workers).build().run();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (report.written() != rows || report.failedRows() != 0) {
      throw new IllegalStateException("the re-wrap did not move every row: " + report);
    }
    return rows / seconds;
  }

  /** The floor: the same rows' companions written by a bare batched UPDATE; returns rows/s. */
  private double bareUpdate(byte[][] companions) throws SQLException {
    vacuum(bare);
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + bare + " SET rowseal_dek = ? WHERE id = ?")) {
        for (int i = 0; i < rows; i++) {
          ps.setBytes(1, companions[i]);
          ps.setLong(2, i + 1);
          ps.addBatch();
          if ((i + 1) % batch == 0 || i + 1 == rows) {
            ps.executeBatch();
            c.commit();
          }
        }
      }
    }
    return rows / ((System.nanoTime() - start) / 1e9);
  }

  private void createTables(EncryptedTable table, KeyRing ring, MasterKey[] keys) throws SQLException {
    dropTables();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + sealed + " (id bigint primary key, card_number bytea, rowseal_dek bytea)");
    }
    RowSeal rowSeal = RowSeal.builder().keyRing(ring).table(table).build();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + sealed + " (id, card_number, rowseal_dek) values (?, ?, ?)")) {
      c.setAutoCommit(false);
      for (long id = 1; id <= rows; id++) {
        try (RowKey key = rowSeal.newRowKey(table, RowId.of(id))) {
          ps.setLong(1, id);
          ps.setBytes(2, key.encryptBinary(table.column("card_number"), String.format(Locale.ROOT, "4%015d", id)));
          ps.setBytes(3, key.companion());
          ps.addBatch();
        }
        if (id % batch == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
      c.commit();
    }
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + bare + " as select * from " + sealed);
      s.execute("alter table " + bare + " add primary key (id)");
    }
  }

  private void dropTables() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists " + sealed);
      s.execute("drop table if exists " + bare);
    }
  }

  private void vacuum(String table) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("vacuum analyze " + table);
    }
  }

  /** A master key that counts every operation made with it. */
  private static final class CountingKey implements MasterKey {
    private final MasterKey delegate;
    final AtomicLong operations = new AtomicLong();

    CountingKey(MasterKey delegate) {
      this.delegate = delegate;
    }

    @Override
    public KeyRef ref() {
      return delegate.ref();
    }

    @Override
    public byte[] wrap(DataKey dataKey, WrapContext context) {
      operations.incrementAndGet();
      return delegate.wrap(dataKey, context);
    }

    @Override
    public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
      operations.incrementAndGet();
      return delegate.unwrap(wrappedKey, context);
    }

    @Override
    public byte[] rewrapFrom(MasterKey source, byte[] wrappedKey, WrapContext context) {
      operations.incrementAndGet();
      return delegate.rewrapFrom(source, wrappedKey, context);
    }
  }
}
