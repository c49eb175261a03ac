package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HelpTest {
  @Test
  void help_everyCommand_exitCode0AndListsExitCodes() {
    for (String[] command : new String[][] {{"--help"}, {"keys", "--help"}, {"keys", "create", "--help"},
        {"keys", "add", "--help"}, {"keys", "list", "--help"}, {"keys", "activate", "--help"}, {"status", "--help"},
        {"rewrap", "--help"}, {"verify", "--help"}, {"retire", "--help"}, {"demo", "--help"}}) {
      CliRun run = CliRun.of(command);

      assertThat(run.exitCode()).as(String.join(" ", command)).isZero();
      assertThat(run.out()).as(String.join(" ", command)).contains("Usage: rowseal", "Exit codes:");
    }
  }
}
