package io.rowseal.testsupport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Hands a test database to a child JVM (see {@link ChildJvm}) through environment variables, so that no
 * credential is on a command line: the parent calls {@link #environment(DataSource)} and passes the map to
 * the child's environment; the child calls {@link #fromEnvironment()} and gets a DataSource to the same
 * server and, for a schema or database of {@link TestDatabases}, the same namespace.
 *
 * <p>Only the DataSources {@link TestDatabases} gives out can be handed over: {@link TestDatabases#postgres()},
 * {@link TestDatabases#mariadb()} and the scoped ones built on them ({@code postgresSchema},
 * {@code mariadbDatabase} and their {@code DroppedAtExit} forms). Stateless and thread-safe.
 */
public final class ChildDatabase {
  static final String KIND = "ROWSEAL_CHILD_DB_KIND";
  static final String URL = "ROWSEAL_CHILD_DB_URL";
  static final String USER = "ROWSEAL_CHILD_DB_USER";
  static final String PASSWORD = "ROWSEAL_CHILD_DB_PASSWORD";
  static final String INIT = "ROWSEAL_CHILD_DB_INIT";

  private ChildDatabase() {}

  /**
   * The environment variables that let {@link #fromEnvironment()} in a child JVM reach {@code dataSource}'s
   * server (and namespace). The map holds the password: put it into the child's environment, never log it.
   *
   * @throws IllegalArgumentException if {@code dataSource} is not one {@link TestDatabases} gave out
   */
  public static Map<String, String> environment(DataSource dataSource) {
    DataSource server = dataSource;
    String init = "";
    if (dataSource instanceof ScopedDataSource scoped) {
      server = scoped.target();
      init = scoped.init();
    }
    DatabaseLogin login = TestDatabases.loginOf(server);
    if (login == null) {
      throw new IllegalArgumentException("only DataSources of TestDatabases (postgres(), mariadb(), their schemas"
          + " and databases) can be handed to a child JVM, not a " + dataSource.getClass().getName());
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put(KIND, login.kind.name());
    env.put(URL, login.url);
    if (login.user != null) { // absent: whatever the URL says
      env.put(USER, login.user);
    }
    if (login.password != null) {
      env.put(PASSWORD, login.password);
    }
    env.put(INIT, init);
    return env;
  }

  /**
   * In the child: the DataSource the parent handed over with {@link #environment(DataSource)}.
   *
   * @throws IllegalStateException if the variables are missing or name no database kind TestDatabases knows
   */
  public static DataSource fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static DataSource fromEnvironment(Map<String, String> env) {
    String kindName = env.get(KIND);
    String url = env.get(URL);
    if (kindName == null || url == null || url.isBlank()) {
      throw new IllegalStateException("no database handed over: " + KIND + " and " + URL
          + " are not set (the parent passes ChildDatabase.environment(dataSource) to the child)");
    }
    DatabaseKind kind;
    try {
      kind = DatabaseKind.valueOf(kindName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(KIND + " is '" + kindName + "'; expected one of "
          + java.util.Arrays.toString(DatabaseKind.values()), e);
    }
    DataSource server = new DatabaseLogin(kind, url, env.get(USER), env.get(PASSWORD)).dataSource();
    String init = env.getOrDefault(INIT, "");
    return init.isEmpty() ? server : new ScopedDataSource(server, init);
  }
}
