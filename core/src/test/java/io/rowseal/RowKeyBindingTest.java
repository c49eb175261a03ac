package io.rowseal;

import io.rowseal.errors.DecryptionFailedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.WrapContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Values are bound to their table, column and (when row-bound) row; wrapped data keys to their table and
 * row. Moving either fails authentication even under the same data key, while logical names let a
 * renamed table or column keep reading its old rows.
 */
class RowKeyBindingTest {
  private static final String PAN = "4111111111111111";

  private AesGcmMasterKey master;
  private EncryptedTable cards;
  private EncryptedTable archive;
  private RowSeal rowSeal;

  @BeforeEach
  void setUp() {
    master = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));
    cards = cardsTable("cards");
    // Same physical layout and the same master key; only the (logical) table name differs.
    archive = cardsTable("cards_archive");
    rowSeal = RowSeal.builder().keyRing(KeyRing.of(master)).table(cards).table(archive).build();
  }

  private static EncryptedTable cardsTable(String name) {
    return EncryptedTable.builder(name)
        .idColumns("id")
        .column("card_number", String.class)
        .column("holder", String.class, StorageForm.TEXT)
        .column("cvv_hint", String.class)
        .build();
  }

  @Test
  void decrypt_valueInItsOwnPlace_returnsPlaintext() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42));
        RowKey reopened = rowSeal.openRowKey(cards, RowId.of(42), key.companion())) {
      byte[] sealed = key.encryptBinary(cards.column("card_number"), PAN);

      assertThat(reopened.decrypt(cards.column("card_number"), sealed)).isEqualTo(PAN);
    }
  }

  @Test
  void decrypt_valueMovedToOtherColumn_failsDecryption() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      byte[] sealed = key.encryptBinary(cards.column("card_number"), PAN);

      assertThatThrownBy(() -> key.decrypt(cards.column("cvv_hint"), sealed))
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessageContainingAll("cards", "cvv_hint", "42", "local:k1");
    }
  }

  @Test
  void decrypt_textValueMovedToBinaryColumn_failsDecryption() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      String sealed = (String) key.encrypt(cards.column("holder"), "Jane Doe");

      assertThatThrownBy(() -> key.decrypt(cards.column("card_number"), sealed))
          .isInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void decrypt_valueMovedToOtherTableUnderSameDataKey_failsDecryption() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42));
        RowKey sameDekInArchive = sameDataKey(key, archive, RowId.of(42));
        RowKey sameDekInCards = sameDataKey(key, cards, RowId.of(42))) {
      byte[] sealed = key.encryptBinary(cards.column("card_number"), PAN);
      assertThat(sameDekInCards.decrypt(cards.column("card_number"), sealed)).isEqualTo(PAN);

      assertThatThrownBy(() -> sameDekInArchive.decrypt(archive.column("card_number"), sealed))
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessageContainingAll("cards_archive", "card_number", "42");
    }
  }

  @Test
  void decrypt_valueMovedToOtherRowUnderSameDataKey_failsDecryption() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42));
        RowKey sameDekRow43 = sameDataKey(key, cards, RowId.of(43))) {
      byte[] sealed = key.encryptBinary(cards.column("card_number"), PAN);

      assertThatThrownBy(() -> sameDekRow43.decrypt(cards.column("card_number"), sealed))
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessageContainingAll("cards", "card_number", "43");
    }
  }

  @Test
  void decrypt_rowBoundValueUnderUnboundKeyWithSameDataKey_failsDecryption() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42));
        RowKey sameDekUnbound = sameDataKey(key, cards, RowId.unbound())) {
      byte[] sealed = key.encryptBinary(cards.column("card_number"), PAN);

      assertThatThrownBy(() -> sameDekUnbound.decrypt(cards.column("card_number"), sealed))
          .isInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void openRowKey_companionMovedToOtherRow_failsDecryption() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      byte[] companion = key.companion();

      assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(43), companion))
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessageContainingAll("cards", "43", "local:k1");
    }
  }

  @Test
  void openRowKey_companionMovedToOtherTable_failsDecryption() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      byte[] companion = key.companion();

      assertThatThrownBy(() -> rowSeal.openRowKey(archive, RowId.of(42), companion))
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessageContainingAll("cards_archive", "42", "local:k1");
    }
  }

  @Test
  void openRowKey_unboundCompanionWithAnyRowId_opensAndDecrypts() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.unbound())) {
      byte[] companion = key.companion();
      byte[] sealed = key.encryptBinary(cards.column("card_number"), PAN);
      String holder = (String) key.encrypt(cards.column("holder"), "Jane Doe");

      for (RowId id : new RowId[] {RowId.of(7), RowId.of(123456789L), RowId.of("AB-12"), RowId.unbound()}) {
        try (RowKey opened = rowSeal.openRowKey(cards, id, companion)) {
          assertThat(opened.isRowBound()).as("row %s", id).isFalse();
          assertThat(opened.decrypt(cards.column("card_number"), sealed)).as("row %s", id).isEqualTo(PAN);
          assertThat(opened.decrypt(cards.column("holder"), holder)).as("row %s", id).isEqualTo("Jane Doe");
        }
      }
    }
  }

  @Test
  void openRowKey_rowBoundCompanionWithUnboundRowId_failsDecryption() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      byte[] companion = key.companion();

      assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.unbound(), companion))
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessageContainingAll("cards", "local:k1");
    }
  }

  @Test
  void openRowKey_afterRenameWithOldLogicalNames_readsOldRows() {
    byte[] companion;
    byte[] number;
    String holder;
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      companion = key.companion();
      number = key.encryptBinary(cards.column("card_number"), PAN);
      holder = (String) key.encrypt(cards.column("holder"), "Jane Doe");
    }
    EncryptedTable renamed = EncryptedTable.builder("payment_cards")
        .logicalName("cards")
        .idColumns("id")
        .column("pan", String.class, StorageForm.BINARY, "card_number")
        .column("holder", String.class, StorageForm.TEXT)
        .build();
    RowSeal afterRename = RowSeal.builder().keyRing(KeyRing.of(master)).table(renamed).build();

    try (RowKey key = afterRename.openRowKey(renamed, RowId.of(42), companion)) {
      assertThat(key.decrypt(renamed.column("pan"), number)).isEqualTo(PAN);
      assertThat(key.decrypt(renamed.column("holder"), holder)).isEqualTo("Jane Doe");
    }
  }

  @Test
  void openRowKey_afterRenameWithoutLogicalName_failsDecryption() {
    byte[] companion;
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      companion = key.companion();
    }
    EncryptedTable renamed = cardsTable("payment_cards");
    RowSeal afterRename = RowSeal.builder().keyRing(KeyRing.of(master)).table(renamed).build();

    assertThatThrownBy(() -> afterRename.openRowKey(renamed, RowId.of(42), companion))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void decrypt_columnRenamedWithoutLogicalName_failsDecryption() {
    byte[] companion;
    byte[] number;
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      companion = key.companion();
      number = key.encryptBinary(cards.column("card_number"), PAN);
    }
    EncryptedTable renamed = EncryptedTable.builder("cards").idColumns("id").column("pan", String.class).build();
    RowSeal afterRename = RowSeal.builder().keyRing(KeyRing.of(master)).table(renamed).build();

    try (RowKey key = afterRename.openRowKey(renamed, RowId.of(42), companion)) {
      assertThatThrownBy(() -> key.decrypt(renamed.column("pan"), number))
          .isInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void openRowKey_physicalNamesDifferOnlyInCase_readsOldRows() {
    byte[] companion;
    byte[] number;
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      companion = key.companion();
      number = key.encryptBinary(cards.column("card_number"), PAN);
    }
    EncryptedTable upper = EncryptedTable.builder("CARDS").idColumns("ID").column("CARD_NUMBER", String.class).build();
    RowSeal other = RowSeal.builder().keyRing(KeyRing.of(master)).table(upper).build();

    try (RowKey key = other.openRowKey(upper, RowId.of(42), companion)) {
      assertThat(key.decrypt(upper.column("card_number"), number)).isEqualTo(PAN);
    }
  }

  /**
   * A key for {@code table} and {@code rowId} holding the same data key as {@code original}, wrapped the
   * honest way for its own place and opened through the engine: so a failure to decrypt can only come
   * from the value's own binding, not from a different data key.
   */
  private RowKey sameDataKey(RowKey original, EncryptedTable table, RowId rowId) {
    DataKey dek = DataKey.copyOf(original.dataKeyBytes());
    WrapContext context = rowId.isBound()
        ? WrapContext.rowBound(table.logicalName(), rowId.value())
        : WrapContext.unbound(table.logicalName());
    byte[] companion = WrappedDataKey.encode(master.ref(), rowId.isBound(), master.wrap(dek, context));
    dek.destroy();
    return rowSeal.openRowKey(table, rowId, companion);
  }
}
