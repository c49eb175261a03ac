package io.rowseal.spring.internal;

import io.rowseal.RowSeal;
import io.rowseal.key.KeyRef;
import io.rowseal.key.MasterKey;
import io.rowseal.key.awskms.AwsKmsMasterKey;

/** The KMS half of {@link KeyRingCheck}, in a class of its own so that the AWS SDK loads only when a KMS key is configured. */
final class KmsKeyCheck {
  private KmsKeyCheck() {}

  static KeyRingCheck.KeyResult check(RowSeal rowSeal, KeyRef ref) {
    MasterKey key = rowSeal.keyRing().find(ref);
    if (!(key instanceof AwsKmsMasterKey)) {
      return new KeyRingCheck.KeyResult(ref.toString(), true, "in memory");
    }
    try {
      String state = ((AwsKmsMasterKey) key).keyState();
      return new KeyRingCheck.KeyResult(ref.toString(), "Enabled".equals(state), state);
    } catch (RuntimeException e) {
      return new KeyRingCheck.KeyResult(ref.toString(), false, String.valueOf(e.getMessage()));
    }
  }
}
