package io.rowseal.sample.internal;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * Progress of a long command: a redrawn bar with rate and ETA on a terminal ({@code System.console() !=
 * null}), and plain lines otherwise (at most one every {@link #PLAIN_INTERVAL} plus a final one), so
 * CI logs stay readable. Shows counts only. The rate and ETA are measured here, or taken from the job
 * ({@link #update(long, long, double, Duration)}). Not thread-safe: call it from one thread at a time.
 */
public final class Progress implements AutoCloseable {
  static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

  private final PrintWriter out;
  private final String task;
  private long total;
  private final @Nullable ProgressBar bar;
  private final long started = System.nanoTime();
  private long lastPrinted = started;
  private final Duration interval;
  private long done;

  private Progress(PrintWriter out, String task, long total, @Nullable ProgressBar bar, Duration interval) {
    this.out = out;
    this.interval = interval;
    this.task = task;
    this.total = total;
    this.bar = bar;
  }

  /** A bar when attached to a terminal, plain lines on {@code out} otherwise; {@code total < 0}: not known yet. */
  public static Progress start(PrintWriter out, String task, long total) {
    return start(out, task, total, System.console() != null);
  }

  static Progress start(PrintWriter out, String task, long total, boolean terminal) {
    return start(out, task, total, terminal, PLAIN_INTERVAL);
  }

  static Progress start(PrintWriter out, String task, long total, boolean terminal, Duration interval) {
    ProgressBar bar = null;
    if (terminal) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" rows", 1).showSpeed()
          .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
          .setUpdateIntervalMillis(250).build();
    }
    return new Progress(out, task, total, bar, interval);
  }

  /** Rows done so far; the rate and ETA are measured here. */
  public void update(long rowsDone) {
    long now = System.nanoTime();
    double seconds = (now - started) / 1e9;
    double rate = seconds > 0 ? rowsDone / seconds : 0;
    Duration eta = rate > 0 && total >= rowsDone ? Duration.ofMillis(Math.round((total - rowsDone) * 1000 / rate)) : null;
    update(rowsDone, total, rate, eta);
  }

  /**
   * Rows done so far out of {@code totalRows} ({@code < 0}: not known), at the job's own rate and
   * estimate of the time left ({@code null}: none yet).
   */
  public void update(long rowsDone, long totalRows, double rowsPerSecond, @Nullable Duration remaining) {
    done = rowsDone;
    if (totalRows >= 0 && totalRows != total) {
      total = totalRows;
      if (bar != null) {
        bar.maxHint(totalRows);
      }
    }
    if (bar != null) {
      bar.stepTo(total >= 0 ? Math.min(rowsDone, total) : rowsDone);
      return;
    }
    long now = System.nanoTime();
    if (now - lastPrinted >= interval.toNanos()) {
      lastPrinted = now;
      out.println(line(task, done, total, rowsPerSecond, remaining));
      out.flush();
    }
  }

  /** One plain progress line: {@code task: done/total rows (p%), r rows/s, ETA s}. */
  static String line(String task, long done, long total, double rowsPerSecond, @Nullable Duration remaining) {
    String of = total >= 0
        ? String.format("%d/%d rows (%d%%)", done, total, total == 0 ? 100 : Math.min(100, done * 100 / total))
        : done + " rows";
    String eta = remaining != null && total >= 0 ? ", ETA " + Math.max(0, remaining.toSeconds()) + "s" : "";
    return String.format("%s: %s, %.0f rows/s%s", task, of, rowsPerSecond, eta);
  }

  /** Ends the bar, or prints the final plain line. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf("%s: %d rows in %.1fs (%.0f rows/s)%n", task, done, seconds, seconds > 0 ? done / seconds : 0.0);
    out.flush();
  }
}
