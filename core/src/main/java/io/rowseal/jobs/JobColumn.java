package io.rowseal.jobs;

import java.util.Objects;

/**
 * A column a {@link RowAction} reads (and may write): its name and whether it is read as text or as
 * bytes, which also decides how the engine's compare-and-set compares it. Immutable.
 */
public final class JobColumn {
  private final String name;
  private final boolean text;

  private JobColumn(String name, boolean text) {
    this.name = Objects.requireNonNull(name, "name");
    this.text = text;
  }

  /** A binary column ({@code bytea}, {@code varbinary}), read with {@code getBytes}. */
  public static JobColumn bytes(String name) {
    return new JobColumn(name, false);
  }

  /** A text column, read with {@code getString} and compared byte-exactly (also on MariaDB/MySQL). */
  public static JobColumn text(String name) {
    return new JobColumn(name, true);
  }

  public String name() {
    return name;
  }

  /** Whether the column is read as text ({@code String}) rather than bytes. */
  public boolean isText() {
    return text;
  }

  @Override
  public String toString() {
    return name + (text ? " (text)" : " (bytes)");
  }
}
