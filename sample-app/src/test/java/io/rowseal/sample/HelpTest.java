package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HelpTest {
  @Test
  void help_everyCommand_exitCode0AndListsExitCodes() {
    for (String[] command : new String[][] {{"--help"}, {"keys", "--help"}, {"keys", "create", "--help"},
        {"keys", "add", "--help"}, {"keys", "list", "--help"}, {"keys", "activate", "--help"}, {"status", "--help"},
        {"rewrap", "--help"}, {"verify", "--help"}, {"retire", "--help"}, {"demo", "--help"},
        {"encrypt-existing", "--help"}}) {
      CliRun run = CliRun.of(command);

      assertThat(run.exitCode()).as(String.join(" ", command)).isZero();
      assertThat(run.out()).as(String.join(" ", command)).contains("Usage: rowseal", "Exit codes:");
    }
  }

  @Test
  void rewrapHelp_listsNewOptionsAndHowToSplitATable() {
    CliRun run = CliRun.of("rewrap", "--help");

    assertThat(run.out()).contains("--workers", "--batch-size", "--max-key-ops-per-second", "--id-from", "--id-to",
        "--dry-run", "--keks", "IdRange.split").containsPattern("3\\s+rows it could not move");
  }
}
