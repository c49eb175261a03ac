package io.rowseal.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Who owns the CPU in a JFR recording: charges each {@code jdk.ExecutionSample} to the owner of the innermost frame
 * of its stack that belongs to a known owner, and prints the shares (issue 13: RowSeal's own code at most 8% of
 * CPU samples on the JDBC scan and insert paths).
 *
 * <p>Owners, by the frame's class name: <b>rowseal</b> ({@code io.rowseal.*} except {@code io.rowseal.benchmarks}),
 * <b>crypto</b> (the JDK's and providers' crypto: {@code javax.crypto}, {@code com.sun.crypto}, {@code
 * sun.security}, {@code java.security}, {@code com.amazon.corretto}), <b>driver</b> ({@code org.postgresql},
 * {@code com.zaxxer}, {@code org.mariadb}) and <b>benchmark</b> ({@code io.rowseal.benchmarks}). Every other frame
 * (JDK library code: {@code String}, {@code Arrays}, collections, intrinsics) counts for the nearest owner frame
 * above it, so {@code Arrays.fill} called by RowSeal is RowSeal's and {@code String.<init>} called by pgjdbc is the
 * driver's. A sample with no owner frame at all is <b>other</b>. Only samples of the threads named by {@code
 * --threads} (default {@code main}, the thread that runs a {@code CardsBenchmark --only} path) are counted: the
 * denominator is every sample of those threads.
 *
 * <p>Also prints the RowSeal methods that own the most samples (the innermost RowSeal frame, {@code Class.method}),
 * and the innermost frames of those samples (what the time is spent in, JDK frames included).
 *
 * <p>A file whose name does not end in {@code .jfr} is read as async-profiler's collapsed stacks ({@code
 * CardsBenchmark --asprof}): CPU samples that include native code, counted by the same rules (native frames have no
 * owner and count for the Java frame above them); it has no separate native-method samples.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rowseal.benchmarks.JfrShare scan.jfr [insert.jfr ...]
 *     [--threads main[,other]] [--top 15]
 * </pre>
 */
public final class JfrShare {
  static final String ROWSEAL = "rowseal";
  static final String CRYPTO = "crypto";
  static final String DRIVER = "driver";
  static final String BENCHMARK = "benchmark";
  static final String OTHER = "other";
  private static final List<String> OWNERS = List.of(ROWSEAL, CRYPTO, DRIVER, BENCHMARK, OTHER);

  private static final String[] CRYPTO_PACKAGES = {
      "javax.crypto.", "com.sun.crypto.", "sun.security.", "java.security.", "com.amazon.corretto."};
  private static final String[] DRIVER_PACKAGES = {"org.postgresql.", "com.zaxxer.", "org.mariadb."};

  private JfrShare() {}

  /** The owner of one frame's class, or null for library code that counts for the owner above it. */
  static String ownerOf(String className) {
    if (className.startsWith("io.rowseal.benchmarks.")) {
      return BENCHMARK;
    }
    if (className.startsWith("io.rowseal.")) {
      return ROWSEAL;
    }
    for (String p : CRYPTO_PACKAGES) {
      if (className.startsWith(p)) {
        return CRYPTO;
      }
    }
    for (String p : DRIVER_PACKAGES) {
      if (className.startsWith(p)) {
        return DRIVER;
      }
    }
    return null;
  }

  /** The counts of one recording. */
  static final class Tally {
    final Map<String, Long> byOwner = new LinkedHashMap<>();
    final Map<String, Long> rowSealMethods = new HashMap<>();
    final Map<String, Long> rowSealLeaves = new HashMap<>();
    final Map<String, Long> byThread = new HashMap<>();
    /** {@code jdk.NativeMethodSample}s of the counted threads, by owner (same rules). */
    final Map<String, Long> nativeByOwner = new LinkedHashMap<>();
    final Map<String, Long> nativeLeaves = new HashMap<>();
    long total;
    long nativeTotal;
    long truncated;
    /**
     * The same counts from {@code jdk.CPUTimeSample} (JDK 25+, JEP 509), if the recording has them: CPU-time samples
     * of threads in Java and in native code alike, so, unlike {@code jdk.ExecutionSample}, they see ACCP's native
     * AES-GCM and the CPU the driver spends in socket calls, and never a thread that waits.
     */
    Tally cpuTime;
    long cpuTimeLost;

    Tally() {
      for (String o : OWNERS) {
        byOwner.put(o, 0L);
        nativeByOwner.put(o, 0L);
      }
    }

    void addNative(RecordedStackTrace stack) {
      nativeTotal++;
      RecordedFrame f = stack == null ? null : ownerFrame(stack.getFrames());
      String owner = f == null ? OTHER : ownerOf(f.getMethod().getType().getName());
      nativeByOwner.merge(owner, 1L, Long::sum);
      if (stack != null && !stack.getFrames().isEmpty()) {
        nativeLeaves.merge(owner + " " + name(stack.getFrames().get(0)), 1L, Long::sum);
      }
    }

    private static RecordedFrame ownerFrame(List<RecordedFrame> frames) {
      for (RecordedFrame f : frames) { // innermost first
        if (f.getMethod() != null && f.getMethod().getType() != null
            && ownerOf(f.getMethod().getType().getName()) != null) {
          return f;
        }
      }
      return null;
    }

    /**
     * One line of async-profiler's collapsed output: {@code [thread tid=n];outer;...;inner count}, frames as
     * {@code pkg/Class.method} (Java) or a bare symbol (native code, stubs, the kernel's {@code _[k]}). The same rules
     * as for a JFR stack: the innermost frame with an owner takes the samples; native frames have none, so ACCP's
     * native AES-GCM counts for its Java caller (crypto) and the kernel's socket copies for pgjdbc (driver).
     */
    void addCollapsed(List<String> frames, long count) { // outermost first
      total += count;
      String owner = OTHER;
      String ownerFrame = null;
      for (int i = frames.size() - 1; i >= 0 && ownerFrame == null; i--) {
        String o = collapsedOwner(frames.get(i));
        if (o != null) {
          owner = o;
          ownerFrame = frames.get(i);
        }
      }
      byOwner.merge(owner, count, Long::sum);
      if (owner.equals(ROWSEAL)) {
        rowSealMethods.merge(shortName(ownerFrame), count, Long::sum);
        rowSealLeaves.merge(shortName(frames.get(frames.size() - 1)), count, Long::sum);
      }
    }

    private static String collapsedOwner(String frame) {
      int dot = frame.lastIndexOf('.');
      return dot < 0 || frame.indexOf('/') < 0 ? null : ownerOf(frame.substring(0, dot).replace('/', '.'));
    }

    private static String shortName(String frame) {
      return frame.substring(frame.lastIndexOf('/') + 1);
    }

    void add(RecordedStackTrace stack) {
      total++;
      if (stack == null) {
        byOwner.merge(OTHER, 1L, Long::sum);
        return;
      }
      if (stack.isTruncated()) {
        truncated++;
      }
      List<RecordedFrame> frames = stack.getFrames();
      RecordedFrame ownerFrame = ownerFrame(frames);
      String owner = ownerFrame == null ? OTHER : ownerOf(ownerFrame.getMethod().getType().getName());
      byOwner.merge(owner, 1L, Long::sum);
      if (owner.equals(ROWSEAL)) {
        rowSealMethods.merge(name(ownerFrame), 1L, Long::sum);
        rowSealLeaves.merge(frames.isEmpty() ? "?" : name(frames.get(0)), 1L, Long::sum);
      }
    }

    private static String name(RecordedFrame f) {
      String type = f.getMethod().getType().getName();
      return type.substring(type.lastIndexOf('.') + 1).replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda") + "."
          + f.getMethod().getName();
    }
  }

  /** Counts the execution samples of the named threads (all threads when {@code threads} is empty). */
  static Tally read(Path file, List<String> threads) throws IOException {
    if (!file.toString().endsWith(".jfr")) {
      return readCollapsed(file, threads);
    }
    Tally tally = new Tally();
    Map<String, Long> allThreads = new HashMap<>();
    try (RecordingFile in = new RecordingFile(file)) {
      while (in.hasMoreEvents()) {
        RecordedEvent e = in.readEvent();
        String type = e.getEventType().getName();
        if (type.equals("jdk.CPUTimeSamplesLost")) {
          tally.cpuTimeLost += e.getLong("lostSamples");
          continue;
        }
        if (type.equals("jdk.CPUTimeSample")) {
          String name = threadName(e.getThread("eventThread"));
          if (tally.cpuTime == null) {
            tally.cpuTime = new Tally();
          }
          tally.cpuTime.byThread.merge(name, 1L, Long::sum);
          if (threads.isEmpty() || threads.contains(name)) {
            tally.cpuTime.add(e.getStackTrace());
          }
          continue;
        }
        boolean java = type.equals("jdk.ExecutionSample");
        if (!java && !type.equals("jdk.NativeMethodSample")) {
          continue;
        }
        String name = threadName(e.getThread("sampledThread"));
        if (java) {
          allThreads.merge(name, 1L, Long::sum);
        }
        if (threads.isEmpty() || threads.contains(name)) {
          if (java) {
            tally.add(e.getStackTrace());
          } else {
            tally.addNative(e.getStackTrace());
          }
        }
      }
    }
    tally.byThread.putAll(allThreads);
    return tally;
  }

  /** A thread's Java name, or its OS name (async-profiler's recordings give only that), or "?". */
  private static String threadName(RecordedThread t) {
    String name = t == null ? null : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    return name == null ? "?" : name;
  }

  /** As {@link #read}, for async-profiler's collapsed stacks written with its {@code threads} option. */
  static Tally readCollapsed(Path file, List<String> threads) throws IOException {
    Tally tally = new Tally();
    for (String line : java.nio.file.Files.readAllLines(file)) {
      int space = line.lastIndexOf(' ');
      if (line.isBlank() || space < 0) {
        continue;
      }
      List<String> frames = new ArrayList<>(List.of(line.substring(0, space).split(";")));
      long count = Long.parseLong(line.substring(space + 1).trim());
      String thread = "?";
      if (!frames.isEmpty() && frames.get(0).startsWith("[")) {
        String t = frames.remove(0);
        int tid = t.lastIndexOf(" tid=");
        thread = t.substring(1, tid < 0 ? t.length() - 1 : tid);
      }
      tally.byThread.merge(thread, count, Long::sum);
      if ((threads.isEmpty() || threads.contains(thread)) && !frames.isEmpty()) {
        tally.addCollapsed(frames, count);
      }
    }
    return tally;
  }

  public static void main(String[] args) throws IOException {
    List<Path> files = new ArrayList<>();
    List<String> threads = List.of("main");
    int top = 15;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--threads") && i + 1 < args.length) {
        threads = args[++i].isEmpty() || args[i].equals("*") ? List.of() : List.of(args[i].split(","));
      } else if (args[i].equals("--top") && i + 1 < args.length) {
        top = Integer.parseInt(args[++i]);
      } else if (args[i].startsWith("--")) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: --threads a,b (or *), --top n");
      } else {
        files.add(Path.of(args[i]));
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("usage: JfrShare <recording.jfr>... [--threads main] [--top 15]");
    }
    Map<String, List<Double>> shares = new LinkedHashMap<>();
    for (Path file : files) {
      Tally t = read(file, threads);
      print(file, t, threads, top);
      shares.computeIfAbsent(file.toString().endsWith(".jfr") ? "JFR execution samples" : "async-profiler CPU samples",
          k -> new ArrayList<>()).add(percent(t.byOwner.get(ROWSEAL), t.total));
      if (t.cpuTime != null && t.cpuTime.total > 0) {
        shares.computeIfAbsent("JFR CPU-time samples", k -> new ArrayList<>())
            .add(percent(t.cpuTime.byOwner.get(ROWSEAL), t.cpuTime.total));
      }
    }
    if (files.size() > 1) {
      printSummary(shares);
    }
  }

  /**
   * RowSeal's share per instrument over all the recordings given: the median and the range. Recordings of separate
   * JVMs differ by about a point on the insert path (the JIT inlines differently from run to run), so one run proves
   * little; {@code benchmarks/share-runs.sh} makes several.
   */
  private static void printSummary(Map<String, List<Double>> shares) {
    System.out.printf(Locale.ROOT, "%nRowSeal's share over the recordings:%n");
    System.out.printf(Locale.ROOT, "  | instrument | recordings | median | min | max | each |%n");
    for (Map.Entry<String, List<Double>> e : shares.entrySet()) {
      List<Double> sorted = new ArrayList<>(e.getValue());
      sorted.sort(null);
      int n = sorted.size();
      double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
      StringBuilder each = new StringBuilder();
      for (double d : e.getValue()) {
        each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", d));
      }
      System.out.printf(Locale.ROOT, "  | %s | %d | %.1f%% | %.1f%% | %.1f%% | %s |%n", e.getKey(), n, median,
          sorted.get(0), sorted.get(n - 1), each);
    }
  }

  private static void print(Path file, Tally t, List<String> threads, int top) {
    System.out.printf(Locale.ROOT, "%n%s: %d execution samples of thread(s) %s (all threads: %s)%s%n", file, t.total,
        threads.isEmpty() ? "*" : String.join(",", threads), t.byThread,
        t.truncated > 0 ? ", " + t.truncated + " stacks truncated" : "");
    System.out.printf(Locale.ROOT, "  %-10s %8s %7s%n", "owner", "samples", "share");
    for (Map.Entry<String, Long> e : t.byOwner.entrySet()) {
      System.out.printf(Locale.ROOT, "  %-10s %8d %6.1f%%%n", e.getKey(), e.getValue(), percent(e.getValue(), t.total));
    }
    long outside = t.total - t.byOwner.get(BENCHMARK);
    System.out.printf(Locale.ROOT, "  rowseal share of the samples outside the benchmark's own code: %.1f%% (%d / %d)%n",
        percent(t.byOwner.get(ROWSEAL), outside), t.byOwner.get(ROWSEAL), outside);
    System.out.printf(Locale.ROOT, "  | rowseal | crypto | driver | benchmark | other | samples |%n");
    System.out.printf(Locale.ROOT, "  | %s | %s | %s | %s | %s | %d |%n", cell(t, ROWSEAL), cell(t, CRYPTO),
        cell(t, DRIVER), cell(t, BENCHMARK), cell(t, OTHER), t.total);
    if (!file.toString().endsWith(".jfr")) { // CPU samples, native code included: nothing to add
      printTops(t, top);
      return;
    }
    long nativeCrypto = t.nativeByOwner.get(CRYPTO);
    long cpu = t.total + nativeCrypto;
    System.out.printf(Locale.ROOT, "  native-method samples of the same thread(s): %d, by owner %s%n", t.nativeTotal,
        t.nativeByOwner);
    System.out.printf(Locale.ROOT, "  with native crypto (CPU work, e.g. ACCP) added, the rest of native (waiting) left out:"
        + " %d samples%n", cpu);
    System.out.printf(Locale.ROOT, "  | rowseal | crypto (java + native) | driver | benchmark | other | samples |%n");
    System.out.printf(Locale.ROOT, "  | %.1f%% (%d) | %.1f%% (%d + %d) | %.1f%% (%d) | %.1f%% (%d) | %.1f%% (%d) | %d |%n",
        percent(t.byOwner.get(ROWSEAL), cpu), t.byOwner.get(ROWSEAL),
        percent(t.byOwner.get(CRYPTO) + nativeCrypto, cpu), t.byOwner.get(CRYPTO), nativeCrypto,
        percent(t.byOwner.get(DRIVER), cpu), t.byOwner.get(DRIVER),
        percent(t.byOwner.get(BENCHMARK), cpu), t.byOwner.get(BENCHMARK),
        percent(t.byOwner.get(OTHER), cpu), t.byOwner.get(OTHER), cpu);
    System.out.printf(Locale.ROOT, "  top native leaves:%n");
    printTop(t.nativeLeaves, t.nativeTotal, 6);
    printTops(t, top);
    Tally c = t.cpuTime;
    if (c != null) {
      System.out.printf(Locale.ROOT, "%n%s: %d CPU-time samples (jdk.CPUTimeSample: Java and native code, CPU only) of"
          + " thread(s) %s (all threads: %s; lost: %d)%n", file, c.total, threads.isEmpty() ? "*" : String.join(",", threads),
          c.byThread, t.cpuTimeLost);
      System.out.printf(Locale.ROOT, "  | rowseal | crypto | driver | benchmark | other | samples |%n");
      System.out.printf(Locale.ROOT, "  | %s | %s | %s | %s | %s | %d |%n", cell(c, ROWSEAL), cell(c, CRYPTO),
          cell(c, DRIVER), cell(c, BENCHMARK), cell(c, OTHER), c.total);
      printTops(c, top);
    }
  }

  private static void printTops(Tally t, int top) {
    System.out.printf(Locale.ROOT, "  top RowSeal methods (innermost RowSeal frame):%n");
    printTop(t.rowSealMethods, t.total, top);
    System.out.printf(Locale.ROOT, "  top leaves of RowSeal's samples (innermost frame, JDK included):%n");
    printTop(t.rowSealLeaves, t.total, top);
  }

  private static String cell(Tally t, String owner) {
    return String.format(Locale.ROOT, "%.1f%% (%d)", percent(t.byOwner.get(owner), t.total), t.byOwner.get(owner));
  }

  private static void printTop(Map<String, Long> counts, long total, int top) {
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(e -> System.out.printf(Locale.ROOT, "    %6d %5.1f%%  %s%n", e.getValue(),
            percent(e.getValue(), total), e.getKey()));
  }

  private static double percent(long part, long total) {
    return total == 0 ? 0 : 100.0 * part / total;
  }
}
