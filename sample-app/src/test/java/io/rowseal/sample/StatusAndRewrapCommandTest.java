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
  void rewrapDryRun_k2Active_countsRowsPerKeyAndChangesNothing() throws Exception {
    Path k2 = db.config("k2-active.properties", "keys.p12", "k2");

    CliRun dry = db.run(k2, "rewrap", "--dry-run");
    CliRun status = db.run(k2, "status");

    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).contains(
        "cards -> local:k2 (dry run, nothing changed): 3 scanned, 3 would be re-wrapped, 0 already on it, 0 would fail",
        "  on local:k1             3 rows");
    assertThat(status.out()).contains("local:k1         3 rows").doesNotContain("local:k2  ");
  }

  @Test
  void rewrapDryRun_rowsOnKeyMissingFromKeystore_exitCode3ListingEachRow() throws Exception {
    CliRun run = db.run(db.config("only-k2.properties", "only-k2.p12", "k2"), "rewrap", "--dry-run");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("0 would be re-wrapped, 0 already on it, 3 would fail",
        "would fail: cards.rowseal_dek row 1 (key local:k1): KEY_UNAVAILABLE: key local:k1 is not in the key ring",
        "would fail: cards.rowseal_dek row 3 (key local:k1)");
  }

  @Test
  void rewrap_workersBatchSizeAndRateLimit_movesEveryRowNoFasterThanTheLimit() throws Exception {
    Path k2 = db.config("k2-active.properties", "keys.p12", "k2");

    long started = System.nanoTime();
    CliRun run = db.run(k2, "rewrap", "--workers", "2", "--batch-size", "1", "--max-key-ops-per-second", "2");
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("cards -> local:k2: 3 scanned, 3 re-wrapped", "0 failed (3 key operations");
    // the bucket starts empty: 3 re-wraps at 2 per second take at least a second
    assertThat(millis).isGreaterThanOrEqualTo(1000);
    assertThat(db.run(k2, "status").out()).contains("local:k2         3 rows").doesNotContain("local:k1");
  }

  @Test
  void rewrap_idRange_movesOnlyRowsInRange() throws Exception {
    Path k2 = db.config("k2-active.properties", "keys.p12", "k2");

    CliRun run = db.run(k2, "rewrap", "--table", "cards", "--id-from", "2", "--id-to", "3");
    CliRun status = db.run(k2, "status");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("cards -> local:k2: 2 scanned, 2 re-wrapped");
    assertThat(status.out()).contains("local:k1         1 rows", "local:k2         2 rows");
  }

  @Test
  void rewrap_idRangeWithoutTable_isUsageError() throws Exception {
    CliRun run = db.run(db.config("k2-active.properties", "keys.p12", "k2"), "rewrap", "--id-from", "2");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--from/--to need --table");
  }

  @Test
  void rewrap_zeroWorkers_failsNamingTheSetting() throws Exception {
    CliRun run = db.run(db.config("k2-active.properties", "keys.p12", "k2"), "rewrap", "--workers", "0");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("workers must be positive, was 0");
    assertThat(db.run(db.config("k1.properties", "keys.p12", "k1"), "status").out()).contains("local:k1         3 rows");
  }

  @Test
  void rewrapKeks_directModeWithoutKekTable_failsSayingWhy() throws Exception {
    CliRun run = db.run(db.config("k2-active.properties", "keys.p12", "k2"), "rewrap", "--keks");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no rowseal_kek table", "hierarchical");
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
