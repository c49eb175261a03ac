package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.key.local.KeystorePassword;
import io.rowseal.key.local.LocalKeystore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyAndRetireCommandTest {
  @TempDir Path dir;
  private CardsFixture db;
  private Path k1Active;
  private Path k2Active;

  @BeforeEach
  void threeRowsOnK1() throws Exception {
    db = new CardsFixture(dir);
    k1Active = db.config("k1-active.properties", "keys.p12", "k1");
    k2Active = db.config("k2-active.properties", "keys.p12", "k2");
  }

  private LocalKeystore keystore() {
    return LocalKeystore.open(dir.resolve("keys.p12"), KeystorePassword.of(CardsFixture.PASSWORD.toCharArray()));
  }

  @Test
  void verify_cleanTable_exitCode0() {
    CliRun run = db.run(k1Active, "verify");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("cards: 3 scanned, 0 skipped by sampling, 3 verified, 0 failed (6 values decrypted");
  }

  @Test
  void verify_corruptedValue_exitCode3NamingRowAndColumnButNoValue() throws Exception {
    try (Connection c = db.raw.getConnection();
        PreparedStatement read = c.prepareStatement("select cvv from cards where id = 2");
        ResultSet rs = read.executeQuery();
        PreparedStatement write = c.prepareStatement("update cards set cvv = ? where id = 2")) {
      rs.next();
      byte[] cvv = rs.getBytes(1);
      cvv[5] ^= 0x40;
      write.setBytes(1, cvv);
      write.executeUpdate();
    }

    CliRun run = db.run(k1Active, "verify");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("1 failed", "failed: cards.cvv row 2 (key local:k1): VALUE_AUTHENTICATION_FAILED")
        .doesNotContain("122").doesNotContain("4111");
  }

  @Test
  void verify_sampleOutOfRange_isUsageError() {
    CliRun run = db.run(k1Active, "verify", "--sample", "1.5");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--sample must be in (0, 1]");
  }

  @Test
  void retire_rowsStillOnK1_refusedWithCountAndKeyKept() throws Exception {
    byte[] before = Files.readAllBytes(dir.resolve("keys.p12"));

    CliRun run = db.run(k2Active, "retire", "k1");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("cards                3 rows on local:k1", "refused: local:k1 is still needed",
        "cards: 3 rows wrapped by local:k1 (run rewrap)");
    assertThat(Files.readAllBytes(dir.resolve("keys.p12"))).isEqualTo(before);
  }

  @Test
  void retire_activeKey_refused() {
    CliRun rewrap = db.run(k2Active, "rewrap");
    CliRun run = db.run(k2Active, "retire", "local:k2");

    assertThat(rewrap.exitCode()).isZero();
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("local:k2 is the active key");
    assertThat(keystore().aliases()).containsExactly("k1", "k2");
  }

  @Test
  void retireDryRun_afterRewrap_safeAndKeyKept() {
    db.run(k2Active, "rewrap");

    CliRun run = db.run(k2Active, "retire", "k1", "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("cards                0 rows on local:k1", "safe to retire local:k1 (dry run, nothing deleted)");
    assertThat(keystore().aliases()).containsExactly("k1", "k2");
  }

  @Test
  void retire_afterRewrap_deletesK1AndEveryRowStillVerifies() {
    db.run(k2Active, "rewrap");

    CliRun run = db.run(k2Active, "retire", "k1");
    CliRun verify = db.run(k2Active, "verify");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("retired local:k1: deleted from the keystore");
    assertThat(keystore().aliases()).containsExactly("k2");
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("3 verified");
  }

  @Test
  void retire_withTableOption_isUsageError() {
    CliRun run = db.run(k2Active, "retire", "k1", "--table", "cards");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("retire checks every configured table");
  }
}
