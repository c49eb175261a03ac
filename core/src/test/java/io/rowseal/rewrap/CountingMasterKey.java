package io.rowseal.rewrap;

import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** A real master key that counts every operation made with it, to check what a job costs in key operations. */
final class CountingMasterKey implements MasterKey {
  private final MasterKey delegate;
  final AtomicLong wraps = new AtomicLong();
  final AtomicLong unwraps = new AtomicLong();
  final AtomicLong rewrapsFrom = new AtomicLong();

  CountingMasterKey(MasterKey delegate) {
    this.delegate = delegate;
  }

  long operations() {
    return wraps.get() + unwraps.get() + rewrapsFrom.get();
  }

  void reset() {
    wraps.set(0);
    unwraps.set(0);
    rewrapsFrom.set(0);
  }

  @Override
  public KeyRef ref() {
    return delegate.ref();
  }

  @Override
  public byte[] wrap(DataKey dataKey, WrapContext context) {
    wraps.incrementAndGet();
    return delegate.wrap(dataKey, context);
  }

  @Override
  public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
    unwraps.incrementAndGet();
    return delegate.unwrap(wrappedKey, context);
  }

  @Override
  public byte @Nullable [] rewrapFrom(MasterKey source, byte[] wrappedKey, WrapContext context) {
    rewrapsFrom.incrementAndGet();
    return delegate.rewrapFrom(source, wrappedKey, context);
  }

  @Override
  public String toString() {
    return "CountingMasterKey[" + delegate.ref() + "]";
  }
}
