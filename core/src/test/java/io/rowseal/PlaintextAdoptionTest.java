package io.rowseal;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.RowSealException;
import io.rowseal.errors.TypeMismatchException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The adoption mode's rules without a database: the width helper matches real text forms, plaintext is
 * read as the column's type, a row with a companion never falls back to plaintext, the mode off fails
 * closed, and tables that cannot be adopted in place are rejected when built.
 */
class PlaintextAdoptionTest {
  enum Tier { GOLD, SILVER }

  private final AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));

  private static EncryptedTable cards(boolean adopting) {
    return EncryptedTable.builder("cards").idColumns("id")
        .column("holder", String.class, StorageForm.TEXT)
        .column("since", LocalDate.class, StorageForm.TEXT)
        .adoptingPlaintext(adopting)
        .build();
  }

  private RowSeal rowSeal(EncryptedTable t) {
    return RowSeal.builder().keyRing(KeyRing.of(k1)).table(t).build();
  }

  @Test
  void requiredTextWidth_everyTypeAndLength_isAtLeastTheRealTextFormAndExactForFixedSizes() {
    Map<Class<?>, Object> fixed = Map.of(Boolean.class, true, Integer.class, -7, Long.class, Long.MIN_VALUE,
        Double.class, 1.5, LocalDate.class, LocalDate.of(2024, 2, 29), LocalTime.class, LocalTime.NOON,
        LocalDateTime.class, LocalDateTime.of(2024, 1, 2, 3, 4, 5), Instant.class, Instant.EPOCH,
        OffsetDateTime.class, OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(2)),
        UUID.class, UUID.randomUUID());
    EncryptedTable.Builder b = EncryptedTable.builder("all_types").idColumns("id")
        .column("s", String.class, StorageForm.TEXT).column("d", BigDecimal.class, StorageForm.TEXT)
        .column("bi", BigInteger.class, StorageForm.TEXT);
    int n = 0;
    for (Class<?> type : fixed.keySet()) {
      b.column("f" + n++, type, StorageForm.TEXT);
    }
    EncryptedTable t = b.build();
    List<String> mismatches = new ArrayList<>();
    try (RowKey key = rowSeal(t).newRowKey(t, RowId.of(1))) {
      for (int len = 0; len <= 120; len++) {
        String ascii = "x".repeat(len);
        String wide = "\uD83D\uDE00".repeat(len); // one code point, 4 UTF-8 bytes each
        String nines = "9".repeat(Math.max(1, len));
        check(mismatches, "ascii " + len, PlaintextAdoption.textFormLength(len), key.encrypt(t.column("s"), ascii), true);
        check(mismatches, "4-byte " + len, PlaintextAdoption.requiredTextWidth(t.column("s"), len),
            key.encrypt(t.column("s"), wide), false);
        check(mismatches, "decimal " + len, PlaintextAdoption.requiredTextWidth(t.column("d"), nines.length() + 1),
            key.encrypt(t.column("d"), new BigDecimal("-" + nines)), false);
        check(mismatches, "bigint " + len, PlaintextAdoption.requiredTextWidth(t.column("bi"), nines.length() + 1),
            key.encrypt(t.column("bi"), new BigInteger("-" + nines)), false);
      }
      n = 0;
      for (Map.Entry<Class<?>, Object> e : fixed.entrySet()) {
        EncryptedColumn c = t.column("f" + n++);
        check(mismatches, e.getKey().getSimpleName(), PlaintextAdoption.requiredTextWidth(c, 99),
            key.encrypt(c, e.getValue()), true);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  private static void check(List<String> mismatches, String what, int width, Object sealed, boolean exact) {
    int actual = ((String) sealed).length();
    if (exact ? width != actual : width < actual) {
      mismatches.add(what + ": helper says " + width + ", text form is " + actual);
    }
  }

  @Test
  void textFormLength_sixteenDigitCardNumber_is68() {
    assertThat(PlaintextAdoption.textFormLength(16)).isEqualTo(68);
  }

  @Test
  void parsePlaintext_typedColumns_returnsColumnJavaType() {
    EncryptedTable t = EncryptedTable.builder("typed").idColumns("id")
        .column("d", LocalDate.class, StorageForm.TEXT)
        .column("ldt", LocalDateTime.class, StorageForm.TEXT)
        .column("amount", BigDecimal.class, StorageForm.TEXT)
        .column("n", long.class, StorageForm.TEXT)
        .column("ok", Boolean.class, StorageForm.TEXT)
        .column("tier", Tier.class, StorageForm.TEXT)
        .adoptingPlaintext(true)
        .build();
    RowId id = RowId.of(1);
    assertThat(PlaintextAdoption.parsePlaintext(t.column("d"), id, "2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(PlaintextAdoption.parsePlaintext(t.column("ldt"), id, "2024-01-02 03:04:05"))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5));
    assertThat(PlaintextAdoption.parsePlaintext(t.column("amount"), id, "12.50")).isEqualTo(new BigDecimal("12.50"));
    assertThat(PlaintextAdoption.parsePlaintext(t.column("n"), id, "-42")).isEqualTo(-42L);
    assertThat(PlaintextAdoption.parsePlaintext(t.column("ok"), id, "t")).isEqualTo(true);
    assertThat(PlaintextAdoption.parsePlaintext(t.column("tier"), id, "GOLD")).isEqualTo(Tier.GOLD);
  }

  @Test
  void parsePlaintext_notOfColumnType_failsNamingColumnWithoutTheValue() {
    EncryptedTable t = cards(true);
    assertThatThrownBy(() -> PlaintextAdoption.parsePlaintext(t.column("since"), RowId.of(7), "SECRET-not-a-date"))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContaining("cards.since").hasMessageContaining("row 7")
        .hasMessageNotContaining("SECRET");
  }

  @Test
  void read_rowWithoutCompanionWhileAdopting_returnsPlaintextAsColumnType() {
    EncryptedTable t = cards(true);
    RowSeal rs = rowSeal(t);
    assertThat(PlaintextAdoption.read(rs, t.column("holder"), RowId.of(1), null, "Jane")).isEqualTo("Jane");
    assertThat(PlaintextAdoption.read(rs, t.column("since"), RowId.of(1), null, "2020-05-06"))
        .isEqualTo(LocalDate.of(2020, 5, 6));
    assertThat(PlaintextAdoption.read(rs, t.column("holder"), RowId.of(1), null, null)).isNull();
  }

  @Test
  void read_rowWithoutCompanionModeOff_failsClosed() {
    EncryptedTable t = cards(false);
    assertThatThrownBy(() -> PlaintextAdoption.read(rowSeal(t), t.column("holder"), RowId.of(1), null, "Jane"))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("cards.holder").hasMessageContaining("NULL").hasMessageNotContaining("Jane");
  }

  @Test
  void read_rowWithCompanionAndTamperedValue_failsInsteadOfFallingBackToPlaintext() {
    EncryptedTable t = cards(true);
    RowSeal rs = rowSeal(t);
    byte[] companion;
    String sealed;
    try (RowKey key = rs.newRowKey(t, RowId.of(3))) {
      companion = key.companion();
      sealed = (String) key.encrypt(t.column("holder"), "Jane");
    }
    assertThat(PlaintextAdoption.read(rs, t.column("holder"), RowId.of(3), companion, sealed)).isEqualTo("Jane");
    // a plaintext written past RowSeal into an encrypted row, and a ciphertext with one character changed
    char[] chars = sealed.toCharArray();
    chars[10] = chars[10] == 'A' ? 'B' : 'A';
    for (String bad : new String[] {"Jane", new String(chars)}) {
      assertThatThrownBy(() -> PlaintextAdoption.read(rs, t.column("holder"), RowId.of(3), companion, bad))
          .isInstanceOf(RowSealException.class).hasMessageContaining("cards.holder").hasMessageContaining("row 3");
    }
  }

  @Test
  void read_textFormWithoutCompanion_failsInsteadOfReturningCiphertext() {
    EncryptedTable t = cards(true);
    RowSeal rs = rowSeal(t);
    String sealed;
    try (RowKey key = rs.newRowKey(t, RowId.of(3))) {
      sealed = (String) key.encrypt(t.column("holder"), "Jane");
    }
    assertThatThrownBy(() -> PlaintextAdoption.read(rs, t.column("holder"), RowId.of(3), null, sealed))
        .isInstanceOf(DecryptionFailedException.class).hasMessageContaining("data key");
  }

  @Test
  void adoptingPlaintext_binaryColumn_isRejectedWhenBuilt() {
    assertThatThrownBy(() -> EncryptedTable.builder("cards").idColumns("id")
        .column("holder", String.class, StorageForm.TEXT).column("card_number", String.class)
        .adoptingPlaintext(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("card_number").hasMessageContaining("binary storage").hasMessageContaining("new column");
  }

  @Test
  void adoptingPlaintext_bytesColumn_isRejectedWhenBuilt() {
    assertThatThrownBy(() -> EncryptedTable.builder("cards").idColumns("id")
        .column("blob", byte[].class, StorageForm.TEXT).adoptingPlaintext(true).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("blob").hasMessageContaining("byte[]");
  }
}
