package io.rowseal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.CountingMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RowSeal#opensKeysInProcess()}: true only when no row's key can wait on anything outside the process, since
 * the JDBC wrapper then lets the application's thread decrypt rows queued for its workers.
 */
class OpensKeysInProcessTest {
  private final EncryptedTable cards =
      EncryptedTable.builder("cards").idColumns("id").column("pan", String.class).build();

  private static AesGcmMasterKey keystoreKey(String name) {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return AesGcmMasterKey.of(KeyRef.of("local:" + name), bytes);
  }

  private boolean opensInProcess(KeyRing ring) {
    return RowSeal.builder().keyRing(ring).table(cards).build().opensKeysInProcess();
  }

  @Test
  void directMode_keystoreKeysOnly_true() {
    assertThat(opensInProcess(KeyRing.of(keystoreKey("k2"), keystoreKey("k1")))).isTrue();
  }

  @Test
  void directMode_anyKmsKeyInTheRing_falseEvenWhenNotActive() {
    CountingMasterKey kms = CountingMasterKey.remote("aws-kms:arn:aws:kms:us-east-1:111122223333:key/old");
    assertThat(opensInProcess(KeyRing.of(kms))).isFalse();
    assertThat(opensInProcess(KeyRing.of(keystoreKey("k2"), kms))).isFalse(); // old rows still open through the KMS
  }
}
