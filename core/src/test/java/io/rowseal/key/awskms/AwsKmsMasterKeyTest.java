package io.rowseal.key.awskms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.EncryptedTable;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.WrapContext;
import io.rowseal.testsupport.kms.FakeKms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * AwsKmsMasterKey through the real AWS SDK v2 KmsClient over HTTP against {@link FakeKms} (two endpoints,
 * two regions): wrap and unwrap through RowSeal, alias resolution, fail-closed errors by KMS code, retries
 * within the budget, ReEncrypt rotation, metrics, and no secrets in messages.
 */
class AwsKmsMasterKeyTest {
  private static final String PAN = "4111111111111111";
  private static final Duration BUDGET = Duration.ofSeconds(2);

  private static FakeKms kms;
  private static FakeKms kmsWest;
  private static KmsClient client;
  private static KmsClient clientWest;

  private final EncryptedTable cards = table("cards");
  private final EncryptedTable archive = table("cards_archive");

  @BeforeAll
  static void start() {
    kms = FakeKms.start();
    kmsWest = FakeKms.builder().region("eu-west-1").start();
    client = kms.client();
    clientWest = kmsWest.client();
    // A new client's first call loads and initialises much of the SDK; on a loaded machine that alone can
    // take longer than the tight call timeouts below, failing whichever test runs first. Pay it here.
    client.listKeys();
    clientWest.listKeys();
  }

  @AfterAll
  static void stop() {
    client.close();
    clientWest.close();
    kms.close();
    kmsWest.close();
  }

  @BeforeEach
  void resetFaults() {
    kms.reset();
    kmsWest.reset();
  }

  private static EncryptedTable table(String name) {
    return EncryptedTable.builder(name).idColumns("id").column("card_number", String.class).build();
  }

  private static AwsKmsMasterKey key(KmsClient c, String keyId) {
    return AwsKmsMasterKey.builder(c, keyId).retryBudget(BUDGET).callTimeout(Duration.ofSeconds(1)).build();
  }

  // No data-key cache: these tests are about each KMS call (the cache has DataKeyCacheTest and the
  // JDBC-level AwsKmsThroughJdbcTest).
  private RowSeal rowSeal(AwsKmsMasterKey active, AwsKmsMasterKey... others) {
    return RowSeal.builder().keyRing(KeyRing.of(active, others)).noDataKeyCache().table(cards).table(archive).build();
  }

  /** Writes one row of {@code cards}; returns {companion, sealed card number}. */
  private byte[][] writeRow(RowSeal rowSeal, long id) {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(id))) {
      return new byte[][] {key.companion(), key.encryptBinary(cards.column("card_number"), PAN)};
    }
  }

  private String readRow(RowSeal rowSeal, long id, byte[][] row) {
    try (RowKey key = rowSeal.openRowKey(cards, RowId.of(id), row[0])) {
      return (String) key.decrypt(cards.column("card_number"), row[1]);
    }
  }

  @Test
  void newRowKeyThenOpenRowKey_direct_roundTripsWithOneEncryptAndOneDecrypt() {
    AwsKmsMasterKey master = key(client, kms.createKey());
    RowSeal rowSeal = rowSeal(master);
    kms.reset();

    byte[][] row = writeRow(rowSeal, 42);

    assertThat(readRow(rowSeal, 42, row)).isEqualTo(PAN);
    assertThat(WrappedDataKey.decode(row[0]).keyRef()).isEqualTo(master.ref());
    assertThat(kms.calls("Encrypt")).isEqualTo(1);
    assertThat(kms.calls("Decrypt")).isEqualTo(1);
  }

  @Test
  void build_aliasOrAliasArnOrKeyId_storesKeyArnAsReference() {
    String arn = kms.createKey("alias/rowseal-test-alias");
    String aliasArn = arn.substring(0, arn.indexOf(":key/")) + ":alias/rowseal-test-alias";
    String uuid = arn.substring(arn.indexOf(":key/") + 5);

    for (String id : List.of("alias/rowseal-test-alias", aliasArn, uuid, arn)) {
      AwsKmsMasterKey master = key(client, id);
      assertThat(master.ref()).as(id).isEqualTo(KeyRef.of("aws-kms:" + arn));
      assertThat(master.keyArn()).isEqualTo(arn);
    }
    byte[][] row = writeRow(rowSeal(key(client, "alias/rowseal-test-alias")), 7);
    assertThat(WrappedDataKey.decode(row[0]).keyRef().toString()).isEqualTo("aws-kms:" + arn).doesNotContain("alias");
  }

  @Test
  void build_unknownAlias_failsWithKeyUnavailableNamingTheId() {
    assertThatThrownBy(() -> key(client, "alias/does-not-exist"))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll("alias/does-not-exist", "DescribeKey", "NotFoundException");
    assertThat(kms.calls("DescribeKey")).isEqualTo(1);
  }

  @Test
  void keyState_enabledThenDisabledThenDenied_reportsEachWithoutKeyMaterial() {
    String arn = kms.createKey();
    AwsKmsMasterKey master = key(client, arn);

    assertThat(master.keyState()).isEqualTo("Enabled");
    kms.disableKey(arn);
    assertThat(master.keyState()).isEqualTo("Disabled");
    kms.enableKey(arn);
    kms.denyAccess(arn);
    assertThatThrownBy(master::keyState)
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(arn, "DescribeKey", "AccessDeniedException");
  }

  @Test
  void build_disabledKey_failsWithKeyUnavailable() {
    String arn = kms.createKey();
    kms.disableKey(arn);
    assertThatThrownBy(() -> key(client, arn))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(arn, "Disabled");
  }

  @Test
  void openRowKey_twoKeysInTwoRegions_eachUnwrapsItsRows() {
    AwsKmsMasterKey east = key(client, kms.createKey());
    AwsKmsMasterKey west = key(clientWest, kmsWest.createKey());
    byte[][] eastRow = writeRow(rowSeal(east, west), 1);
    byte[][] westRow = writeRow(rowSeal(west, east), 2);
    kms.reset();
    kmsWest.reset();

    RowSeal reader = rowSeal(east, west);

    assertThat(readRow(reader, 1, eastRow)).isEqualTo(PAN);
    assertThat(readRow(reader, 2, westRow)).isEqualTo(PAN);
    assertThat(WrappedDataKey.decode(westRow[0]).keyRef().toString()).contains(":eu-west-1:");
    assertThat(kms.calls("Decrypt")).isEqualTo(1);
    assertThat(kmsWest.calls("Decrypt")).isEqualTo(1);
  }

  @Test
  void openRowKey_otherRowIdOrTable_failsClosedNamingKeyRef() {
    AwsKmsMasterKey master = key(client, kms.createKey());
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);

    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(43), row[0]))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContainingAll(master.ref().toString(), "InvalidCiphertextException", "row 43");
    assertThatThrownBy(() -> rowSeal.openRowKey(archive, RowId.of(42), row[0]))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContainingAll(master.ref().toString(), "cards_archive");
    assertThat(kms.calls("Decrypt")).isEqualTo(2); // never retried
  }

  @Test
  void openRowKey_companionRelabelledToAnotherKey_failsClosed() {
    AwsKmsMasterKey a = key(client, kms.createKey());
    AwsKmsMasterKey b = key(client, kms.createKey());
    RowSeal rowSeal = rowSeal(a, b);
    byte[][] row = writeRow(rowSeal, 42);
    WrappedDataKey wrapped = WrappedDataKey.decode(row[0]);
    byte[] relabelled = WrappedDataKey.encode(b.ref(), wrapped.isRowBound(), wrapped.wrappedKey());

    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(42), relabelled))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContainingAll(b.ref().toString(), "IncorrectKeyException");
  }

  @Test
  void openRowKey_corruptedBlob_failsWithDecryptionFailed() {
    AwsKmsMasterKey master = key(client, kms.createKey());
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);
    byte[] corrupted = row[0].clone();
    corrupted[corrupted.length - 5] ^= 0x01;

    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(42), corrupted))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining(master.ref().toString());
  }

  @Test
  void openRowKey_disabledKey_failsWithKeyUnavailableNotRetried() {
    String arn = kms.createKey();
    AwsKmsMasterKey master = key(client, arn);
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);
    kms.disableKey(arn);
    kms.reset();

    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(42), row[0]))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(master.ref().toString(), "Decrypt", "DisabledException");
    assertThatThrownBy(() -> rowSeal.newRowKey(cards, RowId.of(43)))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(master.ref().toString(), "Encrypt", "DisabledException");
    assertThat(kms.calls("Decrypt")).isEqualTo(1);
    assertThat(kms.calls("Encrypt")).isEqualTo(1);
  }

  @Test
  void openRowKey_keyPendingDeletion_failsWithKeyUnavailable() {
    String arn = kms.createKey();
    AwsKmsMasterKey master = key(client, arn);
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);
    kms.scheduleKeyDeletion(arn);

    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(42), row[0]))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(master.ref().toString(), "KMSInvalidStateException", "pending deletion");
  }

  @Test
  void openRowKey_accessDenied_failsWithKeyUnavailable() {
    String arn = kms.createKey();
    AwsKmsMasterKey master = key(client, arn);
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);
    kms.denyAccess(arn);
    kms.reset();

    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(42), row[0]))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(master.ref().toString(), "AccessDeniedException");
    assertThat(kms.calls("Decrypt")).isEqualTo(1);
  }

  @Test
  void newRowKey_twoThrottlesThenSuccess_oneWrapAfterThreeRequests() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AwsKmsMasterKey master = AwsKmsMasterKey.builder(client, kms.createKey()).meterRegistry(registry).build();
    RowSeal rowSeal = rowSeal(master);
    kms.throttleNext(2);

    byte[][] row = writeRow(rowSeal, 42);

    assertThat(readRow(rowSeal, 42, row)).isEqualTo(PAN);
    // Three requests reached the endpoint and all three were RowSeal's own attempts: the SDK's retries are
    // off for this key's calls (otherwise the SDK would have hidden the throttles and we would count 1).
    assertThat(kms.calls("Encrypt")).isEqualTo(3);
    assertThat(kms.successfulCalls("Encrypt")).isEqualTo(1);
    assertThat(registry.get("rowseal.kms.calls").tag("operation", "Encrypt").counter().count()).isEqualTo(3);
    assertThat(registry.get("rowseal.kms.failures").tag("operation", "Encrypt").tag("code", "ThrottlingException")
        .counter().count()).isEqualTo(2);
  }

  @Test
  void newRowKey_persistentThrottling_failsWithinBudget() {
    Duration budget = Duration.ofMillis(1500);
    AwsKmsMasterKey master = AwsKmsMasterKey.builder(client, kms.createKey()).retryBudget(budget).build();
    RowSeal rowSeal = rowSeal(master);
    kms.throttleNext(1_000_000);

    long start = System.nanoTime();
    assertThatThrownBy(() -> rowSeal.newRowKey(cards, RowId.of(42)))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(master.ref().toString(), "Encrypt", "ThrottlingException", "attempts",
            "retry budget 1.500 s");
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    // Giving up is what matters: a million throttles worked through would take hours. The message above
    // carries the budget's arithmetic; the wall-clock bound is generous on purpose (budget + 250 ms failed
    // on a loaded 2-core machine).
    assertThat(elapsed).isLessThan(budget.plusSeconds(30));
    assertThat(kms.calls("Encrypt")).isGreaterThan(2);
  }

  @Test
  void openRowKey_droppedConnection_retriedAndSucceeds() {
    AwsKmsMasterKey master = key(client, kms.createKey());
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);
    kms.reset();
    kms.dropNextConnections(1);

    assertThat(readRow(rowSeal, 42, row)).isEqualTo(PAN);
    assertThat(kms.calls("Decrypt")).isEqualTo(2);
    assertThat(kms.successfulCalls("Decrypt")).isEqualTo(1);
  }

  @Test
  void openRowKey_http500Twice_retriedAndSucceeds() {
    AwsKmsMasterKey master = key(client, kms.createKey());
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);
    kms.reset();
    kms.failNext(2);

    assertThat(readRow(rowSeal, 42, row)).isEqualTo(PAN);
    assertThat(kms.calls("Decrypt")).isEqualTo(3);
  }

  @Test
  void openRowKey_slowerThanCallTimeout_attemptsTimeOutAndFailWithinBudget() {
    AwsKmsMasterKey master = AwsKmsMasterKey.builder(client, kms.createKey())
        .callTimeout(Duration.ofMillis(200)).retryBudget(Duration.ofMillis(900)).build();
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);
    kms.latency(Duration.ofSeconds(2));

    long start = System.nanoTime();
    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(42), row[0]))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(master.ref().toString(), "gave up after", "no answer within");
    // Two or more attempts inside a 900 ms budget against a 2 s latency prove each attempt was cut at the
    // 200 ms call timeout; the wall-clock bound only guards against a hang (1.3 s failed on a loaded machine).
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(kms.calls("Decrypt")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void rewrapCompanion_kmsToKmsSameRegion_usesOneReEncryptAndNoDecrypt() {
    AwsKmsMasterKey oldKey = key(client, kms.createKey());
    AwsKmsMasterKey newKey = key(client, kms.createKey());
    byte[][] row = writeRow(rowSeal(oldKey), 42);
    RowSeal rotated = rowSeal(newKey, oldKey);
    kms.reset();

    byte[] moved = rotated.rewrapCompanion(cards, RowId.of(42), row[0]);

    assertThat(kms.calls("ReEncrypt")).isEqualTo(1);
    assertThat(kms.calls("Decrypt")).isZero();
    assertThat(kms.calls("Encrypt")).isZero();
    assertThat(WrappedDataKey.decode(moved).keyRef()).isEqualTo(newKey.ref());
    assertThat(readRow(rowSeal(newKey), 42, new byte[][] {moved, row[1]})).isEqualTo(PAN);
  }

  @Test
  void rewrapFrom_keyInAnotherRegion_returnsNullSoRowSealUnwrapsAndWraps() {
    AwsKmsMasterKey east = key(client, kms.createKey());
    AwsKmsMasterKey west = key(clientWest, kmsWest.createKey());
    byte[][] row = writeRow(rowSeal(east), 42);
    WrappedDataKey wrapped = WrappedDataKey.decode(row[0]);

    assertThat(west.rewrapFrom(east, wrapped.wrappedKey(), WrapContext.rowBound("cards", "42"))).isNull();

    byte[] moved = rowSeal(west, east).rewrapCompanion(cards, RowId.of(42), row[0]);
    assertThat(readRow(rowSeal(west), 42, new byte[][] {moved, row[1]})).isEqualTo(PAN);
    assertThat(kms.calls("ReEncrypt") + kmsWest.calls("ReEncrypt")).isZero();
  }

  @Test
  void rewrapCompanion_wrongRow_failsWithDecryptionFailed() {
    AwsKmsMasterKey oldKey = key(client, kms.createKey());
    AwsKmsMasterKey newKey = key(client, kms.createKey());
    byte[][] row = writeRow(rowSeal(oldKey), 42);

    assertThatThrownBy(() -> rowSeal(newKey, oldKey).rewrapCompanion(cards, RowId.of(41), row[0]))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContainingAll("ReEncrypt", oldKey.ref().toString(), "InvalidCiphertextException");
  }

  @Test
  void metrics_simpleMeterRegistry_countsCallsFailuresAndLatency() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String arn = kms.createKey();
    AwsKmsMasterKey master = AwsKmsMasterKey.builder(client, arn).meterRegistry(registry).build();
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);
    readRow(rowSeal, 42, row);
    kms.failNext(1);
    readRow(rowSeal, 42, row);
    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(99), row[0]))
        .isInstanceOf(DecryptionFailedException.class);

    assertThat(registry.get("rowseal.kms.calls").tags("operation", "DescribeKey", "key", arn).counter().count())
        .isEqualTo(1);
    assertThat(registry.get("rowseal.kms.calls").tags("operation", "Encrypt", "key", arn).counter().count())
        .isEqualTo(1);
    assertThat(registry.get("rowseal.kms.calls").tags("operation", "Decrypt", "key", arn).counter().count())
        .isEqualTo(4);
    assertThat(registry.get("rowseal.kms.failures").tags("operation", "Decrypt", "code", "KMSInternalException")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("rowseal.kms.failures").tags("operation", "Decrypt", "code", "InvalidCiphertextException")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("rowseal.kms.latency").tags("operation", "Decrypt").timer().count()).isEqualTo(4);
  }

  @Test
  void failures_andToString_containNoKeyBytesBlobsOrCredentials() {
    String arn = kms.createKey();
    AwsKmsMasterKey master = AwsKmsMasterKey.builder(client, arn).retryBudget(Duration.ofMillis(400)).build();
    RowSeal rowSeal = rowSeal(master);
    byte[][] row = writeRow(rowSeal, 42);
    byte[] blob = WrappedDataKey.decode(row[0]).wrappedKey();
    byte[] dek = master.unwrap(blob, WrapContext.rowBound("cards", "42")).copyOfBytes();

    List<Throwable> failures = new ArrayList<>();
    failures.add(catchFailure(() -> rowSeal.openRowKey(cards, RowId.of(43), row[0])));
    byte[] corrupted = row[0].clone();
    corrupted[corrupted.length - 1] ^= 1;
    failures.add(catchFailure(() -> rowSeal.openRowKey(cards, RowId.of(42), corrupted)));
    kms.throttleNext(1_000_000);
    failures.add(catchFailure(() -> rowSeal.openRowKey(cards, RowId.of(42), row[0])));
    failures.add(catchFailure(() -> rowSeal.newRowKey(cards, RowId.of(44))));
    kms.reset();
    kms.dropNextConnections(1_000_000);
    failures.add(catchFailure(() -> rowSeal.openRowKey(cards, RowId.of(42), row[0])));
    kms.reset();
    kms.denyAccess(arn);
    failures.add(catchFailure(() -> rowSeal.openRowKey(cards, RowId.of(42), row[0])));
    kms.allowAccess(arn);

    List<String> texts = new ArrayList<>(List.of(master.toString(), rowSeal.toString()));
    for (Throwable t : failures) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        assertThat(c).as("only RowSeal exceptions in the chain").isInstanceOf(RowSealException.class);
        texts.add(c.toString());
      }
    }
    List<String> secrets = List.of(HexFormat.of().formatHex(dek), Base64.getEncoder().encodeToString(dek),
        Base64.getEncoder().encodeToString(blob), HexFormat.of().formatHex(blob),
        kms.credentials().secretAccessKey());
    for (String text : texts) {
      for (String secret : secrets) {
        assertThat(text).doesNotContain(secret);
      }
    }
    assertThat(master.toString()).isEqualTo("AwsKmsMasterKey[aws-kms:" + arn + "]");
  }

  private static Throwable catchFailure(Runnable r) {
    try {
      r.run();
    } catch (RowSealException e) {
      return e;
    }
    throw new AssertionError("expected a RowSealException");
  }
}
