package io.rowseal.internal.keys;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.key.DataKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 * - One load for N concurrent misses on the same key, and no load inside the map's lock: the cache holds
 *   futures (AsyncCache). The first caller to miss puts an incomplete future (inside the map's compute,
 *   which only allocates it) and then runs the loader on its own thread, outside any lock; the other
 *   callers for that key wait on the future, so 50 threads opening one cold row make one KMS call, and a
 *   KMS call that takes seconds blocks neither other keys nor the map (a synchronous Cache.get would run
 *   the loader inside ConcurrentHashMap.compute, holding the lock of the key's bin, so unrelated keys in
 *   that bin would wait for the KMS too). A loader that throws fails the future, which Caffeine removes:
 *   "cannot unwrap" is never cached, and the callers that waited for that load get the same failure
 *   instead of each retrying the KMS in turn. Expiry counts from the moment the load completes.
 * - Zeroing on eviction: the removal listener runs for every removal (size, expiry, explicit; for an entry
 *   removed while still loading, when its load completes) and evicts the SharedKey, which zeroes its bytes once no thread is using it. Callers get the key through
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
  private final AsyncCache<K, SharedKey> cache;

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
        .buildAsync();
    if (registry != null) {
      CaffeineCacheMetrics.monitor(registry, cache.synchronous(), name);
    }
  }

  /**
   * The cached key for {@code key}, acquired for one operation (call {@link SharedKey#release()} after),
   * loading it with {@code loader} on a miss; concurrent misses on one key share one load, which runs on
   * the first caller's thread outside the cache's locks. Exceptions from the loader propagate (to every
   * caller that waited for that load) and nothing is cached.
   *
   * @throws KeyUnavailableException if the thread is interrupted while waiting for another caller's load
   */
  public SharedKey acquire(K key, Function<K, DataKey> loader) {
    while (true) {
      CompletableFuture<SharedKey> mine = new CompletableFuture<>();
      CompletableFuture<SharedKey> future = cache.get(key, (k, executor) -> mine);
      if (future == mine) {
        load(key, loader, mine);
      }
      SharedKey shared = await(future);
      if (shared.acquire()) {
        return shared;
      }
      // Evicted between lookup and use (expiry or size): it has left the map already, or is leaving.
      cache.asMap().remove(key, future);
    }
  }

  private static <K> void load(K key, Function<K, DataKey> loader, CompletableFuture<SharedKey> future) {
    DataKey loaded;
    try {
      loaded = loader.apply(key);
    } catch (RuntimeException | Error e) {
      future.completeExceptionally(e); // Caffeine removes a failed future: nothing is cached
      throw e;
    }
    future.complete(new SharedKey(loaded));
  }

  private static SharedKey await(CompletableFuture<SharedKey> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyUnavailableException("interrupted while waiting for another thread to unwrap the same key", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new KeyUnavailableException("unwrapping the key failed", cause);
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
      cache.put(key, CompletableFuture.completedFuture(new SharedKey(DataKey.copyOf(bytes))));
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Removes every entry, zeroing each key once unused. */
  public void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  /** The number of cached keys (approximate). */
  public long size() {
    return cache.synchronous().estimatedSize();
  }

  @Override
  public String toString() {
    return "KeyCache[size=" + cache.synchronous().estimatedSize() + "]";
  }
}
