package io.rowseal.testsupport.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;

/** FakeKms through the real SDK v2 client over HTTP. */
class FakeKmsTest {
  private static final Map<String, String> CONTEXT = Map.of("rowseal:table", "cards", "rowseal:row", "42");
  private static final SdkBytes PLAIN = SdkBytes.fromUtf8String("0123456789abcdef0123456789abcdef");

  private static FakeKms kms;
  private static KmsClient client;
  /** A client without SDK retries, so one call is one request. */
  private static KmsClient noRetry;
  private static String keyArn;
  private static String otherArn;

  @BeforeAll
  static void start() {
    kms = FakeKms.start();
    client = kms.client();
    noRetry = clientFor(kms, kms.credentials(), b -> b.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())));
    keyArn = kms.createKey("alias/fake-test");
    otherArn = kms.createKey();
  }

  @AfterAll
  static void stop() {
    client.close();
    noRetry.close();
    kms.close();
  }

  @BeforeEach
  void resetFaults() {
    kms.reset();
  }

  private static KmsClient clientFor(FakeKms kms, AwsBasicCredentials credentials,
      java.util.function.Consumer<software.amazon.awssdk.services.kms.KmsClientBuilder> extra) {
    var b = KmsClient.builder()
        .endpointOverride(kms.endpoint())
        .region(Region.of(kms.region()))
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClientBuilder(Apache5HttpClient.builder());
    extra.accept(b);
    return b.build();
  }

  private static SdkBytes encrypt(String keyId, Map<String, String> context) {
    return client.encrypt(r -> r.keyId(keyId).plaintext(PLAIN).encryptionContext(context)).ciphertextBlob();
  }

  @Test
  void encryptDecrypt_sameContext_roundTripsAndNamesKeyArn() {
    EncryptResponse enc = client.encrypt(r -> r.keyId("alias/fake-test").plaintext(PLAIN).encryptionContext(CONTEXT));
    assertThat(enc.keyId()).isEqualTo(keyArn);

    DecryptResponse dec = client.decrypt(r -> r.ciphertextBlob(enc.ciphertextBlob()).encryptionContext(CONTEXT));

    assertThat(dec.plaintext()).isEqualTo(PLAIN);
    assertThat(dec.keyId()).isEqualTo(keyArn);
    assertThat(kms.successfulCalls("Encrypt")).isEqualTo(1);
    assertThat(kms.successfulCalls("Decrypt")).isEqualTo(1);
  }

  @Test
  void encrypt_keyIdForms_allResolveToTheSameKey() {
    String uuid = keyArn.substring(keyArn.indexOf("key/") + 4);
    String aliasArn = "arn:aws:kms:us-east-1:" + FakeKms.ACCOUNT_ID + ":alias/fake-test";
    for (String id : new String[] {keyArn, uuid, "alias/fake-test", aliasArn}) {
      assertThat(client.encrypt(r -> r.keyId(id).plaintext(PLAIN)).keyId()).as(id).isEqualTo(keyArn);
    }
  }

  @Test
  void decrypt_otherContext_failsWithInvalidCiphertext() {
    SdkBytes blob = encrypt(keyArn, CONTEXT);
    for (Map<String, String> wrong : java.util.List.of(Map.<String, String>of(), Map.of("rowseal:table", "cards"),
        Map.of("rowseal:table", "cards", "rowseal:row", "43"),
        Map.of("rowseal:table", "cards", "rowseal:row", "42", "extra", "x"))) {
      assertThatThrownBy(() -> client.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(wrong)))
          .as(wrong.toString()).isInstanceOf(InvalidCiphertextException.class);
    }
  }

  @Test
  void decrypt_corruptedByte_failsWithInvalidCiphertext() {
    byte[] blob = encrypt(keyArn, CONTEXT).asByteArray();
    for (int i : new int[] {0, 20, blob.length / 2, blob.length - 1}) {
      byte[] bad = blob.clone();
      bad[i] ^= 1;
      assertThatThrownBy(() -> client.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(bad))
          .encryptionContext(CONTEXT))).as("byte " + i).isInstanceOf(InvalidCiphertextException.class);
    }
  }

  @Test
  void decrypt_keyIdOfAnotherKey_failsWithIncorrectKey() {
    SdkBytes blob = encrypt(keyArn, CONTEXT);
    assertThatThrownBy(() -> client.decrypt(r -> r.ciphertextBlob(blob).keyId(otherArn).encryptionContext(CONTEXT)))
        .isInstanceOf(IncorrectKeyException.class);
  }

  @Test
  void reEncrypt_toOtherKey_decryptsUnderDestination() {
    SdkBytes blob = encrypt(keyArn, CONTEXT);
    ReEncryptResponse re = client.reEncrypt(r -> r.ciphertextBlob(blob).sourceKeyId(keyArn)
        .destinationKeyId(otherArn).sourceEncryptionContext(CONTEXT).destinationEncryptionContext(CONTEXT));
    assertThat(re.sourceKeyId()).isEqualTo(keyArn);
    assertThat(re.keyId()).isEqualTo(otherArn);
    DecryptResponse dec = client.decrypt(r -> r.ciphertextBlob(re.ciphertextBlob()).keyId(otherArn)
        .encryptionContext(CONTEXT));
    assertThat(dec.plaintext()).isEqualTo(PLAIN);
    assertThat(kms.calls("ReEncrypt")).isEqualTo(1);
  }

  @Test
  void reEncrypt_wrongSourceKey_failsWithIncorrectKey() {
    SdkBytes blob = encrypt(keyArn, CONTEXT);
    assertThatThrownBy(() -> client.reEncrypt(r -> r.ciphertextBlob(blob).sourceKeyId(otherArn)
        .destinationKeyId(otherArn).sourceEncryptionContext(CONTEXT).destinationEncryptionContext(CONTEXT)))
        .isInstanceOf(IncorrectKeyException.class);
  }

  @Test
  void generateDataKey_aes256_returnsDecryptablePlaintext() {
    GenerateDataKeyResponse gen = client.generateDataKey(r -> r.keyId(keyArn).keySpec(DataKeySpec.AES_256)
        .encryptionContext(CONTEXT));
    assertThat(gen.plaintext().asByteArray()).hasSize(32);
    assertThat(client.decrypt(r -> r.ciphertextBlob(gen.ciphertextBlob()).encryptionContext(CONTEXT)).plaintext())
        .isEqualTo(gen.plaintext());
    assertThat(client.generateDataKey(r -> r.keyId(keyArn).numberOfBytes(32)).plaintext().asByteArray()).hasSize(32);
  }

  @Test
  void describeKey_alias_returnsMetadataOfTheKey() {
    DescribeKeyResponse d = client.describeKey(r -> r.keyId("alias/fake-test"));
    assertThat(d.keyMetadata().arn()).isEqualTo(keyArn);
    assertThat(d.keyMetadata().keyStateAsString()).isEqualTo("Enabled");
    assertThat(d.keyMetadata().enabled()).isTrue();
    assertThat(d.keyMetadata().keyUsageAsString()).isEqualTo("ENCRYPT_DECRYPT");
    assertThat(d.keyMetadata().keySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
  }

  @Test
  void createKeyAndAlias_throughTheApi_areUsable() {
    String arn = client.createKey(r -> { }).keyMetadata().arn();
    client.createAlias(r -> r.aliasName("alias/made-by-api").targetKeyId(arn));
    assertThat(client.encrypt(r -> r.keyId("alias/made-by-api").plaintext(PLAIN)).keyId()).isEqualTo(arn);
  }

  @Test
  void encrypt_unknownKey_failsWithNotFound() {
    assertThatThrownBy(() -> client.encrypt(r -> r.keyId("alias/nope").plaintext(PLAIN)))
        .isInstanceOf(NotFoundException.class);
    String elsewhere = keyArn.replace("us-east-1", "eu-west-1");
    assertThatThrownBy(() -> client.encrypt(r -> r.keyId(elsewhere).plaintext(PLAIN)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void keyStates_disabledPendingDeletionDenied_failWithTheirCodes() {
    String arn = kms.createKey();
    SdkBytes blob = encrypt(arn, CONTEXT);
    kms.disableKey(arn);
    assertThatThrownBy(() -> client.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(CONTEXT)))
        .isInstanceOf(DisabledException.class);
    assertThat(client.describeKey(r -> r.keyId(arn)).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
    kms.scheduleKeyDeletion(arn);
    assertThatThrownBy(() -> encrypt(arn, CONTEXT)).isInstanceOf(KmsInvalidStateException.class)
        .satisfies(e -> assertThat(((KmsException) e).awsErrorDetails().errorCode()).isEqualTo("KMSInvalidStateException"));
    kms.enableKey(arn);
    assertThat(client.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(CONTEXT)).plaintext()).isEqualTo(PLAIN);
    kms.denyAccess(arn);
    assertThatThrownBy(() -> encrypt(arn, CONTEXT))
        .isExactlyInstanceOf(KmsException.class)
        .satisfies(e -> {
          KmsException k = (KmsException) e;
          assertThat(k.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
          assertThat(k.statusCode()).isEqualTo(400);
        });
  }

  @Test
  void disableAndEnableKey_throughTheApi_switchDisabledException() {
    String arn = kms.createKey();
    SdkBytes blob = encrypt(arn, CONTEXT);

    client.disableKey(r -> r.keyId(arn));
    assertThatThrownBy(() -> client.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(CONTEXT)))
        .isInstanceOf(DisabledException.class);
    assertThatThrownBy(() -> client.reEncrypt(r -> r.ciphertextBlob(blob).sourceEncryptionContext(CONTEXT)
        .destinationKeyId(arn).destinationEncryptionContext(CONTEXT)))
        .isInstanceOf(DisabledException.class);
    assertThat(client.describeKey(r -> r.keyId(arn)).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);

    client.enableKey(r -> r.keyId(arn));
    assertThat(client.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(CONTEXT)).plaintext()).isEqualTo(PLAIN);
  }

  @Test
  void scheduleAndCancelKeyDeletion_throughTheApi_followKmsStates() {
    String arn = kms.createKey();
    SdkBytes blob = encrypt(arn, CONTEXT);

    ScheduleKeyDeletionResponse scheduled = client.scheduleKeyDeletion(r -> r.keyId(arn).pendingWindowInDays(7));
    assertThat(scheduled.keyId()).isEqualTo(arn);
    assertThat(scheduled.keyState()).isEqualTo(KeyState.PENDING_DELETION);
    assertThat(scheduled.pendingWindowInDays()).isEqualTo(7);
    assertThat(client.describeKey(r -> r.keyId(arn)).keyMetadata().deletionDate()).isEqualTo(scheduled.deletionDate());
    assertThatThrownBy(() -> client.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(CONTEXT)))
        .isInstanceOf(KmsInvalidStateException.class);
    assertThatThrownBy(() -> client.enableKey(r -> r.keyId(arn))).isInstanceOf(KmsInvalidStateException.class);
    assertThatThrownBy(() -> client.disableKey(r -> r.keyId(arn))).isInstanceOf(KmsInvalidStateException.class);
    assertThatThrownBy(() -> client.scheduleKeyDeletion(r -> r.keyId(arn)))
        .isInstanceOf(KmsInvalidStateException.class);

    assertThat(client.cancelKeyDeletion(r -> r.keyId(arn)).keyId()).isEqualTo(arn);
    assertThat(client.describeKey(r -> r.keyId(arn)).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
    assertThatThrownBy(() -> client.cancelKeyDeletion(r -> r.keyId(arn)))
        .isInstanceOf(KmsInvalidStateException.class);
    client.enableKey(r -> r.keyId(arn));
    assertThat(client.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(CONTEXT)).plaintext()).isEqualTo(PLAIN);
  }

  @Test
  void scheduleKeyDeletion_windowOutsideSevenToThirtyDays_failsValidation() {
    String arn = kms.createKey();
    assertThatThrownBy(() -> client.scheduleKeyDeletion(r -> r.keyId(arn).pendingWindowInDays(6)))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(((KmsException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
  }

  @Test
  void updateAlias_throughTheApi_pointsTheAliasAtAnotherKey() {
    String first = kms.createKey("alias/moving");
    String second = kms.createKey();

    client.updateAlias(r -> r.aliasName("alias/moving").targetKeyId(second));

    assertThat(client.describeKey(r -> r.keyId("alias/moving")).keyMetadata().arn()).isEqualTo(second);
    assertThat(client.listAliases(r -> r.keyId(second)).aliases())
        .extracting(a -> a.aliasName()).containsExactly("alias/moving");
    assertThat(client.listAliases(r -> r.keyId(first)).aliases()).isEmpty();
    assertThatThrownBy(() -> client.updateAlias(r -> r.aliasName("alias/never-created").targetKeyId(second)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void listKeys_smallLimit_pagesThroughEveryKey() {
    String arn = kms.createKey();

    List<String> listed = client.listKeysPaginator(r -> r.limit(1)).keys().stream().map(k -> k.keyArn()).toList();

    assertThat(listed).contains(keyArn, otherArn, arn).doesNotHaveDuplicates();
    assertThat(client.listKeys(r -> r.limit(1)).truncated()).isTrue();
  }

  @Test
  void request_wrongSecret_failsWithInvalidSignature() {
    AwsBasicCredentials wrong = AwsBasicCredentials.create(kms.credentials().accessKeyId(), "not-the-secret");
    try (KmsClient c = clientFor(kms, wrong, b -> { })) {
      assertThatThrownBy(() -> c.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)))
          .isInstanceOf(KmsException.class)
          .satisfies(e -> assertThat(((KmsException) e).awsErrorDetails().errorCode())
              .isEqualTo("InvalidSignatureException"));
    }
  }

  @Test
  void request_unknownAccessKey_failsWithUnrecognizedClient() {
    AwsBasicCredentials wrong = AwsBasicCredentials.create("AKIAOTHER", kms.credentials().secretAccessKey());
    try (KmsClient c = clientFor(kms, wrong, b -> { })) {
      assertThatThrownBy(() -> c.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)))
          .isInstanceOf(KmsException.class)
          .satisfies(e -> assertThat(((KmsException) e).awsErrorDetails().errorCode())
              .isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  void request_wrongRegionScope_failsWithInvalidSignature() {
    try (KmsClient c = clientFor(kms, kms.credentials(), b -> b.region(Region.EU_WEST_1))) {
      assertThatThrownBy(() -> c.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)))
          .isInstanceOf(KmsException.class)
          .satisfies(e -> assertThat(((KmsException) e).awsErrorDetails().errorCode())
              .isEqualTo("InvalidSignatureException"));
    }
  }

  @Test
  void throttleNext_withoutSdkRetries_failsWithThrottlingThenRecovers() {
    kms.throttleNext(1);
    assertThatThrownBy(() -> noRetry.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)))
        .isExactlyInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(((KmsException) e).awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
    assertThat(noRetry.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)).keyId()).isEqualTo(keyArn);
    assertThat(kms.calls("Encrypt")).isEqualTo(2);
    assertThat(kms.successfulCalls("Encrypt")).isEqualTo(1);
  }

  @Test
  void throttleNext_withSdkDefaultRetries_sdkRetriesAndSucceeds() {
    kms.throttleNext(2);
    assertThat(client.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)).keyId()).isEqualTo(keyArn);
    // The SDK's standard retry strategy (3 attempts) retries ThrottlingException by itself.
    assertThat(kms.calls("Encrypt")).isEqualTo(3);
    assertThat(kms.successfulCalls("Encrypt")).isEqualTo(1);
  }

  @Test
  void throttling_everyRequestThrottledUntilTurnedOff() {
    kms.throttling(true);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> noRetry.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)))
          .satisfies(e -> assertThat(((KmsException) e).awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
    }
    kms.throttling(false);
    assertThat(noRetry.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)).keyId()).isEqualTo(keyArn);
    assertThat(kms.calls("Encrypt")).isEqualTo(4);
    assertThat(kms.successfulCalls("Encrypt")).isEqualTo(1);
  }

  @Test
  void failNext_answersHttp500KmsInternal() {
    kms.failNext(1);
    assertThatThrownBy(() -> noRetry.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)))
        .isInstanceOf(KmsInternalException.class)
        .satisfies(e -> assertThat(((KmsException) e).statusCode()).isEqualTo(500));
  }

  @Test
  void dropNextConnections_clientSeesIoFailureThenRecovers() {
    kms.dropNextConnections(1);
    assertThatThrownBy(() -> noRetry.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)))
        .isInstanceOf(SdkClientException.class);
    assertThat(noRetry.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)).keyId()).isEqualTo(keyArn);
    assertThat(kms.calls("Encrypt")).isEqualTo(2);
    assertThat(kms.totalCalls()).isEqualTo(2);
  }

  @Test
  void latency_delaysEveryAnswer() {
    kms.latency(Duration.ofMillis(300));
    long start = System.nanoTime();
    noRetry.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void reset_clearsFaultsAndCounters() {
    kms.throttleNext(5);
    kms.reset();
    assertThat(noRetry.encrypt(r -> r.keyId(keyArn).plaintext(PLAIN)).keyId()).isEqualTo(keyArn);
    assertThat(kms.totalCalls()).isEqualTo(1);
  }
}
