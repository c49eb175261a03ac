package io.rowseal.jobs;

import io.rowseal.search.IndexKeyVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ReindexJob} run did to each searchable column of one table: the phase steps it took (or
 * would take, in a dry run), the reports of its fill and clear passes, whether the rotation finished, and
 * the rows holding each index key version at the end. Holds no value and no key. Immutable once returned.
 */
public final class ReindexReport {
  private final String table;
  private final boolean dryRun;
  private final List<ColumnResult> columns;

  ReindexReport(String table, boolean dryRun, List<ColumnResult> columns) {
    this.table = table;
    this.dryRun = dryRun;
    this.columns = List.copyOf(columns);
  }

  public String table() {
    return table;
  }

  public boolean isDryRun() {
    return dryRun;
  }

  /** One result per searchable column, in configuration order. */
  public List<ColumnResult> columns() {
    return columns;
  }

  /** Whether every column's rotation finished (a dry run is complete when it found nothing in its way). */
  public boolean isComplete() {
    return columns.stream().allMatch(ColumnResult::isComplete);
  }

  /** The rows of every pass that could not be re-indexed. */
  public long failedRows() {
    long n = 0;
    for (ColumnResult c : columns) {
      n += c.fill().map(JobReport::failedRows).orElse(0L) + c.clear().map(JobReport::failedRows).orElse(0L);
    }
    return n;
  }

  @Override
  public String toString() {
    return "ReindexReport[" + table + (dryRun ? ", dry run" : "") + ", " + columns + "]";
  }

  /** The rotation of one searchable column. */
  public static final class ColumnResult {
    private final String column;
    private final List<String> steps = new ArrayList<>();
    @Nullable JobReport fill;
    @Nullable JobReport clear;
    boolean complete;
    Map<IndexKeyVersion, Long> rowsPerVersion = Map.of();

    ColumnResult(String column) {
      this.column = column;
    }

    void step(String line) {
      steps.add(line);
    }

    /** The logical column name. */
    public String column() {
      return column;
    }

    /** The phase steps, in order, as one line each (no values). */
    public List<String> steps() {
      return List.copyOf(steps);
    }

    /** The pass that wrote the new version's index into every row, if this run made it. */
    public Optional<JobReport> fill() {
      return Optional.ofNullable(fill);
    }

    /** The pass that cleared the old version's column, if this run made it. */
    public Optional<JobReport> clear() {
      return Optional.ofNullable(clear);
    }

    /** Whether the rotation of this column finished (its old version retired). */
    public boolean isComplete() {
      return complete;
    }

    /** Rows holding an index value of each recorded version, counted at the end of the run. */
    public Map<IndexKeyVersion, Long> rowsPerVersion() {
      return new LinkedHashMap<>(rowsPerVersion);
    }

    @Override
    public String toString() {
      return column + (complete ? " complete" : " incomplete") + " " + steps;
    }
  }
}
