package io.rowseal.internal.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.rowseal.key.DataKey;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/*
 * Why Caffeine, and how the keys stay safe in it.
 *
 * - Bounded in size and time (expireAfterWrite): an unwrapped key stays in memory at most the
 *   configured time, however often it is used, and the cache never grows past its maximum.
 * - Expiry without traffic: Caffeine removes expired entries only during its maintenance, which runs
 *   on reads and writes; an idle cache would keep an expired key (unzeroed) until the next access. A
 *   Scheduler runs that maintenance when the next entry is due, so an idle cache zeroes an expired key
 *   at its time to live plus Caffeine's pacing tolerance (about one second). We use
 *   Scheduler.systemScheduler(): the JDK's one shared daemon delay thread (CompletableFuture's), so
 *   RowSeal starts no thread of its own and has nothing to shut down, however many caches or RowSeal
 *   instances a process builds. With the same-thread executor below, the scheduled maintenance runs on
 *   that thread; it only unlinks entries and fills a few 32-byte arrays, so it holds it for microseconds.
 * - One load for N concurrent misses on the same key: Cache.get(key, loader) runs the loader once per
 *   key while the other callers wait for its result, so 50 threads opening one cold row make one KMS
 *   call. A loader that throws caches nothing, so "cannot unwrap" is never cached.
 * - Zeroing on eviction: the removal listener runs for every removal (size, expiry, explicit) and
 *   evicts the SharedKey, which zeroes its bytes once no thread is using it. Callers get the key through
 *   SharedKey.acquire()/copy(), so a key being zeroed is never used half-way: they load it again.
 * - Metrics through Micrometer's CaffeineCacheMetrics (cache.gets{result=hit|miss}, cache.evictions,
 *   cache.size), tagged with the cache's name; they count keys, never hold them.
 */

/**
 * A bounded, time-limited cache of unwrapped keys, keyed by what identifies a wrap (the wrapped bytes
 * and the context they were wrapped for). Thread-safe.
 *
 * @param <K> the cache key: must have value semantics ({@link ByteKey} for byte arrays)
 */
public final class KeyCache<K> {
  private final Cache<K, SharedKey> cache;

  public KeyCache(String name, Duration timeToLive, long maximumSize, @Nullable MeterRegistry registry) {
    this(name, timeToLive, maximumSize, registry, Ticker.systemTicker(), Scheduler.systemScheduler());
  }

  /**
   * A cache reading time from {@code ticker} and running expiry through {@code scheduler}; tests pass a
   * fake ticker and a scheduler that records the tasks it is given, and run them at the time they choose.
   */
  public KeyCache(String name, Duration timeToLive, long maximumSize, @Nullable MeterRegistry registry,
      Ticker ticker, Scheduler scheduler) {
    if (timeToLive.isNegative() || timeToLive.isZero()) {
      throw new IllegalArgumentException(name + " cache time to live must be positive, was " + timeToLive);
    }
    if (maximumSize <= 0) {
      throw new IllegalArgumentException(name + " cache maximum size must be positive, was " + maximumSize);
    }
    Caffeine<Object, Object> builder = Caffeine.newBuilder()
        .expireAfterWrite(timeToLive)
        .maximumSize(maximumSize)
        .ticker(ticker)
        .scheduler(scheduler)
        // Removal listeners run on the calling thread, so an evicted key is zeroed at once, not whenever
        // a pool thread gets to it.
        .executor(Runnable::run);
    if (registry != null) {
      builder.recordStats();
    }
    this.cache = builder
        .<K, SharedKey>removalListener((K k, SharedKey v, RemovalCause cause) -> {
          if (v != null) {
            v.evict();
          }
        })
        .build();
    if (registry != null) {
      CaffeineCacheMetrics.monitor(registry, cache, name);
    }
  }

  /**
   * The cached key for {@code key}, acquired for one operation (call {@link SharedKey#release()} after),
   * loading it with {@code loader} on a miss; concurrent misses on one key share one load. Exceptions
   * from the loader propagate and nothing is cached.
   */
  public SharedKey acquire(K key, Function<K, DataKey> loader) {
    while (true) {
      SharedKey shared = cache.get(key, k -> new SharedKey(loader.apply(k)));
      if (shared.acquire()) {
        return shared;
      }
      // Evicted between lookup and use (expiry or size): it has left the map already, or is leaving.
      cache.asMap().remove(key, shared);
    }
  }

  /** A private copy of the cached key for {@code key}, loaded with {@code loader} on a miss. */
  public DataKey copy(K key, Function<K, DataKey> loader) {
    SharedKey shared = acquire(key, loader);
    try {
      byte[] bytes = shared.key().copyOfBytes();
      try {
        return DataKey.copyOf(bytes);
      } finally {
        java.util.Arrays.fill(bytes, (byte) 0);
      }
    } finally {
      shared.release();
    }
  }

  /** Caches a copy of {@code value} under {@code key} (a key just wrapped, so a read soon after hits). */
  public void put(K key, DataKey value) {
    byte[] bytes = value.copyOfBytes();
    try {
      cache.put(key, new SharedKey(DataKey.copyOf(bytes)));
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Removes every entry, zeroing each key once unused. */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  /** The number of cached keys (approximate). */
  public long size() {
    return cache.estimatedSize();
  }

  @Override
  public String toString() {
    return "KeyCache[size=" + cache.estimatedSize() + "]";
  }
}
