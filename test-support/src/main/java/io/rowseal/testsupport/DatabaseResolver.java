package io.rowseal.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Tries candidate database sources in order and returns the first one that answers {@code select 1}.
 *
 * <p>Package-private so the resolution logic (and its failure message) can be unit-tested with
 * arbitrary candidate lists. Stateless and thread-safe; caching is done by {@link TestDatabases}.
 */
final class DatabaseResolver {

  /** Seconds allowed for the {@code select 1} liveness query of a candidate. */
  static final int CHECK_QUERY_TIMEOUT_SECONDS = 5;

  private static final int MAX_REASON_LENGTH = 400;
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)(password=)[^&;]*");
  private static final Pattern USERINFO_PASSWORD =
      Pattern.compile("(//[^/:@?;]*:)[^/@?;]*@");

  private DatabaseResolver() {}

  /** Produces a ready {@link Resolved}, e.g. by building a DataSource or starting a container. */
  @FunctionalInterface
  interface Opener {
    Resolved open() throws Exception;
  }

  /**
   * One place a database may come from.
   *
   * @param label  how the candidate is named in the failure message; must not contain a password
   * @param opener builds the DataSource (may be slow, e.g. starts a container)
   * @param secret a password to scrub from failure reasons, or empty
   */
  record Candidate(String label, Opener opener, String secret) {
    Candidate {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(opener, "opener");
      secret = secret == null ? "" : secret;
    }
  }

  /**
   * A working DataSource, a password-free description of where it points and, where known, how to log in
   * to the same server again from another JVM ({@code login} may be null).
   */
  record Resolved(DataSource dataSource, String description, DatabaseLogin login) {
    Resolved {
      Objects.requireNonNull(dataSource, "dataSource");
      Objects.requireNonNull(description, "description");
    }

    Resolved(DataSource dataSource, String description) {
      this(dataSource, description, null);
    }
  }

  /** Thrown by an {@link Opener} that does not apply (e.g. env var not set); message is the reason. */
  static final class NotApplicable extends Exception {
    NotApplicable(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Returns the first candidate whose DataSource opens a connection and answers {@code select 1}.
   *
   * @param databaseName  e.g. "PostgreSQL", used in the failure message
   * @param candidates    tried in order
   * @param howToProvide  human instructions appended to the failure message
   * @throws IllegalStateException if no candidate works; the message explains how to provide a
   *     database and why each candidate failed (without passwords)
   */
  static Resolved resolve(String databaseName, List<Candidate> candidates, String howToProvide) {
    List<String> failures = new ArrayList<>();
    for (Candidate candidate : candidates) {
      try {
        Resolved resolved = candidate.opener().open();
        check(resolved.dataSource());
        return resolved;
      } catch (Exception | LinkageError e) {
        failures.add(candidate.label() + ": " + reason(e, candidate.secret()));
      }
    }
    StringBuilder message = new StringBuilder()
        .append("No ").append(databaseName).append(" database is available for tests. ")
        .append(howToProvide)
        .append("\nCandidates tried:");
    if (failures.isEmpty()) {
      message.append("\n  (none)");
    }
    for (String failure : failures) {
      message.append("\n  - ").append(failure);
    }
    throw new IllegalStateException(message.toString());
  }

  private static void check(DataSource dataSource) throws Exception {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(CHECK_QUERY_TIMEOUT_SECONDS);
      try (ResultSet rs = statement.executeQuery("select 1")) {
        if (!rs.next() || rs.getInt(1) != 1) {
          throw new IllegalStateException("'select 1' did not return 1");
        }
      }
    }
  }

  /** A one-line, password-free explanation of why a candidate failed. */
  static String reason(Throwable e, String secret) {
    String text;
    if (e instanceof NotApplicable) {
      text = e.getMessage();
    } else {
      StringBuilder sb = new StringBuilder();
      Throwable t = e;
      for (int depth = 0; t != null && depth < 3; depth++, t = t.getCause()) {
        if (depth > 0) {
          sb.append(" <- caused by ");
        }
        sb.append(t.getClass().getSimpleName());
        if (t.getMessage() != null) {
          sb.append(": ").append(t.getMessage());
        }
      }
      text = sb.toString();
    }
    text = redact(text).replaceAll("\\s+", " ").trim();
    if (!secret.isEmpty()) {
      text = text.replace(secret, "****");
    }
    if (text.length() > MAX_REASON_LENGTH) {
      text = text.substring(0, MAX_REASON_LENGTH) + "...";
    }
    return text;
  }

  /**
   * Removes passwords from a JDBC URL (or any text containing one): {@code password=...} parameters
   * and {@code user:password@} user-info.
   */
  static String redact(String url) {
    String out = PASSWORD_PARAM.matcher(url).replaceAll("$1****");
    return USERINFO_PASSWORD.matcher(out).replaceAll("$1****@");
  }

  /** Whether the JDBC URL sets the given (case-insensitive) connection parameter. */
  static boolean hasParam(String url, String name) {
    return Pattern.compile("(?i)[?&;]" + Pattern.quote(name) + "=").matcher(url).find();
  }
}
