package io.rowseal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import org.junit.jupiter.api.Test;

/** A closed row key refuses all use, so a job that closes too early fails instead of wrapping zeroes. */
class RowKeyCloseTest {
  private final EncryptedTable cards =
      EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();
  private final AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));
  private final AesGcmMasterKey k2 = AesGcmMasterKey.of(KeyRef.of("local:k2"), Randomness.nextBytes(32));

  @Test
  void encrypt_afterClose_throwsIllegalState() {
    RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(cards).build();
    RowKey key = rowSeal.newRowKey(cards, RowId.of(1));
    key.close();

    assertThatThrownBy(() -> key.encryptBinary(cards.column("card_number"), "4111"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rewrap_afterClose_throwsIllegalStateInsteadOfWrappingZeroes() {
    RowSeal old = RowSeal.builder().keyRing(KeyRing.of(k1, k2)).table(cards).build();
    RowSeal rotated = RowSeal.builder().keyRing(KeyRing.of(k2, k1)).table(cards).build();
    RowKey key = old.newRowKey(cards, RowId.of(1));
    key.close();

    assertThatThrownBy(() -> rotated.rewrap(key)).isInstanceOf(IllegalStateException.class);
  }
}
