package io.rowseal;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.TypeMismatchException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.format.ValueFormat;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.Hex;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.local.KeystorePassword;
import io.rowseal.key.local.LocalKeystore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No {@code toString()} and no exception message (whole cause chain) shows key bytes, passwords,
 * plaintext, ciphertext or wrapped keys, in hex, Base64 or raw form.
 */
class SecretsNotPrintedTest {
  private static final String PAN = "4111111111111111";

  @TempDir
  Path dir;

  private byte[] masterBytes;
  private AesGcmMasterKey master;
  private EncryptedTable cards;
  private RowSeal rowSeal;

  @BeforeEach
  void setUp() {
    masterBytes = Randomness.nextBytes(32);
    master = AesGcmMasterKey.of(KeyRef.of("local:k1"), masterBytes);
    cards = EncryptedTable.builder("cards")
        .idColumns("id")
        .column("card_number", String.class)
        .column("holder", String.class, StorageForm.TEXT)
        .build();
    rowSeal = RowSeal.builder().keyRing(KeyRing.of(master)).table(cards).build();
  }

  @Test
  void toString_dataKey_showsNoKeyBytes() {
    DataKey key = DataKey.generate();

    assertNoSecret(key.toString(), key.copyOfBytes());
  }

  @Test
  void toString_masterKey_showsOnlyReference() {
    assertThat(master.toString()).contains("local:k1");
    assertNoSecret(master.toString(), masterBytes);
  }

  @Test
  void toString_keyRing_showsNoKeyBytes() {
    byte[] otherBytes = Randomness.nextBytes(32);
    KeyRing ring = KeyRing.of(master, AesGcmMasterKey.of(KeyRef.of("local:k2"), otherBytes));

    assertThat(ring.toString()).contains("local:k1", "local:k2");
    assertNoSecret(ring.toString(), masterBytes);
    assertNoSecret(ring.toString(), otherBytes);
  }

  @Test
  void toString_rowKey_showsNoDataKeyMasterKeyOrCompanion() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      String text = key.toString();

      assertThat(text).contains("cards", "42", "local:k1");
      assertNoSecret(text, key.dataKeyBytes());
      assertNoSecret(text, masterBytes);
      assertNoSecret(text, key.companion());
    }
  }

  @Test
  void toString_rowSeal_showsNoMasterKey() {
    assertNoSecret(rowSeal.toString(), masterBytes);
  }

  @Test
  void toString_wrappedDataKey_showsHeaderButNoWrappedBytes() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      WrappedDataKey wrapped = WrappedDataKey.decode(key.companion());

      assertThat(wrapped.toString()).contains("local:k1");
      assertNoSecret(wrapped.toString(), wrapped.wrappedKey());
      assertNoSecret(wrapped.toString(), key.dataKeyBytes());
    }
  }

  @Test
  void toString_keystorePasswordGiven_showsNoPassword() {
    String password = "s3cret-Keystore-pw";

    assertNoSecret(KeystorePassword.of(password.toCharArray()).toString(), password);
  }

  @Test
  void toString_keystorePasswordFromFileOrEnvironment_namesSourceOnly() throws Exception {
    String password = "s3cret-Keystore-pw";
    Path file = Files.writeString(dir.resolve("pw.txt"), password + "\n");

    assertThat(KeystorePassword.fromFile(file).toString()).contains(file.toString());
    assertNoSecret(KeystorePassword.fromFile(file).toString(), password);
    assertThat(KeystorePassword.fromEnvironment("RS_PW").toString()).contains("RS_PW");
  }

  @Test
  void toString_localKeystore_showsNeitherKeyBytesNorPassword() throws Exception {
    String password = "s3cret-Keystore-pw";
    byte[] keyBytes = Randomness.nextBytes(32);
    Path path = dir.resolve("ks.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setEntry("k1", new KeyStore.SecretKeyEntry(new SecretKeySpec(keyBytes, "AES")),
        new KeyStore.PasswordProtection(password.toCharArray()));
    try (OutputStream out = Files.newOutputStream(path)) {
      store.store(out, password.toCharArray());
    }

    LocalKeystore keystore = LocalKeystore.open(path, KeystorePassword.of(password.toCharArray()));
    String text = keystore + " " + keystore.keyRing("k1") + " " + keystore.masterKey("k1");

    assertThat(text).contains("k1");
    assertNoSecret(text, keyBytes);
    assertNoSecret(text, password);
  }

  @Test
  void decrypt_tamperedValue_messageShowsNoPlaintextCiphertextOrKeys() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      byte[] sealed = key.encryptBinary(cards.column("card_number"), PAN);
      sealed[sealed.length - 1] ^= 1;

      Throwable e = catchThrowable(() -> key.decrypt(cards.column("card_number"), sealed));

      assertThat(e).isInstanceOf(DecryptionFailedException.class);
      assertNoSecretInMessages(e, key, sealed);
    }
  }

  @Test
  void decrypt_tamperedTextValue_messageShowsNoPlaintextCiphertextOrKeys() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      byte[] sealed = key.encryptBinary(cards.column("holder"), PAN);
      sealed[20] ^= 1;
      String text = ValueFormat.toText(sealed);

      Throwable e = catchThrowable(() -> key.decrypt(cards.column("holder"), text));

      assertThat(e).isInstanceOf(DecryptionFailedException.class);
      assertNoSecretInMessages(e, key, sealed);
      assertNoSecret(messages(e), text.substring(4, 24));
    }
  }

  @Test
  void decrypt_malformedTextValue_messageDoesNotEchoTheText() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      String stored = "rs1:" + PAN + "!!!!";
      String plaintextInColumn = "Jane Doe, 4111111111111111";

      Throwable wrongAlphabet = catchThrowable(() -> key.decrypt(cards.column("holder"), stored));
      Throwable notEncrypted = catchThrowable(() -> key.decrypt(cards.column("holder"), plaintextInColumn));

      assertThat(wrongAlphabet).isInstanceOf(InvalidFormatException.class);
      assertThat(notEncrypted).isInstanceOf(InvalidFormatException.class);
      assertNoSecret(messages(wrongAlphabet), PAN);
      assertNoSecret(messages(notEncrypted), PAN);
      assertNoSecret(messages(notEncrypted), "Jane Doe");
    }
  }

  @Test
  void decrypt_underWrongDataKey_messageShowsNoPlaintextCiphertextOrKeys() {
    try (RowKey writer = rowSeal.newRowKey(cards, RowId.of(42));
        RowKey other = rowSeal.newRowKey(cards, RowId.of(42))) {
      byte[] sealed = writer.encryptBinary(cards.column("card_number"), PAN);

      Throwable e = catchThrowable(() -> other.decrypt(cards.column("card_number"), sealed));

      assertThat(e).isInstanceOf(DecryptionFailedException.class);
      assertNoSecretInMessages(e, writer, sealed);
      assertNoSecretInMessages(e, other, sealed);
    }
  }

  @Test
  void decrypt_asWrongType_messageShowsNoPlaintextOrCiphertext() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      byte[] sealed = key.encryptBinary(cards.column("card_number"), PAN);

      Throwable e = catchThrowable(() -> key.decrypt(cards.column("card_number"), sealed, Long.class));

      assertThat(e).isInstanceOf(TypeMismatchException.class);
      assertNoSecretInMessages(e, key, sealed);
    }
  }

  @Test
  void encryptBinary_wrongJavaType_messageShowsNoValue() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      Throwable e = catchThrowable(() -> key.encryptBinary(cards.column("card_number"), 4111111111111111L));

      assertThat(e).isInstanceOf(IllegalArgumentException.class);
      assertNoSecret(messages(e), PAN);
    }
  }

  @Test
  void openRowKey_tamperedCompanion_messageShowsNoWrappedOrKeyBytes() {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
      byte[] companion = key.companion();
      companion[companion.length - 1] ^= 1;

      Throwable e = catchThrowable(() -> rowSeal.openRowKey(cards, RowId.of(42), companion));

      assertThat(e).isInstanceOf(DecryptionFailedException.class);
      assertNoSecret(messages(e), Arrays.copyOfRange(companion, 11, companion.length));
      assertNoSecret(messages(e), key.dataKeyBytes());
      assertNoSecret(messages(e), masterBytes);
    }
  }

  @Test
  void openRowKey_referenceLengthReachingIntoWrappedBytes_messageChainShowsNoWrappedBytes() {
    // A companion whose length byte was altered so the "reference" runs on into the wrapped key. The
    // wrapped bytes here are printable so that any echo of them would be visible as text.
    byte[] ref = "local:k1".getBytes(StandardCharsets.US_ASCII);
    byte[] wrapped = " WRAPPED-KEY-BYTES 0123456789 abcdefghijklmnopqrstuvwxyz0123456789"
        .getBytes(StandardCharsets.US_ASCII);
    byte[] companion = new byte[3 + ref.length + wrapped.length];
    companion[0] = 0x01;
    companion[1] = 0x01;
    companion[2] = (byte) (ref.length + 30);
    System.arraycopy(ref, 0, companion, 3, ref.length);
    System.arraycopy(wrapped, 0, companion, 3 + ref.length, wrapped.length);

    Throwable e = catchThrowable(() -> rowSeal.openRowKey(cards, RowId.of(42), companion));

    assertThat(e).isInstanceOf(InvalidFormatException.class);
    assertThat(messages(e)).doesNotContain("WRAPPED-KEY-BYTES").doesNotContain("0123456789");
  }

  private void assertNoSecretInMessages(Throwable e, RowKey key, byte[] sealed) {
    String text = messages(e);
    assertThat(text).contains("cards");
    assertNoSecret(text, PAN);
    assertNoSecret(text, sealed);
    assertNoSecret(text, Arrays.copyOfRange(sealed, 1, sealed.length));
    assertNoSecret(text, ValueFormat.toText(sealed));
    assertNoSecret(text, key.dataKeyBytes());
    assertNoSecret(text, key.companion());
    assertNoSecret(text, masterBytes);
  }

  /** Every message and toString in the cause and suppressed chain, as a logger would print them. */
  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    List<Throwable> seen = new ArrayList<>();
    List<Throwable> todo = new ArrayList<>(List.of(e));
    while (!todo.isEmpty()) {
      Throwable t = todo.remove(0);
      if (t == null || seen.contains(t)) {
        continue;
      }
      seen.add(t);
      sb.append(t).append('\n');
      todo.add(t.getCause());
      todo.addAll(Arrays.asList(t.getSuppressed()));
    }
    return sb.toString();
  }

  private static void assertNoSecret(String text, String secret) {
    assertThat(text).as("text must not contain a secret").doesNotContain(secret);
  }

  /**
   * {@code text} contains none of: the bytes' hex (lower or upper case, whole or any 6-byte run), their
   * Base64 (standard or URL-safe, at each of the three alignments), or the bytes read as Latin-1.
   */
  private static void assertNoSecret(String text, byte[] secret) {
    List<String> forms = new ArrayList<>();
    String hex = Hex.encode(secret);
    for (int i = 0; i + 12 <= hex.length(); i += 2) {
      forms.add(hex.substring(i, i + 12));
      forms.add(hex.substring(i, i + 12).toUpperCase());
    }
    for (int shift = 0; shift < 3 && shift < secret.length; shift++) {
      byte[] tail = Arrays.copyOfRange(secret, shift, secret.length);
      String b64 = Base64.getEncoder().withoutPadding().encodeToString(tail);
      String url = Base64.getUrlEncoder().withoutPadding().encodeToString(tail);
      for (int i = 0; i + 12 <= b64.length() - 2; i += 4) {
        forms.add(b64.substring(i, i + 12));
        forms.add(url.substring(i, i + 12));
      }
    }
    if (secret.length >= 8) {
      forms.add(new String(secret, 0, 8, StandardCharsets.ISO_8859_1));
    }
    forms.add(Arrays.toString(secret).substring(0, Math.min(40, Arrays.toString(secret).length())));
    for (String form : forms) {
      assertThat(text).as("text must not contain a secret's encoding").doesNotContain(form);
    }
  }
}
