package io.rowseal.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends each section (one test, one database) to {@code target/oracle-report.txt} and, when
 * {@code rowseal.oracle.report} is set, to that file too. Both are truncated once per JVM.
 */
final class Report {
  private static final List<Path> STARTED = new ArrayList<>();

  private Report() {}

  static synchronized void section(String title, List<String> summary, List<Difference> diffs) {
    List<String> lines = new ArrayList<>();
    lines.add("== " + title);
    lines.addAll(summary);
    lines.add("differences: " + diffs.size() + "  (case | db | api | reason)");
    for (Difference d : diffs) {
      lines.add(d.toString());
    }
    lines.add("");
    List<Path> targets = new ArrayList<>();
    targets.add(Path.of("target", "oracle-report.txt"));
    if (OracleSettings.report() != null) {
      targets.add(Path.of(OracleSettings.report()));
    }
    for (Path p : targets) {
      try {
        if (p.getParent() != null) {
          Files.createDirectories(p.getParent());
        }
        if (!STARTED.contains(p)) {
          STARTED.add(p);
          Files.write(p, List.of("RowSeal differential oracle report", ""), StandardCharsets.UTF_8);
        }
        Files.write(p, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The assertion message: a count and the first lines of the list. */
  static String failure(String title, List<Difference> diffs) {
    StringBuilder sb = new StringBuilder(title + ": " + diffs.size()
        + " differences (full list in target/oracle-report.txt)\n");
    int shown = 0;
    for (Difference d : diffs) {
      if (shown++ == 200) {
        sb.append("... ").append(diffs.size() - 200).append(" more\n");
        break;
      }
      sb.append("  ").append(d).append('\n');
    }
    return sb.toString();
  }
}
