package io.rowseal.benchmarks.hibernate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;

/**
 * The Hibernate integration's benchmark command: one process, one PostgreSQL, one HikariCP pool, the seed
 * use case's card mapped twice, interleaved, several rounds:
 *
 * <ul>
 *   <li><b>plain</b>: {@link PlainCard} (table {@code bench_hb_plain}), no {@code @Encrypted} field, in a
 *       SessionFactory without RowSeal configured: rowseal-hibernate is on the class path, so its
 *       connection provider is still installed, but it hands out the pool's connections unwrapped. This is
 *       Hibernate as an application has it before adopting RowSeal;
 *   <li><b>sealed</b>: {@link SealedCard} (table {@code bench_hb_sealed}), number, holder name and CVV
 *       {@code @Encrypted}, in a SessionFactory given a local master key as {@code rowseal.key_ring}.
 * </ul>
 *
 * Both SessionFactories use the same pool and settings: {@code hibernate.jdbc.batch_size=50}, {@code
 * order_inserts}, {@code hbm2ddl.auto=create}; ids are SEQUENCE with allocation size 50. With {@code
 * --factories one}, both entities are in one SessionFactory with RowSeal configured instead, so the plain
 * entity's SQL also passes through the JDBC wrapper (which runs it unchanged).
 *
 * <p>Workloads, in each of {@code --rounds} rounds after a short warm-up:
 *
 * <ul>
 *   <li><b>persist</b>: {@code --rows} new cards of each variant, one session per variant, flushed and
 *       cleared every 50 and committed every 1000 (both tables are truncated first, outside the timing);
 *   <li><b>find</b>: {@code --finds} random ids among those just persisted (the same sequence of positions
 *       for both variants), each looked up with {@code Session.find} in a fresh session (no explicit
 *       transaction), every field read and compared with the value persisted.
 * </ul>
 *
 * The variants are interleaved in small blocks, not run one after the other: persist alternates at every
 * commit (1000 cards), find every {@value #FIND_BLOCK} finds, in the order plain-sealed, sealed-plain,
 * sealed-plain, plain-sealed, ... Each variant's rows/s comes from the time spent in its own blocks. On
 * a shared 2-vCPU VM a plain find took either about 25 or about 85 µs, staying in one mode for seconds at
 * a time; running the variants one after the other let that drift decide the ratio.
 *
 * <p>Between the persists and the finds both tables are vacuumed and analyzed, untimed. Prints rows/s,
 * sealed/plain and the extra time per sealed row (µs) per round, then the median of each over the rounds
 * (ratio and extra time: the median of the per-round values). Before round 1 it checks on the raw pool
 * that the sealed table holds ciphertext and a wrapped data key for every row.
 *
 * <pre>
 * mvn -q -B -ntp -pl benchmarks package
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.hibernate.HibernateBenchmark [--rows 100000]
 *     [--finds 20000] [--rounds 3] [--factories two|one] [--url jdbc:postgresql://127.0.0.1:5432/test]
 *     [--user postgres] [--password '']
 * </pre>
 */
public final class HibernateBenchmark {
  private static final int FLUSH_EVERY = 50;
  private static final int COMMIT_EVERY = 1000;
  private static final int FIND_BLOCK = 500;
  private static final String PLAIN = "plain";
  private static final String SEALED = "sealed";
  private static final String[] VARIANTS = {PLAIN, SEALED};
  private static final String[] WORKLOADS = {"persist", "find"};
  /** Held so the level set on it is not lost when the logger is collected. */
  private static final Logger HIBERNATE_LOG = Logger.getLogger("org.hibernate");

  private final int rows;
  private final int finds;
  private final DataSource pool;
  private final Map<String, SessionFactory> factories;
  /** The ids persisted by the last persist run of each variant, in persist order. */
  private final Map<String, long[]> ids = new HashMap<>();

  private HibernateBenchmark(int rows, int finds, DataSource pool, Map<String, SessionFactory> factories) {
    this.rows = rows;
    this.finds = finds;
    this.pool = pool;
    this.factories = factories;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("rows", "100000");
    opts.put("finds", "20000");
    opts.put("rounds", "3");
    opts.put("factories", "two");
    opts.put("url", System.getenv().getOrDefault("ROWSEAL_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    opts.put("user", "postgres");
    opts.put("password", "");
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--") || !opts.containsKey(args[i].substring(2))) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + opts.keySet());
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    if (!opts.get("factories").equals("two") && !opts.get("factories").equals("one")) {
      throw new IllegalArgumentException("--factories is two or one, was " + opts.get("factories"));
    }
    HIBERNATE_LOG.setLevel(Level.WARNING); // Hibernate logs through JUL here; keep its boot INFO lines out
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(opts.get("url"));
    config.setUsername(opts.get("user"));
    config.setPassword(opts.get("password"));
    config.setMaximumPoolSize(2);
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    KeyRing keyRing = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:bench"), masterKey));
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      Map<String, SessionFactory> factories = new HashMap<>();
      try {
        if (opts.get("factories").equals("two")) {
          factories.put(PLAIN, build(hikari, null, PlainCard.class));
          factories.put(SEALED, build(hikari, keyRing, SealedCard.class));
        } else {
          SessionFactory both = build(hikari, keyRing, PlainCard.class, SealedCard.class);
          factories.put(PLAIN, both);
          factories.put(SEALED, both);
        }
        new HibernateBenchmark(Integer.parseInt(opts.get("rows")), Integer.parseInt(opts.get("finds")), hikari,
            factories).run(Integer.parseInt(opts.get("rounds")), opts.get("factories"));
      } finally {
        for (SessionFactory sf : new HashSet<>(factories.values())) {
          sf.close();
        }
      }
    }
  }

  /** A SessionFactory over {@code pool}; RowSeal is configured only when {@code keyRing} is given. */
  private static SessionFactory build(DataSource pool, KeyRing keyRing, Class<?>... entities) {
    StandardServiceRegistryBuilder b = new StandardServiceRegistryBuilder()
        .applySetting("hibernate.connection.datasource", pool)
        .applySetting("hibernate.jdbc.batch_size", 50)
        .applySetting("hibernate.order_inserts", true)
        .applySetting("hibernate.hbm2ddl.auto", "create");
    if (keyRing != null) {
      b.applySetting("rowseal.key_ring", keyRing);
    }
    StandardServiceRegistry registry = b.build();
    try {
      MetadataSources sources = new MetadataSources(registry);
      for (Class<?> e : entities) {
        sources.addAnnotatedClass(e);
      }
      return sources.buildMetadata().buildSessionFactory();
    } catch (RuntimeException e) {
      StandardServiceRegistryBuilder.destroy(registry);
      throw e;
    }
  }

  private void run(int rounds, String factoryMode) throws Exception {
    System.out.printf(Locale.ROOT, "RowSeal HibernateBenchmark: %d rows (flush every %d, commit every %d), %d finds"
            + " (blocks of %d), %d rounds, %s SessionFactor%s, java %s%n", rows, FLUSH_EVERY, COMMIT_EVERY, finds,
        FIND_BLOCK, rounds, factoryMode, factoryMode.equals("one") ? "y" : "ies", System.getProperty("java.version"));
    Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
    for (String w : WORKLOADS) {
      results.put(w, new LinkedHashMap<>());
      for (String v : VARIANTS) {
        results.get(w).put(v, new ArrayList<>());
      }
    }
    warmUp();
    checkSealedAtRest();
    for (int round = 1; round <= rounds; round++) {
      add(results.get("persist"), persist(rows));
      settle();
      add(results.get("find"), find(finds));
      System.out.printf(Locale.ROOT, "%nround %d%n", round);
      print(results, round - 1);
    }
    System.out.printf(Locale.ROOT, "%nmedian over %d rounds (rows/s: median of each column; ratio: median of the"
        + " per-round ratios and of the per-round extra time per row)%n", rounds);
    print(results, -1);
  }

  private static void add(Map<String, List<Double>> results, Map<String, Double> perSecond) {
    perSecond.forEach((v, r) -> results.get(v).add(r));
  }

  private void print(Map<String, Map<String, List<Double>>> results, int round) {
    System.out.printf(Locale.ROOT, "  %-9s %14s %14s %13s %17s%n", "workload", "plain rows/s", "sealed rows/s",
        "sealed/plain", "sealed +µs/row");
    for (String w : WORKLOADS) {
      List<Double> plain = results.get(w).get(PLAIN);
      List<Double> sealed = results.get(w).get(SEALED);
      List<Double> ratios = new ArrayList<>();
      List<Double> extra = new ArrayList<>();
      for (int i = 0; i < plain.size(); i++) {
        ratios.add(sealed.get(i) / plain.get(i));
        extra.add(1e6 / sealed.get(i) - 1e6 / plain.get(i));
      }
      System.out.printf(Locale.ROOT, "  %-9s %14.0f %14.0f %12.2fx %17.1f%n", w, pick(plain, round),
          pick(sealed, round), pick(ratios, round), pick(extra, round));
    }
  }

  private static double pick(List<Double> values, int round) {
    if (round >= 0) {
      return values.get(round);
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  /** Which variant goes first in block {@code block}: plain, sealed, sealed, plain, plain, sealed, ... */
  private static String[] order(int block) {
    return (block + 1) / 2 % 2 == 0 ? VARIANTS : new String[] {SEALED, PLAIN};
  }

  private void warmUp() throws Exception {
    // a short pass over every path so the JIT has compiled them before round 1
    persist(Math.min(20_000, rows));
    settle();
    find(Math.min(10_000, finds));
  }

  /**
   * Untimed, between the persists and the finds: {@code vacuum analyze} both tables, so that the finds
   * see fresh statistics and visibility maps, and autovacuum does not pick the just-filled tables during a
   * timed run.
   */
  private void settle() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("vacuum analyze bench_hb_plain");
      s.execute("vacuum analyze bench_hb_sealed");
    }
  }

  /** On the raw pool: every sealed row has a wrapped data key and binary, non-plaintext values. */
  private void checkSealedAtRest() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select count(*), count(rowseal_dek),"
          + " (select data_type from information_schema.columns"
          + " where table_name = 'bench_hb_sealed' and column_name = 'number'),"
          + " count(*) filter (where position(convert_to('CARDHOLDER', 'UTF8') in holdername) > 0)"
          + " from bench_hb_sealed")) {
        rs.next();
        if (rs.getLong(1) == 0 || rs.getLong(2) != rs.getLong(1) || !"bytea".equals(rs.getString(3))
            || rs.getLong(4) != 0) {
          throw new IllegalStateException("bench_hb_sealed is not encrypted at rest: rows " + rs.getLong(1)
              + ", with rowseal_dek " + rs.getLong(2) + ", number type " + rs.getString(3) + ", plaintext holders "
              + rs.getLong(4));
        }
        System.out.printf(Locale.ROOT, "bench_hb_sealed at rest: %d rows, each with rowseal_dek; number is %s,"
            + " no plaintext holder name%n", rs.getLong(1), rs.getString(3));
      }
    }
  }

  /**
   * Persists {@code n} cards of each variant, one session per variant, alternating between the variants
   * at every commit (every {@value #COMMIT_EVERY} cards); rows/s per variant from the time spent in its
   * own blocks.
   */
  private Map<String, Double> persist(int n) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("truncate bench_hb_plain");
      s.execute("truncate bench_hb_sealed");
    }
    Map<String, long[]> persisted = new HashMap<>();
    Map<String, Long> nanos = new HashMap<>();
    Map<String, Session> sessions = new HashMap<>();
    try {
      for (String v : VARIANTS) {
        persisted.put(v, new long[n]);
        nanos.put(v, 0L);
        sessions.put(v, factories.get(v).openSession());
      }
      for (int first = 1, block = 0; first <= n; first += COMMIT_EVERY, block++) {
        int last = Math.min(n, first + COMMIT_EVERY - 1);
        for (String v : order(block)) {
          long start = System.nanoTime();
          persistBlock(sessions.get(v), v.equals(SEALED), first, last, persisted.get(v));
          nanos.merge(v, System.nanoTime() - start, Long::sum);
        }
      }
    } finally {
      sessions.values().forEach(Session::close);
    }
    ids.putAll(persisted);
    return perSecond(n, nanos);
  }

  /** Cards {@code first..last} in one transaction, flushed and cleared every {@value #FLUSH_EVERY}. */
  private static void persistBlock(Session session, boolean sealed, int first, int last, long[] persisted) {
    Transaction tx = session.beginTransaction();
    for (int i = first; i <= last; i++) {
      if (sealed) {
        SealedCard card = new SealedCard(cardNumber(i), holder(i), cvv(i), note(i));
        session.persist(card);
        persisted[i - 1] = card.id;
      } else {
        PlainCard card = new PlainCard(cardNumber(i), holder(i), cvv(i), note(i));
        session.persist(card);
        persisted[i - 1] = card.id;
      }
      if (i % FLUSH_EVERY == 0 || i == last) {
        session.flush();
        session.clear();
      }
    }
    tx.commit();
  }

  /**
   * {@code count} finds of each variant, the same random sequence of persisted cards for both, alternating
   * between the variants every {@value #FIND_BLOCK} finds; rows/s per variant from the time spent in its
   * own blocks.
   */
  private Map<String, Double> find(int count) {
    Map<String, SplittableRandom> randoms = new HashMap<>();
    Map<String, Long> nanos = new HashMap<>();
    for (String v : VARIANTS) {
      randoms.put(v, new SplittableRandom(42));
      nanos.put(v, 0L);
    }
    long checksum = 0;
    for (int done = 0, block = 0; done < count; done += FIND_BLOCK, block++) {
      int size = Math.min(FIND_BLOCK, count - done);
      for (String v : order(block)) {
        long start = System.nanoTime();
        checksum += findBlock(v, size, randoms.get(v));
        nanos.merge(v, System.nanoTime() - start, Long::sum);
      }
    }
    if (checksum == 0) {
      throw new IllegalStateException("nothing read");
    }
    return perSecond(count, nanos);
  }

  /** {@code count} cards, each found in a fresh session, every field read and checked. */
  private long findBlock(String variant, int count, SplittableRandom random) {
    long[] persisted = ids.get(variant);
    SessionFactory sf = factories.get(variant);
    boolean sealed = variant.equals(SEALED);
    long checksum = 0;
    for (int k = 0; k < count; k++) {
      int index = random.nextInt(persisted.length);
      long id = persisted[index];
      int i = index + 1; // the value generators' argument when this card was persisted
      try (Session session = sf.openSession()) {
        String number;
        String holder;
        String cvv;
        String note;
        if (sealed) {
          SealedCard card = session.find(SealedCard.class, id);
          number = card.number;
          holder = card.holderName;
          cvv = card.cvv;
          note = card.note;
        } else {
          PlainCard card = session.find(PlainCard.class, id);
          number = card.number;
          holder = card.holderName;
          cvv = card.cvv;
          note = card.note;
        }
        if (!number.equals(cardNumber(i)) || !holder.equals(holder(i)) || !cvv.equals(cvv(i))
            || !note.equals(note(i))) {
          throw new IllegalStateException(variant + " card " + id + " read back different values");
        }
        checksum += number.charAt(15) + holder.length() + cvv.length() + note.length();
      }
    }
    return checksum;
  }

  private static Map<String, Double> perSecond(int n, Map<String, Long> nanos) {
    Map<String, Double> result = new LinkedHashMap<>();
    for (String v : VARIANTS) {
      result.put(v, n / (nanos.get(v) / 1e9));
    }
    return result;
  }

  static String holder(int i) {
    return "CARDHOLDER NAME " + i;
  }

  /** {@code "4"} and {@code i} zero-padded to 15 digits: a 16-digit card number. */
  static String cardNumber(int i) {
    String digits = Integer.toString(i);
    return "4000000000000000".substring(0, 16 - digits.length()) + digits;
  }

  static String cvv(int i) {
    int v = i % 1000;
    return v < 10 ? "00" + v : v < 100 ? "0" + v : Integer.toString(v);
  }

  static String note(int i) {
    return "note " + i;
  }
}
