package io.rowseal.jdbc.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one wrapped data source decrypts prefetched rows on ({@code rowseal.jdbc.decrypt-parallelism}):
 * at most {@link #threads()} daemon threads named {@code rowseal-decrypt-<pool>-<n>}, shared by all its result
 * sets, each idle thread ending after {@value #IDLE_SECONDS} s, so a data source that stops reading holds no
 * thread and one that is dropped leaks none. Tasks never touch a JDBC object: they decrypt bytes the
 * application's thread read. Thread-safe.
 */
final class DecryptPool {
  static final int IDLE_SECONDS = 30;
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final int threads;
  private final String namePrefix;
  private final ThreadPoolExecutor executor;

  DecryptPool(int threads) {
    this.threads = threads;
    this.namePrefix = "rowseal-decrypt-" + POOLS.incrementAndGet() + "-";
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, namePrefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    // Unbounded queue: what is queued is bounded by the open result sets, each with at most
    // ParallelRows.maxChunks(threads) chunks in flight.
    this.executor = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        factory);
    executor.allowCoreThreadTimeOut(true);
  }

  int threads() {
    return threads;
  }

  /** The names of this pool's threads start with this. */
  String namePrefix() {
    return namePrefix;
  }

  void execute(Runnable task) {
    executor.execute(task);
  }

  /** Tasks running now (for tests: zero once every result set is closed and its chunks drained). */
  int running() {
    return executor.getActiveCount();
  }

  /** Tasks waiting for a thread. */
  int queued() {
    return executor.getQueue().size();
  }

  @Override
  public String toString() {
    return "DecryptPool[threads=" + threads + "]";
  }
}
