package io.rowseal.internal.keys;

import io.rowseal.key.DataKey;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An unwrapped key held by a cache and used by several threads at once. Eviction must zero the key, but
 * a thread may be in the middle of a wrap with it; so users {@link #acquire()} it for the duration of an
 * operation and {@link #release()} it after, and the bytes are zeroed when it has been {@link #evict()
 * evicted} and the last user is done. A key that was evicted cannot be acquired again: the caller loads
 * a fresh one. Lock-free: one compare-and-set to acquire, one atomic decrement to release.
 */
public final class SharedKey {
  private static final int EVICTED = 1 << 30;

  private final DataKey key;
  /** Number of current users, plus {@link #EVICTED} once evicted. */
  private final AtomicInteger state = new AtomicInteger();

  public SharedKey(DataKey key) {
    this.key = key;
  }

  /** Takes the key for one operation; false if it was evicted (load a fresh one then). */
  public boolean acquire() {
    while (true) {
      int s = state.get();
      if ((s & EVICTED) != 0) {
        return false;
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  /** Ends an operation begun with a successful {@link #acquire()}. */
  public void release() {
    if (state.decrementAndGet() == EVICTED) {
      key.destroy();
    }
  }

  /** Marks the key evicted; it is zeroed now if nobody holds it, else when the last user releases it. */
  public void evict() {
    while (true) {
      int s = state.get();
      if ((s & EVICTED) != 0) {
        return;
      }
      if (state.compareAndSet(s, s | EVICTED)) {
        if (s == 0) {
          key.destroy();
        }
        return;
      }
    }
  }

  /** The key itself, for use between {@link #acquire()} and {@link #release()} only. */
  public DataKey key() {
    return key;
  }

  @Override
  public String toString() {
    return "SharedKey[bytes redacted]";
  }
}
