package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on a {@code rowseal.mode = hierarchical} configuration: KEKs in rowseal_kek on the same H2 database. */
class HierarchicalCommandTest {
  @TempDir Path dir;
  private CardsFixture db;
  private Path hierK1;
  private Path hierK2;

  @BeforeEach
  void threeRowsMovedUnderAKekWrappedByK1() throws Exception {
    db = new CardsFixture(dir);
    hierK1 = hierarchical(db.config("hier-k1.properties", "keys.p12", "k1"), "");
    hierK2 = hierarchical(db.config("hier-k2.properties", "keys.p12", "k2"), "");
    CliRun toKek = db.run(hierK1, "rewrap");
    assertThat(toKek.exitCode()).as(toKek.out() + toKek.err()).isZero();
    assertThat(toKek.out()).contains("3 re-wrapped");
  }

  private static Path hierarchical(Path config, String extra) throws Exception {
    Files.writeString(config, Files.readString(config) + "rowseal.mode = hierarchical\nrowseal.kek.migrate = true\n"
        + extra);
    return config;
  }

  @Test
  void status_hierarchical_countsRowsPerKekAndKekRowsPerMasterKey() {
    CliRun run = db.run(hierK1, "status");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("kek:[0-9a-f-]{36} +3 rows")
        .contains("rowseal_kek (KEK rows per master key):", "local:k1         1 KEK rows");
  }

  @Test
  void rewrapKeksDryRun_k2Active_countsKekRowsAndChangesNothing() {
    CliRun dry = db.run(hierK2, "rewrap", "--keks", "--dry-run");

    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("rowseal_kek -> local:k2 (dry run, nothing changed): 1 KEK rows would be re-wrapped");
    assertThat(db.run(hierK1, "status").out()).contains("local:k1         1 KEK rows");
  }

  @Test
  void rewrapKeks_k2Active_movesOnlyKekRowsAndK1CanBeRetiredWithDataStillReadable() throws Exception {
    String dataBefore = companions();

    CliRun run = db.run(hierK2, "rewrap", "--keks");
    CliRun retire = db.run(hierK2, "retire", "k1");
    CliRun verify = db.run(hierK2, "verify");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("rowseal_kek -> local:k2: 1 KEK rows re-wrapped, 0 already on it, 0 left");
    assertThat(companions()).isEqualTo(dataBefore);
    assertThat(retire.exitCode()).as(retire.out() + retire.err()).isZero();
    assertThat(retire.out()).contains("retired local:k1: deleted from the keystore");
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("3 verified, 0 failed (6 values decrypted");
  }

  @Test
  void rewrapKeks_kekUnderKeyNotInRing_refusesAndChangesNothing() throws Exception {
    Path onlyK2 = hierarchical(db.config("hier-only-k2.properties", "only-k2.p12", "k2"), "");

    CliRun run = db.run(onlyK2, "rewrap", "--keks");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("refused, nothing re-wrapped", "cannot re-wrap 1 KEK rows on local:k1");
    assertThat(db.run(hierK1, "status").out()).contains("local:k1         1 KEK rows");
  }

  @Test
  void rewrapDryRun_rowsUnderOlderKek_wouldMoveThemWithoutFailures() throws Exception {
    // KEKs expire after a second: the dry run's target is a new KEK, the rows sit under the old one
    Path shortLived = hierarchical(db.config("hier-short.properties", "keys.p12", "k1"), "rowseal.kek.max-age = 1s\n");
    Thread.sleep(1100);

    CliRun dry = db.run(shortLived, "rewrap", "--dry-run");

    assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
    assertThat(dry.out()).contains("3 scanned, 3 would be re-wrapped, 0 already on it, 0 would fail")
        .containsPattern("on kek:[0-9a-f-]{36} +3 rows");
  }

  @Test
  void retire_k1StillWrapsAKek_refused() {
    CliRun run = db.run(hierK2, "retire", "k1");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("rowseal_kek", "refused: local:k1 is still needed");
  }

  private String companions() throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Connection c = db.raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, rowseal_dek from cards order by id")) {
      while (rs.next()) {
        sb.append(rs.getLong(1)).append('=').append(java.util.HexFormat.of().formatHex(rs.getBytes(2))).append(';');
      }
    }
    return sb.toString();
  }
}
