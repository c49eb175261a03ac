package io.rowseal.key.awskms;

import io.micrometer.core.instrument.MeterRegistry;
import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/**
 * A master key in AWS KMS: wraps each data key with one KMS {@code Encrypt} and unwraps it with one
 * {@code Decrypt}, binding the wrap to the row through the encryption context
 * {@code {"rowseal:table": table}} plus {@code "rowseal:row": rowId} for a row-bound key. The wrapped bytes
 * are KMS's {@code CiphertextBlob}, stored as is and never parsed. The key reference is
 * {@code aws-kms:<key ARN>}: the ARN that KMS resolves at {@link Builder#build()}, never an alias, so
 * repointing an alias never changes which key a row names. Every call names the ARN.
 *
 * <p>Failures follow RowSeal's rules, classified by KMS error code and HTTP status, not by SDK exception
 * class: throttling, KMS 5xx, {@code DependencyTimeoutException}, KMS's {@code KeyUnavailableException},
 * I/O errors, dropped connections and attempt timeouts are retried with exponential backoff and full
 * jitter until the {@linkplain Builder#retryBudget retry budget} is spent, then fail with RowSeal's
 * {@link KeyUnavailableException}. {@code InvalidCiphertextException} and {@code IncorrectKeyException} fail
 * at once with {@link DecryptionFailedException}; {@code AccessDeniedException}, {@code NotFoundException},
 * {@code DisabledException}, {@code KMSInvalidStateException} and any other client error fail at once with
 * {@link KeyUnavailableException}. The SDK client's own retries are turned off for this key's calls (a
 * per-request plugin), so the budget bounds the time of an operation and every attempt is counted. Messages
 * name the key reference, the operation, the KMS error code and request id, never blobs, key bytes,
 * credentials, or the SDK's message text; SDK exceptions are not chained.
 *
 * <p>Metrics, when a {@link MeterRegistry} is given: counter {@code rowseal.kms.calls} (attempts sent),
 * counter {@code rowseal.kms.failures} (tag {@code code}) and timer {@code rowseal.kms.latency} (per
 * attempt), all tagged {@code operation} and {@code key} (the ARN).
 *
 * <p>Thread-safe (the SDK's {@link KmsClient} is); the caller owns the client and closes it.
 */
public final class AwsKmsMasterKey implements MasterKey {
  /** The key reference scheme. */
  public static final String SCHEME = "aws-kms";
  /** Encryption context key naming the table. */
  public static final String CONTEXT_TABLE = "rowseal:table";
  /** Encryption context key naming the row, present only for row-bound keys. */
  public static final String CONTEXT_ROW = "rowseal:row";

  private static final Pattern KEY_ARN = Pattern.compile("arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):key/([^\\s]+)");
  private static final Duration BASE_BACKOFF = Duration.ofMillis(50);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  /** An attempt needs at least this long to be worth starting. */
  private static final Duration MIN_ATTEMPT = Duration.ofMillis(50);

  private static final Set<String> RETRIED_CODES = Set.of("ThrottlingException", "KMSInternalException",
      "DependencyTimeoutException", "KeyUnavailableException");
  private static final Set<String> DECRYPTION_FAILED_CODES = Set.of("InvalidCiphertextException",
      "IncorrectKeyException");
  private static final Map<String, String> REASONS = Map.of(
      "InvalidCiphertextException", "the wrapped data key failed authentication for this table and row (altered, "
          + "moved to another row or table, or wrapped under another context)",
      "IncorrectKeyException", "the wrapped data key was not wrapped by this key",
      "AccessDeniedException", "the caller's AWS identity is not allowed to use this key (check IAM and the key "
          + "policy)",
      "NotFoundException", "KMS has no such key in this account and region",
      "DisabledException", "the key is disabled; enable it to read and write rows under it",
      "KMSInvalidStateException", "the key is not usable in its current state (pending deletion or import); "
          + "cancel the deletion to keep its rows readable");

  /** Turns the client's own retries off for one request: this key retries within its budget instead. */
  private static final SdkPlugin NO_SDK_RETRIES =
      config -> config.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));

  private final KmsClient client;
  private final String arn;
  private final String partition;
  private final String region;
  private final KeyRef ref;
  private final Duration retryBudget;
  private final Duration callTimeout;
  private final KmsMetrics metrics;

  private AwsKmsMasterKey(Builder b, String arn, KmsMetrics metrics) {
    Matcher m = KEY_ARN.matcher(arn);
    if (!m.matches()) {
      throw new IllegalStateException("not a key ARN: " + arn);
    }
    this.client = b.client;
    this.arn = arn;
    this.partition = m.group(1);
    this.region = m.group(2);
    this.ref = KeyRef.of(SCHEME + ":" + arn);
    this.retryBudget = b.retryBudget;
    this.callTimeout = b.callTimeout;
    this.metrics = metrics;
  }

  /**
   * Starts configuring a KMS master key.
   *
   * @param client the caller's SDK client, in the key's region; the caller closes it
   * @param keyId key ARN, key id, alias name ({@code alias/x}) or alias ARN
   */
  public static Builder builder(KmsClient client, String keyId) {
    return new Builder(client, keyId);
  }

  /** {@code aws-kms:<key ARN>}. */
  @Override
  public KeyRef ref() {
    return ref;
  }

  /** The key ARN every call names. */
  public String keyArn() {
    return arn;
  }

  /**
   * The key's state now, from one KMS {@code DescribeKey} of its ARN (retried like every call): KMS's
   * {@code KeyState}, {@code "Enabled"} when the key can wrap and unwrap, else {@code "Disabled"},
   * {@code "PendingDeletion"} and so on. For health checks; never returns key material.
   *
   * @throws KeyUnavailableException naming this key if KMS does not describe it (not found, access denied,
   *     unreachable within the retry budget)
   */
  public String keyState() {
    KeyMetadata metadata = call("DescribeKey",
        o -> client.describeKey(r -> r.keyId(arn).overrideConfiguration(o))).keyMetadata();
    String state = metadata == null ? null : metadata.keyStateAsString();
    if (state == null) {
      throw new KeyUnavailableException(prefix("DescribeKey") + ": KMS answered without a key state");
    }
    return state;
  }

  /**
   * KMS {@code Encrypt} of the 32 key bytes under this key, bound to {@code context}; returns the opaque
   * {@code CiphertextBlob}. The temporary copy of the key bytes is zeroed; the SDK's serialized request
   * (Base64 text inside the HTTP body) cannot be.
   *
   * @throws KeyUnavailableException if KMS refuses (denied, disabled, not found, pending deletion) or cannot
   *     be reached within the retry budget
   */
  @Override
  public byte[] wrap(DataKey dataKey, WrapContext context) {
    byte[] plain = dataKey.copyOfBytes();
    try {
      SdkBytes plaintext = SdkBytes.fromByteArrayUnsafe(plain);
      Map<String, String> encryptionContext = encryptionContext(context);
      EncryptResponse response = call("Encrypt", o -> client.encrypt(r -> r.keyId(arn).plaintext(plaintext)
          .encryptionContext(encryptionContext).overrideConfiguration(o)));
      if (!arn.equals(response.keyId())) {
        throw new KeyUnavailableException(prefix("Encrypt") + ": KMS answered for another key");
      }
      return response.ciphertextBlob().asByteArray();
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * KMS {@code Decrypt} naming this key's ARN with the encryption context of {@code context}. The plaintext
   * array the SDK hands back is zeroed once copied into the {@link DataKey}; the SDK's own buffers (the HTTP
   * response and its Base64 text) cannot be zeroed from here.
   *
   * @throws DecryptionFailedException if KMS rejects the blob (InvalidCiphertext, IncorrectKey) or answers
   *     with another key or a plaintext that is not a 32-byte key
   * @throws KeyUnavailableException if KMS refuses or cannot be reached within the retry budget
   */
  @Override
  public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
    SdkBytes blob = SdkBytes.fromByteArray(wrappedKey);
    Map<String, String> encryptionContext = encryptionContext(context);
    DecryptResponse response = call("Decrypt", o -> client.decrypt(r -> r.keyId(arn).ciphertextBlob(blob)
        .encryptionContext(encryptionContext).overrideConfiguration(o)));
    byte[] plain = response.plaintext() == null ? new byte[0] : response.plaintext().asByteArrayUnsafe();
    try {
      if (!arn.equals(response.keyId())) {
        throw new DecryptionFailedException(prefix("Decrypt") + ": KMS answered for another key");
      }
      if (plain.length != DataKey.LENGTH) {
        throw new DecryptionFailedException(prefix("Decrypt") + ": the plaintext is " + plain.length
            + " bytes, not a 32-byte data key");
      }
      return DataKey.copyOf(plain);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * When {@code source} is an AWS KMS key in this key's partition and region, one KMS {@code ReEncrypt}
   * from it to this key with the same encryption context on both sides, so the data key never leaves KMS;
   * otherwise null.
   *
   * @throws DecryptionFailedException if KMS rejects the blob for the source key and context
   * @throws KeyUnavailableException if either key refuses or KMS cannot be reached within the retry budget
   */
  @Override
  public byte @Nullable [] rewrapFrom(MasterKey source, byte[] wrappedKey, WrapContext context) {
    if (!(source instanceof AwsKmsMasterKey)) {
      return null;
    }
    AwsKmsMasterKey from = (AwsKmsMasterKey) source;
    if (!from.partition.equals(partition) || !from.region.equals(region)) {
      return null;
    }
    SdkBytes blob = SdkBytes.fromByteArray(wrappedKey);
    Map<String, String> encryptionContext = encryptionContext(context);
    ReEncryptResponse response = call("ReEncrypt", o -> client.reEncrypt(r -> r.ciphertextBlob(blob)
        .sourceKeyId(from.arn).destinationKeyId(arn)
        .sourceEncryptionContext(encryptionContext).destinationEncryptionContext(encryptionContext)
        .overrideConfiguration(o)));
    if (!arn.equals(response.keyId()) || !from.arn.equals(response.sourceKeyId())) {
      throw new DecryptionFailedException(prefix("ReEncrypt") + ": KMS answered for other keys");
    }
    return response.ciphertextBlob().asByteArray();
  }

  private static Map<String, String> encryptionContext(WrapContext context) {
    return context.isRowBound()
        ? Map.of(CONTEXT_TABLE, context.table(), CONTEXT_ROW, context.rowId())
        : Map.of(CONTEXT_TABLE, context.table());
  }

  private String prefix(String operation) {
    return "AWS KMS " + operation + " with key " + ref;
  }

  private <T> T call(String operation, Function<AwsRequestOverrideConfiguration, T> request) {
    return call(client, operation, prefix(operation), retryBudget, callTimeout, metrics, request);
  }

  /**
   * Runs one KMS operation with this class's retry rules. Each attempt gets the attempt timeout (cut to the
   * budget left) and no SDK retries.
   */
  static <T> T call(KmsClient client, String operation, String what, Duration retryBudget, Duration callTimeout,
      KmsMetrics metrics, Function<AwsRequestOverrideConfiguration, T> request) {
    long start = System.nanoTime();
    long budget = retryBudget.toNanos();
    int attempts = 0;
    String lastError = null;
    while (true) {
      long left = budget - (System.nanoTime() - start);
      // The attempt timeout covers the HTTP exchange; the call timeout, the whole call including signing
      // and a cold client's first-use set-up, is capped only by the budget left.
      AwsRequestOverrideConfiguration override = AwsRequestOverrideConfiguration.builder()
          .apiCallAttemptTimeout(Duration.ofNanos(Math.min(callTimeout.toNanos(), left)))
          .apiCallTimeout(Duration.ofNanos(left))
          .addPlugin(NO_SDK_RETRIES)
          .build();
      attempts++;
      metrics.attempt(operation);
      long attemptStart = System.nanoTime();
      Failure failure;
      try {
        T result = request.apply(override);
        metrics.latency(operation, System.nanoTime() - attemptStart);
        return result;
      } catch (KmsException e) {
        failure = Failure.of(e);
      } catch (SdkClientException e) {
        failure = Failure.of(e);
      }
      metrics.latency(operation, System.nanoTime() - attemptStart);
      metrics.failure(operation, failure.code);
      if (DECRYPTION_FAILED_CODES.contains(failure.code)) {
        throw new DecryptionFailedException(what + ": " + failure.describe() + reason(failure.code));
      }
      if (!failure.retried) {
        throw new KeyUnavailableException(what + ": " + failure.describe() + reason(failure.code));
      }
      lastError = failure.describe();
      long ceiling = Math.min(MAX_BACKOFF.toNanos(), BASE_BACKOFF.toNanos() << Math.min(attempts - 1, 20));
      long elapsed = System.nanoTime() - start;
      // Full jitter, cut so that the last attempt still fits in the budget.
      long backoff = Math.min(ThreadLocalRandom.current().nextLong(ceiling + 1),
          budget - elapsed - MIN_ATTEMPT.toNanos());
      if (backoff < 0) {
        throw new KeyUnavailableException(String.format(Locale.ROOT,
            "%s: KMS unavailable; gave up after %d attempt%s in %.3f s (retry budget %.3f s); last error: %s",
            what, attempts, attempts == 1 ? "" : "s", elapsed / 1e9, budget / 1e9, lastError));
      }
      try {
        Thread.sleep(backoff / 1_000_000, (int) (backoff % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KeyUnavailableException(what + ": interrupted while waiting to retry after " + lastError);
      }
    }
  }

  private static String reason(String code) {
    String reason = REASONS.get(code);
    return reason == null ? "" : ": " + reason;
  }

  /** A classified failure: a short code, whether it is retried, and what may be said about it. */
  private static final class Failure {
    final String code;
    final boolean retried;
    final String detail;

    private Failure(String code, boolean retried, String detail) {
      this.code = code;
      this.retried = retried;
      this.detail = detail;
    }

    static Failure of(KmsException e) {
      AwsErrorDetails details = e.awsErrorDetails();
      String code = details == null || details.errorCode() == null ? "Unknown" : details.errorCode();
      int status = e.statusCode();
      boolean retried = RETRIED_CODES.contains(code) || status >= 500;
      String requestId = e.requestId() == null ? "none" : e.requestId();
      return new Failure(code, retried, code + " (HTTP " + status + ", request id " + requestId + ")");
    }

    // The SDK's message of a client exception may quote the cause's text; only class names are kept.
    static Failure of(SdkClientException e) {
      if (e instanceof ApiCallAttemptTimeoutException) {
        return new Failure("Timeout", true, "no answer within the attempt timeout (callTimeout)");
      }
      if (e instanceof ApiCallTimeoutException) {
        return new Failure("Timeout", true, "no answer within the time left of the retry budget");
      }
      Throwable io = e;
      while (io != null && !(io instanceof IOException)) {
        io = io.getCause();
      }
      if (io != null) {
        return new Failure("IOError", true, "I/O error (" + io.getClass().getSimpleName() + ")");
      }
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return new Failure("ClientError", false, "SDK client error (" + e.getClass().getSimpleName()
          + (root == e ? "" : ", caused by " + root.getClass().getSimpleName()) + ")");
    }

    String describe() {
      return detail;
    }
  }

  @Override
  public String toString() {
    return "AwsKmsMasterKey[" + ref + "]";
  }

  /** Options for an {@link AwsKmsMasterKey}; {@link #build()} resolves and checks the key. Not thread-safe. */
  public static final class Builder {
    private final KmsClient client;
    private final String keyId;
    private Duration retryBudget = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(2);
    private @Nullable MeterRegistry meterRegistry;

    private Builder(KmsClient client, String keyId) {
      this.client = Objects.requireNonNull(client, "client");
      this.keyId = Objects.requireNonNull(keyId, "keyId");
      if (keyId.isBlank()) {
        throw new IllegalArgumentException("keyId must be a key ARN, key id, alias name or alias ARN, was blank");
      }
    }

    /**
     * Total time one operation may take, attempts and backoff included; default 10 s. Enforced through the
     * SDK's call timeouts, so it holds as far as they can interrupt a call (a new client's very first call,
     * while classes load, may overrun it).
     */
    public Builder retryBudget(Duration retryBudget) {
      this.retryBudget = positive(retryBudget, "retryBudget");
      return this;
    }

    /** Time one attempt may take (the SDK's {@code apiCallAttemptTimeout}); default 2 s. */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = positive(callTimeout, "callTimeout");
      return this;
    }

    /** Where to count calls, failures and latency; default none. */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * Resolves the key id to its ARN with one KMS {@code DescribeKey} (retried like every call) and checks
     * that it is an enabled symmetric encryption key.
     *
     * @throws KeyUnavailableException naming the given key id if KMS does not describe it (not found,
     *     denied, unreachable within the retry budget) or the key is not enabled
     * @throws IllegalArgumentException if the key is not a symmetric ENCRYPT_DECRYPT key
     */
    public AwsKmsMasterKey build() {
      KmsMetrics metrics = KmsMetrics.of(meterRegistry, keyId);
      String what = "AWS KMS DescribeKey of key '" + keyId + "'";
      KeyMetadata metadata = call(client, "DescribeKey", what, retryBudget, callTimeout, metrics,
          o -> client.describeKey(r -> r.keyId(keyId).overrideConfiguration(o))).keyMetadata();
      String arn = metadata == null ? null : metadata.arn();
      if (arn == null || !KEY_ARN.matcher(arn).matches()) {
        throw new KeyUnavailableException(what + ": KMS answered without a key ARN");
      }
      if (!"ENCRYPT_DECRYPT".equals(metadata.keyUsageAsString())
          || !"SYMMETRIC_DEFAULT".equals(metadata.keySpecAsString())) {
        throw new IllegalArgumentException("key '" + keyId + "' (" + arn + ") is a " + metadata.keySpecAsString()
            + " key for " + metadata.keyUsageAsString() + "; RowSeal needs a SYMMETRIC_DEFAULT key for "
            + "ENCRYPT_DECRYPT");
      }
      if (!Boolean.TRUE.equals(metadata.enabled()) || !"Enabled".equals(metadata.keyStateAsString())) {
        throw new KeyUnavailableException("key '" + keyId + "' (" + SCHEME + ":" + arn + ") is "
            + metadata.keyStateAsString() + ", not Enabled; enable it before using it as a RowSeal master key");
      }
      return new AwsKmsMasterKey(this, arn, metrics.forKey(arn));
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
