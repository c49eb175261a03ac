package io.rowseal.sample;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.KeyRing;
import io.rowseal.key.awskms.AwsKmsMasterKey;
import io.rowseal.key.kek.KekStore;
import io.rowseal.sample.internal.DriverManagerDataSource;
import io.rowseal.testsupport.kms.FakeKms;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The shaded {@code rowseal.jar}, run as users run it ({@code java -jar}, a child JVM per command), against
 * FakeKms running from its {@code main} in another JVM, with {@code rowseal.kms.*} configuration files and an
 * H2 file database. Key states are changed through the KMS API (DisableKey, ScheduleKeyDeletion, ...) over
 * HTTP, as a script would. Rows are written in this JVM through the library, each test on keys of its own.
 *
 * <p>An integration test (failsafe, {@code verify} phase): it needs the jar the {@code package} phase builds,
 * named by the system property {@code rowseal.jar}.
 */
class RowSealJarKmsIT {
  private static final String ACCESS_KEY_ID = "AKIAROWSEALJARTEST01";
  private static final String SECRET = "rowseal-jar-it-" + UUID.randomUUID();
  private static final int ROWS = 5;
  private static final EncryptedTable CARDS = EncryptedTable.builder("cards")
      .idColumns("id")
      .column("card_number", String.class)
      .column("cvv", String.class)
      .build();

  private static Process kmsProcess;
  private static URI endpoint;
  private static KmsClient kms;

  @TempDir Path dir;

  @BeforeAll
  static void startFakeKmsInAnotherProcess() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), FakeKms.class.getName(),
        "--port", "0", "--access-key-id", ACCESS_KEY_ID, "--secret-access-key", SECRET,
        "--exit-with", Long.toString(ProcessHandle.current().pid()))
        .redirectErrorStream(true);
    kmsProcess = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(kmsProcess.getInputStream(), UTF_8));
    String first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).get(60, TimeUnit.SECONDS);
    assertThat(first).as("FakeKms's first line").startsWith("FakeKms listening on http://127.0.0.1:");
    endpoint = URI.create(first.split(" ")[3]);
    kms = KmsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterAll
  static void stopFakeKms() throws Exception {
    if (kms != null) {
      kms.close();
    }
    if (kmsProcess != null) {
      kmsProcess.destroy();
      kmsProcess.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void jar_directMode_key2Active_statusRewrapVerifyRetireExitZeroAndMoveEveryRow() throws Exception {
    Keys keys = newKeys();
    DataSource db = cardsOn(keys, false);
    Path config = config(keys, false);

    CliRun before = jar(config, "status");
    CliRun rewrap = jar(config, "rewrap");
    CliRun after = jar(config, "status");
    CliRun verify = jar(config, "verify");
    CliRun retire = jar(config, "retire", "aws-kms:" + keys.k1Arn);
    // The order the retire message gives: out of the configuration first, then disabled in the KMS.
    Files.writeString(config, Files.readString(config).replace(", " + keys.k1Alias, ""));
    kms.disableKey(r -> r.keyId(keys.k1Arn));
    CliRun verifyWithK1Disabled = jar(config, "verify");

    assertThat(before.exitCode()).as(before.err()).isZero();
    assertThat(before.out()).contains("active key: aws-kms:" + keys.k2Arn, "aws-kms:" + keys.k1Arn + " " + ROWS + " rows")
        .doesNotContain(keys.k2Arn + " ");
    assertOk(rewrap).contains("cards -> aws-kms:" + keys.k2Arn + ": " + ROWS + " scanned, " + ROWS + " re-wrapped",
        "0 failed");
    assertOk(after).contains("aws-kms:" + keys.k2Arn + " " + ROWS + " rows").doesNotContain(keys.k1Arn + " ");
    assertThat(keyRefs(db)).containsOnly("aws-kms:" + keys.k2Arn);
    assertOk(verify).contains(ROWS + " verified, 0 failed (" + 2 * ROWS + " values decrypted");
    assertOk(retire).contains("safe to retire aws-kms:" + keys.k1Arn, "remove it from rowseal.kms.keys");
    assertOk(verifyWithK1Disabled).contains(ROWS + " verified", "0 failed");
  }

  @Test
  void jar_hierarchicalMode_key2Active_rewrapKeksMovesKekRowsAndRetiresKey1() throws Exception {
    Keys keys = newKeys();
    DataSource db = cardsOn(keys, true);
    Path config = config(keys, true);
    String dataBefore = snapshot(db, "cards");

    CliRun before = jar(config, "status");
    CliRun rewrap = jar(config, "rewrap", "--keks");
    CliRun after = jar(config, "status");
    CliRun verify = jar(config, "verify");
    CliRun retire = jar(config, "retire", "aws-kms:" + keys.k1Arn);

    assertOk(before).containsPattern("kek:[0-9a-f-]{36} +" + ROWS + " rows")
        .contains("rowseal_kek (KEK rows per master key):", "aws-kms:" + keys.k1Arn + " 1 KEK rows");
    assertOk(rewrap).contains("rowseal_kek -> aws-kms:" + keys.k2Arn + ": 1 KEK rows re-wrapped, 0 already on it, "
        + "0 left on other keys");
    assertOk(after).contains("aws-kms:" + keys.k2Arn + " 1 KEK rows").doesNotContain(keys.k1Arn + " ");
    assertThat(snapshot(db, "cards")).as("data rows are not touched by rewrap --keks").isEqualTo(dataBefore);
    assertOk(verify).contains(ROWS + " verified, 0 failed (" + 2 * ROWS + " values decrypted");
    assertOk(retire).contains("safe to retire aws-kms:" + keys.k1Arn);
  }

  @Test
  void jar_rewrapDirect_targetKeyDisabled_exitsOneAndLeavesRowsByteIdentical() throws Exception {
    Keys keys = newKeys();
    DataSource db = cardsOn(keys, false);
    Path config = config(keys, false);
    kms.disableKey(r -> r.keyId(keys.k2Arn));
    String before = snapshot(db, "cards");

    CliRun rewrap = jar(config, "rewrap");

    assertThat(rewrap.exitCode()).as(rewrap.out() + rewrap.err()).isEqualTo(1);
    assertThat(rewrap.err()).contains("aws-kms:" + keys.k2Arn + ") is Disabled, not Enabled");
    assertThat(snapshot(db, "cards")).isEqualTo(before);
  }

  @Test
  void jar_rewrapKeks_targetKeyDisabled_exitsOneAndLeavesKekAndDataRowsByteIdentical() throws Exception {
    Keys keys = newKeys();
    DataSource db = cardsOn(keys, true);
    Path config = config(keys, true);
    kms.disableKey(r -> r.keyId(keys.k2Arn));
    String keks = snapshot(db, "rowseal_kek");
    String cards = snapshot(db, "cards");

    CliRun rewrap = jar(config, "rewrap", "--keks");

    assertThat(rewrap.exitCode()).as(rewrap.out() + rewrap.err()).isEqualTo(1);
    assertThat(rewrap.err()).contains("aws-kms:" + keys.k2Arn + ") is Disabled, not Enabled");
    assertThat(snapshot(db, "rowseal_kek")).isEqualTo(keks);
    assertThat(snapshot(db, "cards")).isEqualTo(cards);
  }

  @Test
  void jar_rewrap_sourceKeyPendingDeletion_exitsOneChangingNothingThenFinishesOnceCancelledAndEnabled()
      throws Exception {
    Keys keys = newKeys();
    DataSource db = cardsOn(keys, false);
    Path config = config(keys, false);
    kms.scheduleKeyDeletion(r -> r.keyId(keys.k1Arn).pendingWindowInDays(7));
    String before = snapshot(db, "cards");

    CliRun refused = jar(config, "rewrap");
    String afterRefused = snapshot(db, "cards");
    kms.cancelKeyDeletion(r -> r.keyId(keys.k1Arn)); // as in KMS, the key comes back disabled
    kms.enableKey(r -> r.keyId(keys.k1Arn));
    CliRun rewrap = jar(config, "rewrap");

    assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(1);
    assertThat(refused.err()).contains(keys.k1Alias, "aws-kms:" + keys.k1Arn + ") is PendingDeletion, not Enabled");
    assertThat(afterRefused).isEqualTo(before);
    assertOk(rewrap).contains(ROWS + " re-wrapped", "0 failed");
    assertThat(keyRefs(db)).containsOnly("aws-kms:" + keys.k2Arn);
  }

  @Test
  void jar_awsSdk_oneHttpClientServiceAndTheSdkResourcesSurviveShading() throws Exception {
    try (ZipFile jar = new ZipFile(jarPath().toFile())) {
      String httpServices = new String(jar.getInputStream(jar.getEntry(
          "META-INF/services/software.amazon.awssdk.http.SdkHttpService")).readAllBytes(), UTF_8);

      assertThat(httpServices.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")))
          .containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
      assertThat(jar.getEntry("software/amazon/awssdk/regions/internal/region/endpoints.json")).isNotNull();
      assertThat(jar.getEntry("software/amazon/awssdk/awscore/internal/defaults/sdk-default-configuration.json"))
          .isNotNull();
      assertThat(jar.stream().map(ZipEntry::getName))
          .noneMatch(n -> n.startsWith("io/netty/") || n.startsWith("software/amazon/awssdk/http/apache")
              || n.startsWith("software/amazon/awssdk/http/nio/"));
    }
  }

  // ---------------------------------------------------------------- fixture

  /** Key 1 (named by an alias in the configuration) and key 2 (by ARN, active), made through the KMS API. */
  private record Keys(String k1Alias, String k1Arn, String k2Arn) {}

  private static Keys newKeys() {
    String k1 = kms.createKey(r -> { }).keyMetadata().arn();
    String k2 = kms.createKey(r -> { }).keyMetadata().arn();
    String alias = "alias/rowseal-it-" + UUID.randomUUID();
    kms.createAlias(r -> r.aliasName(alias).targetKeyId(k1));
    return new Keys(alias, k1, k2);
  }

  /**
   * An H2 file database with {@value #ROWS} cards written through the JDBC wrapper on key 1 (directly, or
   * under a KEK wrapped by key 1). Every connection is closed on return, so the jar's JVM can open the file.
   */
  private DataSource cardsOn(Keys keys, boolean hierarchical) throws Exception {
    DataSource raw = new DriverManagerDataSource(url(), "sa", "");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table cards(id bigint primary key, holder varchar, card_number varbinary,"
          + " cvv varbinary, rowseal_dek varbinary)");
    }
    RowSeal.Builder b = RowSeal.builder()
        .keyRing(KeyRing.of(AwsKmsMasterKey.builder(kms, keys.k1Alias).build()))
        .table(CARDS);
    if (hierarchical) {
      KekStore keks = KekStore.builder(raw).build();
      keks.migrate();
      b.hierarchical(keks);
    }
    try (Connection c = RowSealDataSource.wrap(raw, b.build()).getConnection();
        PreparedStatement ps = c.prepareStatement("insert into cards (id, holder, card_number, cvv) values (?, ?, ?, ?)")) {
      for (long id = 1; id <= ROWS; id++) {
        ps.setLong(1, id);
        ps.setString(2, "holder " + id);
        ps.setString(3, "4111 0000 0000 000" + id);
        ps.setString(4, "12" + id);
        ps.executeUpdate();
      }
    }
    return raw;
  }

  /** The configuration users write: key 2 first (active), key 1 by its alias, FakeKms as the endpoint. */
  private Path config(Keys keys, boolean hierarchical) throws Exception {
    Path file = dir.resolve("rowseal.properties");
    Files.writeString(file, String.join("\n",
        "rowseal.kms.keys = " + keys.k2Arn + ", " + keys.k1Alias,
        "rowseal.kms.region = us-east-1",
        "rowseal.kms.endpoint = " + endpoint,
        "rowseal.kms.retry-budget = 5s",
        "rowseal.tables.cards.id = id",
        "rowseal.tables.cards.columns.card_number = string",
        "rowseal.tables.cards.columns.cvv = string",
        hierarchical ? "rowseal.mode = hierarchical" : "",
        ""));
    return file;
  }

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
  }

  /**
   * {@code java -jar rowseal.jar <command> --config … --url …} in a child JVM whose only AWS settings are
   * FakeKms's credentials in the environment (the SDK's default chain, as users configure it).
   */
  private CliRun jar(Path config, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-jar", jarPath().toString()));
    cmd.addAll(List.of(command));
    cmd.addAll(List.of("--config", config.toString(), "--url", url(), "--user", "sa", "--password", ""));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ROWSEAL_"));
    pb.environment().put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", SECRET);
    pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    pb.environment().put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("rowseal.jar " + String.join(" ", command) + " did not finish in 120 s");
    }
    return new CliRun(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Path jarPath() {
    String jar = System.getProperty("rowseal.jar");
    assertThat(jar).as("system property rowseal.jar (set by the failsafe configuration)").isNotNull();
    Path path = Path.of(jar);
    assertThat(path).as("the shaded jar the package phase builds").exists();
    return path;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertOk(CliRun run) {
    assertThat(run.exitCode()).as("exit code; out: %s; err: %s", run.out(), run.err()).isZero();
    return assertThat(run.out());
  }

  /** Every column of every row, bytes as hex, in id order (or in primary-key order for rowseal_kek). */
  private static String snapshot(DataSource db, String table) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select * from " + table + " order by 1")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        for (int i = 1; i <= md.getColumnCount(); i++) {
          int type = md.getColumnType(i);
          boolean binary = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY
              || type == Types.BLOB;
          byte[] bytes = binary ? rs.getBytes(i) : null;
          sb.append(md.getColumnName(i)).append('=')
              .append(binary ? (bytes == null ? "null" : HexFormat.of().formatHex(bytes)) : rs.getString(i)).append(' ');
        }
        sb.append('\n');
      }
    }
    assertThat(sb).as(table + " has rows").isNotEmpty();
    return sb.toString();
  }

  /** The key reference of each row's companion column (format version 1: byte 2 is its length). */
  private static List<String> keyRefs(DataSource db) throws Exception {
    List<String> refs = new ArrayList<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select rowseal_dek from cards order by id")) {
      while (rs.next()) {
        byte[] companion = rs.getBytes(1);
        refs.add(new String(companion, 3, companion[2] & 0xff, UTF_8));
      }
    }
    return refs;
  }
}
