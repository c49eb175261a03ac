package io.rowseal.benchmarks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.CryptoProvider;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The JDBC wrapper's benchmark command: one process, one PostgreSQL, the same
 * {@code cards(id, holder, card_number, cvv, note)} rows stored in three ways and read through several RowSeal
 * configurations, interleaved, several rounds:
 *
 * <ul>
 *   <li><b>plain</b>: plaintext JDBC over HikariCP ({@code text} columns);
 *   <li><b>rowseal jdk</b>, <b>rowseal accp</b>: the same JDBC code through {@link RowSealDataSource} over the same
 *       pool, with holder, card_number and cvv encrypted ({@code bytea} columns plus the companion column), on the
 *       JDK's AES-GCM and on ACCP's ({@code rowseal.crypto.provider});
 *   <li><b>rowseal auto pN</b> (reads only): RowSeal with the provider {@code auto} picks on this JDK and {@code
 *       decrypt-parallelism} N = 2 and 4;
 *   <li><b>handmade</b>: a hand-written per-row envelope loop with no framework, the way such code is
 *       usually written: a new DEK from {@code SecureRandom}, a new {@code Cipher} per value and for the
 *       wrap, local AES-GCM wrap, a table laid out like rowseal's.
 * </ul>
 *
 * Workloads: batch insert of {@code --rows} rows (batches of {@code --batch}, one commit per batch), {@code
 * --selects} random point selects by id (all columns read, in five slices each run for every variant), and a
 * full scan (fetch size 1000, all columns read). Each round starts with another variant, and runs {@code vacuum
 * analyze} and a checkpoint between the inserts and the reads. Prints rows/s for each, the ratio to plain measured in the same round and the microseconds each
 * adds per row over plain, then the median over rounds, and for each RowSeal variant its added cost as a
 * fraction of the hand-written loop's (the acceptance figure: below 1 is cheaper than hand-written).
 *
 * <pre>
 * ./mvnw -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.jdbc.CardsBenchmark [--rows 200000]
 *     [--selects 20000] [--rounds 3] [--batch 1000] [--url jdbc:postgresql://127.0.0.1:5432/test] [--user postgres]
 *     [--workloads insert,select,scan] [--schema rowseal_bench]   (without insert, the tables are filled once, unmeasured)
 *     [--only scan:'rowseal auto' [--warmup 20] [--seconds 60] [--jfr scan.jfr] [--jfc my.jfc] [--asprof scan.collapsed]]
 * </pre>
 */
public final class CardsBenchmark {
  private static final String PLAIN = "plain";
  private static final String HANDMADE = "handmade";
  private static final String INSERT = "batch insert";
  private static final String[] WORKLOADS = {INSERT, "point select", "full scan"};

  private final int rows;
  private final int selects;
  private final int batch;
  private final DataSource pool;
  /** Variant name to its data source (plain and handmade: the pool), in run order. */
  private final Map<String, DataSource> variants = new LinkedHashMap<>();
  private final byte[] masterKey = new byte[32];
  private final SecureRandom random = new SecureRandom();
  private final EncryptedTable cards;
  private final KeyRing keyRing;

  private CardsBenchmark(int rows, int selects, int batch, DataSource pool) {
    this.rows = rows;
    this.selects = selects;
    this.batch = batch;
    this.pool = pool;
    random.nextBytes(masterKey);
    cards = EncryptedTable.builder("bench_cards_sealed").idColumns("id")
        .column("holder", String.class).column("card_number", String.class).column("cvv", String.class).build();
    keyRing = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:bench"), masterKey.clone()));
    variants.put(PLAIN, pool);
    variants.put(HANDMADE, pool);
    for (CryptoProvider provider : new CryptoProvider[] {CryptoProvider.JDK, CryptoProvider.ACCP}) {
      variants.put("rowseal " + provider.name().toLowerCase(Locale.ROOT), sealed(keyRing, cards, provider, 1));
    }
    for (int threads : new int[] {2, 4}) {
      RowSeal probe = RowSeal.builder().keyRing(keyRing).table(cards).build();
      variants.put("rowseal auto(" + probe.cryptoProvider().name().toLowerCase(Locale.ROOT) + ") p" + threads,
          sealed(keyRing, cards, CryptoProvider.AUTO, threads));
    }
  }

  private DataSource sealed(KeyRing keyRing, EncryptedTable cards, CryptoProvider provider, int threads) {
    RowSeal rowSeal = RowSeal.builder().keyRing(keyRing).table(cards).cryptoProvider(provider)
        .decryptParallelism(threads).build();
    // the hand-made envelope table has a rowseal_dek column that RowSeal deliberately does not manage
    return RowSealDataSource.builder(pool, rowSeal).unmanagedTables("bench_cards_handmade").build();
  }

  private static boolean isRowSeal(String variant) {
    return variant.startsWith("rowseal");
  }

  /** Parallel decryption changes nothing on writes: those variants only read. */
  private static boolean runs(String variant, String workload) {
    return !(workload.equals(INSERT) && variant.contains(") p"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("rows", "200000");
    opts.put("selects", "20000");
    opts.put("rounds", "3");
    opts.put("batch", "1000");
    opts.put("url", System.getenv().getOrDefault("ROWSEAL_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    opts.put("user", "postgres");
    opts.put("password", "");
    opts.put("workloads", "insert,select,scan");
    opts.put("schema", "rowseal_bench");
    opts.put("only", "");
    opts.put("seconds", "60");
    opts.put("warmup", "20");
    opts.put("jfr", "");
    opts.put("asprof", "");
    opts.put("jfc", ""); // empty: the bundled profile-1ms.jfc
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--") || !opts.containsKey(args[i].substring(2))) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + opts.keySet());
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    // A schema of its own: schema validation reads the whole current schema, which other programs may share.
    try (Connection c = java.sql.DriverManager.getConnection(opts.get("url"), opts.get("user"), opts.get("password"));
        Statement s = c.createStatement()) {
      s.execute("create schema if not exists " + opts.get("schema"));
    }
    HikariConfig config = new HikariConfig();
    config.setSchema(opts.get("schema"));
    config.setJdbcUrl(opts.get("url"));
    config.setUsername(opts.get("user"));
    config.setPassword(opts.get("password"));
    config.setMaximumPoolSize(2);
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      CardsBenchmark b = new CardsBenchmark(Integer.parseInt(opts.get("rows")), Integer.parseInt(opts.get("selects")),
          Integer.parseInt(opts.get("batch")), hikari);
      if (opts.get("only").isEmpty()) {
        b.run(Integer.parseInt(opts.get("rounds")), List.of(opts.get("workloads").split(",")));
      } else {
        b.runOnly(opts.get("only"), Integer.parseInt(opts.get("warmup")), Integer.parseInt(opts.get("seconds")),
            opts.get("jfr"), opts.get("jfc"), opts.get("asprof"));
      }
    }
  }

  /** JFR settings from the file {@code jfc}, or the bundled 1 ms profile if {@code jfc} is empty. */
  private static jdk.jfr.Configuration jfcSettings(String jfc) throws java.io.IOException, java.text.ParseException {
    if (!jfc.isEmpty()) {
      return jdk.jfr.Configuration.create(java.nio.file.Path.of(jfc));
    }
    try (java.io.InputStream in = CardsBenchmark.class.getResourceAsStream("/io/rowseal/benchmarks/profile-1ms.jfc");
        java.io.Reader reader = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)) {
      return jdk.jfr.Configuration.create(reader);
    }
  }

  /**
   * {@code --only workload:variant}: runs one path of one variant, alone, over and over for a fixed time, so that a
   * profile holds nothing else. {@code workload} is {@code insert}, {@code select} or {@code scan}; {@code variant}
   * is a variant's name as printed ({@code "rowseal jdk"}, {@code plain}, ...) or {@code "rowseal auto"}: the
   * provider {@code auto} picks on this JDK, without parallel decryption. The tables are filled once (unmeasured),
   * the path runs {@code warmupSeconds}, then {@code seconds} more, and only those are profiled: with {@code --jfr
   * file}, by a JFR recording with the settings {@code jfc} (default: {@code profile-1ms.jfc}, bundled in this jar);
   * with {@code --asprof file}, by async-profiler on CPU time, written as collapsed stacks (one line per stack,
   * thread first) or, to a file named {@code *.jfr}, as execution samples with line numbers ({@code jfr print}).
   * {@link io.rowseal.benchmarks.JfrShare} reads all three.
   */
  private void runOnly(String only, int warmupSeconds, int seconds, String jfr, String jfc, String asprof)
      throws Exception {
    int colon = only.indexOf(':');
    String workload = colon < 0 ? "" : only.substring(0, colon);
    String variant = colon < 0 ? "" : only.substring(colon + 1);
    if (variant.equals("rowseal auto")) {
      RowSeal probe = RowSeal.builder().keyRing(keyRing).table(cards).build();
      variant = "rowseal auto(" + probe.cryptoProvider().name().toLowerCase(Locale.ROOT) + ")";
      variants.put(variant, sealed(keyRing, cards, CryptoProvider.AUTO, 1));
    }
    jdk.jfr.Configuration profile = jfr.isEmpty() ? null : jfcSettings(jfc); // a bad --jfc fails before the warm-up
    if (!List.of("insert", "select", "scan").contains(workload) || !variants.containsKey(variant)
        || (workload.equals("insert") && !runs(variant, INSERT))) {
      throw new IllegalArgumentException("--only takes insert|select|scan:<variant>, variants " + variants.keySet()
          + " or 'rowseal auto' (parallel variants only read); was " + only);
    }
    System.out.printf(Locale.ROOT, "RowSeal CardsBenchmark --only %s:%s, %d rows, warm-up %d s, then %d s%s, java %s%n",
        workload, variant, rows, warmupSeconds, seconds, jfr.isEmpty() ? "" : " recorded to " + jfr,
        System.getProperty("java.version"));
    createTables();
    if (!workload.equals("insert")) {
      insert(runs(variant, INSERT) ? variant : "rowseal jdk");
      settle();
    }
    repeat(workload, variant, warmupSeconds);
    one.profiler.AsyncProfiler profiler = asprof.isEmpty() ? null : startAsyncProfiler(asprof);
    jdk.jfr.Recording recording = null;
    if (!jfr.isEmpty()) {
      recording = new jdk.jfr.Recording(profile);
      recording.setDestination(java.nio.file.Path.of(jfr));
      recording.start();
    }
    try {
      double perSecond = repeat(workload, variant, seconds);
      System.out.printf(Locale.ROOT, "%s %s: %.0f rows/s (loaded machines: a proportion within the profile, not a"
          + " timing)%n", workload, variant, perSecond);
    } finally {
      if (recording != null) {
        recording.stop();
        recording.close();
      }
      if (profiler != null) {
        profiler.execute(asprof.endsWith(".jfr") ? "stop" : "stop,file=" + asprof + ",collapsed");
      }
    }
  }

  /**
   * Starts async-profiler on CPU time, every 1 ms of it ({@code perf_events}; where the kernel refuses those, the
   * {@code itimer} signal, which is CPU time too). Unlike JFR's execution samples, its samples include native code:
   * ACCP's AES-GCM, the JDK's GCM stubs, the kernel copying socket data for the driver.
   */
  private static one.profiler.AsyncProfiler startAsyncProfiler(String asprof) throws java.io.IOException {
    one.profiler.AsyncProfiler profiler = one.profiler.AsyncProfiler.getInstance();
    // to a .jfr file: the samples as jdk.ExecutionSample events, with line numbers (jfr print shows them)
    String output = asprof.endsWith(".jfr") ? ",jfr,file=" + asprof : "";
    try {
      profiler.execute("start,event=cpu,interval=1ms,threads" + output);
      System.out.println("async-profiler: event cpu (perf_events), every 1 ms of CPU time");
    } catch (IllegalStateException | IllegalArgumentException perfRefused) {
      profiler.execute("start,event=itimer,interval=1ms,threads" + output);
      System.out.println("async-profiler: event itimer, every 1 ms of CPU time (perf_events refused: "
          + perfRefused.getMessage() + ")");
    }
    return profiler;
  }

  /** Runs one path of one variant until {@code seconds} have passed; rows (or selects) per second. */
  private double repeat(String workload, String variant, int seconds) throws Exception {
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long done = 0;
    while (System.nanoTime() < end) {
      switch (workload) {
        case "insert" -> insert(variant);
        case "select" -> pointSelects(variant, selects, rows);
        default -> scan(variant);
      }
      done += workload.equals("select") ? selects : rows;
    }
    return done / seconds(start);
  }

  private void run(int rounds, List<String> enabled) throws Exception {
    System.out.printf(Locale.ROOT, "RowSeal CardsBenchmark: %d rows, %d point selects, batch %d, %d rounds, java %s%n",
        rows, selects, batch, rounds, System.getProperty("java.version"));
    createTables();
    // rows/s per workload, variant, round
    Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
    for (String w : WORKLOADS) {
      if (!enabled.contains(w.split(" ")[1])) { // "batch insert" -> insert, "point select" -> select, "full scan" -> scan
        continue;
      }
      results.put(w, new LinkedHashMap<>());
      for (String v : variants.keySet()) {
        if (runs(v, w)) {
          results.get(w).put(v, new ArrayList<>());
        }
      }
    }
    warmUp();
    for (int round = 1; round <= rounds; round++) {
      if (results.containsKey(INSERT)) {
        for (String v : rotated(results.get(INSERT).keySet(), round)) {
          results.get(INSERT).get(v).add(insert(v));
        }
      } else if (round == 1) {
        for (String v : List.of(PLAIN, HANDMADE, "rowseal jdk")) {
          insert(v);
        }
      }
      settle();
      // Point selects in slices, each slice over every variant, so a disturbance of the machine costs all alike.
      Map<String, Double> seconds = new LinkedHashMap<>();
      int slices = results.containsKey("point select") ? 5 : 0;
      for (int slice = 0; slice < slices; slice++) {
        for (String v : rotated(results.get("point select").keySet(), round + slice)) {
          seconds.merge(v, selects / slices / pointSelects(v, selects / slices, rows), Double::sum);
        }
      }
      for (String v : seconds.keySet()) {
        results.get("point select").get(v).add(selects / slices * slices / seconds.get(v));
      }
      for (String v : results.containsKey("full scan") ? rotated(results.get("full scan").keySet(), round) : List.<String>of()) {
        results.get("full scan").get(v).add(scan(v));
      }
      System.out.printf(Locale.ROOT, "%nround %d%n", round);
      print(results, round - 1);
    }
    System.out.printf(Locale.ROOT, "%nmedian over %d rounds%n", rounds);
    print(results, -1);
    System.out.printf(Locale.ROOT, "%nrows read ahead with decrypt-parallelism N: at most (2N + 1) x 64 (N=2: 320,"
        + " N=4: 576), plus the row being read%n");
  }

  /**
   * One round's figures, or with {@code round < 0} the median over rounds of each per-round figure (rows/s,
   * ratio, added µs, added/handmade): ratios are taken within a round, so a round disturbed for every variant
   * does not mix with a quiet one.
   */
  /** The variants, starting at a different one each round, so no variant always runs first after the inserts. */
  private static List<String> rotated(java.util.Collection<String> variants, int round) {
    List<String> list = new ArrayList<>(variants);
    java.util.Collections.rotate(list, -(round % list.size()));
    return list;
  }

  /** After the inserts: fresh statistics and a checkpoint, so autovacuum and the checkpointer do not run during reads. */
  private void settle() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("vacuum analyze bench_cards_plain, bench_cards_sealed, bench_cards_handmade");
      s.execute("checkpoint");
    }
  }

  private void print(Map<String, Map<String, List<Double>>> results, int round) {
    System.out.printf(Locale.ROOT, "  %-13s %-24s %12s %9s %12s %14s%n", "workload", "variant", "rows/s", "x plain",
        "+us/row", "added/handmade");
    for (String w : results.keySet()) {
      List<Double> plain = results.get(w).get(PLAIN);
      List<Double> hand = results.get(w).get(HANDMADE);
      for (Map.Entry<String, List<Double>> e : results.get(w).entrySet()) {
        List<Double> rate = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> added = new ArrayList<>();
        List<Double> vsHand = new ArrayList<>();
        for (int r = 0; r < e.getValue().size(); r++) {
          if (round >= 0 && r != round) {
            continue;
          }
          double p = plain.get(r);
          double v = e.getValue().get(r);
          rate.add(v);
          ratio.add(v / p);
          added.add(1e6 / v - 1e6 / p);
          vsHand.add((1e6 / v - 1e6 / p) / (1e6 / hand.get(r) - 1e6 / p));
        }
        System.out.printf(Locale.ROOT, "  %-13s %-24s %12.0f %8.2fx %12.2f %14s%n", w, e.getKey(), median(rate),
            median(ratio), e.getKey().equals(PLAIN) ? 0.0 : median(added),
            isRowSeal(e.getKey()) ? String.format(Locale.ROOT, "%13.2fx", median(vsHand)) : "");
      }
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private void warmUp() throws Exception {
    int saved = rows;
    // a short pass over every path so the JIT has compiled them before round 1
    for (String v : variants.keySet()) {
      if (runs(v, INSERT)) {
        insert(v, Math.min(20_000, saved));
      }
      pointSelects(v, Math.min(2_000, selects), Math.min(20_000, saved));
      scan(v);
    }
  }

  private void createTables() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists bench_cards_plain");
      s.execute("drop table if exists bench_cards_sealed");
      s.execute("drop table if exists bench_cards_handmade");
      s.execute("create table bench_cards_plain (id bigint primary key, holder text, card_number text, cvv text,"
          + " note text)");
      s.execute("create table bench_cards_sealed (id bigint primary key, holder bytea, card_number bytea, cvv bytea,"
          + " note text, rowseal_dek bytea)");
      s.execute("create table bench_cards_handmade (like bench_cards_sealed including all)");
    }
  }

  private String table(String variant) {
    return variant.equals(PLAIN) ? "bench_cards_plain" : isRowSeal(variant) ? "bench_cards_sealed" : "bench_cards_handmade";
  }

  private double insert(String variant) throws Exception {
    return insert(variant, rows);
  }

  private double insert(String variant, int n) throws Exception {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("truncate " + table(variant));
    }
    DataSource ds = variants.get(variant);
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      String sql = variant.equals(HANDMADE)
          ? "insert into bench_cards_handmade (id, holder, card_number, cvv, note, rowseal_dek) values (?, ?, ?, ?, ?, ?)"
          : "insert into " + table(variant) + " (id, holder, card_number, cvv, note) values (?, ?, ?, ?, ?)";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int id = 1; id <= n; id++) {
          if (variant.equals(HANDMADE)) {
            Handmade.bindSealed(ps, id, masterKey, random);
          } else {
            ps.setLong(1, id);
            ps.setString(2, holder(id));
            ps.setString(3, cardNumber(id));
            ps.setString(4, cvv(id));
            ps.setString(5, note(id));
          }
          ps.addBatch();
          if (id % batch == 0 || id == n) {
            ps.executeBatch();
            c.commit();
          }
        }
      }
      c.setAutoCommit(true);
    }
    return n / seconds(start);
  }

  private double pointSelects(String variant) throws Exception {
    return pointSelects(variant, selects, rows);
  }

  private double pointSelects(String variant, int count, int maxId) throws Exception {
    DataSource ds = variants.get(variant);
    SplittableRandom ids = new SplittableRandom(42);
    long checksum = 0;
    long start = System.nanoTime();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(columns(variant) + " where id = ?")) {
      for (int i = 0; i < count; i++) {
        long id = 1 + ids.nextInt(maxId);
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalStateException("row " + id + " missing");
          }
          checksum += read(variant, rs);
        }
      }
    }
    double perSecond = count / seconds(start);
    if (checksum == 0) {
      throw new IllegalStateException("nothing read");
    }
    return perSecond;
  }

  private double scan(String variant) throws Exception {
    DataSource ds = variants.get(variant);
    long n = 0;
    long checksum = 0;
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(columns(variant))) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            checksum += read(variant, rs);
            n++;
          }
        }
      }
      c.commit();
      c.setAutoCommit(true);
    }
    if (checksum == 0) {
      throw new IllegalStateException("nothing read");
    }
    return n / seconds(start);
  }

  /** The query's select list: the hand-written loop must also read the wrapped data key itself. */
  private String columns(String variant) {
    return "select id, holder, card_number, cvv, note" + (variant.equals(HANDMADE) ? ", rowseal_dek" : "") + " from "
        + table(variant);
  }

  private long read(String variant, ResultSet rs) throws Exception {
    long id = rs.getLong(1);
    String holder;
    String number;
    String cvv;
    if (variant.equals(HANDMADE)) {
      String[] opened = Handmade.open(rs, masterKey);
      holder = opened[0];
      number = opened[1];
      cvv = opened[2];
    } else {
      holder = rs.getString(2);
      number = rs.getString(3);
      cvv = rs.getString(4);
    }
    String note = rs.getString(5);
    return id + holder.length() + number.charAt(15) + cvv.length() + note.length();
  }

  static String holder(long id) {
    return "CARDHOLDER NAME " + id;
  }

  // Without String.format: the rows' making is the benchmark's own CPU, and it should not dilute profiles.
  static String cardNumber(long id) {
    String digits = Long.toString(id);
    return "4" + "000000000000000".substring(Math.min(15, digits.length())) + digits;
  }

  static String cvv(long id) {
    String digits = Long.toString(id % 1000);
    return "000".substring(digits.length()) + digits;
  }

  static String note(long id) {
    return "note " + id;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * The hand-written envelope loop: what an application without a library typically writes. A new
   * {@code Cipher} per operation, a 32-byte DEK and 12-byte nonces from one {@code SecureRandom},
   * AES-GCM wrap under the master key with the id as AAD, values as {@code nonce || ciphertext || tag}.
   */
  static final class Handmade {
    private Handmade() {}

    static void bindSealed(PreparedStatement ps, long id, byte[] master, SecureRandom random) throws Exception {
      byte[] dek = new byte[32];
      random.nextBytes(dek);
      byte[] aad = Long.toString(id).getBytes(StandardCharsets.UTF_8);
      ps.setLong(1, id);
      ps.setBytes(2, seal(dek, holder(id).getBytes(StandardCharsets.UTF_8), aad, random));
      ps.setBytes(3, seal(dek, cardNumber(id).getBytes(StandardCharsets.UTF_8), aad, random));
      ps.setBytes(4, seal(dek, cvv(id).getBytes(StandardCharsets.UTF_8), aad, random));
      ps.setString(5, note(id));
      ps.setBytes(6, seal(master, dek, aad, random));
    }

    static String[] open(ResultSet rs, byte[] master) throws Exception {
      byte[] aad = Long.toString(rs.getLong(1)).getBytes(StandardCharsets.UTF_8);
      byte[] dek = open(master, rs.getBytes(6), aad);
      return new String[] {
          new String(open(dek, rs.getBytes(2), aad), StandardCharsets.UTF_8),
          new String(open(dek, rs.getBytes(3), aad), StandardCharsets.UTF_8),
          new String(open(dek, rs.getBytes(4), aad), StandardCharsets.UTF_8)};
    }

    private static byte[] seal(byte[] key, byte[] plaintext, byte[] aad, SecureRandom random) throws Exception {
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad);
      byte[] ct = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array();
    }

    private static byte[] open(byte[] key, byte[] sealed, byte[] aad) throws Exception {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
      cipher.updateAAD(aad);
      return cipher.doFinal(sealed, 12, sealed.length - 12);
    }
  }
}
