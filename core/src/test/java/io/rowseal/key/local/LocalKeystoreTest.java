package io.rowseal.key.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens PKCS#12 keystores written by the JDK's real {@code keytool}. Every problem with the store, its
 * password or an entry surfaces when the store is opened (or its key ring built), never at the first row.
 */
class LocalKeystoreTest {
  private static final String PASSWORD = "changeit";
  private static final KeystorePassword CHANGEIT = KeystorePassword.of(PASSWORD.toCharArray());

  @TempDir
  Path dir;

  private final EncryptedTable cards =
      EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();

  @Test
  void open_keytoolAes256Store_roundTripsARow() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    KeyRing ring = LocalKeystore.open(store, CHANGEIT).keyRing("k1");
    RowSeal writer = RowSeal.builder().keyRing(ring).table(cards).build();
    byte[] companion;
    byte[] value;
    try (RowKey key = writer.newRowKey(cards, RowId.of(42))) {
      companion = key.companion();
      value = key.encryptBinary(cards.column("card_number"), "4111111111111111");
    }
    // A second, independent open of the same file: the row is readable after a restart.
    RowSeal reader = RowSeal.builder().keyRing(LocalKeystore.open(store, CHANGEIT).keyRing("k1")).table(cards).build();

    try (RowKey key = reader.openRowKey(cards, RowId.of(42), companion)) {
      assertThat(key.keyRef()).isEqualTo(KeyRef.of("local:k1"));
      assertThat(key.decrypt(cards.column("card_number"), value)).isEqualTo("4111111111111111");
    }
  }

  @Test
  void open_twoEntries_ringHoldsBothWithRequestedOneActive() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    genseckey("ks.p12", "k2", "AES", 256);

    LocalKeystore keystore = LocalKeystore.open(store, CHANGEIT);
    KeyRing ring = keystore.keyRing("k2");

    assertThat(keystore.aliases()).containsExactly("k1", "k2");
    assertThat(ring.active().ref()).isEqualTo(KeyRef.of("local:k2"));
    assertThat(ring.refs()).containsExactlyInAnyOrder(KeyRef.of("local:k1"), KeyRef.of("local:k2"));
  }

  @Test
  void open_missingFile_throwsKeyUnavailableNamingPath() {
    Path missing = dir.resolve("nowhere").resolve("missing.p12");

    assertThatThrownBy(() -> LocalKeystore.open(missing, CHANGEIT))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void open_fileThatIsNotAKeystore_throwsKeyUnavailableNamingPath() throws IOException {
    Path garbage = Files.writeString(dir.resolve("garbage.p12"), "this is not PKCS#12");

    assertThatThrownBy(() -> LocalKeystore.open(garbage, CHANGEIT))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(garbage.toString());
  }

  @Test
  void open_wrongPassword_throwsKeyUnavailableWithoutThePassword() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    String wrong = "Tr0ub4dor-wrong-pw";

    assertThatThrownBy(() -> LocalKeystore.open(store, KeystorePassword.of(wrong.toCharArray())))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(store.toString(), "password")
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining(PASSWORD)
        .satisfies(e -> assertThat(causeChainText(e)).doesNotContain(wrong));
  }

  @Test
  void open_aes128Entry_throwsNamingAliasAndSize() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    genseckey("ks.p12", "small", "AES", 128);

    assertThatThrownBy(() -> LocalKeystore.open(store, CHANGEIT))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(store.toString(), "'small'", "128-bit", "256");
  }

  @Test
  void open_hmacEntry_throwsNamingAliasAndAlgorithm() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    genseckey("ks.p12", "mac", "HmacSHA256", 256);

    assertThatThrownBy(() -> LocalKeystore.open(store, CHANGEIT))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(store.toString(), "'mac'", "HmacSHA256", "not an AES key");
  }

  @Test
  void open_desedeEntry_throwsNamingAliasAndAlgorithm() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    genseckey("ks.p12", "legacy", "DESede", 168);

    assertThatThrownBy(() -> LocalKeystore.open(store, CHANGEIT))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContainingAll(store.toString(), "'legacy'", "DESede", "not an AES key");
  }

  @Test
  void keyRing_unknownActiveAlias_throwsNamingAliasAndListingAvailable() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    genseckey("ks.p12", "k2", "AES", 256);
    LocalKeystore keystore = LocalKeystore.open(store, CHANGEIT);

    assertThatThrownBy(() -> keystore.keyRing("k3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("'k3'", store.toString(), "k1", "k2");
  }

  @Test
  void keyRing_mixedCaseAlias_findsEntryKeytoolLowerCased() throws Exception {
    Path store = genseckey("ks.p12", "RowSealMaster", "AES", 256);
    LocalKeystore keystore = LocalKeystore.open(store, CHANGEIT);

    assertThat(keystore.aliases()).containsExactly("rowsealmaster");
    assertThat(keystore.keyRing("RowSealMaster").active().ref()).isEqualTo(KeyRef.of("local:rowsealmaster"));
    assertThat(keystore.keyRing("ROWSEALMASTER").active().ref()).isEqualTo(KeyRef.of("local:rowsealmaster"));
    assertThat(keystore.masterKey("rowsealmaster")).isSameAs(keystore.masterKey("RowSealMaster"));
  }

  @Test
  void open_passwordFromUnsetEnvironmentVariable_throwsNamingVariable() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    KeystorePassword fromEnv = KeystorePassword.fromEnvironment("ROWSEAL_TEST_KEYSTORE_PASSWORD");

    assertThatThrownBy(() -> LocalKeystore.open(store, fromEnv, Map.of("OTHER", PASSWORD)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContainingAll("ROWSEAL_TEST_KEYSTORE_PASSWORD", "not set");
  }

  @Test
  void open_passwordFromEmptyEnvironmentVariable_throwsNamingVariable() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    KeystorePassword fromEnv = KeystorePassword.fromEnvironment("ROWSEAL_TEST_KEYSTORE_PASSWORD");

    assertThatThrownBy(() -> LocalKeystore.open(store, fromEnv, Map.of("ROWSEAL_TEST_KEYSTORE_PASSWORD", "")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ROWSEAL_TEST_KEYSTORE_PASSWORD");
  }

  @Test
  void open_passwordFromSetEnvironmentVariable_opens() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    KeystorePassword fromEnv = KeystorePassword.fromEnvironment("ROWSEAL_TEST_KEYSTORE_PASSWORD");

    LocalKeystore keystore = LocalKeystore.open(store, fromEnv, Map.of("ROWSEAL_TEST_KEYSTORE_PASSWORD", PASSWORD));

    assertThat(keystore.aliases()).containsExactly("k1");
  }

  @Test
  void open_passwordFileWithoutNewline_opens() throws Exception {
    assertOpensWithPasswordFile(PASSWORD);
  }

  @Test
  void open_passwordFileWithTrailingNewline_opens() throws Exception {
    assertOpensWithPasswordFile(PASSWORD + "\n");
  }

  @Test
  void open_passwordFileWithTrailingCrLf_opens() throws Exception {
    assertOpensWithPasswordFile(PASSWORD + "\r\n");
  }

  @Test
  void open_passwordFileWithSecondLine_usesFirstLine() throws Exception {
    assertOpensWithPasswordFile(PASSWORD + "\n# rotated 2026-01-01 by ops\n");
  }

  private void assertOpensWithPasswordFile(String content) throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    Path file = Files.write(dir.resolve("password.txt"), content.getBytes(StandardCharsets.UTF_8));

    LocalKeystore keystore = LocalKeystore.open(store, KeystorePassword.fromFile(file), Map.of());

    assertThat(keystore.aliases()).containsExactly("k1");
  }

  @Test
  void open_passwordFileMissing_throwsNamingFile() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    Path file = dir.resolve("no-such-password.txt");

    assertThatThrownBy(() -> LocalKeystore.open(store, KeystorePassword.fromFile(file), Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContainingAll(file.toString(), "does not exist");
  }

  @Test
  void open_passwordFileEmpty_throwsNamingFile() throws Exception {
    Path store = genseckey("ks.p12", "k1", "AES", 256);
    Path file = Files.writeString(dir.resolve("empty.txt"), "\n");

    assertThatThrownBy(() -> LocalKeystore.open(store, KeystorePassword.fromFile(file), Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContainingAll(file.toString(), "empty");
  }

  /** Runs the JDK's keytool to add a secret key entry to {@code name} in the temp directory (created if absent). */
  private Path genseckey(String name, String alias, String algorithm, int bits) throws Exception {
    Path store = dir.resolve(name);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(Files.isExecutable(keytool) ? keytool.toString() : "keytool",
        "-genseckey", "-alias", alias, "-keyalg", algorithm, "-keysize", Integer.toString(bits),
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as("keytool exit status; output: %s", output).isZero();
    return store;
  }

  private static String causeChainText(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }
}
