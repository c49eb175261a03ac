package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusAndRewrapCommandTest {
  @TempDir Path dir;
  private CardsFixture db;

  @BeforeEach
  void threeRowsOnK1() throws Exception {
    db = new CardsFixture(dir);
  }

  @Test
  void status_rowsOnK1_countsThemPerKey() throws Exception {
    CliRun run = db.run(db.config("k1-active.properties", "keys.p12", "k1"), "status");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("active key: local:k1", "cards:", "local:k1         3 rows");
  }

  @Test
  void rewrap_k2Active_movesEveryRowAndStatusShowsK2() throws Exception {
    Path k2 = db.config("k2-active.properties", "keys.p12", "k2");

    CliRun rewrap = db.run(k2, "rewrap");
    CliRun status = db.run(k2, "status");

    assertThat(rewrap.exitCode()).as(rewrap.err()).isZero();
    assertThat(rewrap.out()).contains("cards -> local:k2: 3 scanned, 3 re-wrapped", "0 failed");
    assertThat(status.out()).contains("local:k2         3 rows").doesNotContain("local:k1");
  }

  @Test
  void rewrap_notOnATerminal_printsPlainProgressLine() throws Exception {
    CliRun run = db.run(db.config("k2-active.properties", "keys.p12", "k2"), "rewrap");

    assertThat(run.out()).containsPattern("rewrap cards: 3 rows in [0-9.]+s \\([0-9]+ rows/s\\)");
  }

  @Test
  void rewrap_oldKeyMissingFromKeystore_failsWithExitCode3() throws Exception {
    CliRun run = db.run(db.config("only-k2.properties", "only-k2.p12", "k2"), "rewrap");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.out()).contains("3 failed");
  }

  @Test
  void rewrapDryRun_k2Active_countsRowsAndChangesNothing() throws Exception {
    Path k2 = db.config("k2-active.properties", "keys.p12", "k2");

    CliRun dry = db.run(k2, "rewrap", "--dry-run");
    CliRun status = db.run(k2, "status");

    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("cards -> local:k2 (dry run, nothing changed): 3 would be re-wrapped {local:k1=3}, 0 already on it");
    assertThat(status.out()).contains("local:k1         3 rows").doesNotContain("local:k2  ");
  }

  @Test
  void rewrapDryRun_rowsOnKeyMissingFromKeystore_exitCode3() throws Exception {
    CliRun run = db.run(db.config("only-k2.properties", "only-k2.p12", "k2"), "rewrap", "--dry-run");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("would fail: 3 rows on local:k1 (not in the key ring)");
  }

  @Test
  void status_unknownTable_failsWithMessage() throws Exception {
    CliRun run = db.run(db.config("k1.properties", "keys.p12", "k1"), "status", "--table", "nope");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("rowseal status: ").contains("nope");
  }

  @Test
  void status_noConfiguration_isUsageErrorNamingOptionAndVariable() {
    CliRun run = CliRun.of("status", "--url", db.url);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--config FILE or $ROWSEAL_CONFIG");
  }
}
