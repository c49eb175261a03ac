package io.rowseal.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.Randomness;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key ring: the active key wraps, every key unwraps the rows that name it, an unknown reference is an
 * error naming it, and rotation ({@link KeyRing#withActive} then {@link RowSeal#rewrap}) moves a row's data
 * key to the new key without touching its values.
 */
class KeyRingTest {
  private AesGcmMasterKey k1;
  private AesGcmMasterKey k2;
  private EncryptedTable cards;

  @BeforeEach
  void setUp() {
    k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));
    k2 = AesGcmMasterKey.of(KeyRef.of("local:k2"), Randomness.nextBytes(32));
    cards = EncryptedTable.builder("cards")
        .idColumns("id")
        .column("card_number", String.class)
        .column("holder", String.class, StorageForm.TEXT)
        .build();
  }

  private RowSeal rowSeal(KeyRing ring) {
    return RowSeal.builder().keyRing(ring).table(cards).build();
  }

  @Test
  void newRowKey_ringWithTwoKeys_wrapsWithActiveKey() {
    RowSeal rowSeal = rowSeal(KeyRing.of(k2, k1));

    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      assertThat(key.keyRef()).isEqualTo(k2.ref());
      assertThat(WrappedDataKey.decode(key.companion()).keyRef()).isEqualTo(k2.ref());
      // Only k2 can open it: the ring really used k2, not merely labelled the row with its name.
      rowSeal(KeyRing.of(k2)).openRowKey(cards, RowId.of(42), key.companion()).close();
    }
  }

  @Test
  void active_ofRing_isFirstArgument() {
    KeyRing ring = KeyRing.of(k2, k1);

    assertThat(ring.active()).isSameAs(k2);
    assertThat(ring.refs()).containsExactly(k2.ref(), k1.ref());
  }

  @Test
  void find_knownRef_returnsThatKey() {
    KeyRing ring = KeyRing.of(k1, k2);

    assertThat(ring.find(KeyRef.of("local:k1"))).isSameAs(k1);
    assertThat(ring.find(KeyRef.of("local:k2"))).isSameAs(k2);
    assertThat(ring.contains(KeyRef.of("local:k2"))).isTrue();
  }

  @Test
  void find_unknownRef_throwsKeyUnavailableNamingRef() {
    KeyRing ring = KeyRing.of(k1, k2);

    assertThatThrownBy(() -> ring.find(KeyRef.of("local:k3")))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("local:k3");
    assertThat(ring.contains(KeyRef.of("local:k3"))).isFalse();
  }

  @Test
  void openRowKey_companionUnderKeyMissingFromRing_throwsKeyUnavailableNamingRef() {
    byte[] companion;
    try (RowKey key = rowSeal(KeyRing.of(k2)).newRowKey(cards, RowId.of(42))) {
      companion = key.companion();
    }

    assertThatThrownBy(() -> rowSeal(KeyRing.of(k1)).openRowKey(cards, RowId.of(42), companion))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll("local:k2", "cards", "42");
  }

  @Test
  void openRowKey_companionRelabelledToOtherKeyInRing_failsRatherThanTryingEveryKey() {
    byte[] companion;
    try (RowKey key = rowSeal(KeyRing.of(k1)).newRowKey(cards, RowId.of(42))) {
      companion = key.companion();
    }
    companion[10] = '2';  // "local:k1" -> "local:k2": same length, names a key that is in the ring

    assertThatThrownBy(() -> rowSeal(KeyRing.of(k1, k2)).openRowKey(cards, RowId.of(42), companion))
        .isInstanceOf(io.rowseal.errors.DecryptionFailedException.class)
        .hasMessageContaining("local:k2");
  }

  @Test
  void of_twoKeysSharingRef_throwsIllegalArgument() {
    AesGcmMasterKey otherK1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));

    assertThatThrownBy(() -> KeyRing.of(k1, k2, otherK1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("local:k1");
  }

  @Test
  void of_activeAlsoListedAmongKeys_keepsOneEntry() {
    KeyRing ring = KeyRing.of(k1, List.of(k1, k2));

    assertThat(ring.refs()).containsExactly(k1.ref(), k2.ref());
  }

  @Test
  void withActive_newKey_wrapsNewRowsWithIt() {
    KeyRing rotated = KeyRing.of(k1).withActive(k2);

    try (RowKey key = rowSeal(rotated).newRowKey(cards, RowId.of(42))) {
      assertThat(rotated.active()).isSameAs(k2);
      assertThat(key.keyRef()).isEqualTo(k2.ref());
    }
  }

  @Test
  void withActive_newKey_oldRowsStillOpen() {
    byte[] companion;
    byte[] value;
    try (RowKey key = rowSeal(KeyRing.of(k1)).newRowKey(cards, RowId.of(42))) {
      companion = key.companion();
      value = key.encryptBinary(cards.column("card_number"), "4111111111111111");
    }
    KeyRing rotated = KeyRing.of(k1).withActive(k2);

    try (RowKey key = rowSeal(rotated).openRowKey(cards, RowId.of(42), companion)) {
      assertThat(rotated.refs()).containsExactly(k2.ref(), k1.ref());
      assertThat(key.keyRef()).isEqualTo(k1.ref());
      assertThat(key.decrypt(cards.column("card_number"), value)).isEqualTo("4111111111111111");
    }
  }

  @Test
  void withActive_keyAlreadyInRing_switchesWithoutDuplicating() {
    KeyRing ring = KeyRing.of(k2, k1).withActive(k1);

    assertThat(ring.active()).isSameAs(k1);
    assertThat(ring.refs()).containsExactly(k1.ref(), k2.ref());
  }

  @Test
  void rewrap_rowUnderOldKey_movesDataKeyToActiveKeyAndOldValuesStillDecrypt() {
    byte[] oldCompanion;
    byte[] number;
    String holder;
    try (RowKey key = rowSeal(KeyRing.of(k1)).newRowKey(cards, RowId.of(42))) {
      oldCompanion = key.companion();
      number = key.encryptBinary(cards.column("card_number"), "4111111111111111");
      holder = (String) key.encrypt(cards.column("holder"), "Jane Doe");
    }
    RowSeal rotated = rowSeal(KeyRing.of(k1).withActive(k2));

    byte[] newCompanion;
    try (RowKey old = rotated.openRowKey(cards, RowId.of(42), oldCompanion);
        RowKey rewrapped = rotated.rewrap(old)) {
      assertThat(rewrapped.keyRef()).isEqualTo(k2.ref());
      assertThat(rewrapped.isRowBound()).isTrue();
      newCompanion = rewrapped.companion();
    }

    // Opened with a ring that no longer holds k1: the data columns were never rewritten.
    try (RowKey key = rowSeal(KeyRing.of(k2)).openRowKey(cards, RowId.of(42), newCompanion)) {
      assertThat(WrappedDataKey.decode(newCompanion).keyRef()).isEqualTo(k2.ref());
      assertThat(key.decrypt(cards.column("card_number"), number)).isEqualTo("4111111111111111");
      assertThat(key.decrypt(cards.column("holder"), holder)).isEqualTo("Jane Doe");
    }
  }

  @Test
  void rewrap_rewrappedCompanion_staysBoundToItsRow() {
    byte[] oldCompanion;
    try (RowKey key = rowSeal(KeyRing.of(k1)).newRowKey(cards, RowId.of(42))) {
      oldCompanion = key.companion();
    }
    RowSeal rotated = rowSeal(KeyRing.of(k1).withActive(k2));
    byte[] newCompanion;
    try (RowKey old = rotated.openRowKey(cards, RowId.of(42), oldCompanion); RowKey rewrapped = rotated.rewrap(old)) {
      newCompanion = rewrapped.companion();
    }

    assertThatThrownBy(() -> rotated.openRowKey(cards, RowId.of(43), newCompanion))
        .isInstanceOf(io.rowseal.errors.DecryptionFailedException.class);
  }

  @Test
  void rewrap_unboundRow_staysUnbound() {
    byte[] oldCompanion;
    byte[] number;
    try (RowKey key = rowSeal(KeyRing.of(k1)).newRowKey(cards, RowId.unbound())) {
      oldCompanion = key.companion();
      number = key.encryptBinary(cards.column("card_number"), "4111111111111111");
    }
    RowSeal rotated = rowSeal(KeyRing.of(k1).withActive(k2));
    byte[] newCompanion;
    // The job reads the row's real id, but an unbound row must stay unbound.
    try (RowKey old = rotated.openRowKey(cards, RowId.of(42), oldCompanion); RowKey rewrapped = rotated.rewrap(old)) {
      assertThat(rewrapped.isRowBound()).isFalse();
      newCompanion = rewrapped.companion();
    }

    try (RowKey key = rowSeal(KeyRing.of(k2)).openRowKey(cards, RowId.of(7), newCompanion)) {
      assertThat(WrappedDataKey.decode(newCompanion).isRowBound()).isFalse();
      assertThat(key.decrypt(cards.column("card_number"), number)).isEqualTo("4111111111111111");
    }
  }

  @Test
  void rewrap_rowAlreadyUnderActiveKey_returnsSameKey() {
    RowSeal rowSeal = rowSeal(KeyRing.of(k2, k1));

    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      assertThat(rowSeal.rewrap(key)).isSameAs(key);
    }
  }
}
