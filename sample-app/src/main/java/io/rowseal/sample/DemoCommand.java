package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.KeyRef;
import io.rowseal.key.local.KeystorePassword;
import io.rowseal.key.local.LocalKeystore;
import io.rowseal.rewrap.RewrapJob;
import io.rowseal.rewrap.RewrapReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.crypto.KeyGenerator;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole story on an embedded H2 database in a temporary directory, deleted at the end.
 * A fresh PKCS#12 keystore with two AES-256 keys (random password, never printed), a {@code cards} table
 * written and read through plain JDBC on a {@link RowSealDataSource}, the raw bytes the database holds,
 * a rejected predicate on an encrypted column, and a rotation from {@code k1} to {@code k2} with the
 * re-wrap job.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the embedded demo: encrypt, read, reject a predicate, rotate k1 -> k2. Needs nothing installed.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:failed (the message says why)", "2:wrong usage"})
final class DemoCommand implements Callable<Integer> {
  private static final String SELECT = "select id, holder, card_number, cvv, note from cards order by id";
  private static final Object[][] CARDS = {
      {1L, "Ada Lovelace", "4111111111111111", "123", "corporate"},
      {2L, "Alan Turing", "5500005555555559", "456", "personal"},
      {3L, "Grace Hopper", "340000000000009", "7890", "travel"},
  };

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory("rowseal-demo-");
    try {
      run(out, dir);
    } finally {
      deleteTree(dir);
      out.flush();
    }
    return 0;
  }

  private void run(PrintWriter out, Path dir) throws Exception {
    char[] password = randomPassword();
    Path keystorePath = dir.resolve("rowseal.p12");
    createKeystore(keystorePath, password, "k1", "k2");
    LocalKeystore keystore = LocalKeystore.open(keystorePath, KeystorePassword.of(password.clone()));
    Arrays.fill(password, '\0');
    out.println("== Setup");
    out.println("keystore " + keystorePath.getFileName() + ": AES-256 keys " + keystore.aliases()
        + " (random password, not shown)");

    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:file:" + dir.resolve("demo").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
    h2.setUser("sa");
    h2.setPassword("");
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table cards(id bigint primary key, holder varchar, card_number varbinary,"
          + " cvv varbinary, note varchar, rowseal_dek varbinary)");
    }
    out.println("H2 database " + dir.resolve("demo.mv.db").getFileName()
        + ": table cards(id, holder, card_number*, cvv*, note, rowseal_dek)   * encrypted");

    EncryptedTable cards = EncryptedTable.builder("cards")
        .idColumns("id")
        .companionColumn("rowseal_dek")
        .column("card_number", String.class)
        .column("cvv", String.class)
        .build();
    RowSeal onK1 = RowSeal.builder().keyRing(keystore.keyRing("k1")).table(cards).build();
    DataSource app = RowSealDataSource.wrap(h2, onK1);

    out.println();
    out.println("== Insert " + CARDS.length + " cards through plain JDBC on RowSealDataSource (active key k1)");
    try (Connection c = app.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "insert into cards (id, holder, card_number, cvv, note) values (?, ?, ?, ?, ?)")) {
      for (Object[] card : CARDS) {
        for (int i = 0; i < card.length; i++) {
          ps.setObject(i + 1, card[i]);
        }
        ps.executeUpdate();
      }
    }

    out.println();
    out.println("== What the application reads (select through RowSealDataSource)");
    List<String> before = readPlaintext(app);
    before.forEach(out::println);

    out.println();
    out.println("== What the database holds (same select on the unwrapped H2 DataSource)");
    printRaw(out, h2);

    out.println();
    out.println("== A predicate on an encrypted column is refused before it runs");
    out.println("select id from cards where card_number = ?");
    try (Connection c = app.getConnection();
        PreparedStatement ps = c.prepareStatement("select id from cards where card_number = ?")) {
      ps.setString(1, "4111111111111111");
      ps.executeQuery().close();
      out.println("  unexpectedly accepted");
    } catch (SQLException e) {
      out.println("  rejected: SQLState " + e.getSQLState() + ": " + e.getMessage());
    }

    out.println();
    out.println("== Rotate: k2 becomes the active key; the re-wrap job moves every row's data key");
    RowSeal onK2 = RowSeal.builder().keyRing(keystore.keyRing("k2")).table(cards).build();
    StatusCommand.print(out, "status before", io.rowseal.rewrap.KeyStatus.count(h2, cards));
    RewrapReport report = RewrapJob.builder(h2, onK2, cards).build().run();
    RewrapCommand.print(out, report);
    StatusCommand.print(out, "status after", io.rowseal.rewrap.KeyStatus.count(h2, cards));

    out.println();
    out.println("== Read again with k2 active");
    List<String> after = readPlaintext(RowSealDataSource.wrap(h2, onK2));
    after.forEach(out::println);
    out.println(after.equals(before)
        ? "values unchanged; only the wrapped data keys (rowseal_dek) were rewritten"
        : "VALUES CHANGED: this is a bug");

    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute("shutdown");
    }
    out.println();
    out.println("Done; the temporary keystore and database are deleted.");
  }

  private static List<String> readPlaintext(DataSource dataSource) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(SELECT);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        lines.add(String.format("  %d  %-13s card_number=%-16s cvv=%-4s note=%s",
            rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
      }
    }
    return lines;
  }

  private static void printRaw(PrintWriter out, DataSource raw) throws SQLException {
    try (Connection c = raw.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "select id, holder, card_number, cvv, note, rowseal_dek from cards order by id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        byte[] companion = rs.getBytes(6);
        KeyRef ref = WrappedDataKey.decode(companion).keyRef();
        out.printf("  %d  %-13s card_number=%s  cvv=%s  note=%s  rowseal_dek: %d bytes, wrapped by %s%n",
            rs.getLong(1), rs.getString(2), prefix(rs.getBytes(3)), prefix(rs.getBytes(4)), rs.getString(5),
            companion.length, ref);
      }
    }
  }

  /** The first bytes of a ciphertext in hex, and its length: enough to see it is not the plaintext. */
  private static String prefix(byte[] bytes) {
    String hex = HexFormat.of().formatHex(bytes, 0, Math.min(8, bytes.length));
    return hex + "…(" + bytes.length + " bytes)";
  }

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

  private static char[] randomPassword() {
    SecureRandom random = new SecureRandom();
    char[] password = new char[24];
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    for (int i = 0; i < password.length; i++) {
      password[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return password;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
