package io.rowseal;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.RowSealException;
import io.rowseal.errors.TypeMismatchException;
import io.rowseal.errors.UnsupportedFormatVersionException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.format.ValueFormat;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.Hex;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every single-bit flip and every truncation of a stored value (binary and text form) and of a companion
 * column must be rejected with a {@link RowSealException} whose message says where (table, column, row,
 * key reference): never another exception type, never a returned value. Each test walks every case,
 * collects the mismatches, then asserts the list is empty.
 */
class RowKeyTamperTest {
  private static final String KEY_REF = "local:k1";
  private static final String PLAINTEXT = "4111111111111111";
  private static final String HOLDER = "Jane Q. Cardholder!";

  private EncryptedTable cards;
  private RowSeal rowSeal;
  private RowKey rowKey;

  @BeforeEach
  void setUp() {
    cards = EncryptedTable.builder("cards")
        .idColumns("id")
        .column("card_number", String.class, StorageForm.BINARY)
        .column("holder", String.class, StorageForm.TEXT)
        .build();
    byte[] master = Randomness.nextBytes(32);
    rowSeal = RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of(KEY_REF), master)))
        .table(cards)
        .build();
    Arrays.fill(master, (byte) 0);
    rowKey = rowSeal.newRowKey(cards, RowId.of(42));
  }

  @AfterEach
  void tearDown() {
    rowKey.close();
  }

  @Test
  void decrypt_untamperedBinaryAndText_returnsPlaintext() {
    EncryptedColumn number = cards.column("card_number");
    EncryptedColumn holder = cards.column("holder");

    assertThat(rowKey.decrypt(number, rowKey.encrypt(number, PLAINTEXT))).isEqualTo(PLAINTEXT);
    assertThat(rowKey.decrypt(holder, rowKey.encrypt(holder, HOLDER))).isEqualTo(HOLDER);
  }

  @Test
  void decrypt_binaryWithAnySingleBitFlipped_failsNamingTableColumnRowAndKey() {
    EncryptedColumn number = cards.column("card_number");
    byte[] sealed = rowKey.encryptBinary(number, PLAINTEXT);
    List<String> failures = new ArrayList<>();

    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] tampered = flip(sealed, bit);
      Class<? extends RowSealException> expected =
          bit < 8 ? UnsupportedFormatVersionException.class : DecryptionFailedException.class;
      expectFailure(failures, "bit " + bit, () -> rowKey.decrypt(number, tampered, String.class), expected,
          "cards", "card_number", "42", KEY_REF);
    }

    assertThat(sealed.length * 8).isEqualTo(8 * (ValueFormat.OVERHEAD + 1 + PLAINTEXT.length()));
    assertThat(failures).isEmpty();
  }

  @Test
  void decrypt_binaryTruncatedToAnyLength_failsNamingTableColumnRowAndKey() {
    EncryptedColumn number = cards.column("card_number");
    byte[] sealed = rowKey.encryptBinary(number, PLAINTEXT);
    List<String> failures = new ArrayList<>();

    for (int len = 0; len < sealed.length; len++) {
      byte[] truncated = Arrays.copyOf(sealed, len);
      Class<? extends RowSealException> expected =
          len < ValueFormat.OVERHEAD ? InvalidFormatException.class : DecryptionFailedException.class;
      expectFailure(failures, "length " + len, () -> rowKey.decrypt(number, truncated, String.class), expected,
          "cards", "card_number", "42", KEY_REF);
    }

    assertThat(failures).isEmpty();
  }

  @Test
  void decrypt_textWithAnyBitOfDecodedBytesFlipped_failsNamingTableColumnRowAndKey() {
    EncryptedColumn holder = cards.column("holder");
    String text = (String) rowKey.encrypt(holder, HOLDER);
    byte[] sealed = ValueFormat.fromText(text);
    List<String> failures = new ArrayList<>();

    for (int bit = 0; bit < sealed.length * 8; bit++) {
      String tampered = ValueFormat.toText(flip(sealed, bit));
      Class<? extends RowSealException> expected =
          bit < 8 ? UnsupportedFormatVersionException.class : DecryptionFailedException.class;
      expectFailure(failures, "bit " + bit, () -> rowKey.decrypt(holder, tampered, String.class), expected,
          "cards", "holder", "42", KEY_REF);
    }

    assertThat(failures).isEmpty();
  }

  @Test
  void decrypt_textTruncatedToAnyLength_failsNamingTableColumnRowAndKey() {
    EncryptedColumn holder = cards.column("holder");
    String text = (String) rowKey.encrypt(holder, HOLDER);
    List<String> failures = new ArrayList<>();

    for (int len = 0; len < text.length(); len++) {
      String truncated = text.substring(0, len);
      expectFailure(failures, "length " + len, () -> rowKey.decrypt(holder, truncated, String.class),
          RowSealException.class, "cards", "holder", "42", KEY_REF);
    }

    assertThat(failures).isEmpty();
  }

  @Test
  void decrypt_textWithNonZeroPaddingBits_failsAsInvalidFormat() {
    EncryptedColumn holder = cards.column("holder");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    List<String> failures = new ArrayList<>();
    int variants = 0;

    // Two value lengths so that both one and two '=' (4 and 2 unused bits) are covered.
    for (String plaintext : List.of("Jane Doe", "Jane Doe J")) {
      String text = (String) rowKey.encrypt(holder, plaintext);
      int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
      assertThat(padding).as("padding of %s", plaintext).isPositive();
      int last = text.length() - padding - 1;
      int index = alphabet.indexOf(text.charAt(last));
      int unusedBits = padding == 2 ? 4 : 2;
      assertThat(index & ((1 << unusedBits) - 1)).as("canonical form has zero unused bits").isZero();
      for (int extra = 1; extra < (1 << unusedBits); extra++) {
        variants++;
        String nonCanonical = text.substring(0, last) + alphabet.charAt(index | extra) + text.substring(last + 1);
        expectFailure(failures, plaintext.length() + " chars, extra bits " + extra,
            () -> rowKey.decrypt(holder, nonCanonical, String.class), InvalidFormatException.class,
            "cards", "holder", "42", KEY_REF);
      }
    }

    assertThat(variants).isEqualTo(15 + 3);
    assertThat(failures).isEmpty();
  }

  @Test
  void decrypt_textNotStrictBase64_failsAsInvalidFormat() {
    EncryptedColumn holder = cards.column("holder");
    String text = (String) rowKey.encrypt(holder, HOLDER);
    String b64 = text.substring(4);
    assertThat(b64).endsWith("==");
    List<String> variants = List.of(
        "RS1:" + b64,
        "rs2:" + b64,
        " " + text,
        text + "\n",
        "rs1:" + b64.substring(0, 20) + "\r\n" + b64.substring(20),
        "rs1:" + b64.replace("=", ""),
        "rs1:" + b64 + "====",
        "rs1:-" + b64.substring(1),
        "rs1:_" + b64.substring(1),
        "rs1:" + b64.substring(0, 4) + "====" + b64.substring(4),
        "rs1:" + b64.substring(0, 8) + "\u00c1" + b64.substring(9));
    List<String> failures = new ArrayList<>();

    for (int i = 0; i < variants.size(); i++) {
      String variant = variants.get(i);
      expectFailure(failures, "variant " + i, () -> rowKey.decrypt(holder, variant, String.class),
          InvalidFormatException.class, "cards", "holder", "42", KEY_REF);
    }

    assertThat(failures).isEmpty();
  }

  @Test
  void decrypt_formatVersion2_throwsUnsupportedFormatVersion() {
    EncryptedColumn number = cards.column("card_number");
    byte[] sealed = rowKey.encryptBinary(number, PLAINTEXT);
    sealed[0] = 0x02;

    assertThatThrownBy(() -> rowKey.decrypt(number, sealed))
        .isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContainingAll("cards", "card_number", "42", KEY_REF, "0x02");
  }

  @Test
  void decrypt_textFormVersion2_throwsUnsupportedFormatVersion() {
    EncryptedColumn holder = cards.column("holder");
    byte[] sealed = rowKey.encryptBinary(holder, HOLDER);
    sealed[0] = 0x02;
    String text = ValueFormat.toText(sealed);

    assertThatThrownBy(() -> rowKey.decrypt(holder, text))
        .isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContainingAll("cards", "holder", "42", KEY_REF, "0x02");
  }

  @Test
  void decrypt_authenticatedStringWithMalformedUtf8_failsAsInvalidFormatNamingTableColumnRowAndKey() {
    EncryptedColumn number = cards.column("card_number");
    byte[] sealed = sealEncoded(number, Hex.decode("01" + "3431c328"));

    assertThatThrownBy(() -> rowKey.decrypt(number, sealed))
        .isInstanceOf(InvalidFormatException.class)
        .hasMessageContainingAll("cards", "card_number", "42", KEY_REF);
  }

  @Test
  void decrypt_authenticatedBodyOfWrongLength_failsAsInvalidFormatNamingTableColumnRowAndKey() {
    EncryptedColumn number = cards.column("card_number");
    byte[] sealed = sealEncoded(number, Hex.decode("05" + "000000000000002a00"));

    assertThatThrownBy(() -> rowKey.decrypt(number, sealed, Long.class))
        .isInstanceOf(InvalidFormatException.class)
        .hasMessageContainingAll("cards", "card_number", "42", KEY_REF);
  }

  @Test
  void decrypt_authenticatedUndefinedTag_failsAsInvalidFormatNamingTableColumnRowAndKey() {
    EncryptedColumn number = cards.column("card_number");
    byte[] sealed = sealEncoded(number, Hex.decode("10" + "34313131"));

    assertThatThrownBy(() -> rowKey.decrypt(number, sealed))
        .isInstanceOf(InvalidFormatException.class)
        .hasMessageContainingAll("cards", "card_number", "42", KEY_REF, "0x10");
  }

  @Test
  void decrypt_valueStoredAsOtherType_throwsTypeMismatchNamingTableColumnRowAndKey() {
    EncryptedColumn number = cards.column("card_number");
    byte[] sealed = rowKey.encryptBinary(number, PLAINTEXT);

    assertThatThrownBy(() -> rowKey.decrypt(number, sealed, Long.class))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContainingAll("cards", "card_number", "42", KEY_REF, "string", "java.lang.Long")
        .hasMessageNotContaining(PLAINTEXT);
  }

  /**
   * Seals an arbitrary encoded plaintext with the row's own data key and AAD, as a buggy or hostile writer
   * holding the key could: it authenticates, so only the body checks stand between it and the caller.
   */
  private byte[] sealEncoded(EncryptedColumn column, byte[] encoded) {
    byte[] dek = rowKey.dataKeyBytes();
    try {
      return ValueFormat.seal(new SecretKeySpec(dek, "AES"), column.aadPrefix(), RowId.of(42).aadPart(), encoded);
    } finally {
      Arrays.fill(dek, (byte) 0);
    }
  }

  @Test
  void openRowKey_untamperedCompanion_opensTheSameDataKey() {
    EncryptedColumn number = cards.column("card_number");
    byte[] sealed = rowKey.encryptBinary(number, PLAINTEXT);

    try (RowKey reopened = rowSeal.openRowKey(cards, RowId.of(42), rowKey.companion())) {
      assertThat(reopened.decrypt(number, sealed)).isEqualTo(PLAINTEXT);
      assertThat(reopened.keyRef()).isEqualTo(KeyRef.of(KEY_REF));
      assertThat(reopened.isRowBound()).isTrue();
    }
  }

  @Test
  void openRowKey_companionWithAnySingleBitFlipped_failsNamingTableRowAndReadableKey() {
    byte[] companion = rowKey.companion();
    int refEnd = 3 + KEY_REF.length();
    List<String> failures = new ArrayList<>();

    for (int bit = 0; bit < companion.length * 8; bit++) {
      int offset = bit / 8;
      byte[] tampered = flip(companion, bit);
      Callable<RowKey> open = () -> rowSeal.openRowKey(cards, RowId.of(42), tampered);
      if (offset == 0) {
        expectFailure(failures, "bit " + bit, open, UnsupportedFormatVersionException.class, "cards", "42");
      } else if (offset == 2 || (offset >= 3 && offset < refEnd)) {
        // The length or the bytes of the reference changed: whatever the message names, it is not local:k1.
        expectFailure(failures, "bit " + bit, open, RowSealException.class, "cards", "42");
      } else if (offset >= refEnd) {
        expectFailure(failures, "bit " + bit, open, DecryptionFailedException.class, "cards", "42", KEY_REF);
      } else {
        // flags: bit 0 is the row-bound flag (authenticated), bits 1..7 must be zero.
        expectFailure(failures, "bit " + bit, open, RowSealException.class, "cards", "42", KEY_REF);
      }
    }

    assertThat(failures).isEmpty();
  }

  @Test
  void openRowKey_companionTruncatedToAnyLength_failsNamingTableRowAndReadableKey() {
    byte[] companion = rowKey.companion();
    int refEnd = 3 + KEY_REF.length();
    List<String> failures = new ArrayList<>();

    for (int len = 0; len < companion.length; len++) {
      byte[] truncated = Arrays.copyOf(companion, len);
      Callable<RowKey> open = () -> rowSeal.openRowKey(cards, RowId.of(42), truncated);
      if (len < refEnd) {
        expectFailure(failures, "length " + len, open, InvalidFormatException.class, "cards", "42");
      } else {
        expectFailure(failures, "length " + len, open, InvalidFormatException.class, "cards", "42", KEY_REF);
      }
    }

    assertThat(failures).isEmpty();
  }

  @Test
  void openRowKey_rowBoundFlagCleared_failsDecryption() {
    byte[] companion = rowKey.companion();
    assertThat(companion[1]).isEqualTo((byte) 0x01);
    companion[1] = 0x00;

    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(42), companion))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContainingAll("cards", "42", KEY_REF);
  }

  @Test
  void openRowKey_rowBoundFlagSetOnUnboundCompanion_failsDecryption() {
    byte[] companion;
    try (RowKey unbound = rowSeal.newRowKey(cards, RowId.unbound())) {
      companion = unbound.companion();
    }
    assertThat(companion[1]).isEqualTo((byte) 0x00);
    companion[1] = 0x01;

    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(42), companion))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContainingAll("cards", "42", KEY_REF);
  }

  @Test
  void openRowKey_formatVersion2_throwsUnsupportedFormatVersion() {
    byte[] companion = rowKey.companion();
    companion[0] = 0x02;

    assertThatThrownBy(() -> rowSeal.openRowKey(cards, RowId.of(42), companion))
        .isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContainingAll("cards", "42", "0x02");
  }

  @Test
  void openRowKey_companionUnderUnknownVersion_isNotParsedAsVersion1() {
    byte[] companion = rowKey.companion();
    companion[0] = 0x02;

    assertThatThrownBy(() -> WrappedDataKey.decode(companion))
        .isInstanceOf(UnsupportedFormatVersionException.class);
  }

  private static byte[] flip(byte[] original, int bit) {
    byte[] copy = original.clone();
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }

  /**
   * Runs {@code call}; records a failure unless it throws {@code expected} with every {@code mustContain}
   * in its message.
   */
  static void expectFailure(List<String> failures, String label, Callable<?> call,
      Class<? extends RowSealException> expected, String... mustContain) {
    Object result;
    try {
      result = call.call();
    } catch (Throwable e) {
      if (!expected.isInstance(e)) {
        failures.add(label + ": threw " + e.getClass().getName() + " (" + e.getMessage() + "), expected "
            + expected.getSimpleName());
        return;
      }
      String message = String.valueOf(e.getMessage());
      for (String part : mustContain) {
        if (!message.contains(part)) {
          failures.add(label + ": message lacks '" + part + "': " + message);
        }
      }
      return;
    }
    if (result instanceof AutoCloseable) {
      try {
        ((AutoCloseable) result).close();
      } catch (Exception ignored) {
        // only releasing what was wrongly returned
      }
    }
    failures.add(label + ": returned " + (result == null ? "null" : "a " + result.getClass().getSimpleName())
        + " instead of throwing");
  }
}
