package io.rowseal.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A job's {@code main} class running in a child JVM on this JVM's class path, for crash tests: start it, wait
 * for lines it prints, kill it with SIGKILL at a point of the test's choosing, start it again. Every line the
 * child prints (stdout and stderr) is collected by a reader thread.
 *
 * <p>The child's side of the protocol: it prints a line {@code started} just before its work begins (so that
 * JVM start-up is not counted as part of the run), lines of its own while it works, and a line starting with
 * {@code done} when it has finished. Its database comes from {@link ChildDatabase}, not the command line.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(MyJobChild.class, ChildDatabase.environment(ds), "table")) {
 *   child.awaitLines(line -> line.startsWith("page "), 3, Duration.ofSeconds(60));
 *   child.kill();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one test thread drives a child. {@link #close()} kills the child if it still runs, so a
 * failed assertion leaves no process behind.
 */
public final class ChildJvm implements AutoCloseable {
  /** The line a child prints just before its work begins. */
  public static final String STARTED = "started";
  /** How a child's last line starts when it has finished its work. */
  public static final String DONE = "done";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
  private final long launchedNanos;
  private long startedNanos;
  private volatile boolean ended; // the reader has seen the end of the child's output

  private ChildJvm(Process process, long launchedNanos, String name) {
    this.process = process;
    this.launchedNanos = launchedNanos;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          unread.add(line);
        }
      } catch (IOException e) {
        // killed: the pipe closes
      } finally {
        ended = true;
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code mainClass} with {@code args} in a new JVM ({@code -XX:+UseSerialGC -Xmx256m}, this JVM's
   * {@code java} and class path, {@code environment} added to this process's) and returns once it printed
   * {@value #STARTED}.
   *
   * @throws AssertionError if the child printed no {@value #STARTED} within 60 s (it is killed; the message
   *     holds its output)
   */
  public static ChildJvm start(Class<?> mainClass, Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    Objects.requireNonNull(mainClass, "mainClass");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(environment);
    long launched = System.nanoTime();
    ChildJvm child = new ChildJvm(pb.start(), launched, mainClass.getSimpleName());
    if (child.awaitLines(STARTED::equals, 1, START_TIMEOUT) == null) {
      child.kill();
      throw new AssertionError("child " + mainClass.getSimpleName() + " exited before printing '" + STARTED + "': "
          + child.output());
    }
    child.startedNanos = System.nanoTime();
    return child;
  }

  /**
   * Waits until the child has printed {@code count} more lines matching {@code matching} (counting lines not
   * read by an earlier wait) and returns the last of them; returns null if the child exited first.
   *
   * @throws AssertionError if neither happens within {@code timeout} (the child is killed; the message holds
   *     its output)
   */
  public String awaitLines(Predicate<String> matching, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      String line = unread.poll(10, TimeUnit.MILLISECONDS);
      if (line != null) {
        if (matching.test(line) && ++seen >= count) {
          return line;
        }
      } else if (ended && unread.isEmpty()) {
        return null;
      }
    }
    kill();
    throw new AssertionError("child printed no " + count + " matching lines in " + timeout.toSeconds() + " s: "
        + output());
  }

  /** Lets the child run for {@code duration}, or until it exits. */
  public void runFor(Duration duration) throws InterruptedException {
    process.waitFor(duration.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Kills the child with SIGKILL (on Unix: no shutdown hook, no rollback by the job) and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * Waits for the child to exit and returns its exit code.
   *
   * @throws AssertionError if it runs longer than {@code timeout} (it is killed; the message holds its output)
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      kill();
      throw new AssertionError("child did not finish in " + timeout.toSeconds() + " s: " + output());
    }
    return process.exitValue();
  }

  /** Every line the child printed so far, in order (a copy). */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** The last line printed so far that starts with {@code prefix}, without the prefix; null if none. */
  public String lastLine(String prefix) {
    List<String> lines = output();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(prefix)) {
        return lines.get(i).substring(prefix.length());
      }
    }
    return null;
  }

  /** How many lines printed so far start with {@code prefix}. */
  public long count(String prefix) {
    return output().stream().filter(l -> l.startsWith(prefix)).count();
  }

  /** Whether the child printed its {@value #DONE} line: it finished its work (before any kill). */
  public boolean finished() {
    return count(DONE) > 0;
  }

  /** From launching the JVM until it printed {@value #STARTED}. */
  public Duration startup() {
    return Duration.ofNanos(startedNanos - launchedNanos);
  }

  /** Since the child printed {@value #STARTED}. */
  public Duration sinceStarted() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
