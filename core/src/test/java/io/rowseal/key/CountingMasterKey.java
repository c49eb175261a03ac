package io.rowseal.key;

import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.internal.Randomness;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A real master key that counts every operation made with it, to check what RowSeal or a job costs in
 * master-key calls; {@link #remote} makes one that RowSeal treats as outside the process (as a KMS key:
 * its data keys are cached, its unwraps take a little time) and that a test can make unreachable.
 */
public final class CountingMasterKey implements MasterKey {
  private final MasterKey delegate;
  private final boolean remote;
  public final AtomicLong wraps = new AtomicLong();
  public final AtomicLong unwraps = new AtomicLong();
  public final AtomicLong rewrapsFrom = new AtomicLong();
  public volatile boolean unreachable;

  private CountingMasterKey(MasterKey delegate, boolean remote) {
    this.delegate = delegate;
    this.remote = remote;
  }

  /** Counts the operations of {@code delegate}, which it otherwise behaves as. */
  public CountingMasterKey(MasterKey delegate) {
    this(delegate, false);
  }

  /** A random key named {@code ref} that RowSeal treats as remote. */
  public static CountingMasterKey remote(String ref) {
    return new CountingMasterKey(AesGcmMasterKey.of(KeyRef.of(ref), Randomness.nextBytes(32)), true);
  }

  public long operations() {
    return wraps.get() + unwraps.get() + rewrapsFrom.get();
  }

  public void reset() {
    wraps.set(0);
    unwraps.set(0);
    rewrapsFrom.set(0);
  }

  @Override
  public KeyRef ref() {
    return delegate.ref();
  }

  @Override
  public boolean isInProcess() {
    return !remote && delegate.isInProcess();
  }

  @Override
  public byte[] wrap(DataKey dataKey, WrapContext context) {
    wraps.incrementAndGet();
    check();
    return delegate.wrap(dataKey, context);
  }

  @Override
  public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
    unwraps.incrementAndGet();
    check();
    if (remote) {
      try {
        Thread.sleep(2); // a remote call takes time: lets concurrent misses overlap
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return delegate.unwrap(wrappedKey, context);
  }

  @Override
  public byte @Nullable [] rewrapFrom(MasterKey source, byte[] wrappedKey, WrapContext context) {
    rewrapsFrom.incrementAndGet();
    return delegate.rewrapFrom(source, wrappedKey, context);
  }

  private void check() {
    if (unreachable) {
      throw new KeyUnavailableException("key " + ref() + " is unreachable (test outage)");
    }
  }

  @Override
  public String toString() {
    return "CountingMasterKey[" + delegate.ref() + "]";
  }
}
