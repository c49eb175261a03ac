package io.rowseal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads sealing through one {@link RowKey} (per-thread ciphers and random buffers) never repeat a
 * nonce and never produce a value that does not open; many threads making new row keys never repeat a
 * data key or a wrap nonce. Values are opened on a different thread from the one that sealed them.
 */
@Tag("slow")
class ConcurrentSealTest {
  private static final int THREADS = 16;
  private static final int SEALS_PER_THREAD = 100_000;
  private static final int ROW_KEYS_PER_THREAD = 2_000;

  private EncryptedTable cards;
  private RowSeal rowSeal;
  private ExecutorService pool;

  @BeforeEach
  void setUp() {
    cards = EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();
    rowSeal = RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32))))
        .table(cards)
        .build();
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  /** A 12-byte nonce as a value with equals and hashCode, small enough to hold 1.6 million of. */
  private record Nonce(long high, int low) {
    static Nonce of(byte[] bytes, int offset) {
      ByteBuffer b = ByteBuffer.wrap(bytes, offset, 12);
      return new Nonce(b.getLong(), b.getInt());
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void encryptBinary_sixteenThreadsOneRowKey_noNonceRepeatsAndEveryValueOpens() throws Exception {
    EncryptedColumn column = cards.column("card_number");
    Set<Nonce> nonces = ConcurrentHashMap.newKeySet(THREADS * SEALS_PER_THREAD * 2);
    AtomicLong repeats = new AtomicLong();
    byte[][][] sealed = new byte[THREADS][SEALS_PER_THREAD][];
    long start = System.nanoTime();

    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      runOnAllThreads(t -> {
        for (int i = 0; i < SEALS_PER_THREAD; i++) {
          byte[] value = key.encryptBinary(column, plaintext(t, i));
          if (!nonces.add(Nonce.of(value, 1))) {
            repeats.incrementAndGet();
          }
          sealed[t][i] = value;
        }
      });
      long sealedAt = System.nanoTime();
      AtomicLong wrong = new AtomicLong();
      // Each thread opens another thread's values, so a value never meets the cipher that sealed it.
      runOnAllThreads(t -> {
        int source = (t + 1) % THREADS;
        for (int i = 0; i < SEALS_PER_THREAD; i++) {
          if (!plaintext(source, i).equals(key.decrypt(column, sealed[source][i]))) {
            wrong.incrementAndGet();
          }
        }
      });
      long end = System.nanoTime();
      System.out.printf("ConcurrentSealTest: %d seals in %d ms, %d opens in %d ms (%d threads, %d cores)%n",
          THREADS * SEALS_PER_THREAD, (sealedAt - start) / 1_000_000, THREADS * SEALS_PER_THREAD,
          (end - sealedAt) / 1_000_000, THREADS, Runtime.getRuntime().availableProcessors());

      assertThat(repeats.get()).isZero();
      assertThat(nonces).hasSize(THREADS * SEALS_PER_THREAD);
      assertThat(wrong.get()).isZero();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void newRowKey_sixteenThreads_noDataKeyOrWrapNonceRepeatsAndEveryKeyOpens() throws Exception {
    EncryptedColumn column = cards.column("card_number");
    int wrapNonceOffset = 3 + "local:k1".length();
    Set<String> dataKeys = ConcurrentHashMap.newKeySet();
    Set<Nonce> wrapNonces = ConcurrentHashMap.newKeySet();
    byte[][][] companions = new byte[THREADS][ROW_KEYS_PER_THREAD][];
    byte[][][] values = new byte[THREADS][ROW_KEYS_PER_THREAD][];

    runOnAllThreads(t -> {
      for (int i = 0; i < ROW_KEYS_PER_THREAD; i++) {
        try (RowKey key = rowSeal.newRowKey(cards, RowId.of(rowId(t, i)))) {
          byte[] dek = key.dataKeyBytes();
          dataKeys.add(java.util.HexFormat.of().formatHex(dek));
          java.util.Arrays.fill(dek, (byte) 0);
          companions[t][i] = key.companion();
          wrapNonces.add(Nonce.of(companions[t][i], wrapNonceOffset));
          values[t][i] = key.encryptBinary(column, plaintext(t, i));
        }
      }
    });
    AtomicLong wrong = new AtomicLong();
    runOnAllThreads(t -> {
      int source = (t + 1) % THREADS;
      for (int i = 0; i < ROW_KEYS_PER_THREAD; i++) {
        try (RowKey key = rowSeal.openRowKey(cards, RowId.of(rowId(source, i)), companions[source][i])) {
          if (!plaintext(source, i).equals(key.decrypt(column, values[source][i]))) {
            wrong.incrementAndGet();
          }
        }
      }
    });

    assertThat(dataKeys).hasSize(THREADS * ROW_KEYS_PER_THREAD);
    assertThat(wrapNonces).hasSize(THREADS * ROW_KEYS_PER_THREAD);
    assertThat(wrong.get()).isZero();
  }

  private static String plaintext(int thread, int i) {
    return "v" + thread + "-" + i;
  }

  private static long rowId(int thread, int i) {
    return (long) thread * 1_000_000 + i;
  }

  private interface PerThread {
    void run(int thread) throws Exception;
  }

  /** Runs {@code task} on every pool thread at once, and rethrows the first failure. */
  private void runOnAllThreads(PerThread task) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        ready.countDown();
        go.await();
        task.run(thread);
        return null;
      }));
    }
    ready.await();
    go.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
  }
}
