package io.rowseal.benchmarks;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of sealing and of opening one row of three short string columns through RowSeal, against two
 * raw-JCE loops that produce byte-for-byte the same formats, all in one JMH run so that the results are
 * read as same-run ratios. One operation is one row; scores are microseconds per row.
 *
 * <p>The row is a {@code cards} row with the binary columns {@code card_number = "4111111111111111"},
 * {@code holder = "JANE Q PUBLIC"} and {@code cvv = "123"} (an example of a short secret only: PCI DSS
 * forbids keeping a CVV after authorization), row-bound to a 7-digit {@code long} id, with a local
 * AES-256-GCM master key {@code local:bench}. Every path does, per row:
 * <ul>
 *   <li><b>seal</b>: draw a 32-byte data key, a 12-byte wrap nonce and three 12-byte value nonces; wrap
 *       the data key under the master key with AAD {@code ctx("rowseal/dek/1", "local:bench", "cards",
 *       rowId)} into the companion column ({@code 01 01 0b "local:bench" nonce ct tag}, 74 bytes);
 *       encrypt each value's encoded plaintext ({@code 0x01} tag, then UTF-8) with AAD
 *       {@code ctx("rowseal/value/1", "cards", column, rowId)} into {@code 01 nonce ct tag}; hand the
 *       companion and the three values to a {@link Blackhole}; zero the data key and encoded plaintexts.
 *   <li><b>open</b>: take the next of 1024 rows sealed in {@code @Setup} (cycled, per thread), parse and
 *       check the companion header, unwrap the data key, decrypt and authenticate the three values, decode
 *       them to {@code String}s and hand those to a {@link Blackhole}; zero the data key bytes.
 * </ul>
 * Every path builds the per-row part of its AADs, {@code ctx(rowId)}, from the row id on each row; the
 * raw loops precompute the constant prefixes ({@code ctx(label, keyRef, table)} and
 * {@code ctx(label, table, column)}) once, as RowSeal does for values.
 *
 * <p>The three contenders per operation:
 * <ul>
 *   <li>{@code rowSeal}: {@link RowSeal#newRowKey} / {@link RowSeal#openRowKey}, then
 *       {@link RowKey#encryptBinary} / {@link RowKey#decrypt} per column, and {@link RowKey#close()}.
 *   <li>{@code rawJceBestEffort}: what a careful hand-written loop would do. One {@link Cipher} per
 *       thread per key role, reused for every row: a wrap cipher (always the master key) and a data
 *       cipher (the row's data key). One {@link SecureRandom#nextBytes} of 80 bytes per row gives the
 *       data key, the wrap nonce and the three value nonces. One {@link SecretKeySpec} per row for its
 *       data key.
 *   <li>{@code rawJceNaive}: the loop most code starts as. {@code Cipher.getInstance("AES/GCM/NoPadding")}
 *       and a new {@link SecretKeySpec} for every wrap, unwrap and value; one {@code nextBytes} per key
 *       and per nonce (five per sealed row) from a per-thread {@link SecureRandom}.
 * </ul>
 *
 * <p>Randomness: RowSeal draws from a per-thread {@code DRBG} (NIST SP 800-90A Hash_DRBG, 256-bit
 * strength, prediction resistance off; see {@code io.rowseal.internal.Randomness}) and buffers 1 KiB at
 * a time. For fairness the raw loops draw from the same kind of {@code SecureRandom} by default
 * ({@code -p random=drbg}), unbuffered; {@code -p random=jdkDefault} makes them use the JDK's default
 * {@code new SecureRandom()} instead (on Linux, {@code NativePRNG}, which reads {@code /dev/urandom}).
 *
 * <p>{@code @Setup} checks that the work is real before anything is timed: every pre-sealed row of each
 * path opens back to the three strings; rows sealed by the raw loops open through RowSeal and rows sealed
 * by RowSeal open through the raw loop (the formats are the same bytes); the naive loop's rows open
 * through the best-effort loop and the reverse. A failed check fails the benchmark.
 *
 * <p>Run (about 2 minutes with the defaults: 3 × 2 s warm-up, 5 × 2 s measurement, 1 fork):
 * <pre>
 * mvn -q -B -ntp -pl benchmarks package &amp;&amp; java -jar benchmarks/target/benchmarks.jar RowCodecBenchmark
 * </pre>
 * Add {@code -t 2} for two threads (each has its own state), {@code -prof gc} for allocation per row.
 * Read the results as ratios within one run: {@code rowSeal / rawJceBestEffort} and
 * {@code rowSeal / rawJceNaive}, per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RowCodecBenchmark {
  static final String TABLE = "cards";
  static final String[] COLUMNS = {"card_number", "holder", "cvv"};
  static final String[] VALUES = {"4111111111111111", "JANE Q PUBLIC", "123"};
  static final String KEY_REF = "local:bench";
  /** Pre-sealed rows per thread for the open benchmarks; a power of two. */
  static final int POOL_SIZE = 1024;
  /** Row ids stay 7 digits: {@code FIRST_ROW_ID + (n & 0xFFFFF)}. */
  static final long FIRST_ROW_ID = 1_000_000L;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int KEY_LENGTH = 32;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final int TAG_LENGTH = 16;
  private static final int WRAPPED_LENGTH = NONCE_LENGTH + KEY_LENGTH + TAG_LENGTH;
  private static final byte FORMAT_VERSION = 0x01;
  private static final byte FLAG_ROW_BOUND = 0x01;
  private static final byte STRING_TAG = 0x01;
  private static final int VALUE_HEADER = 1 + NONCE_LENGTH;
  /** Data key, wrap nonce and one nonce per column, drawn at once by the best-effort loop. */
  private static final int RANDOM_PER_ROW = KEY_LENGTH + NONCE_LENGTH + COLUMNS.length * NONCE_LENGTH;

  /**
   * RowSeal's AES-GCM implementation ({@code rowseal.crypto.provider}): {@code jdk} by default, so figures stay
   * comparable with earlier runs; {@code -p provider=jdk,accp} compares the two. The raw JCE baselines always
   * use the JDK's.
   */
  @Param({"jdk"})
  public String provider;

  // rowSeal state: this class is the per-thread state of the rowSeal benchmarks.
  private RowSeal rowSeal;
  private EncryptedTable cards;
  private EncryptedColumn[] columns;
  private final Pool pool = new Pool();
  private final byte[][] sealed = new byte[1 + COLUMNS.length][];
  private final String[] opened = new String[COLUMNS.length];
  private long sealCount;

  @Setup(Level.Trial)
  public void setUp() {
    rowSeal = newRowSeal(randomMasterKey(), io.rowseal.CryptoProvider.valueOf(provider.toUpperCase(java.util.Locale.ROOT)));
    cards = rowSeal.table(TABLE);
    columns = new EncryptedColumn[COLUMNS.length];
    for (int c = 0; c < COLUMNS.length; c++) {
      columns[c] = cards.column(COLUMNS[c]);
    }
    for (int i = 0; i < POOL_SIZE; i++) {
      long id = FIRST_ROW_ID + i;
      sealWithRowSeal(id, sealed);
      pool.put(i, id, sealed);
    }
    for (int i = 0; i < POOL_SIZE; i++) {
      openWithRowSeal(pool.ids[i], pool.companions[i], pool.values[i], opened);
      check(opened, "RowSeal opening a RowSeal row");
    }
  }

  /**
   * Seals one new row through RowSeal: {@code newRowKey} (random data key wrapped under the local master
   * key, companion column built), {@code encryptBinary} of the three values, {@code close()}.
   */
  @Benchmark
  public void seal_rowSeal(Blackhole bh) {
    sealWithRowSeal(FIRST_ROW_ID + (sealCount++ & 0xFFFFF), sealed);
    consume(bh, sealed);
  }

  /**
   * Opens one pre-sealed row through RowSeal: {@code openRowKey} from its companion column, then
   * {@code decrypt(column, value, String.class)} of the three values, {@code close()}.
   */
  @Benchmark
  public void open_rowSeal(Blackhole bh) {
    int i = pool.next();
    openWithRowSeal(pool.ids[i], pool.companions[i], pool.values[i], opened);
    consume(bh, opened);
  }

  /**
   * Seals one new row by hand with one reused wrap cipher and one reused data cipher per thread and one
   * 80-byte random draw; output byte-identical in layout to RowSeal's.
   */
  @Benchmark
  public void seal_rawJceBestEffort(RawJce raw, Blackhole bh) throws GeneralSecurityException {
    raw.sealBestEffort(raw.nextSealId(), raw.sealed);
    consume(bh, raw.sealed);
  }

  /**
   * Opens one pre-sealed row by hand: unwraps the data key with the reused wrap cipher, decrypts the
   * three values with the reused data cipher and decodes them to strings.
   */
  @Benchmark
  public void open_rawJceBestEffort(RawJce raw, Blackhole bh) throws GeneralSecurityException {
    int i = raw.pool.next();
    raw.openBestEffort(raw.pool.ids[i], raw.pool.companions[i], raw.pool.values[i], raw.opened);
    consume(bh, raw.opened);
  }

  /**
   * Seals one new row naively: a new {@code Cipher} and {@code SecretKeySpec} for the wrap and for each
   * value, and a separate random draw for the data key and for each nonce.
   */
  @Benchmark
  public void seal_rawJceNaive(RawJce raw, Blackhole bh) throws GeneralSecurityException {
    raw.sealNaive(raw.nextSealId(), raw.sealed);
    consume(bh, raw.sealed);
  }

  /**
   * Opens one pre-sealed row naively: a new {@code Cipher} and {@code SecretKeySpec} for the unwrap and
   * for each value.
   */
  @Benchmark
  public void open_rawJceNaive(RawJce raw, Blackhole bh) throws GeneralSecurityException {
    int i = raw.pool.next();
    raw.openNaive(raw.pool.ids[i], raw.pool.companions[i], raw.pool.values[i], raw.opened);
    consume(bh, raw.opened);
  }

  private void sealWithRowSeal(long id, byte[][] out) {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(id))) {
      out[0] = key.companion();
      for (int c = 0; c < COLUMNS.length; c++) {
        out[1 + c] = key.encryptBinary(columns[c], VALUES[c]);
      }
    }
  }

  private void openWithRowSeal(long id, byte[] companion, byte[][] values, String[] out) {
    try (RowKey key = rowSeal.openRowKey(cards, RowId.of(id), companion)) {
      for (int c = 0; c < COLUMNS.length; c++) {
        out[c] = key.decrypt(columns[c], values[c], String.class);
      }
    }
  }

  /**
   * Per-thread state of the raw-JCE benchmarks: the master key, the best-effort loop's two reused
   * ciphers, the precomputed AAD prefixes, and its own pool of rows sealed by the best-effort loop.
   */
  @State(Scope.Thread)
  public static class RawJce {
    /**
     * The raw loops' {@code SecureRandom}: {@code drbg} = the same construction RowSeal uses
     * (Hash_DRBG, 256-bit strength), {@code jdkDefault} = {@code new SecureRandom()}.
     */
    @Param({"drbg"})
    public String random;

    private SecureRandom secureRandom;
    private byte[] masterBytes;
    private SecretKey masterKey;
    private Cipher wrapCipher;
    private Cipher dataCipher;
    /** {@code 01 01 n keyRef}: the companion column up to the wrapped key. */
    private byte[] companionHeader;
    /** {@code ctx("rowseal/dek/1", keyRef, table)}. */
    private byte[] wrapAadPrefix;
    /** {@code ctx("rowseal/value/1", table, column)} per column. */
    private byte[][] valueAadPrefixes;
    private final Pool pool = new Pool();
    private final byte[][] sealed = new byte[1 + COLUMNS.length][];
    private final String[] opened = new String[COLUMNS.length];
    private long sealCount;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
      secureRandom = newSecureRandom(random);
      masterBytes = randomMasterKey();
      masterKey = new SecretKeySpec(masterBytes, "AES");
      wrapCipher = Cipher.getInstance(TRANSFORMATION);
      dataCipher = Cipher.getInstance(TRANSFORMATION);
      byte[] ref = KEY_REF.getBytes(StandardCharsets.UTF_8);
      companionHeader = new byte[3 + ref.length];
      companionHeader[0] = FORMAT_VERSION;
      companionHeader[1] = FLAG_ROW_BOUND;
      companionHeader[2] = (byte) ref.length;
      System.arraycopy(ref, 0, companionHeader, 3, ref.length);
      wrapAadPrefix = ctx("rowseal/dek/1", KEY_REF, TABLE);
      valueAadPrefixes = new byte[COLUMNS.length][];
      for (int c = 0; c < COLUMNS.length; c++) {
        valueAadPrefixes[c] = ctx("rowseal/value/1", TABLE, COLUMNS[c]);
      }
      for (int i = 0; i < POOL_SIZE; i++) {
        long id = FIRST_ROW_ID + i;
        sealBestEffort(id, sealed);
        pool.put(i, id, sealed);
      }
      checkRealWork();
    }

    private void checkRealWork() throws GeneralSecurityException {
      RowSeal sameKey = newRowSeal(masterBytes, io.rowseal.CryptoProvider.JDK);
      EncryptedTable cards = sameKey.table(TABLE);
      String[] out = new String[COLUMNS.length];
      for (int i = 0; i < POOL_SIZE; i++) {
        long id = pool.ids[i];
        openBestEffort(id, pool.companions[i], pool.values[i], out);
        check(out, "best-effort loop opening its own row");
        openNaive(id, pool.companions[i], pool.values[i], out);
        check(out, "naive loop opening a best-effort row");
        try (RowKey key = sameKey.openRowKey(cards, RowId.of(id), pool.companions[i])) {
          for (int c = 0; c < COLUMNS.length; c++) {
            out[c] = key.decrypt(cards.column(COLUMNS[c]), pool.values[i][c], String.class);
          }
        }
        check(out, "RowSeal opening a best-effort row");
      }
      long id = FIRST_ROW_ID + POOL_SIZE;
      byte[][] row = new byte[1 + COLUMNS.length][];
      sealNaive(id, row);
      openBestEffort(id, row[0], Arrays.copyOfRange(row, 1, row.length), out);
      check(out, "best-effort loop opening a naive row");
      try (RowKey key = sameKey.newRowKey(cards, RowId.of(id))) {
        row[0] = key.companion();
        for (int c = 0; c < COLUMNS.length; c++) {
          row[1 + c] = key.encryptBinary(cards.column(COLUMNS[c]), VALUES[c]);
        }
      }
      openBestEffort(id, row[0], Arrays.copyOfRange(row, 1, row.length), out);
      check(out, "best-effort loop opening a RowSeal row");
    }

    long nextSealId() {
      return FIRST_ROW_ID + (sealCount++ & 0xFFFFF);
    }

    void sealBestEffort(long id, byte[][] out) throws GeneralSecurityException {
      byte[] rowPart = ctxRowId(id);
      byte[] random = new byte[RANDOM_PER_ROW];
      secureRandom.nextBytes(random);
      try {
        SecretKey dek = new SecretKeySpec(random, 0, KEY_LENGTH, "AES");
        int h = companionHeader.length;
        byte[] companion = Arrays.copyOf(companionHeader, h + WRAPPED_LENGTH);
        System.arraycopy(random, KEY_LENGTH, companion, h, NONCE_LENGTH);
        wrapCipher.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(TAG_BITS, companion, h, NONCE_LENGTH));
        wrapCipher.updateAAD(wrapAadPrefix);
        wrapCipher.updateAAD(rowPart);
        wrapCipher.doFinal(random, 0, KEY_LENGTH, companion, h + NONCE_LENGTH);
        out[0] = companion;
        for (int c = 0; c < COLUMNS.length; c++) {
          out[1 + c] = sealValue(dataCipher, dek, random, KEY_LENGTH + NONCE_LENGTH * (1 + c),
              valueAadPrefixes[c], rowPart, VALUES[c]);
        }
      } finally {
        Arrays.fill(random, (byte) 0);
      }
    }

    void openBestEffort(long id, byte[] companion, byte[][] values, String[] out) throws GeneralSecurityException {
      byte[] rowPart = ctxRowId(id);
      int h = checkCompanionHeader(companion);
      wrapCipher.init(Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(TAG_BITS, companion, h, NONCE_LENGTH));
      wrapCipher.updateAAD(wrapAadPrefix);
      wrapCipher.updateAAD(rowPart);
      byte[] dekBytes = wrapCipher.doFinal(companion, h + NONCE_LENGTH, WRAPPED_LENGTH - NONCE_LENGTH);
      SecretKey dek = new SecretKeySpec(dekBytes, "AES");
      Arrays.fill(dekBytes, (byte) 0);
      for (int c = 0; c < COLUMNS.length; c++) {
        out[c] = openValue(dataCipher, dek, valueAadPrefixes[c], rowPart, values[c]);
      }
    }

    void sealNaive(long id, byte[][] out) throws GeneralSecurityException {
      byte[] rowPart = ctxRowId(id);
      byte[] dekBytes = new byte[KEY_LENGTH];
      secureRandom.nextBytes(dekBytes);
      try {
        byte[] wrapNonce = new byte[NONCE_LENGTH];
        secureRandom.nextBytes(wrapNonce);
        int h = companionHeader.length;
        byte[] companion = Arrays.copyOf(companionHeader, h + WRAPPED_LENGTH);
        System.arraycopy(wrapNonce, 0, companion, h, NONCE_LENGTH);
        Cipher wrap = Cipher.getInstance(TRANSFORMATION);
        wrap.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterBytes, "AES"), new GCMParameterSpec(TAG_BITS, wrapNonce));
        wrap.updateAAD(wrapAadPrefix);
        wrap.updateAAD(rowPart);
        wrap.doFinal(dekBytes, 0, KEY_LENGTH, companion, h + NONCE_LENGTH);
        out[0] = companion;
        for (int c = 0; c < COLUMNS.length; c++) {
          byte[] nonce = new byte[NONCE_LENGTH];
          secureRandom.nextBytes(nonce);
          out[1 + c] = sealValue(Cipher.getInstance(TRANSFORMATION), new SecretKeySpec(dekBytes, "AES"), nonce, 0,
              valueAadPrefixes[c], rowPart, VALUES[c]);
        }
      } finally {
        Arrays.fill(dekBytes, (byte) 0);
      }
    }

    void openNaive(long id, byte[] companion, byte[][] values, String[] out) throws GeneralSecurityException {
      byte[] rowPart = ctxRowId(id);
      int h = checkCompanionHeader(companion);
      Cipher unwrap = Cipher.getInstance(TRANSFORMATION);
      unwrap.init(Cipher.DECRYPT_MODE, new SecretKeySpec(masterBytes, "AES"),
          new GCMParameterSpec(TAG_BITS, companion, h, NONCE_LENGTH));
      unwrap.updateAAD(wrapAadPrefix);
      unwrap.updateAAD(rowPart);
      byte[] dekBytes = unwrap.doFinal(companion, h + NONCE_LENGTH, WRAPPED_LENGTH - NONCE_LENGTH);
      try {
        for (int c = 0; c < COLUMNS.length; c++) {
          out[c] = openValue(Cipher.getInstance(TRANSFORMATION), new SecretKeySpec(dekBytes, "AES"),
              valueAadPrefixes[c], rowPart, values[c]);
        }
      } finally {
        Arrays.fill(dekBytes, (byte) 0);
      }
    }

    /** Returns the offset of the wrap nonce. */
    private int checkCompanionHeader(byte[] companion) {
      int h = companionHeader.length;
      if (companion.length != h + WRAPPED_LENGTH || !Arrays.equals(companion, 0, h, companionHeader, 0, h)) {
        throw new IllegalArgumentException("not a row-bound companion column wrapped by " + KEY_REF);
      }
      return h;
    }
  }

  private static byte[] sealValue(Cipher cipher, SecretKey dek, byte[] nonce, int nonceOff, byte[] aadPrefix,
      byte[] rowPart, String value) throws GeneralSecurityException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    byte[] plain = new byte[1 + utf8.length];
    plain[0] = STRING_TAG;
    System.arraycopy(utf8, 0, plain, 1, utf8.length);
    byte[] out = new byte[VALUE_HEADER + plain.length + TAG_LENGTH];
    out[0] = FORMAT_VERSION;
    System.arraycopy(nonce, nonceOff, out, 1, NONCE_LENGTH);
    cipher.init(Cipher.ENCRYPT_MODE, dek, new GCMParameterSpec(TAG_BITS, out, 1, NONCE_LENGTH));
    cipher.updateAAD(aadPrefix);
    cipher.updateAAD(rowPart);
    cipher.doFinal(plain, 0, plain.length, out, VALUE_HEADER);
    Arrays.fill(plain, (byte) 0);
    return out;
  }

  private static String openValue(Cipher cipher, SecretKey dek, byte[] aadPrefix, byte[] rowPart, byte[] value)
      throws GeneralSecurityException {
    if (value.length < VALUE_HEADER + 1 + TAG_LENGTH || value[0] != FORMAT_VERSION) {
      throw new IllegalArgumentException("not a version-1 value");
    }
    cipher.init(Cipher.DECRYPT_MODE, dek, new GCMParameterSpec(TAG_BITS, value, 1, NONCE_LENGTH));
    cipher.updateAAD(aadPrefix);
    cipher.updateAAD(rowPart);
    byte[] plain = cipher.doFinal(value, VALUE_HEADER, value.length - VALUE_HEADER);
    if (plain[0] != STRING_TAG) {
      throw new IllegalArgumentException("not a string value");
    }
    String s = new String(plain, 1, plain.length - 1, StandardCharsets.UTF_8);
    Arrays.fill(plain, (byte) 0);
    return s;
  }

  /** {@code ctx(Long.toString(id))}, built per row by every path. */
  private static byte[] ctxRowId(long id) {
    byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[4 + digits.length];
    out[3] = (byte) digits.length;
    System.arraycopy(digits, 0, out, 4, digits.length);
    return out;
  }

  /** The context encoding, written independently of RowSeal's so the cross-checks in setup mean something. */
  private static byte[] ctx(String... parts) {
    byte[] out = new byte[0];
    for (String part : parts) {
      byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
      int pos = out.length;
      out = Arrays.copyOf(out, pos + 4 + utf8.length);
      out[pos] = (byte) (utf8.length >>> 24);
      out[pos + 1] = (byte) (utf8.length >>> 16);
      out[pos + 2] = (byte) (utf8.length >>> 8);
      out[pos + 3] = (byte) utf8.length;
      System.arraycopy(utf8, 0, out, pos + 4, utf8.length);
    }
    return out;
  }

  private static RowSeal newRowSeal(byte[] masterKey, io.rowseal.CryptoProvider provider) {
    EncryptedTable cards = EncryptedTable.builder(TABLE)
        .idColumns("id")
        .companionColumn("dek")
        .column(COLUMNS[0], String.class)
        .column(COLUMNS[1], String.class)
        .column(COLUMNS[2], String.class)
        .build();
    return RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of(KEY_REF), masterKey)))
        .table(cards)
        .cryptoProvider(provider)
        .build();
  }

  private static byte[] randomMasterKey() {
    byte[] key = new byte[KEY_LENGTH];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static SecureRandom newSecureRandom(String kind) throws GeneralSecurityException {
    switch (kind) {
      case "drbg":
        return SecureRandom.getInstance("DRBG",
            DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
      case "jdkDefault":
        return new SecureRandom();
      default:
        throw new IllegalArgumentException("random must be drbg or jdkDefault, was " + kind);
    }
  }

  private static void check(String[] opened, String what) {
    if (!Arrays.equals(opened, VALUES)) {
      throw new IllegalStateException("sanity check failed: " + what + " did not give back the sealed values");
    }
  }

  private static void consume(Blackhole bh, Object[] results) {
    for (Object r : results) {
      bh.consume(r);
    }
  }

  /** Rows sealed in setup, cycled through by the open benchmarks. */
  private static final class Pool {
    final long[] ids = new long[POOL_SIZE];
    final byte[][] companions = new byte[POOL_SIZE][];
    final byte[][][] values = new byte[POOL_SIZE][][];
    private int next;

    void put(int i, long id, byte[][] sealedRow) {
      ids[i] = id;
      companions[i] = sealedRow[0];
      values[i] = Arrays.copyOfRange(sealedRow, 1, sealedRow.length);
    }

    int next() {
      next = (next + 1) & (POOL_SIZE - 1);
      return next;
    }
  }
}
