package io.rowseal.sample;

import io.rowseal.RowSeal;
import io.rowseal.config.RowSealConfiguration;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.hibernate.RowSealSettings;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.sample.demo.Card;
import io.rowseal.sample.demo.Customer;
import io.rowseal.sample.internal.DriverManagerDataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.crypto.KeyGenerator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole story in a temporary directory, deleted at the end. The key commands create
 * a keystore and a configuration file; Flyway creates the schema (embedded H2 by default, or a fresh
 * PostgreSQL schema, dropped at the end); customers and cards are written through Hibernate
 * ({@code @Encrypted} entities) and through plain JDBC on the wrapped DataSource; the raw database is
 * shown next to what the application reads; then a rotation with the real commands: {@code keys add
 * --activate}, {@code status}, {@code rewrap}, {@code verify}, {@code retire}. The demo checks what it
 * shows and fails (exit code 1) if a step does not do what it says.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the demo: encrypt through Hibernate and plain JDBC, show the database next to what the "
        + "application reads, refuse a predicate, rotate k1 -> k2, re-wrap, verify and retire k1.",
        "Needs nothing installed: embedded H2 in a temporary directory unless --jdbc-url names a PostgreSQL "
            + "database (the demo works in a new schema there and drops it at the end)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:failed (the message says why)", "2:wrong usage"})
final class DemoCommand implements Callable<Integer> {
  private static final String READ = "select c.id, c.holder_name, c.card_number, c.cvv from cards c order by c.id";

  @Spec CommandSpec spec;

  @Option(names = "--jdbc-url", paramLabel = "JDBC_URL",
      description = "A PostgreSQL database to run on instead of embedded H2, e.g. jdbc:postgresql://localhost/app.")
  @Nullable String jdbcUrl;

  @Option(names = "--user", defaultValue = "${env:ROWSEAL_JDBC_USER}", paramLabel = "USER",
      description = "Database user for --jdbc-url (default: $ROWSEAL_JDBC_USER).")
  @Nullable String user;

  @Option(names = "--password", defaultValue = "${env:ROWSEAL_JDBC_PASSWORD}", paramLabel = "PASSWORD",
      description = "Database password for --jdbc-url (default: $ROWSEAL_JDBC_PASSWORD).")
  @Nullable String password;

  private PrintWriter out;
  private Path dir;
  private Path config;
  private String url;
  private @Nullable String dbUser;
  private @Nullable String dbPassword;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    dir = Files.createTempDirectory("rowseal-demo-");
    String schema = null;
    try {
      if (jdbcUrl == null) {
        url = "jdbc:h2:file:" + dir.resolve("demo").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        dbUser = "sa";
        dbPassword = "";
      } else {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--jdbc-url must be a jdbc:postgresql: URL");
        }
        schema = "rowseal_demo_" + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
        url = jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        dbUser = user;
        dbPassword = password;
      }
      run(schema);
    } finally {
      try {
        cleanUp(schema);
      } finally {
        deleteTree(dir);
        out.flush();
      }
    }
    return RowSealCli.OK;
  }

  private void run(@Nullable String schema) throws Exception {
    DataSource raw = new DriverManagerDataSource(url, dbUser, dbPassword);

    section("Set up: a keystore and a configuration file with the key commands");
    Path passwordFile = dir.resolve("keystore.pw");
    Files.writeString(passwordFile, randomPassword());
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    config = dir.resolve("rowseal.properties");
    cli("keys create --config rowseal.properties --password-file keystore.pw   (random password, not shown)",
        "keys", "create", "--config", config.toString(), "--password-file", passwordFile.toString());
    Files.writeString(config, Files.readString(config) + String.join(System.lineSeparator(),
        "rowseal.tables.customers.id = id",
        "rowseal.tables.customers.columns.name = string",
        "rowseal.tables.customers.columns.national_id = string",
        "rowseal.tables.cards.id = id",
        "rowseal.tables.cards.columns.card_number = string",
        "rowseal.tables.cards.columns.holder_name = string, text",
        "rowseal.tables.cards.columns.cvv = string", ""));
    out.println("(tables customers and cards added to rowseal.properties)");

    var flyway = Flyway.configure().dataSource(url, dbUser, dbPassword)
        .locations("classpath:io/rowseal/sample/demo/db")
        .placeholders(Map.of("binary", schema == null ? "varbinary" : "bytea"));
    if (schema != null) {
      flyway.schemas(schema).createSchemas(true);
    }
    int applied = flyway.load().migrate().migrationsExecuted;
    out.println("Flyway: " + applied + " migration applied to " + (schema == null ? "embedded H2 " + dir.resolve("demo.mv.db")
        .getFileName() : "PostgreSQL schema " + schema) + ": tables customers, cards");

    section("Write: customers and two cards through Hibernate (@Encrypted fields), one card through plain JDBC");
    RowSeal onK1 = RowSealConfiguration.load(config);
    long[] ids = new long[2];
    List<String> before;
    try (SessionFactory hibernate = hibernate(raw, onK1)) {
      hibernate.inTransaction(session -> {
        Customer ada = new Customer("Ada Lovelace", "AL-1815-12-10");
        Customer alan = new Customer("Alan Turing", "AT-1912-06-23");
        Customer grace = new Customer("Grace Hopper", "GH-1906-12-09");
        session.persist(ada);
        session.persist(alan);
        session.persist(grace);
        session.persist(new Card(ada, "4111111111111111", "Ada Lovelace", "123"));
        session.persist(new Card(alan, "5500005555555559", "Alan Turing", "456"));
        session.flush();
        ids[0] = grace.getId();
      });
      insertWithJdbc(RowSealDataSource.wrap(raw, onK1), ids[0]);
      before = readWithHibernate(hibernate);
    }
    out.println("insert into cards (id, customer_id, card_number, holder_name, cvv, version) values (?, ?, ?, ?, ?, 0)"
        + "   -- plain JDBC");
    DataSource app = RowSealDataSource.wrap(raw, onK1);

    section("What the application reads (Hibernate; the JDBC wrapper reads the same)");
    before.forEach(out::println);
    if (!before.equals(readWithJdbc(app))) {
      throw new IllegalStateException("Hibernate and the JDBC wrapper read different values: this is a bug");
    }
    section("What the database holds (the same select on the plain DataSource)");
    printRaw(raw);

    section("A predicate on an encrypted column is refused before it runs");
    try (Connection c = app.getConnection();
        PreparedStatement ps = c.prepareStatement("select id from cards where card_number = ?")) {
      ps.setString(1, "4111111111111111");
      ps.executeQuery().close();
      throw new IllegalStateException("a predicate on an encrypted column was accepted: this is a bug");
    } catch (SQLException e) {
      out.println("select id from cards where card_number = ?   -> SQLState " + e.getSQLState());
    }

    section("Rotate: add k2 and make it active; the application restarts with the new configuration");
    cli("keys add k2 --activate --config rowseal.properties", "keys", "add", "k2", "--activate", "--config", config.toString());
    RowSeal onK2 = RowSealConfiguration.load(config);
    List<String> mixed;
    try (SessionFactory hibernate = hibernate(raw, onK2)) {
      hibernate.inTransaction(session -> {
        Customer ada = session.createSelectionQuery("from Customer c order by c.id", Customer.class).getResultList().get(0);
        Card card = new Card(ada, "5105105105105100", "Ada Lovelace", "321");
        session.persist(card);
        session.flush();
        ids[1] = card.getId();
      });
      mixed = readWithHibernate(hibernate);
    }
    String newRef = keyRefOf(raw, ids[1]);
    out.println("new card " + ids[1] + " is wrapped by " + newRef + "; the older cards, still on local:k1, read as before");
    if (!newRef.equals("local:k2") || !mixed.containsAll(before)) {
      throw new IllegalStateException("lazy rotation did not behave as described: this is a bug");
    }
    mixed.stream().filter(l -> l.startsWith(String.format(Locale.ROOT, "  card %-4d ", ids[1]))).forEach(out::println);

    String[] db = {"--config", config.toString(), "--url", url, "--user", dbUser == null ? "" : dbUser,
        "--password", dbPassword == null ? "" : dbPassword};
    cli("status", concat(new String[] {"status"}, db));
    cli("rewrap", concat(new String[] {"rewrap"}, db));
    cli("status", concat(new String[] {"status"}, db));
    cli("verify", concat(new String[] {"verify"}, db));

    section("Retire k1: nothing needs it any more");
    cli("retire k1", concat(new String[] {"retire", "k1"}, db));
    RowSeal k2Only = RowSealConfiguration.load(config);
    if (k2Only.keyRing().contains(io.rowseal.key.KeyRef.of("local:k1"))) {
      throw new IllegalStateException("k1 is still in the keystore: this is a bug");
    }
    List<String> after = readWithJdbc(RowSealDataSource.wrap(raw, k2Only));
    out.println("read again with k2 alone (plain JDBC): every value unchanged; only the wrapped data keys"
        + " (rowseal_dek) were rewritten");
    if (!after.equals(mixed)) {
      throw new IllegalStateException("values changed by the rotation: this is a bug");
    }
    out.println();
    out.println("Done; the temporary keystore, configuration" + (schema == null ? " and database are" : " and schema "
        + schema + " are") + " deleted.");
  }

  /** Runs one of the real commands in this process and shows it with its output. */
  private void cli(String shown, String... args) {
    out.println("$ rowseal " + shown);
    StringWriter captured = new StringWriter();
    CommandLine cli = RowSealCli.commandLine();
    cli.setOut(new PrintWriter(captured, true));
    cli.setErr(new PrintWriter(captured, true));
    int exit = cli.execute(args);
    captured.toString().lines().forEach(line -> out.println("  " + line));
    if (exit != RowSealCli.OK) {
      throw new IllegalStateException("rowseal " + args[0] + " exited with " + exit);
    }
  }

  private static SessionFactory hibernate(DataSource raw, RowSeal rowSeal) {
    StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
        .applySetting("hibernate.connection.datasource", raw)
        .applySetting(RowSealSettings.KEY_RING, rowSeal)
        .applySetting("hibernate.hbm2ddl.auto", "none") // Flyway owns the schema
        .build();
    try {
      return new MetadataSources(registry).addAnnotatedClass(Customer.class).addAnnotatedClass(Card.class)
          .buildMetadata().buildSessionFactory();
    } catch (RuntimeException e) {
      StandardServiceRegistryBuilder.destroy(registry);
      throw e;
    }
  }

  private static void insertWithJdbc(DataSource app, long customerId) throws SQLException {
    try (Connection c = app.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "insert into cards (id, customer_id, card_number, holder_name, cvv, version) values (?, ?, ?, ?, ?, 0)")) {
      ps.setLong(1, 1001);
      ps.setLong(2, customerId);
      ps.setString(3, "340000000000009");
      ps.setString(4, "Grace Hopper");
      ps.setString(5, "7890");
      ps.executeUpdate();
    }
  }

  private static List<String> readWithHibernate(SessionFactory hibernate) {
    return hibernate.fromTransaction(session -> {
      List<String> lines = new ArrayList<>();
      for (Card card : session.createSelectionQuery("from Card c order by c.id", Card.class).getResultList()) {
        lines.add(line(card.getId(), card.getHolderName(), card.getCardNumber(), card.getCvv()));
      }
      return lines;
    });
  }

  private static List<String> readWithJdbc(DataSource app) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = app.getConnection(); PreparedStatement ps = c.prepareStatement(READ);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        lines.add(line(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return lines;
  }

  private static String line(long id, String holder, String number, String cvv) {
    return String.format(Locale.ROOT, "  card %-4d holder_name=%-13s card_number=%-16s cvv=%s", id, holder, number, cvv);
  }

  private void printRaw(DataSource raw) throws SQLException {
    try (Connection c = raw.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "select c.id, c.holder_name, c.card_number, c.cvv, c.rowseal_dek from cards c order by c.id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String holder = rs.getString(2);
        out.printf(Locale.ROOT, "  card %-4d holder_name=%s…  card_number=%s  cvv=%s  rowseal_dek: wrapped by %s%n",
            rs.getLong(1), holder.substring(0, Math.min(12, holder.length())), prefix(rs.getBytes(3)),
            prefix(rs.getBytes(4)), WrappedDataKey.decode(rs.getBytes(5)).keyRef());
      }
    }
  }

  private static String keyRefOf(DataSource raw, long cardId) throws SQLException {
    try (Connection c = raw.getConnection();
        PreparedStatement ps = c.prepareStatement("select rowseal_dek from cards where id = ?")) {
      ps.setLong(1, cardId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return WrappedDataKey.decode(rs.getBytes(1)).keyRef().toString();
      }
    }
  }

  /** The first bytes of a ciphertext in hex, and its length: enough to see it is not the plaintext. */
  private static String prefix(byte[] bytes) {
    return HexFormat.of().formatHex(bytes, 0, Math.min(6, bytes.length)) + "…(" + bytes.length + " bytes)";
  }

  private void section(String title) {
    out.println();
    out.println("== " + title);
  }

  private void cleanUp(@Nullable String schema) {
    if (url == null) {
      return;
    }
    try (Connection c = new DriverManagerDataSource(url, dbUser, dbPassword).getConnection();
        Statement s = c.createStatement()) {
      s.execute(schema == null ? "shutdown" : "drop schema if exists " + schema + " cascade");
    } catch (SQLException e) {
      out.println("could not clean up the demo database: SQLState " + e.getSQLState());
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** Test fixture: a PKCS#12 keystore with a random AES-256 key per alias. */
  static void createKeystore(Path path, char[] password, String... aliases)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256);
    KeyStore.ProtectionParameter protection = new KeyStore.PasswordProtection(password);
    for (String alias : aliases) {
      store.setEntry(alias, new KeyStore.SecretKeyEntry(generator.generateKey()), protection);
    }
    try (OutputStream os = Files.newOutputStream(path)) {
      store.store(os, password);
    }
  }

  private static String randomPassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    for (int i = 0; i < 24; i++) {
      password.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return password.toString();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
