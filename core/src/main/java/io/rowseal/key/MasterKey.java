package io.rowseal.key;

import org.jspecify.annotations.Nullable;

/**
 * Wraps and unwraps data keys under one master key (a keystore entry, a KMS key, a KEK). The wrap is
 * bound to the {@link WrapContext}: unwrapping under any other context fails. Implementations are
 * thread-safe and never put key bytes, wrapped keys or credentials in exceptions or {@code toString()}.
 */
public interface MasterKey {
  /** The reference stored with every key this master key wraps. */
  KeyRef ref();

  /**
   * Wraps {@code dataKey} for {@code context}; returns the provider's wrapped bytes (without the
   * companion column header).
   *
   * @throws io.rowseal.errors.KeyUnavailableException if the key cannot be reached (a KMS outage)
   */
  byte[] wrap(DataKey dataKey, WrapContext context);

  /**
   * Unwraps bytes produced by {@link #wrap} for the same context.
   *
   * @throws io.rowseal.errors.DecryptionFailedException if they fail authentication or were wrapped for
   *     another context or key
   * @throws io.rowseal.errors.KeyUnavailableException if the key cannot be reached
   */
  DataKey unwrap(byte[] wrappedKey, WrapContext context);

  /**
   * Whether unwrapping happens in this process without I/O (a keystore entry, a KEK). RowSeal caches the
   * data keys only of master keys that are not in process: for the others a cache lookup costs as much
   * as the unwrap. The default is false.
   */
  default boolean isInProcess() {
    return false;
  }

  /**
   * Re-wraps a data key that {@code source} wrapped for {@code context} under this key without the data
   * key entering this process (AWS KMS {@code ReEncrypt}), or returns null when this key cannot do so for
   * {@code source}; the caller then unwraps with {@code source} and wraps with this key. The default
   * returns null.
   *
   * @throws io.rowseal.errors.DecryptionFailedException if the wrapped key fails authentication
   * @throws io.rowseal.errors.KeyUnavailableException if either key cannot be reached
   */
  default byte @Nullable [] rewrapFrom(MasterKey source, byte[] wrappedKey, WrapContext context) {
    return null;
  }
}
