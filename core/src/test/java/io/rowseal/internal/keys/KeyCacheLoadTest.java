package io.rowseal.internal.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.key.DataKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Loads run outside the cache's locks: a slow load (a KMS call) of one key blocks neither other keys nor
 * the map, and concurrent misses on one key share its single load, failure included. Latches, no timing:
 * the futures' timeouts are hang guards.
 */
class KeyCacheLoadTest {
  private final KeyCache<Integer> cache = new KeyCache<>("rowseal.dek", Duration.ofMinutes(5), 10_000, null);

  @Test
  void acquire_slowLoadInFlight_everyOtherKeyLoadsMeanwhile_sameKeyWaitsForTheOneLoad() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slowLoads = new AtomicInteger();
    DataKey slowKey = DataKey.generate();
    CompletableFuture<SharedKey> slow = CompletableFuture.supplyAsync(() -> cache.acquire(0, k -> {
      slowLoads.incrementAndGet();
      loading.countDown();
      await(release);
      return slowKey;
    }));
    assertThat(loading.await(60, TimeUnit.SECONDS)).isTrue();

    // Other keys load and are used while key 0 loads: among them k << 28, which share key 0's hash bin in
    // the cache's map (a load inside the map's compute would hold that bin's lock: these would wait).
    CompletableFuture.runAsync(() -> {
      for (int k = 1; k <= 7; k++) {
        cache.acquire(k << 28, x -> DataKey.generate()).release();
      }
      for (int k = 1; k <= 1_000; k++) {
        cache.acquire(k, x -> DataKey.generate()).release();
      }
    }).get(60, TimeUnit.SECONDS);
    List<CompletableFuture<SharedKey>> waiters = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      waiters.add(CompletableFuture.supplyAsync(() -> cache.acquire(0, k -> {
        slowLoads.incrementAndGet();
        return DataKey.generate();
      })));
    }
    assertThat(slow).isNotDone();
    release.countDown();

    SharedKey first = slow.get(60, TimeUnit.SECONDS);
    for (CompletableFuture<SharedKey> w : waiters) {
      assertThat(w.get(60, TimeUnit.SECONDS)).isSameAs(first);
      w.get().release();
    }
    first.release();
    assertThat(slowLoads).as("one load for nine concurrent misses").hasValue(1);
    cache.invalidateAll();
    assertThat(KeyCacheExpiryTest.zeroed(slowKey)).as("zeroed when removed and no longer used").isTrue();
  }

  @Test
  void acquire_loadFails_waitersGetTheFailure_nothingCached_nextCallLoadsAgain() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<SharedKey> failing = CompletableFuture.supplyAsync(() -> cache.acquire(7, k -> {
      loads.incrementAndGet();
      loading.countDown();
      await(release);
      throw new KeyUnavailableException("KMS unavailable (test)");
    }));
    assertThat(loading.await(60, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<SharedKey> waiter = CompletableFuture.supplyAsync(() -> cache.acquire(7, k -> {
      loads.incrementAndGet();
      throw new KeyUnavailableException("KMS unavailable (test, second load)");
    }));
    release.countDown();

    for (CompletableFuture<SharedKey> f : List.of(failing, waiter)) {
      Throwable thrown = null;
      try {
        f.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        thrown = e.getCause();
      }
      assertThat(thrown).isInstanceOf(KeyUnavailableException.class).hasMessageContaining("KMS unavailable");
    }
    // The waiter joined the failed load, or (if it came after the failure was removed) loaded on its own.
    assertThat(loads.get()).isBetween(1, 2);

    byte[] fresh = DataKey.generate().copyOfBytes();
    SharedKey again = cache.acquire(7, k -> DataKey.copyOf(fresh));
    assertThat(again.key().copyOfBytes()).as("the failure was not cached: a new load").isEqualTo(fresh);
    again.release();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(60, TimeUnit.SECONDS)).as("hang guard").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
