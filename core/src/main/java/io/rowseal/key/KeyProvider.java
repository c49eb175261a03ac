package io.rowseal.key;

/**
 * Where RowSeal gets the key that wraps each new data key and the key named by a stored reference: a
 * {@link KeyRing} of master keys (direct mode), or KEKs under a key ring (hierarchical mode, see
 * {@link io.rowseal.key.kek.KekStore}). Implementations are thread-safe.
 */
public interface KeyProvider {
  /**
   * The key that wraps the next new data key. Called once per wrap.
   *
   * @throws io.rowseal.errors.KeyUnavailableException if no key can be made active (a KMS outage)
   */
  MasterKey active();

  /**
   * The key named {@code ref}.
   *
   * @throws io.rowseal.errors.KeyUnavailableException if there is no such key or it cannot be reached
   */
  MasterKey find(KeyRef ref);
}
