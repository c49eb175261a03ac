package io.rowseal.internal.keys;

import io.rowseal.internal.keys.KeyCache;
import io.rowseal.internal.keys.SharedKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.rowseal.key.DataKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Expiry of an idle cache: nothing reads or writes it after the key is cached, so only the scheduler can
 * remove (and zero) the key. Time is a fake ticker; the scheduler records its tasks and the test runs
 * each when the fake clock reaches its due time, as a real scheduler thread would.
 */
class KeyCacheExpiryTest {
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final long SCHEDULER_DELAY = TimeUnit.SECONDS.toNanos(1);

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingScheduler scheduler = new RecordingScheduler(ticker);
  private final KeyCache<String> cache = new KeyCache<>("rowseal.dek", TTL, 100, null, ticker, scheduler);
  private final AtomicInteger loads = new AtomicInteger();

  private SharedKey load(String id, DataKey key) {
    scheduler.watch(key);
    return cache.acquire(id, k -> {
      loads.incrementAndGet();
      return key;
    });
  }

  /** Whether {@code key} has been destroyed (zeroed). */
  static boolean zeroed(DataKey key) {
    try {
      key.copyOfBytes();
      return false;
    } catch (IllegalStateException destroyed) {
      return true;
    }
  }

  @Test
  void idleCache_keyExpires_zeroedByScheduler() {
    DataKey key = DataKey.generate();
    load("row-1", key).release();

    ticker.advance(TTL.toNanos() - 1);
    scheduler.runDue();
    assertThat(zeroed(key)).as("zeroed before its time to live").isFalse();

    scheduler.runUntil(TTL.toNanos() + SCHEDULER_DELAY);
    assertThat(zeroed(key)).as("zeroed within time to live + 1 s, with no access to the cache").isTrue();
    assertThat(cache.size()).isZero();
    assertThat(scheduler.zeroedAt(key)).isBetween(TTL.toNanos(), TTL.toNanos() + SCHEDULER_DELAY);
  }

  @Test
  void idleCache_keyInUseAtExpiry_zeroedOnRelease_nextUseLoadsFresh() {
    DataKey key = DataKey.generate();
    SharedKey inUse = load("row-1", key);

    scheduler.runUntil(TTL.toNanos() + SCHEDULER_DELAY);
    assertThat(cache.size()).as("expired entry left the cache").isZero();
    assertThat(zeroed(key)).as("a thread still uses it").isFalse();
    assertThat(inUse.key().copyOfBytes()).hasSize(DataKey.LENGTH);

    inUse.release();
    assertThat(zeroed(key)).isTrue();
    DataKey fresh = DataKey.generate();
    load("row-1", fresh).release();
    assertThat(loads).hasValue(2);
    assertThat(zeroed(fresh)).isFalse();
  }

  @Test
  void idleCache_keysCachedAtDifferentTimes_eachZeroedWithinItsOwnTimeToLive() {
    DataKey first = DataKey.generate();
    load("row-1", first).release();
    ticker.advance(TTL.toNanos() / 2);
    DataKey second = DataKey.generate();
    load("row-2", second).release();
    long secondCachedAt = ticker.read();

    scheduler.runUntil(TTL.toNanos() + SCHEDULER_DELAY);
    assertThat(zeroed(first)).isTrue();
    assertThat(zeroed(second)).isFalse();

    scheduler.runUntil(secondCachedAt + TTL.toNanos() + SCHEDULER_DELAY);
    assertThat(zeroed(second)).isTrue();
    assertThat(scheduler.zeroedAt(second) - secondCachedAt).isLessThanOrEqualTo(TTL.toNanos() + SCHEDULER_DELAY);
  }

  static final class FakeTicker implements Ticker {
    private long nanos;

    @Override
    public synchronized long read() {
      return nanos;
    }

    synchronized void advance(long delta) {
      nanos += delta;
    }

    synchronized void set(long value) {
      nanos = value;
    }
  }

  /** Records scheduled tasks; runs them on the test thread when the fake clock reaches their due time. */
  static final class RecordingScheduler implements Scheduler {
    private final FakeTicker ticker;
    private final List<Task> tasks = new ArrayList<>();

    RecordingScheduler(FakeTicker ticker) {
      this.ticker = ticker;
    }

    private record Task(long dueAt, Executor executor, Runnable command, CompletableFuture<Void> future) {}

    @Override
    public synchronized Future<?> schedule(Executor executor, Runnable command, long delay, TimeUnit unit) {
      Task task = new Task(ticker.read() + unit.toNanos(delay), executor, command, new CompletableFuture<>());
      tasks.add(task);
      return task.future();
    }

    /** Runs the tasks due now (and any they schedule that are due now too). */
    void runDue() {
      while (true) {
        Task next;
        synchronized (this) {
          next = tasks.stream()
              .filter(t -> !t.future().isCancelled() && t.dueAt() <= ticker.read())
              .min((a, b) -> Long.compare(a.dueAt(), b.dueAt()))
              .orElse(null);
          if (next == null) {
            return;
          }
          tasks.remove(next);
        }
        next.executor().execute(next.command());
        next.future().complete(null);
        noteZeroed();
      }
    }

    /** Moves the clock task by task up to {@code time}, running each when it falls due. */
    void runUntil(long time) {
      while (true) {
        runDue();
        long nextDue;
        synchronized (this) {
          nextDue = tasks.stream().filter(t -> !t.future().isCancelled()).mapToLong(Task::dueAt)
              .filter(d -> d <= time).min().orElse(Long.MAX_VALUE);
        }
        if (nextDue == Long.MAX_VALUE) {
          ticker.set(Math.max(ticker.read(), time));
          return;
        }
        ticker.set(Math.max(ticker.read(), nextDue));
      }
    }

    /** Watches {@code key}: after each task, notes the fake time at which it was first seen zeroed. */
    void watch(DataKey key) {
      watched.add(key);
    }

    /** The fake time of the scheduled run that zeroed {@code key}; -1 if none did. */
    long zeroedAt(DataKey key) {
      return zeroedTimes.getOrDefault(key, -1L);
    }

    private void noteZeroed() {
      for (DataKey key : watched) {
        if (!zeroedTimes.containsKey(key) && zeroed(key)) {
          zeroedTimes.put(key, ticker.read());
        }
      }
    }

    private final List<DataKey> watched = new ArrayList<>();
    private final java.util.IdentityHashMap<DataKey, Long> zeroedTimes = new java.util.IdentityHashMap<>();
  }
}
