package io.rowseal.key.kek;

import io.rowseal.internal.keys.SharedKey;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import java.util.UUID;

/**
 * A KEK as a master key ({@code kek:<uuid>}): wraps and unwraps data keys exactly as a local keystore key
 * does ({@link AesGcmMasterKey}), with the KEK's bytes taken from the KEK cache for each operation.
 */
final class KekMasterKey implements MasterKey {
  private final KekHierarchy owner;
  private final KeyRef ref;
  private final UUID id;

  KekMasterKey(KekHierarchy owner, KeyRef ref, UUID id) {
    this.owner = owner;
    this.ref = ref;
    this.id = id;
  }

  @Override
  public KeyRef ref() {
    return ref;
  }

  @Override
  public boolean isInProcess() {
    return true;
  }

  @Override
  public byte[] wrap(DataKey dataKey, WrapContext context) {
    SharedKey kek = owner.acquire(id, ref);
    try {
      return AesGcmMasterKey.of(ref, kek.key()).wrap(dataKey, context);
    } finally {
      kek.release();
    }
  }

  @Override
  public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
    SharedKey kek = owner.acquire(id, ref);
    try {
      return AesGcmMasterKey.of(ref, kek.key()).unwrap(wrappedKey, context);
    } finally {
      kek.release();
    }
  }

  @Override
  public String toString() {
    return "KekMasterKey[" + ref + "]";
  }
}
