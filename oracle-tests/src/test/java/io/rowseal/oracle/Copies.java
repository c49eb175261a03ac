package io.rowseal.oracle;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.testsupport.TestDatabases;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The two copies of the test schema on one database: the plaintext copy (raw JDBC) and the encrypted copy,
 * reached through {@link RowSealDataSource}. PostgreSQL: two schemas; MariaDB: two databases; H2: two
 * in-memory databases.
 *
 * <p>The encrypted copy's physical connection is held twice: {@link #encRaw} (raw, for snapshots of the
 * stored bytes inside the same transaction) and {@link #enc} (the same connection through the wrapper, from a
 * {@link RowSealDataSource} over a data source pinned to that connection). Not thread-safe.
 */
final class Copies implements AutoCloseable {
  private static final Set<String> LONG_COLUMNS = Set.of("id", "customer_id", "card_id");
  private static final Set<String> INT_COLUMNS = Set.of("amount", "tier", "seq");

  final OracleDb db;
  final String plainSchema;
  final String encSchema;
  String plainCatalog;
  String encCatalog;
  Connection plain;
  Connection encRaw;
  Connection enc;

  private final DataSource base;
  private final DataSource plainH2;
  private final DataSource encH2;
  private final Pinned pinned = new Pinned();
  private final RowSealDataSource wrapper;

  private Copies(OracleDb db) throws SQLException {
    this.db = db;
    switch (db) {
      case PG:
        base = TestDatabases.postgres();
        plainSchema = TestDatabases.uniqueName("oracle_plain");
        encSchema = TestDatabases.uniqueName("oracle_enc");
        plainH2 = null;
        encH2 = null;
        break;
      case MARIA:
        base = multiQueries(TestDatabases.mariadb());
        plainSchema = TestDatabases.uniqueName("oracle_plain");
        encSchema = TestDatabases.uniqueName("oracle_enc");
        plainH2 = null;
        encH2 = null;
        break;
      default:
        base = null;
        plainSchema = "PUBLIC";
        encSchema = "PUBLIC";
        plainH2 = TestDatabases.h2(TestDatabases.uniqueName("oracle_plain"));
        encH2 = TestDatabases.h2(TestDatabases.uniqueName("oracle_enc"));
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    RowSeal.Builder b = RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:oracle"), key)));
    for (EncryptedTable t : Schema.encryptedTables()) {
      b.table(t);
    }
    // the index keys live apart from both copies, so that snapshots and rollbacks of the copies never see them
    DataSource keys = db == OracleDb.PG ? TestDatabases.postgresSchemaDroppedAtExit("oracle_idx")
        : db == OracleDb.MARIA ? TestDatabases.mariadbDatabaseDroppedAtExit("oracle_idx")
        : TestDatabases.h2(TestDatabases.uniqueName("oracle_idx"));
    IndexKeyStore store = IndexKeyStore.builder(keys, b.build().keyRing()).build();
    createIndexKeyTable(keys);
    b.indexKeys(store);
    this.wrapper = RowSealDataSource.wrap(pinned, b.build());
  }

  /** RowSeal's shipped migration for rowseal_index_key, run by hand (this module has no Flyway). */
  private void createIndexKeyTable(DataSource keys) throws SQLException {
    String vendor = db == OracleDb.PG ? "postgresql" : db == OracleDb.MARIA ? "mariadb" : "h2";
    String ddl;
    try (java.io.InputStream in = Copies.class.getResourceAsStream("/db/rowseal/" + vendor + "/V2__rowseal_index_key.sql")) {
      ddl = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
    } catch (java.io.IOException e) {
      throw new SQLException(e);
    }
    try (Connection c = keys.getConnection(); Statement s = c.createStatement()) {
      s.execute(ddl.trim().replaceAll(";$", ""));
    }
  }

  /** Both copies, created and seeded. */
  static Copies open(OracleDb db) throws SQLException {
    Copies c = new Copies(db);
    c.rebuild();
    return c;
  }

  /**
   * MariaDB with {@code allowMultiQueries=true}, as many applications configure it: then several statements
   * in one text reach the server, which is the case the wrapper must handle.
   */
  private static DataSource multiQueries(DataSource ds) throws SQLException {
    if (!ds.isWrapperFor(MariaDbDataSource.class)) {
      return ds;
    }
    MariaDbDataSource m = ds.unwrap(MariaDbDataSource.class);
    String url = m.getUrl();
    if (url.contains("allowMultiQueries")) {
      return ds;
    }
    MariaDbDataSource multi = new MariaDbDataSource(url + (url.contains("?") ? "&" : "?") + "allowMultiQueries=true");
    if (m.getUser() != null) {
      multi.setUser(m.getUser());
    }
    String password = System.getenv("ROWSEAL_TEST_MARIADB_PASSWORD");
    multi.setPassword(password == null ? "" : password);
    return multi;
  }

  /** Drops and recreates both copies, reseeds them (the encrypted one through the wrapper), reconnects. */
  void rebuild() throws SQLException {
    closeConnections();
    switch (db) {
      case PG:
      case MARIA:
        try (Connection admin = base.getConnection(); Statement s = admin.createStatement()) {
          String kind = db == OracleDb.PG ? "schema" : "database";
          for (String name : new String[] {plainSchema, encSchema}) {
            s.execute("drop " + kind + " if exists " + name + (db == OracleDb.PG ? " cascade" : ""));
            s.execute("create " + kind + " " + name);
          }
        }
        break;
      default:
        for (DataSource ds : new DataSource[] {plainH2, encH2}) {
          try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop all objects");
          }
        }
    }
    plain = connect(plainSchema, plainH2);
    encRaw = connect(encSchema, encH2);
    pinned.target = encRaw;
    try (Statement s = plain.createStatement()) {
      for (String ddl : Schema.ddl(db, false)) {
        s.execute(ddl);
      }
    }
    try (Statement s = encRaw.createStatement()) {
      for (String ddl : Schema.ddl(db, true)) {
        s.execute(ddl);
      }
    }
    enc = wrapper.getConnection(); // after the DDL: the first connection checks the schema
    seed(plain);
    seed(enc);
    plainCatalog = plain.getCatalog();
    encCatalog = encRaw.getCatalog();
    if (db == OracleDb.PG) {
      plainCatalog = currentDatabase(plain);
      encCatalog = plainCatalog;
    }
  }

  private static String currentDatabase(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private Connection connect(String schema, DataSource h2) throws SQLException {
    Connection c = (db == OracleDb.H2 ? h2 : base).getConnection();
    if (db != OracleDb.H2) {
      try (Statement s = c.createStatement()) {
        s.execute(db == OracleDb.PG ? "set search_path to " + schema : "use " + schema);
      }
    }
    c.setAutoCommit(true);
    return c;
  }

  private static void seed(Connection c) throws SQLException {
    for (Schema.Seed seed : Schema.SEEDS) {
      try (PreparedStatement ps = c.prepareStatement(seed.insertSql())) {
        for (Object[] row : seed.rows()) {
          for (int i = 0; i < row.length; i++) {
            String column = seed.columns().get(i);
            int type = LONG_COLUMNS.contains(column) ? Types.BIGINT
                : INT_COLUMNS.contains(column) ? Types.INTEGER : Types.VARCHAR;
            if (row[i] == null) {
              ps.setNull(i + 1, type);
            } else {
              ps.setObject(i + 1, row[i], type);
            }
          }
          ps.executeUpdate();
        }
      }
    }
  }

  /** {@code {S}} and {@code {C}} filled in for one copy. */
  String sql(String template, boolean encrypted) {
    String sql = template.replace("{S}", encrypted ? encSchema : plainSchema)
        .replace("{C}", encrypted ? encCatalog : plainCatalog);
    // {L:x}: x under the lowercase normalisation; {D:x}: x under digits. The encrypted copy gets x itself and
    // its search index applies the normalisation; the plaintext copy computes it in SQL.
    sql = LOWER.matcher(sql).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
        encrypted ? m.group(1) : "lower(" + m.group(1) + ")"));
    return DIGITS.matcher(sql).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(encrypted ? m.group(1)
        : "regexp_replace(" + m.group(1) + ", '[^0-9]', ''" + (db == OracleDb.PG ? ", 'g')" : ")")));
  }

  private static final java.util.regex.Pattern LOWER = java.util.regex.Pattern.compile("\\{L:([^}]*)\\}");
  private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("\\{D:([^}]*)\\}");

  private void closeConnections() {
    for (Connection c : new Connection[] {enc, encRaw, plain}) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException | RuntimeException e) {
          // a broken connection is replaced anyway
        }
      }
    }
    enc = null;
    encRaw = null;
    plain = null;
  }

  @Override
  public void close() throws SQLException {
    closeConnections();
    if (db != OracleDb.H2) {
      try (Connection admin = base.getConnection(); Statement s = admin.createStatement()) {
        for (String name : new String[] {plainSchema, encSchema}) {
          s.execute("drop " + (db == OracleDb.PG ? "schema " : "database ") + name + (db == OracleDb.PG ? " cascade" : ""));
        }
      }
    } else {
      for (DataSource ds : new DataSource[] {plainH2, encH2}) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
          s.execute("shutdown");
        }
      }
    }
  }

  /** A data source that hands out the one physical connection it is pinned to. */
  private static final class Pinned implements DataSource {
    Connection target;

    @Override
    public Connection getConnection() {
      return target;
    }

    @Override
    public Connection getConnection(String username, String password) {
      return target;
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
