package io.rowseal.hibernate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Turns the given java.util.logging loggers (JBoss Logging's backend in these tests, see the module's pom) to
 * TRACE (JUL {@code ALL}) and records everything they log: the formatted message, the raw pattern and every
 * parameter, so a value is found however a formatter would print it. Restores the levels on close.
 */
final class LogCapture implements AutoCloseable {
  private final List<Logger> loggers = new ArrayList<>();
  private final List<Level> previous = new ArrayList<>();
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final Handler handler = new Handler() {
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord r) {
      StringBuilder sb = new StringBuilder(r.getLoggerName()).append(" ").append(r.getLevel()).append(": ")
          .append(formatter.formatMessage(r)).append(" | ").append(r.getMessage());
      if (r.getParameters() != null) {
        for (Object p : r.getParameters()) {
          sb.append(" | ").append(p instanceof Object[] ? java.util.Arrays.deepToString((Object[]) p) : p);
        }
      }
      if (r.getThrown() != null) {
        sb.append(" | ").append(r.getThrown());
      }
      lines.add(sb.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  LogCapture(String... loggerNames) {
    handler.setLevel(Level.ALL);
    for (String name : loggerNames) {
      Logger logger = Logger.getLogger(name);
      loggers.add(logger); // JUL holds loggers weakly: keep them, or the level is lost
      previous.add(logger.getLevel());
      logger.setLevel(Level.ALL);
      logger.addHandler(handler);
    }
  }

  List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  /** The captured lines containing {@code text}. */
  List<String> linesContaining(String text) {
    return lines().stream().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    for (int i = 0; i < loggers.size(); i++) {
      loggers.get(i).removeHandler(handler);
      loggers.get(i).setLevel(previous.get(i));
    }
  }
}
