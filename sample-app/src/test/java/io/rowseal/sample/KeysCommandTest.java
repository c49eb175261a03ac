package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.key.local.KeystorePassword;
import io.rowseal.key.local.LocalKeystore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  private static final String PASSWORD = "keys-test-password";

  @TempDir Path dir;
  private Path config;
  private Path passwordFile;

  @BeforeEach
  void paths() throws Exception {
    config = dir.resolve("rowseal.properties");
    passwordFile = dir.resolve("keystore.pw");
    Files.writeString(passwordFile, PASSWORD + "\n");
  }

  private CliRun create() {
    return CliRun.of("keys", "create", "--config", config.toString(), "--password-file", passwordFile.toString());
  }

  private LocalKeystore keystore() {
    return LocalKeystore.open(dir.resolve("rowseal.p12"), KeystorePassword.of(PASSWORD.toCharArray()));
  }

  @Test
  void keysCreate_newConfig_writesKeystoreAndConfigWithK1Active() throws Exception {
    CliRun run = create();

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(keystore().aliases()).containsExactly("k1");
    assertThat(Files.readString(config)).contains("rowseal.keystore.path = rowseal.p12",
        "rowseal.keystore.password-file = keystore.pw", "rowseal.keystore.active = k1");
    assertThat(run.out()).contains("local:k1").doesNotContain(PASSWORD);
  }

  @Test
  void keysCreate_keystoreExists_failsAndLeavesItUnchanged() throws Exception {
    create();
    byte[] before = Files.readAllBytes(dir.resolve("rowseal.p12"));

    CliRun again = create();

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("exists already");
    assertThat(Files.readAllBytes(dir.resolve("rowseal.p12"))).isEqualTo(before);
  }

  @Test
  void keysAdd_withActivate_setsActiveAndKeepsTheRestOfTheConfig() throws Exception {
    create();
    Files.writeString(config, Files.readString(config) + "rowseal.tables.cards.id = id\n");

    CliRun run = CliRun.of("keys", "add", "k2", "--activate", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(keystore().aliases()).containsExactly("k1", "k2");
    String text = Files.readString(config);
    assertThat(text).contains("rowseal.keystore.active = k2", "# RowSeal configuration", "rowseal.tables.cards.id = id")
        .doesNotContain("active = k1");
  }

  @Test
  void keysAdd_withoutActivate_keepsActiveKey() throws Exception {
    create();

    CliRun run = CliRun.of("keys", "add", "k2", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("active key unchanged: k1");
    assertThat(Files.readString(config)).contains("rowseal.keystore.active = k1");
  }

  @Test
  void keysList_twoKeys_marksActiveAndNeverPrintsKeyBytes() throws Exception {
    create();
    CliRun.of("keys", "add", "k2", "--config", config.toString());

    CliRun run = CliRun.of("keys", "list", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("* local:k1").contains("created 20").endsWith("(active)"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("  local:k2").doesNotContain("active"));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(dir.resolve("rowseal.p12"))) {
      store.load(in, PASSWORD.toCharArray());
    }
    for (String alias : List.of("k1", "k2")) {
      Key key = store.getKey(alias, PASSWORD.toCharArray());
      assertThat(run.out()).doesNotContainIgnoringCase(HexFormat.of().formatHex(key.getEncoded()))
          .doesNotContain(Base64.getEncoder().encodeToString(key.getEncoded()));
    }
  }

  @Test
  void keysActivate_unknownAlias_failsAndKeepsActive() throws Exception {
    create();

    CliRun run = CliRun.of("keys", "activate", "k7", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no key 'k7'");
    assertThat(Files.readString(config)).contains("rowseal.keystore.active = k1");
  }

  @Test
  void keysActivate_existingAlias_setsActive() throws Exception {
    create();
    CliRun.of("keys", "add", "k2", "--config", config.toString());

    CliRun run = CliRun.of("keys", "activate", "k2", "--config", config.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(config)).contains("rowseal.keystore.active = k2").doesNotContain("active = k1");
  }

  @Test
  void keys_noSubcommand_isUsageError() {
    CliRun run = CliRun.of("keys");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing a subcommand");
  }
}
