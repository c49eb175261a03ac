package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  private static void assertFullStory(CliRun run) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    String out = run.out();
    // the plaintext the application reads appears only in the application's reads, never in the raw rows
    assertThat(out).containsSubsequence("What the application reads", "card_number=4111111111111111",
        "What the database holds", "rowseal_dek: wrapped by local:k1");
    String raw = out.substring(out.indexOf("What the database holds"), out.indexOf("A predicate on"));
    assertThat(raw).doesNotContain("4111111111111111", "Ada Lovelace", "7890").contains("holder_name=rs1:");
    assertThat(out).contains("-> SQLState 0A000");
    assertThat(out).containsSubsequence("$ rowseal keys add k2 --activate", "is wrapped by local:k2",
        "$ rowseal status", "local:k1         3 rows", "local:k2         1 rows",
        "$ rowseal rewrap", "cards -> local:k2: 4 scanned, 3 re-wrapped, 1 already on it", "0 failed",
        "$ rowseal status", "cards:", "local:k2         4 rows",
        "$ rowseal verify", "cards: 4 scanned, 0 skipped by sampling, 4 verified, 0 failed (12 values decrypted",
        "$ rowseal retire k1", "retired local:k1: deleted from the keystore",
        "every value unchanged");
    assertThat(out).containsPattern("new card [0-9]+ is wrapped by local:k2.*\n  card [0-9]+ +holder_name=Ada Lovelace +card_number=5105105105105100");
  }

  @Test
  void demo_noArguments_runsTheWholeStoryOnEmbeddedH2WithoutLogNoiseOrPasswords() {
    CliRun run = CliRun.of("demo");

    assertFullStory(run);
    assertThat(run.out()).contains("embedded H2", "random password, not shown")
        .doesNotContainIgnoringCase("password=").doesNotContain("rowseal.keystore.password =");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void demo_jdbcUrlOfPostgres_runsInItsOwnSchemaAndDropsIt() throws Exception {
    String url = System.getenv().getOrDefault("ROWSEAL_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    CliRun run = CliRun.of("demo", "--jdbc-url", url);

    assertFullStory(run);
    String schema = run.out().replaceAll("(?s).*PostgreSQL schema (rowseal_demo_[a-z0-9]+).*", "$1");
    assertThat(schema).startsWith("rowseal_demo_");
    try (Connection c = TestDatabases.postgres().getConnection();
        ResultSet rs = c.getMetaData().getSchemas(null, schema)) {
      assertThat(rs.next()).as("schema " + schema + " dropped").isFalse();
    }
  }
}
