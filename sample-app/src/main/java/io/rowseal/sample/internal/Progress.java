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
 * CI logs stay readable. Shows counts only. Not thread-safe.
 */
public final class Progress implements AutoCloseable {
  static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

  private final PrintWriter out;
  private final String task;
  private final long total;
  private final @Nullable ProgressBar bar;
  private final long started = System.nanoTime();
  private long lastPrinted = started;
  private long done;

  private Progress(PrintWriter out, String task, long total, @Nullable ProgressBar bar) {
    this.out = out;
    this.task = task;
    this.total = total;
    this.bar = bar;
  }

  /** A bar when attached to a terminal, plain lines on {@code out} otherwise. */
  public static Progress start(PrintWriter out, String task, long total) {
    return start(out, task, total, System.console() != null);
  }

  static Progress start(PrintWriter out, String task, long total, boolean terminal) {
    ProgressBar bar = null;
    if (terminal) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" rows", 1).showSpeed()
          .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
          .setUpdateIntervalMillis(250).build();
    }
    return new Progress(out, task, total, bar);
  }

  /** Rows done so far. */
  public void update(long rowsDone) {
    done = rowsDone;
    if (bar != null) {
      bar.stepTo(Math.min(rowsDone, total));
      return;
    }
    long now = System.nanoTime();
    if (now - lastPrinted >= PLAIN_INTERVAL.toNanos()) {
      lastPrinted = now;
      double seconds = (now - started) / 1e9;
      double rate = seconds > 0 ? done / seconds : 0;
      String eta = rate > 0 && total > done ? ", ETA " + Math.round((total - done) / rate) + "s" : "";
      out.printf("%s: %d/%d rows (%d%%), %.0f rows/s%s%n", task, done, total, total == 0 ? 100 : done * 100 / total, rate, eta);
      out.flush();
    }
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
