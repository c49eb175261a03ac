package io.rowseal.key;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local master key that counts its calls and can pretend to live outside the process (as a KMS
 * key does), so tests can see how often RowSeal goes to the master key.
 */
public final class CountingMasterKey implements MasterKey {
  private final AesGcmMasterKey key;
  private final boolean inProcess;
  public final AtomicInteger wraps = new AtomicInteger();
  public final AtomicInteger unwraps = new AtomicInteger();
  public volatile boolean unreachable;

  private CountingMasterKey(AesGcmMasterKey key, boolean inProcess) {
    this.key = key;
    this.inProcess = inProcess;
  }

  /** A key that RowSeal treats as remote (its unwrapped data keys are cached). */
  public static CountingMasterKey remote(String ref) {
    return new CountingMasterKey(AesGcmMasterKey.of(KeyRef.of(ref), io.rowseal.internal.Randomness.nextBytes(32)), false);
  }

  public int calls() {
    return wraps.get() + unwraps.get();
  }

  @Override
  public KeyRef ref() {
    return key.ref();
  }

  @Override
  public boolean isInProcess() {
    return inProcess;
  }

  @Override
  public byte[] wrap(DataKey dataKey, WrapContext context) {
    wraps.incrementAndGet();
    check();
    return key.wrap(dataKey, context);
  }

  @Override
  public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
    unwraps.incrementAndGet();
    check();
    try {
      Thread.sleep(2); // a remote call takes time: lets concurrent misses overlap
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return key.unwrap(wrappedKey, context);
  }

  private void check() {
    if (unreachable) {
      throw new io.rowseal.KeyUnavailableException("key " + ref() + " is unreachable (test outage)");
    }
  }
}
