package io.rowseal.testsupport;

import io.rowseal.testsupport.DatabaseResolver.Candidate;
import io.rowseal.testsupport.DatabaseResolver.NotApplicable;
import io.rowseal.testsupport.DatabaseResolver.Resolved;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;

/**
 * The one shared source of test databases for every RowSeal module.
 *
 * <p>{@link #postgres()} and {@link #mariadb()} try, in order: a Testcontainers container (only if
 * Docker is available), the JDBC URL in {@code ROWSEAL_TEST_POSTGRES_URL} /
 * {@code ROWSEAL_TEST_MARIADB_URL} (with optional {@code _USER} / {@code _PASSWORD} variables), and
 * finally a server on 127.0.0.1 with database {@code test}. Each candidate must open a connection
 * and answer {@code select 1}. The first that works is cached for the life of the JVM (a container
 * is started once and removed by Testcontainers' Ryuk when the JVM exits); if none works, every
 * call throws an {@link IllegalStateException} explaining how to provide a database.
 *
 * <p>Thread-safe: resolution happens at most once per database kind, under a lock.
 */
public final class TestDatabases {

  /** Upper bound on how long Testcontainers may spend deciding whether Docker is available. */
  static final long DOCKER_PROBE_TIMEOUT_SECONDS = 20;

  private static final int MAX_IDENTIFIER_LENGTH = 63; // PostgreSQL's limit; MariaDB allows 64
  private static final Pattern H2_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final AtomicLong UNIQUE_COUNTER = new AtomicLong();
  private static final long RANDOM_LOW = 78_364_164_096L; // 36^7: smallest 8-digit base-36 number
  private static final long RANDOM_HIGH = 2_821_109_907_456L; // 36^8

  private static final Memo POSTGRES = new Memo(() -> resolve(DatabaseKind.POSTGRES));
  private static final Memo MARIADB = new Memo(() -> resolve(DatabaseKind.MARIADB));

  private TestDatabases() {}

  /**
   * A PostgreSQL DataSource (Testcontainers, else {@code ROWSEAL_TEST_POSTGRES_URL}, else
   * {@code jdbc:postgresql://127.0.0.1:5432/test} as user postgres). The same instance is returned
   * on every call.
   *
   * @throws IllegalStateException if no PostgreSQL is reachable; the message says how to provide one
   */
  public static DataSource postgres() {
    return POSTGRES.get().dataSource();
  }

  /**
   * Which PostgreSQL source {@link #postgres()} uses, with its JDBC URL and user but never a
   * password. For logging.
   *
   * @throws IllegalStateException if no PostgreSQL is reachable
   */
  public static String postgresDescription() {
    return POSTGRES.get().description();
  }

  /**
   * A MariaDB DataSource (Testcontainers, else {@code ROWSEAL_TEST_MARIADB_URL}, else
   * {@code jdbc:mariadb://127.0.0.1:3306/test} as user root with an empty password). The same
   * instance is returned on every call.
   *
   * @throws IllegalStateException if no MariaDB is reachable; the message says how to provide one
   */
  public static DataSource mariadb() {
    return MARIADB.get().dataSource();
  }

  /**
   * Which MariaDB source {@link #mariadb()} uses, with its JDBC URL and user but never a password.
   *
   * @throws IllegalStateException if no MariaDB is reachable
   */
  public static String mariadbDescription() {
    return MARIADB.get().description();
  }

  /**
   * A new PostgreSQL schema {@code name} on {@link #postgres()}, and a DataSource whose connections use
   * it ({@code search_path}): for tests that need fixed table names, such as {@code rowseal_kek}.
   */
  public static DataSource postgresSchema(String name) {
    return scoped(postgres(), "create schema " + name, "set search_path to " + name);
  }

  /**
   * A new MariaDB database {@code name} on {@link #mariadb()}, and a DataSource whose connections use it.
   */
  public static DataSource mariadbDatabase(String name) {
    return scoped(mariadb(), "create database " + name, "use " + name);
  }

  /**
   * A new, uniquely named PostgreSQL schema (prefix {@code prefix}) that is dropped when the JVM exits, and a
   * DataSource whose connections use it: for fixtures that must not share a namespace with other tests (RowSeal's
   * schema validation scans the whole current schema).
   */
  public static DataSource postgresSchemaDroppedAtExit(String prefix) {
    String name = uniqueName(prefix);
    DROPS.add(() -> dropQuietly(postgres(), "drop schema if exists " + name + " cascade"));
    return postgresSchema(name);
  }

  /** As {@link #postgresSchemaDroppedAtExit}, a new MariaDB database dropped when the JVM exits. */
  public static DataSource mariadbDatabaseDroppedAtExit(String prefix) {
    String name = uniqueName(prefix);
    DROPS.add(() -> dropQuietly(mariadb(), "drop database if exists " + name));
    return mariadbDatabase(name);
  }

  private static final java.util.List<Runnable> DROPS = new java.util.concurrent.CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> DROPS.forEach(Runnable::run), "rowseal-test-schemas"));
  }

  private static void dropQuietly(DataSource server, String sql) {
    try (java.sql.Connection c = server.getConnection(); java.sql.Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (java.sql.SQLException | RuntimeException e) {
      // best effort at JVM exit
    }
  }

  private static DataSource scoped(DataSource ds, String create, String use) {
    try (java.sql.Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
      s.execute(create);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot run '" + create + "': " + e.getMessage(), e);
    }
    return new ScopedDataSource(ds, use);
  }

  /**
   * A DataSource for the in-memory H2 database {@code jdbc:h2:mem:<name>;DB_CLOSE_DELAY=-1} (kept
   * alive until the JVM exits; the same name means the same database).
   *
   * @param name letters, digits, {@code _} or {@code -}; use {@link #uniqueName(String)} for
   *     isolation
   */
  public static DataSource h2(String name) {
    Objects.requireNonNull(name, "name");
    if (!H2_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "H2 database name must match " + H2_NAME.pattern() + ": '" + name + "'");
    }
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    ds.setPassword("");
    return ds;
  }

  /**
   * A new identifier, unique within this JVM and very likely across concurrent JVMs, usable
   * unquoted as a table or database name in PostgreSQL, MariaDB and H2: lower-case
   * {@code [a-z0-9_]}, starting with a letter, at most 63 characters, e.g.
   * {@code orders_1k_3fz9q0ab}.
   *
   * @param prefix a readable prefix; other characters are replaced with {@code _}
   */
  public static String uniqueName(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (clean.isEmpty() || clean.charAt(0) < 'a' || clean.charAt(0) > 'z') {
      clean = "t_" + clean;
    }
    String suffix = "_" + Long.toString(UNIQUE_COUNTER.incrementAndGet(), 36) + "_"
        + Long.toString(ThreadLocalRandom.current().nextLong(RANDOM_LOW, RANDOM_HIGH), 36);
    int room = MAX_IDENTIFIER_LENGTH - suffix.length();
    if (clean.length() > room) {
      clean = clean.substring(0, room);
    }
    return clean + suffix;
  }

  /**
   * How to log in again to the server behind {@code server}, if it is the DataSource {@link #postgres()} or
   * {@link #mariadb()} returned in this JVM; otherwise null.
   */
  static DatabaseLogin loginOf(DataSource server) {
    for (Memo memo : new Memo[] {POSTGRES, MARIADB}) {
      Resolved resolved = memo.peek();
      if (resolved != null && resolved.dataSource() == server) {
        return resolved.login();
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Resolution (package-private for tests)

  private static Resolved resolve(DatabaseKind kind) {
    return resolve(kind, candidates(kind, System.getenv(), TestDatabases::dockerStatus, kind.localUrl));
  }

  static Resolved resolve(DatabaseKind kind, List<Candidate> candidates) {
    return DatabaseResolver.resolve(kind.displayName, candidates, kind.howToProvide());
  }

  /**
   * The candidates for {@code kind}, in order: container, environment URL, local default.
   *
   * @param env      environment variables (normally {@link System#getenv()})
   * @param docker   Docker availability check, only called if the container candidate is tried
   * @param localUrl the last-resort URL (normally {@link DatabaseKind#localUrl})
   */
  static List<Candidate> candidates(DatabaseKind kind, Map<String, String> env,
      Supplier<DockerStatus> docker, String localUrl) {
    return List.of(containerCandidate(kind, docker), envCandidate(kind, env),
        urlCandidate(kind, "local default", localUrl, kind.defaultUser, ""));
  }

  private static Candidate containerCandidate(DatabaseKind kind, Supplier<DockerStatus> docker) {
    String label = "Testcontainers " + kind.image;
    return new Candidate(label, () -> {
      DockerStatus status = docker.get();
      if (!status.available()) {
        throw new NotApplicable("Docker is not available (" + status.detail() + ")");
      }
      JdbcDatabaseContainer<?> container = kind.newContainer();
      container.start(); // stopped by Ryuk when the JVM exits
      DatabaseLogin login = new DatabaseLogin(kind, container.getJdbcUrl(), container.getUsername(),
          container.getPassword());
      return new Resolved(login.dataSource(),
          label + ": " + DatabaseResolver.redact(container.getJdbcUrl())
              + " (user " + container.getUsername() + ")", login);
    }, "");
  }

  private static Candidate envCandidate(DatabaseKind kind, Map<String, String> env) {
    String url = blankToNull(env.get(kind.urlVar()));
    if (url == null) {
      return new Candidate(kind.urlVar(), () -> {
        throw new NotApplicable("not set");
      }, "");
    }
    String user = blankToNull(env.get(kind.userVar()));
    if (user == null && !DatabaseResolver.hasParam(url, "user")) {
      user = kind.defaultUser;
    }
    String password = env.get(kind.passwordVar());
    if (password == null && !DatabaseResolver.hasParam(url, "password")) {
      password = "";
    }
    return urlCandidate(kind, kind.urlVar(), url, user, password);
  }

  private static Candidate urlCandidate(DatabaseKind kind, String source, String url,
      String user, String password) {
    String description = source + ": " + DatabaseResolver.redact(url)
        + " (user " + (user == null ? "from URL" : user) + ")";
    return new Candidate(description,
        () -> {
          DatabaseLogin login = new DatabaseLogin(kind, url, user, password);
          return new Resolved(login.dataSource(), description, login);
        }, password);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** Whether Testcontainers can use Docker here (probed once per JVM, bounded in time). */
  static DockerStatus dockerStatus() {
    return DockerProbe.status();
  }

  /** Whether Docker can be used, and if not, why. */
  record DockerStatus(boolean available, String detail) {}

  /**
   * Asks Testcontainers once per JVM, bounded in time; any failure means "not available".
   *
   * <p>Deliberately not a class-initialisation holder: the probe runs on another thread, and a
   * lambda of a class still being initialised would block that thread until the timeout.
   */
  private static final class DockerProbe {
    private static DockerStatus status; // guarded by DockerProbe.class

    static synchronized DockerStatus status() {
      if (status == null) {
        status = probe();
      }
      return status;
    }

    private static DockerStatus probe() {
      FutureTask<Boolean> task =
          new FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
      Thread thread = new Thread(task, "rowseal-docker-probe");
      thread.setDaemon(true);
      try {
        thread.start();
        boolean available = task.get(DOCKER_PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new DockerStatus(available,
            available ? "found by Testcontainers" : "Testcontainers found no Docker environment");
      } catch (TimeoutException e) {
        task.cancel(true);
        return new DockerStatus(false,
            "Docker check timed out after " + DOCKER_PROBE_TIMEOUT_SECONDS + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new DockerStatus(false, "interrupted while checking for Docker");
      } catch (ExecutionException e) {
        return new DockerStatus(false, "Docker check failed: "
            + DatabaseResolver.reason(e.getCause() == null ? e : e.getCause(), ""));
      } catch (Throwable e) {
        return new DockerStatus(false, "Docker check failed: " + DatabaseResolver.reason(e, ""));
      }
    }
  }

  /** Computes a {@link Resolved} at most once; caches the failure too, so tests fail fast. */
  private static final class Memo {
    private final Supplier<Resolved> supplier;
    private Resolved value;
    private RuntimeException failure;

    Memo(Supplier<Resolved> supplier) {
      this.supplier = supplier;
    }

    /** The resolved value, or null if not resolved (yet, or ever). */
    synchronized Resolved peek() {
      return value;
    }

    synchronized Resolved get() {
      if (value == null && failure == null) {
        try {
          value = supplier.get();
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (failure != null) {
        // A fresh exception per call (same message) so each caller gets its own stack trace.
        throw new IllegalStateException(failure.getMessage(), failure);
      }
      return value;
    }
  }
}
