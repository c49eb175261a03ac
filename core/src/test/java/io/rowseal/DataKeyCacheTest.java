package io.rowseal;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.KeyUnavailableException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rowseal.key.CountingMasterKey;
import io.rowseal.key.KeyRing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The cache of data keys unwrapped by a master key outside the process (a KMS). */
class DataKeyCacheTest {
  private final EncryptedTable cards = EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();
  private final CountingMasterKey kms = CountingMasterKey.remote("aws-kms:arn:aws:kms:us-east-1:111122223333:key/test");

  private RowSeal rowSeal(RowSeal.Builder b) {
    return b.keyRing(KeyRing.of(kms)).table(cards).build();
  }

  private static byte[][] row(RowSeal rowSeal, EncryptedTable t, long id, String value) {
    try (RowKey key = rowSeal.newRowKey(t, RowId.of(id))) {
      return new byte[][] {key.companion(), key.encryptBinary(t.column("card_number"), value)};
    }
  }

  private static String read(RowSeal rowSeal, EncryptedTable t, long id, byte[][] row) {
    try (RowKey key = rowSeal.openRowKey(t, RowId.of(id), row[0])) {
      return key.decrypt(t.column("card_number"), row[1], String.class);
    }
  }

  @Test
  void openRowKey_fiftyConcurrentColdReads_oneUnwrap() throws Exception {
    byte[][] stored = row(rowSeal(RowSeal.builder()), cards, 7, "4111111111111111");
    RowSeal reader = rowSeal(RowSeal.builder()); // a fresh process: cold cache
    int threads = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<String>> reads = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        reads.add(pool.submit(() -> {
          start.await();
          return read(reader, cards, 7, stored);
        }));
      }
      long before = kms.unwraps.get();
      start.countDown();
      for (Future<String> f : reads) {
        assertThat(f.get()).isEqualTo("4111111111111111");
      }
      assertThat(kms.unwraps.get() - before).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void newRowKey_thenRead_noUnwrap() {
    RowSeal rowSeal = rowSeal(RowSeal.builder());
    byte[][] stored = row(rowSeal, cards, 1, "a");
    assertThat(read(rowSeal, cards, 1, stored)).isEqualTo("a");
    assertThat(kms.unwraps.get()).isZero();
    assertThat(kms.wraps.get()).isEqualTo(1);
  }

  @Test
  void openRowKey_companionMovedToAnotherRow_missesAndFails() {
    RowSeal rowSeal = rowSeal(RowSeal.builder());
    byte[][] stored = row(rowSeal, cards, 1, "a");
    assertThat(read(rowSeal, cards, 1, stored)).isEqualTo("a"); // cached for row 1
    assertThatThrownBy(() -> read(rowSeal, cards, 2, stored))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("row 2")
        .hasMessageContaining(kms.ref().toString());
    assertThat(kms.unwraps.get()).isEqualTo(1);
  }

  @Test
  void openRowKey_unwrapFails_notCached() {
    byte[][] stored = row(rowSeal(RowSeal.builder()), cards, 1, "a");
    RowSeal reader = rowSeal(RowSeal.builder());
    kms.unreachable = true;
    assertThatThrownBy(() -> read(reader, cards, 1, stored)).isInstanceOf(KeyUnavailableException.class);
    assertThatThrownBy(() -> read(reader, cards, 1, stored)).isInstanceOf(KeyUnavailableException.class);
    assertThat(kms.unwraps.get()).isEqualTo(2);
    kms.unreachable = false;
    assertThat(read(reader, cards, 1, stored)).isEqualTo("a");
  }

  @Test
  void openRowKey_kmsOutage_cachedRowsStillRead_newWritesFail() {
    RowSeal rowSeal = rowSeal(RowSeal.builder());
    byte[][] stored = row(rowSeal, cards, 1, "a");
    kms.unreachable = true;
    assertThat(read(rowSeal, cards, 1, stored)).isEqualTo("a");
    assertThatThrownBy(() -> row(rowSeal, cards, 2, "b"))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(kms.ref().toString());
  }

  @Test
  void openRowKey_afterTimeToLive_unwrapsAgain() throws InterruptedException {
    RowSeal rowSeal = rowSeal(RowSeal.builder().dataKeyCache(Duration.ofMillis(50), 100));
    byte[][] stored = row(rowSeal, cards, 1, "a");
    Thread.sleep(150);
    assertThat(read(rowSeal, cards, 1, stored)).isEqualTo("a");
    assertThat(kms.unwraps.get()).isEqualTo(1);
  }

  @Test
  void openRowKey_noDataKeyCache_unwrapsEveryTime() {
    RowSeal rowSeal = rowSeal(RowSeal.builder().noDataKeyCache());
    byte[][] stored = row(rowSeal, cards, 1, "a");
    read(rowSeal, cards, 1, stored);
    read(rowSeal, cards, 1, stored);
    assertThat(kms.unwraps.get()).isEqualTo(2);
  }

  @Test
  void openRowKey_maximumSize_bounded() {
    RowSeal rowSeal = rowSeal(RowSeal.builder().dataKeyCache(Duration.ofMinutes(5), 10));
    List<byte[][]> rows = new ArrayList<>();
    for (long id = 1; id <= 100; id++) {
      rows.add(row(rowSeal, cards, id, "v" + id));
    }
    for (long id = 1; id <= 100; id++) {
      assertThat(read(rowSeal, cards, id, rows.get((int) id - 1))).isEqualTo("v" + id);
    }
    // At most 10 of the 100 fresh keys can still be cached; the others were evicted and unwrapped again.
    assertThat(kms.unwraps.get()).isGreaterThanOrEqualTo(90);
  }

  @Test
  void meterRegistry_countsHitsAndMisses() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    byte[][] stored = row(rowSeal(RowSeal.builder()), cards, 1, "a");
    RowSeal reader = rowSeal(RowSeal.builder().meterRegistry(registry));
    read(reader, cards, 1, stored);
    read(reader, cards, 1, stored);
    read(reader, cards, 1, stored);
    assertThat(registry.get("cache.gets").tag("cache", "rowseal.dek").tag("result", "miss").functionCounter().count()).isEqualTo(1.0);
    assertThat(registry.get("cache.gets").tag("cache", "rowseal.dek").tag("result", "hit").functionCounter().count()).isEqualTo(2.0);
  }

  @Test
  void dataKeyCache_invalidSettings_rejected() {
    assertThatThrownBy(() -> RowSeal.builder().dataKeyCache(Duration.ZERO, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeToLive");
    assertThatThrownBy(() -> RowSeal.builder().dataKeyCache(Duration.ofMinutes(1), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noDataKeyCache");
  }
}
