package io.rowseal.sample;

import io.rowseal.jobs.TableJob;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every table job command shares ({@code rewrap}, {@code verify}, {@code encrypt-existing}),
 * mapped one to one onto {@link TableJob.Builder}. {@code --table} lives in {@link DatabaseOptions}.
 */
final class JobOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
      description = "Worker threads processing and writing pages in parallel, each with its own connection; the "
          + "job uses N + 1 connections (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "ROWS",
      description = "Rows per page and transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = {"--rate", "--max-key-ops-per-second"}, defaultValue = "0", paramLabel = "OPS",
      description = "At most this many key operations per second over all workers (with AWS KMS one call each: "
          + "ReEncrypt to re-wrap, GenerateDataKey to encrypt, Decrypt to verify unless cached), to stay under a "
          + "quota; rows with nothing to do cost none (default: 0, no limit).")
  double rate;

  @Option(names = {"--from", "--id-from"}, paramLabel = "ID",
      description = "Only rows with id >= ID (needs --table with a single-column integer key). To split a table "
          + "across processes or machines, cut [min id, max id] into one range per process (IdRange.split, or "
          + "IdRange.splitTable in code) and run each process with its own --from/--to.")
  @Nullable Long from;

  @Option(names = {"--to", "--id-to"}, paramLabel = "ID", description = "Only rows with id <= ID (included); see --from.")
  @Nullable Long to;

  @Option(names = "--dry-run",
      description = "Change nothing: count the rows that would be written and list the rows that would fail.")
  boolean dryRun;

  /** Usage errors that need no database: a range without one table, a range upside down. */
  void validate(@Nullable String table) {
    if ((from != null || to != null) && table == null) {
      throw new ParameterException(spec.commandLine(), "--from/--to need --table: a range is one table's ids");
    }
    if (from != null && to != null && from > to) {
      throw new ParameterException(spec.commandLine(), "--from must not be above --to, was " + from + " > " + to);
    }
  }

  /** Whether any of these options was given on the command line. */
  boolean anyGiven() {
    for (String option : new String[] {"--workers", "--batch-size", "--rate", "--from", "--to"}) {
      if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
        return true;
      }
    }
    return false;
  }

  TableJob.Builder applyTo(TableJob.Builder job) {
    job.workers(workers).batchSize(batchSize).maxKeyOperationsPerSecond(rate).dryRun(dryRun);
    if (from != null || to != null) {
      job.idRange(from, to);
    }
    return job;
  }
}
