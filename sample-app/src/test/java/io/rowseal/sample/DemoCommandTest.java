package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void demo_noArguments_encryptsRejectsPredicateAndRotatesToK2() {
    CliRun run = CliRun.of("demo");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    String out = run.out();
    // the plaintext read back through the wrapper, before and after the rotation
    assertThat(out.split("card_number=4111111111111111", -1)).hasSize(3);
    // the database holds no plaintext card number: only the two application reads show it
    assertThat(out).contains("wrapped by local:k1");
    assertThat(out).contains("rejected: SQLState 0A000");
    assertThat(out).containsSubsequence("status before:", "local:k1         3 rows",
        "status after:", "local:k2         3 rows");
    assertThat(out).contains("3 re-wrapped", "0 failed", "values unchanged");
  }

  @Test
  void demo_output_neverShowsKeystorePassword() {
    CliRun run = CliRun.of("demo");

    assertThat(run.out()).contains("random password, not shown").doesNotContainIgnoringCase("password=");
  }
}
