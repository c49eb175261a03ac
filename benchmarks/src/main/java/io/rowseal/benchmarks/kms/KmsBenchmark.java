package io.rowseal.benchmarks.kms;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.KeyRing;
import io.rowseal.key.awskms.AwsKmsMasterKey;
import io.rowseal.key.kek.KekStore;
import io.rowseal.testsupport.kms.FakeKms;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * AWS KMS master keys through the JDBC path, direct mode against hierarchical mode, with the in-JVM
 * KMS-compatible endpoint answering after an injected latency (2 ms by default, a same-region KMS call),
 * through the real AWS SDK client. One PostgreSQL, one process, the same run:
 *
 * <ul>
 *   <li><b>plain</b>: the same JDBC code on a plaintext table (the baseline for ratios);
 *   <li><b>direct</b>: every new row's data key wrapped by KMS {@code Encrypt}; reads from a second,
 *       cold engine (another process) so each row's data key needs a {@code Decrypt};
 *   <li><b>hierarchical</b>: data keys wrapped by a KEK from {@code rowseal_kek}, the KEK wrapped by KMS.
 * </ul>
 *
 * Workloads, one thread: insert {@code --rows} rows (batches of 500, one commit per batch), then read every
 * row by primary key in random order from a cold engine. Prints rows/s, the ratio to plain and the KMS
 * calls made.
 *
 * <pre>
 * ./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.kms.KmsBenchmark [--rows 20000]
 *     [--latency-ms 2] [--url jdbc:postgresql://127.0.0.1:5432/test] [--user postgres]
 * </pre>
 */
public final class KmsBenchmark {
  private KmsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = 20_000;
    int latencyMs = 2;
    String url = System.getenv().getOrDefault("ROWSEAL_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String user = "postgres";
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--rows": rows = Integer.parseInt(args[i + 1]); break;
        case "--latency-ms": latencyMs = Integer.parseInt(args[i + 1]); break;
        case "--url": url = args[i + 1]; break;
        case "--user": user = args[i + 1]; break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String schema = "kms_bench_" + Long.toHexString(System.nanoTime());
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(4);
    try (HikariDataSource admin = new HikariDataSource(config)) {
      try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
        s.execute("create schema " + schema);
      }
    }
    config.setConnectionInitSql("set search_path to " + schema);
    try (HikariDataSource pool = new HikariDataSource(config); FakeKms kms = FakeKms.start(); KmsClient client = kms.client()) {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("create table plain_cards (id bigint primary key, card_number text, cvv text)");
        s.execute("create table direct_cards (id bigint primary key, card_number bytea, cvv bytea, rowseal_dek bytea)");
        s.execute("create table kek_cards (id bigint primary key, card_number bytea, cvv bytea, rowseal_dek bytea)");
      }
      String arn = kms.createKey("alias/rowseal-bench");
      kms.latency(Duration.ofMillis(latencyMs));
      KekStore store = KekStore.builder(pool).build();
      store.migrate();

      System.out.printf(Locale.ROOT, "KmsBenchmark: %d rows, KMS latency %d ms, PostgreSQL %s, JDK %s%n", rows, latencyMs, url,
          System.getProperty("java.version"));
      System.out.printf(Locale.ROOT, "%-13s %-7s %12s %10s %10s%n", "mode", "phase", "rows/s", "vs plain", "KMS calls");
      double[] plain = run("plain", "plain_cards", pool, pool, rows, kms, null);
      run("direct", "direct_cards", engine(pool, client, arn, "direct_cards", null), engine(pool, client, arn, "direct_cards", null),
          rows, kms, plain);
      run("hierarchical", "kek_cards", engine(pool, client, arn, "kek_cards", store), engine(pool, client, arn, "kek_cards", store),
          rows, kms, plain);
    } finally {
      try (HikariDataSource admin = new HikariDataSource(withoutInit(config)); Connection c = admin.getConnection();
          Statement s = c.createStatement()) {
        s.execute("drop schema " + schema + " cascade");
      }
    }
  }

  private static HikariConfig withoutInit(HikariConfig config) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(config.getJdbcUrl());
    c.setUsername(config.getUsername());
    c.setMaximumPoolSize(1);
    return c;
  }

  /** A wrapped DataSource with its own engine (its own caches: a separate process, as far as caching goes). */
  private static DataSource engine(DataSource pool, KmsClient client, String arn, String table, KekStore store) {
    EncryptedTable t = EncryptedTable.builder(table).idColumns("id").column("card_number", String.class).column("cvv", String.class).build();
    RowSeal.Builder b = RowSeal.builder().keyRing(KeyRing.of(AwsKmsMasterKey.builder(client, arn).build())).table(t);
    if (store != null) {
      b.hierarchical(KekStore.builder(pool).build());
    }
    // both benchmark tables live in one schema; each engine leaves the other's alone
    String other = table.equals("direct_cards") ? "kek_cards" : "direct_cards";
    return RowSealDataSource.builder(pool, b.build()).unmanagedTables(other).build();
  }

  private static double[] run(String mode, String table, DataSource writer, DataSource reader, int rows, FakeKms kms,
      double[] plain) throws SQLException {
    long calls = kmsCalls(kms);
    long t0 = System.nanoTime();
    try (Connection c = writer.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + table + " (id, card_number, cvv) values (?, ?, ?)")) {
      c.setAutoCommit(false);
      for (int id = 1; id <= rows; id++) {
        ps.setLong(1, id);
        ps.setString(2, String.format(Locale.ROOT, "4%015d", id));
        ps.setString(3, String.format(Locale.ROOT, "%03d", id % 1000));
        ps.addBatch();
        if (id % 500 == 0) {
          ps.executeBatch();
          c.commit();
        }
      }
      ps.executeBatch();
      c.commit();
    }
    double insert = rows / ((System.nanoTime() - t0) / 1e9);
    long insertCalls = kmsCalls(kms) - calls;
    print(mode, "insert", insert, plain == null ? 0 : insert / plain[0], insertCalls);

    calls = kmsCalls(kms);
    SplittableRandom random = new SplittableRandom(42);
    long[] order = new long[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i + 1;
    }
    for (int i = rows - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    t0 = System.nanoTime();
    try (Connection c = reader.getConnection();
        PreparedStatement ps = c.prepareStatement("select card_number, cvv from " + table + " where id = ?")) {
      for (long id : order) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || !rs.getString(1).equals(String.format(Locale.ROOT, "4%015d", id))) {
            throw new IllegalStateException("row " + id + " did not read back");
          }
        }
      }
    }
    double read = rows / ((System.nanoTime() - t0) / 1e9);
    print(mode, "read", read, plain == null ? 0 : read / plain[1], kmsCalls(kms) - calls);
    return new double[] {insert, read};
  }

  /** Encrypt and Decrypt requests (DescribeKey, one per engine at start, is left out). */
  private static long kmsCalls(FakeKms kms) {
    return kms.calls("Encrypt") + kms.calls("Decrypt") + kms.calls("ReEncrypt") + kms.calls("GenerateDataKey");
  }

  private static void print(String mode, String phase, double rate, double ratio, long calls) {
    System.out.printf(Locale.ROOT, "%-13s %-7s %12.0f %10s %10d%n", mode, phase, rate,
        ratio == 0 ? "-" : String.format(Locale.ROOT, "%.3fx", ratio), calls);
  }
}
