package io.rowseal.testsupport.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A KMS-compatible HTTP endpoint for tests, benchmarks and demos: the AWS JSON 1.1 protocol
 * ({@code POST /}, {@code X-Amz-Target: TrentService.<Operation>}) with SigV4 authentication, real
 * AES-256-GCM under per-key random 32-byte keys, and KMS's error codes, so the real AWS SDK v2
 * {@code KmsClient} talks to it unchanged (see {@link #client()}).
 *
 * <p>Operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey, DescribeKey, and the administrative ones a
 * script or test drives key states with: CreateKey, CreateAlias, UpdateAlias, ListKeys, ListAliases,
 * DisableKey, EnableKey, ScheduleKeyDeletion, CancelKeyDeletion. A key may be named by key id, key ARN,
 * alias name ({@code alias/x}) or alias ARN; responses name the key ARN
 * {@code arn:aws:kms:<region>:111122223333:key/<uuid>}. The encryption context is bound to the
 * ciphertext and must match exactly, as in KMS.
 *
 * <p>Key states follow KMS: a disabled key answers {@code DisabledException} and a key pending deletion
 * {@code KMSInvalidStateException} to every cryptographic operation (DescribeKey still answers);
 * DisableKey and EnableKey on a key pending deletion, ScheduleKeyDeletion twice, and CancelKeyDeletion of
 * a key not pending deletion answer {@code KMSInvalidStateException}; a cancelled deletion leaves the key
 * disabled. Nothing is ever deleted: the pending window does not run out.
 *
 * <p>Ciphertext blob (this endpoint's own opaque format, like KMS's):
 * <pre>
 * 0x01 | key uuid (16 bytes) | nonce (12) | AES-256-GCM(key, plaintext) | tag (16)
 * AAD = 0x01 | key uuid | count (4 bytes BE) | for each context entry sorted by key: len|key len|value (UTF-8, 4-byte BE lengths)
 * </pre>
 *
 * <p>Test controls: key states ({@link #disableKey}, {@link #scheduleKeyDeletion}, {@link #denyAccess}),
 * faults ({@link #throttleNext}, {@link #throttling}, {@link #failNext}, {@link #dropNextConnections}, {@link #latency}) and
 * request counters ({@link #calls}, {@link #successfulCalls}, {@link #totalCalls}).
 *
 * <p>Thread-safe: every method may be called while requests are served. Not for production: the keys live
 * in memory only. Unchecked {@link UncheckedIOException} from {@link #start()} if the port cannot be bound;
 * {@link IllegalArgumentException} for unknown keys in the control methods.
 */
public final class FakeKms implements AutoCloseable {
  /** The account id in every ARN. */
  public static final String ACCOUNT_ID = "111122223333";
  /** The port {@link #main} listens on by default. */
  public static final int DEFAULT_PORT = 4599;

  private static final String TARGET_PREFIX = "TrentService.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String ALGORITHM = "SYMMETRIC_DEFAULT";
  private static final byte BLOB_VERSION = 1;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_LENGTH = 16;
  private static final int HEADER_LENGTH = 1 + 16;
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern ARN = Pattern.compile("arn:aws:kms:([^:]+):(\\d{12}):(key|alias)/(.+)");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String region;
  private final AwsBasicCredentials credentials;
  private final SigV4Verifier verifier;
  private final HttpServer server;
  private final ExecutorService executor;
  private final ObjectMapper json = new ObjectMapper();

  private final Map<String, Key> keys = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();

  private final AtomicInteger throttle = new AtomicInteger();
  private final AtomicInteger fail = new AtomicInteger();
  private final AtomicInteger drop = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean throttling;
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> successes = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();

  private enum State { ENABLED, DISABLED, PENDING_DELETION }

  private static final class Key {
    final String id;
    final String arn;
    final byte[] material;
    final Instant created = Instant.now();
    volatile State state = State.ENABLED;
    volatile Instant deletionDate = Instant.EPOCH;
    volatile boolean denied;

    Key(String id, String arn, byte[] material) {
      this.id = id;
      this.arn = arn;
      this.material = material;
    }
  }

  static {
    // The JDK server writes response headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // holds the body until the client's delayed ACK (40 ms on Linux), so every call would take 40 ms.
    // Read once, when the JDK's server configuration class loads: set it before the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private FakeKms(Builder b) {
    this.region = b.region;
    this.credentials = AwsBasicCredentials.create(b.accessKeyId, b.secretAccessKey);
    this.verifier = new SigV4Verifier(b.accessKeyId, b.secretAccessKey, b.region, "kms");
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "fake-kms-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 64);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("FakeKms cannot listen on 127.0.0.1:" + b.port, e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts an endpoint on an ephemeral loopback port, region us-east-1. */
  public static FakeKms start() {
    return builder().start();
  }

  /** Starts an endpoint on loopback {@code port} (0 = ephemeral), region us-east-1. */
  public static FakeKms start(int port) {
    return builder().port(port).start();
  }

  /** Options for a FakeKms: port, region and credentials. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:<port>}, for {@code endpointOverride}. */
  public URI endpoint() {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
  }

  /** The region this endpoint serves and signs for, in every ARN. */
  public String region() {
    return region;
  }

  /** The credentials the endpoint accepts (SigV4 is verified); use with {@link StaticCredentialsProvider}. */
  public AwsBasicCredentials credentials() {
    return credentials;
  }

  /**
   * A real SDK v2 client for this endpoint (Apache 5 HTTP client, static credentials, this region, the
   * SDK's default retry strategy). The caller closes it.
   */
  public KmsClient client() {
    return KmsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClientBuilder(Apache5HttpClient.builder())
        .build();
  }

  /** Creates an enabled symmetric key; returns its ARN. */
  public String createKey() {
    String id = UUID.randomUUID().toString();
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    Key key = new Key(id, keyArn(id), material);
    keys.put(id, key);
    return key.arn;
  }

  /**
   * Creates an enabled symmetric key with alias {@code alias} ({@code alias/} is prefixed when missing);
   * returns the key ARN.
   *
   * @throws IllegalArgumentException if the alias exists
   */
  public String createKey(String alias) {
    String arn = createKey();
    try {
      createAlias(aliasName(alias), idOf(arn));
    } catch (KmsError e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return arn;
  }

  /** Disables the key: Encrypt, Decrypt and friends answer DisabledException. */
  public void disableKey(String keyId) {
    control(keyId).state = State.DISABLED;
  }

  /** Enables the key again (also cancels a scheduled deletion). */
  public void enableKey(String keyId) {
    control(keyId).state = State.ENABLED;
  }

  /** Marks the key pending deletion: its use answers KMSInvalidStateException. */
  public void scheduleKeyDeletion(String keyId) {
    Key key = control(keyId);
    key.deletionDate = Instant.now().plus(Duration.ofDays(7));
    key.state = State.PENDING_DELETION;
  }

  /** Every call naming the key answers AccessDeniedException (not a modelled SDK exception). */
  public void denyAccess(String keyId) {
    control(keyId).denied = true;
  }

  /** Undoes {@link #denyAccess}. */
  public void allowAccess(String keyId) {
    control(keyId).denied = false;
  }

  /** The next {@code n} requests answer HTTP 400 ThrottlingException. */
  public void throttleNext(int n) {
    throttle.set(requireCount(n));
  }

  /**
   * While on, every request answers HTTP 400 ThrottlingException (a KMS over its request quota for a
   * while); {@link #throttleNext} counts requests instead.
   */
  public void throttling(boolean on) {
    this.throttling = on;
  }

  /** The next {@code n} requests answer HTTP 500 KMSInternalException. */
  public void failNext(int n) {
    fail.set(requireCount(n));
  }

  /** The next {@code n} requests get their connection closed without an answer. */
  public void dropNextConnections(int n) {
    drop.set(requireCount(n));
  }

  /** Every request waits this long before it is answered (zero for none). */
  public void latency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative, was " + latency);
    }
    this.latency = latency;
  }

  /** Clears faults, latency and counters. Keys, aliases, key states and access denials stay. */
  public void reset() {
    throttle.set(0);
    fail.set(0);
    drop.set(0);
    throttling = false;
    latency = Duration.ZERO;
    calls.clear();
    successes.clear();
    total.set(0);
  }

  /** Requests received for {@code operation} (e.g. "Encrypt"), faulted and rejected ones included. */
  public long calls(String operation) {
    AtomicLong n = calls.get(operation);
    return n == null ? 0 : n.get();
  }

  /** Requests for {@code operation} answered with HTTP 200. */
  public long successfulCalls(String operation) {
    AtomicLong n = successes.get(operation);
    return n == null ? 0 : n.get();
  }

  /** Every request received, whatever its operation or outcome. */
  public long totalCalls() {
    return total.get();
  }

  /** Stops listening and ends in-flight exchanges. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "FakeKms[" + endpoint() + ", region=" + region + ", keys=" + keys.size() + "]";
  }

  /**
   * Runs an endpoint until killed: {@code --port N} (default 4599; 0 for any free port), {@code --region R},
   * {@code --access-key-id ID}, {@code --secret-access-key S}, {@code --key alias} (repeatable),
   * {@code --exit-with PID} (stop when that process ends, so a test's child never outlives it). Prints the
   * endpoint (first line: {@code FakeKms listening on http://127.0.0.1:<port> region <region>}), the
   * credentials to configure (they are this fake's own, not AWS's) and each key's ARN. Key states are
   * changed through the KMS API itself (DisableKey, ScheduleKeyDeletion, ...), e.g. with the AWS CLI's
   * {@code --endpoint-url}.
   */
  public static void main(String[] args) throws InterruptedException {
    Builder b = builder().port(DEFAULT_PORT);
    List<String> aliasesToCreate = new ArrayList<>();
    long exitWith = -1;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: FakeKms [--port N] [--region R] [--access-key-id ID] "
            + "[--secret-access-key S] [--key alias]... [--exit-with PID]; " + arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--port" -> b.port(Integer.parseInt(value));
        case "--region" -> b.region(value);
        case "--access-key-id" -> b.accessKeyId(value);
        case "--secret-access-key" -> b.secretAccessKey(value);
        case "--key" -> aliasesToCreate.add(value);
        case "--exit-with" -> exitWith = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + arg
            + "; known: --port, --region, --access-key-id, --secret-access-key, --key, --exit-with");
      }
    }
    if (exitWith >= 0) {
      long pid = exitWith;
      ProcessHandle.of(pid).ifPresentOrElse(
          parent -> parent.onExit().thenRun(() -> System.exit(0)),
          () -> System.exit(0));
    }
    FakeKms kms = b.start();
    System.out.println("FakeKms listening on " + kms.endpoint() + " region " + kms.region());
    System.out.println("AWS_ACCESS_KEY_ID=" + kms.credentials().accessKeyId());
    System.out.println("AWS_SECRET_ACCESS_KEY=" + kms.credentials().secretAccessKey());
    for (String alias : aliasesToCreate) {
      System.out.println(aliasName(alias) + " " + kms.createKey(alias));
    }
    System.out.flush();
    Thread.currentThread().join();
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange ex) throws IOException {
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length())
        : "(none)";
    total.incrementAndGet();
    calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    try {
      if (takeOne(drop)) {
        // Closing before the response headers are sent closes the TCP connection: the client sees EOF.
        ex.close();
        return;
      }
      Duration wait = latency;
      if (!wait.isZero()) {
        Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
      }
      byte[] body = readAll(ex.getRequestBody());
      ObjectNode response;
      try {
        if (!"POST".equals(ex.getRequestMethod())) {
          throw KmsError.client("UnknownOperationException", "only POST / is served");
        }
        verifier.verify(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
            ex.getRequestHeaders(), body);
        if (throttling || takeOne(throttle)) {
          throw KmsError.client("ThrottlingException", "Rate exceeded");
        }
        if (takeOne(fail)) {
          throw KmsError.server("KMSInternalException", "An internal error occurred (injected by FakeKms)");
        }
        JsonNode request;
        try {
          request = body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
          throw KmsError.client("SerializationException", "request body is not JSON");
        }
        if (request == null || !request.isObject()) {
          throw KmsError.client("SerializationException", "request body is not a JSON object");
        }
        response = dispatch(operation, request);
      } catch (KmsError e) {
        ObjectNode err = json.createObjectNode().put("__type", e.code);
        if (e.getMessage() != null) {
          err.put("message", e.getMessage());
        }
        send(ex, e.status, err);
        return;
      } catch (RuntimeException e) {
        send(ex, 500, json.createObjectNode().put("__type", "KMSInternalException")
            .put("message", "FakeKms failed: " + e.getClass().getSimpleName()));
        return;
      }
      // Counted before sending: the client may read the answer before this thread runs on.
      successes.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
      send(ex, 200, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
    }
  }

  private void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  private static boolean takeOne(AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  private static int requireCount(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + n);
    }
    return n;
  }

  // ---------------------------------------------------------------- operations

  private ObjectNode dispatch(String operation, JsonNode req) throws KmsError {
    return switch (operation) {
      case "Encrypt" -> encrypt(req);
      case "Decrypt" -> decrypt(req);
      case "ReEncrypt" -> reEncrypt(req);
      case "GenerateDataKey" -> generateDataKey(req);
      case "DescribeKey" -> describeKey(req);
      case "CreateKey" -> createKeyOperation();
      case "CreateAlias" -> createAliasOperation(req);
      case "UpdateAlias" -> updateAlias(req);
      case "ListKeys" -> listKeys(req);
      case "ListAliases" -> listAliases(req);
      case "DisableKey" -> disableKeyOperation(req);
      case "EnableKey" -> enableKeyOperation(req);
      case "ScheduleKeyDeletion" -> scheduleKeyDeletionOperation(req);
      case "CancelKeyDeletion" -> cancelKeyDeletion(req);
      default -> throw KmsError.client("UnknownOperationException", null);
    };
  }

  private ObjectNode encrypt(JsonNode req) throws KmsError {
    Key key = usable(resolve(requiredText(req, "KeyId")), "Encrypt");
    checkAlgorithm(req, "EncryptionAlgorithm");
    byte[] plaintext = requiredBlob(req, "Plaintext");
    if (plaintext.length < 1 || plaintext.length > 4096) {
      throw KmsError.validation("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
          + "Member must have length between 1 and 4096");
    }
    return json.createObjectNode()
        .put("CiphertextBlob", seal(key, plaintext, context(req, "EncryptionContext")))
        .put("KeyId", key.arn)
        .put("EncryptionAlgorithm", ALGORITHM);
  }

  private ObjectNode decrypt(JsonNode req) throws KmsError {
    byte[] blob = requiredBlob(req, "CiphertextBlob");
    checkAlgorithm(req, "EncryptionAlgorithm");
    Key key = blobKey(blob, optionalText(req, "KeyId"), "Decrypt");
    byte[] plaintext = open(key, blob, context(req, "EncryptionContext"));
    return json.createObjectNode()
        .put("KeyId", key.arn)
        .put("Plaintext", plaintext)
        .put("EncryptionAlgorithm", ALGORITHM);
  }

  private ObjectNode reEncrypt(JsonNode req) throws KmsError {
    byte[] blob = requiredBlob(req, "CiphertextBlob");
    checkAlgorithm(req, "SourceEncryptionAlgorithm");
    checkAlgorithm(req, "DestinationEncryptionAlgorithm");
    Key source = blobKey(blob, optionalText(req, "SourceKeyId"), "ReEncrypt");
    Key destination = usable(resolve(requiredText(req, "DestinationKeyId")), "ReEncrypt");
    byte[] plaintext = open(source, blob, context(req, "SourceEncryptionContext"));
    return json.createObjectNode()
        .put("CiphertextBlob", seal(destination, plaintext, context(req, "DestinationEncryptionContext")))
        .put("SourceKeyId", source.arn)
        .put("KeyId", destination.arn)
        .put("SourceEncryptionAlgorithm", ALGORITHM)
        .put("DestinationEncryptionAlgorithm", ALGORITHM);
  }

  private ObjectNode generateDataKey(JsonNode req) throws KmsError {
    Key key = usable(resolve(requiredText(req, "KeyId")), "GenerateDataKey");
    String spec = optionalText(req, "KeySpec");
    JsonNode numberOfBytes = req.get("NumberOfBytes");
    if ((spec == null) == (numberOfBytes == null || numberOfBytes.isNull())) {
      throw KmsError.validation("Please specify either number of bytes or key spec.");
    }
    int length;
    if (spec != null) {
      length = switch (spec) {
        case "AES_256" -> 32;
        case "AES_128" -> 16;
        default -> throw KmsError.validation("1 validation error detected: Value '" + spec
            + "' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]");
      };
    } else {
      if (!numberOfBytes.canConvertToInt() || numberOfBytes.asInt() < 1 || numberOfBytes.asInt() > 1024) {
        throw KmsError.validation("1 validation error detected: Value at 'numberOfBytes' failed to satisfy "
            + "constraint: Member must have value between 1 and 1024");
      }
      length = numberOfBytes.asInt();
    }
    byte[] plaintext = new byte[length];
    RANDOM.nextBytes(plaintext);
    return json.createObjectNode()
        .put("CiphertextBlob", seal(key, plaintext, context(req, "EncryptionContext")))
        .put("Plaintext", plaintext)
        .put("KeyId", key.arn);
  }

  private ObjectNode describeKey(JsonNode req) throws KmsError {
    Key key = resolve(requiredText(req, "KeyId"));
    if (key.denied) {
      throw accessDenied(key, "DescribeKey");
    }
    ObjectNode metadata = json.createObjectNode()
        .put("AWSAccountId", ACCOUNT_ID)
        .put("KeyId", key.id)
        .put("Arn", key.arn)
        .put("CreationDate", key.created.getEpochSecond())
        .put("Enabled", key.state == State.ENABLED)
        .put("Description", "")
        .put("KeyUsage", "ENCRYPT_DECRYPT")
        .put("KeyState", switch (key.state) {
          case ENABLED -> "Enabled";
          case DISABLED -> "Disabled";
          case PENDING_DELETION -> "PendingDeletion";
        })
        .put("Origin", "AWS_KMS")
        .put("KeyManager", "CUSTOMER")
        .put("CustomerMasterKeySpec", ALGORITHM)
        .put("KeySpec", ALGORITHM)
        .put("MultiRegion", false);
    metadata.putArray("EncryptionAlgorithms").add(ALGORITHM);
    if (key.state == State.PENDING_DELETION) {
      metadata.put("DeletionDate", key.deletionDate.getEpochSecond());
    }
    ObjectNode out = json.createObjectNode();
    out.set("KeyMetadata", metadata);
    return out;
  }

  private ObjectNode createKeyOperation() throws KmsError {
    String arn = createKey();
    return describeKey(json.createObjectNode().put("KeyId", arn));
  }

  private ObjectNode createAliasOperation(JsonNode req) throws KmsError {
    String name = requiredText(req, "AliasName");
    if (!name.startsWith("alias/") || name.startsWith("alias/aws/") || name.length() <= "alias/".length()) {
      throw KmsError.client("InvalidAliasNameException", "Alias must start with the prefix \"alias/\" and not \"alias/aws/\".");
    }
    createAlias(name, resolve(requiredText(req, "TargetKeyId")).id);
    return json.createObjectNode();
  }

  private ObjectNode updateAlias(JsonNode req) throws KmsError {
    String name = requiredText(req, "AliasName");
    Key target = admin(resolve(requiredText(req, "TargetKeyId")), "UpdateAlias");
    if (aliases.replace(name, target.id) == null) {
      throw notFound(aliasArn(name));
    }
    return json.createObjectNode();
  }

  private ObjectNode listKeys(JsonNode req) throws KmsError {
    List<Key> sorted = new ArrayList<>(keys.values());
    sorted.sort(Comparator.comparing((Key k) -> k.created).thenComparing(k -> k.id));
    List<String> ids = sorted.stream().map(k -> k.id).toList();
    ObjectNode out = json.createObjectNode();
    ArrayNode array = out.putArray("Keys");
    page(req, ids, out, id -> {
      Key key = keys.get(id);
      array.addObject().put("KeyId", key.id).put("KeyArn", key.arn);
    });
    return out;
  }

  private ObjectNode listAliases(JsonNode req) throws KmsError {
    String keyId = optionalText(req, "KeyId");
    String only = keyId == null ? null : resolve(keyId).id;
    List<String> names = new TreeMap<>(aliases).entrySet().stream()
        .filter(e -> only == null || only.equals(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
    ObjectNode out = json.createObjectNode();
    ArrayNode array = out.putArray("Aliases");
    page(req, names, out, name -> {
      String target = aliases.get(name);
      ObjectNode alias = array.addObject().put("AliasName", name).put("AliasArn", aliasArn(name));
      if (target != null) {
        alias.put("TargetKeyId", target);
      }
    });
    return out;
  }

  /** KMS paging: {@code Limit} 1..1000 (default 100), {@code Marker} = the last item of the previous page. */
  private static void page(JsonNode req, List<String> items, ObjectNode out,
      Consumer<String> add) throws KmsError {
    JsonNode limitNode = req.get("Limit");
    int limit = 100;
    if (limitNode != null && !limitNode.isNull()) {
      if (!limitNode.canConvertToInt() || limitNode.asInt() < 1 || limitNode.asInt() > 1000) {
        throw KmsError.validation("1 validation error detected: Value at 'limit' failed to satisfy constraint: "
            + "Member must have value between 1 and 1000");
      }
      limit = limitNode.asInt();
    }
    String marker = optionalText(req, "Marker");
    int from = 0;
    if (marker != null) {
      from = items.indexOf(marker) + 1;
      if (from == 0) {
        throw KmsError.client("InvalidMarkerException", "The request was rejected because the marker is not valid.");
      }
    }
    int to = Math.min(items.size(), from + limit);
    items.subList(from, to).forEach(add);
    boolean truncated = to < items.size();
    out.put("Truncated", truncated);
    if (truncated) {
      out.put("NextMarker", items.get(to - 1));
    }
  }

  private ObjectNode disableKeyOperation(JsonNode req) throws KmsError {
    Key key = notPendingDeletion(admin(resolve(requiredText(req, "KeyId")), "DisableKey"));
    key.state = State.DISABLED;
    return json.createObjectNode();
  }

  private ObjectNode enableKeyOperation(JsonNode req) throws KmsError {
    Key key = notPendingDeletion(admin(resolve(requiredText(req, "KeyId")), "EnableKey"));
    key.state = State.ENABLED;
    return json.createObjectNode();
  }

  private ObjectNode scheduleKeyDeletionOperation(JsonNode req) throws KmsError {
    Key key = notPendingDeletion(admin(resolve(requiredText(req, "KeyId")), "ScheduleKeyDeletion"));
    JsonNode windowNode = req.get("PendingWindowInDays");
    int window = 30;
    if (windowNode != null && !windowNode.isNull()) {
      if (!windowNode.canConvertToInt() || windowNode.asInt() < 7 || windowNode.asInt() > 30) {
        throw KmsError.validation("1 validation error detected: Value at 'pendingWindowInDays' failed to satisfy "
            + "constraint: Member must have value between 7 and 30");
      }
      window = windowNode.asInt();
    }
    key.deletionDate = Instant.now().plus(Duration.ofDays(window));
    key.state = State.PENDING_DELETION;
    return json.createObjectNode()
        .put("KeyId", key.arn)
        .put("DeletionDate", key.deletionDate.getEpochSecond())
        .put("KeyState", "PendingDeletion")
        .put("PendingWindowInDays", window);
  }

  private ObjectNode cancelKeyDeletion(JsonNode req) throws KmsError {
    Key key = admin(resolve(requiredText(req, "KeyId")), "CancelKeyDeletion");
    if (key.state != State.PENDING_DELETION) {
      throw KmsError.client("KMSInvalidStateException", key.arn + " is not pending deletion.");
    }
    // As in KMS: a key whose deletion is cancelled comes back disabled, not enabled.
    key.state = State.DISABLED;
    return json.createObjectNode().put("KeyId", key.arn);
  }

  private static Key admin(Key key, String operation) throws KmsError {
    if (key.denied) {
      throw accessDenied(key, operation);
    }
    return key;
  }

  private static Key notPendingDeletion(Key key) throws KmsError {
    if (key.state == State.PENDING_DELETION) {
      throw KmsError.client("KMSInvalidStateException", key.arn + " is pending deletion.");
    }
    return key;
  }

  private void createAlias(String name, String keyId) throws KmsError {
    if (aliases.putIfAbsent(name, keyId) != null) {
      throw KmsError.client("AlreadyExistsException", "An alias with the name " + aliasArn(name) + " already exists");
    }
  }

  // ---------------------------------------------------------------- keys

  /** The key a blob names; checks an expected key id first (IncorrectKeyException), then the key state. */
  private Key blobKey(byte[] blob, String expectedKeyId, String operation) throws KmsError {
    if (blob.length < HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH || blob[0] != BLOB_VERSION) {
      throw KmsError.invalidCiphertext();
    }
    ByteBuffer header = ByteBuffer.wrap(blob, 1, 16);
    String blobKeyId = new UUID(header.getLong(), header.getLong()).toString();
    if (expectedKeyId != null) {
      Key expected = resolve(expectedKeyId);
      if (!expected.id.equals(blobKeyId)) {
        throw KmsError.client("IncorrectKeyException",
            "The key ID in the request does not identify a CMK that can perform this operation.");
      }
    }
    Key key = keys.get(blobKeyId);
    if (key == null) {
      throw KmsError.invalidCiphertext();
    }
    return usable(key, operation);
  }

  private Key usable(Key key, String operation) throws KmsError {
    if (key.denied) {
      throw accessDenied(key, operation);
    }
    return switch (key.state) {
      case ENABLED -> key;
      case DISABLED -> throw KmsError.client("DisabledException", key.arn + " is disabled.");
      case PENDING_DELETION -> throw KmsError.client("KMSInvalidStateException", key.arn + " is pending deletion.");
    };
  }

  private static KmsError accessDenied(Key key, String operation) {
    return KmsError.client("AccessDeniedException", "User: arn:aws:iam::" + ACCOUNT_ID
        + ":user/rowseal-test is not authorized to perform: kms:" + operation + " on resource: " + key.arn
        + " because no identity-based policy allows the kms:" + operation + " action");
  }

  private Key resolve(String keyId) throws KmsError {
    String id = keyId;
    Matcher arn = ARN.matcher(keyId);
    if (arn.matches()) {
      if (!arn.group(1).equals(region) || !arn.group(2).equals(ACCOUNT_ID)) {
        throw notFound(keyId);
      }
      id = arn.group(3).equals("alias") ? aliases.get("alias/" + arn.group(4)) : arn.group(4);
    } else if (keyId.startsWith("alias/")) {
      id = aliases.get(keyId);
    } else if (!KEY_ID.matcher(keyId).matches()) {
      throw KmsError.client("NotFoundException", "Invalid keyId '" + keyId + "'");
    }
    Key key = id == null ? null : keys.get(id);
    if (key == null) {
      throw notFound(keyId);
    }
    return key;
  }

  private static KmsError notFound(String keyId) {
    return keyId.contains("alias/")
        ? KmsError.client("NotFoundException", "Alias " + keyId + " is not found.")
        : KmsError.client("NotFoundException", "Key '" + keyId + "' does not exist");
  }

  private Key control(String keyId) {
    try {
      return resolve(keyId);
    } catch (KmsError e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private String idOf(String arn) {
    return control(arn).id;
  }

  private String keyArn(String id) {
    return "arn:aws:kms:" + region + ":" + ACCOUNT_ID + ":key/" + id;
  }

  private String aliasArn(String name) {
    return "arn:aws:kms:" + region + ":" + ACCOUNT_ID + ":" + name;
  }

  private static String aliasName(String alias) {
    return alias.startsWith("alias/") ? alias : "alias/" + alias;
  }

  // ---------------------------------------------------------------- crypto

  private static byte[] seal(Key key, byte[] plaintext, Map<String, String> context) {
    byte[] out = new byte[HEADER_LENGTH + NONCE_LENGTH + plaintext.length + TAG_LENGTH];
    out[0] = BLOB_VERSION;
    UUID uuid = UUID.fromString(key.id);
    ByteBuffer.wrap(out, 1, 16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, HEADER_LENGTH, NONCE_LENGTH);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.material, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad(out, context));
      cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER_LENGTH + NONCE_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
    return out;
  }

  private static byte[] open(Key key, byte[] blob, Map<String, String> context) throws KmsError {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.material, "AES"),
          new GCMParameterSpec(128, blob, HEADER_LENGTH, NONCE_LENGTH));
      cipher.updateAAD(aad(blob, context));
      int offset = HEADER_LENGTH + NONCE_LENGTH;
      return cipher.doFinal(blob, offset, blob.length - offset);
    } catch (AEADBadTagException e) {
      throw KmsError.invalidCiphertext();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  private static byte[] aad(byte[] header, Map<String, String> context) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header, 0, HEADER_LENGTH);
    writeInt(out, context.size());
    for (Map.Entry<String, String> e : context.entrySet()) { // a TreeMap: sorted by key
      writePart(out, e.getKey());
      writePart(out, e.getValue());
    }
    return out.toByteArray();
  }

  private static void writePart(ByteArrayOutputStream out, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeInt(out, utf8.length);
    out.write(utf8, 0, utf8.length);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  // ---------------------------------------------------------------- JSON fields

  private static String requiredText(JsonNode req, String field) throws KmsError {
    String value = optionalText(req, field);
    if (value == null || value.isEmpty()) {
      throw KmsError.validation("1 validation error detected: Value null at '" + lowerFirst(field)
          + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  private static String optionalText(JsonNode req, String field) throws KmsError {
    JsonNode node = req.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw KmsError.client("SerializationException", field + " must be a string");
    }
    return node.textValue();
  }

  private static byte[] requiredBlob(JsonNode req, String field) throws KmsError {
    String text = requiredText(req, field);
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw KmsError.client("SerializationException", field + " is not base64");
    }
  }

  private static Map<String, String> context(JsonNode req, String field) throws KmsError {
    Map<String, String> context = new TreeMap<>();
    JsonNode node = req.get(field);
    if (node == null || node.isNull()) {
      return context;
    }
    if (!node.isObject()) {
      throw KmsError.client("SerializationException", field + " must be a map of strings");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw KmsError.client("SerializationException", field + " must be a map of strings");
      }
      context.put(e.getKey(), e.getValue().textValue());
    }
    return context;
  }

  private static void checkAlgorithm(JsonNode req, String field) throws KmsError {
    String algorithm = optionalText(req, field);
    if (algorithm != null && !ALGORITHM.equals(algorithm)) {
      throw KmsError.client("InvalidKeyUsageException", "Only " + ALGORITHM + " is supported for symmetric keys.");
    }
  }

  private static String lowerFirst(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** FakeKms options. Not thread-safe; {@link #start()} may be called once per endpoint wanted. */
  public static final class Builder {
    private int port;
    private String region = "us-east-1";
    private String accessKeyId = "AKIAROWSEALFAKEKMS00";
    private String secretAccessKey = randomSecret();

    private Builder() {}

    /** Loopback port to listen on; 0 (the default) for an ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** The region in ARNs and in the SigV4 scope; default us-east-1. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** The access key id requests must be signed with; default AKIAROWSEALFAKEKMS00. */
    public Builder accessKeyId(String accessKeyId) {
      this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
      return this;
    }

    /** The secret requests must be signed with; default random per endpoint. */
    public Builder secretAccessKey(String secretAccessKey) {
      this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      return this;
    }

    /**
     * Starts the endpoint.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public FakeKms start() {
      return new FakeKms(this);
    }

    private static String randomSecret() {
      byte[] bytes = new byte[30];
      RANDOM.nextBytes(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }
  }
}
