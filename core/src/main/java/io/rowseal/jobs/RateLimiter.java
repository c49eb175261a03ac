package io.rowseal.jobs;

/**
 * A token bucket holding at most one second's worth of permits (at least one), refilled at a fixed
 * rate, shared by every worker of a job. Thread-safe.
 */
final class RateLimiter {
  private final double permitsPerNano;
  private final double capacity;
  private double tokens;
  private long lastRefill;

  RateLimiter(double permitsPerSecond) {
    this.permitsPerNano = permitsPerSecond / 1e9;
    this.capacity = Math.max(1.0, permitsPerSecond);
    // Start empty: a job that starts many workers at once must not burst a KMS quota at start.
    this.tokens = 0;
    this.lastRefill = System.nanoTime();
  }

  /** Takes one permit, sleeping until one is available. */
  void acquire() throws InterruptedException {
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(capacity, tokens + (now - lastRefill) * permitsPerNano);
      lastRefill = now;
      tokens -= 1; // may go negative: the debt is this caller's wait, and later callers queue behind it
      waitNanos = tokens >= 0 ? 0 : (long) Math.ceil(-tokens / permitsPerNano);
    }
    if (waitNanos > 0) {
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
  }
}
