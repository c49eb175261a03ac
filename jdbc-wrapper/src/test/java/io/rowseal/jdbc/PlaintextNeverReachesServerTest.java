package io.rowseal.jdbc;

import io.rowseal.jdbc.KeySetups.EveryKeySetup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Canary plaintext written through the wrapper in every write form never reaches the database: the
 * stored columns hold only RowSeal's value format, and (on PostgreSQL) the server's statement log
 * never shows it.
 */
class PlaintextNeverReachesServerTest {
  private static final String[] ENCRYPTED = {"holder", "card_number", "cvv"};

  /** Expected plaintext per row id and encrypted column, filled as rows are written. */
  private final Map<Long, Map<String, String>> expected = new LinkedHashMap<>();
  private final List<String> canaries = new ArrayList<>();

  private String canary(String what) {
    String c = "CANARY" + what + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    canaries.add(c);
    return c;
  }

  private void expect(long id, String holder, String number, String cvv) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("holder", holder);
    row.put("card_number", number);
    row.put("cvv", cvv);
    expected.put(id, row);
  }

  /** Writes canaries through {@code c} in every write form the wrapper supports. */
  private void writeCanariesEveryWay(Cards cards, Connection c) throws SQLException {
    // single prepared insert
    String h1 = canary("holder"), n1 = canary("pan"), v1 = canary("cvv");
    cards.insert(c, 1, h1, n1, v1, "plain note 1");
    expect(1, h1, n1, v1);

    // prepared batch
    try (PreparedStatement ps = c.prepareStatement(cards.sql(Cards.INSERT))) {
      for (long id = 2; id <= 4; id++) {
        String h = canary("holder"), n = canary("pan"), v = canary("cvv");
        ps.setLong(1, id);
        ps.setString(2, h);
        ps.setString(3, n);
        ps.setString(4, v);
        ps.setString(5, "plain note " + id);
        ps.addBatch();
        expect(id, h, n, v);
      }
      ps.executeBatch();
    }

    // multi-row VALUES
    try (PreparedStatement ps = c.prepareStatement(cards.sql(
        "insert into T (id, holder, card_number, cvv, note) values (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)"))) {
      for (int r = 0; r < 2; r++) {
        long id = 5 + r;
        String h = canary("holder"), n = canary("pan"), v = canary("cvv");
        ps.setLong(5 * r + 1, id);
        ps.setString(5 * r + 2, h);
        ps.setString(5 * r + 3, n);
        ps.setString(5 * r + 4, v);
        ps.setString(5 * r + 5, "plain note " + id);
        expect(id, h, n, v);
      }
      assertThat(ps.executeUpdate()).isEqualTo(2);
    }

    // plain Statement with literals
    try (Statement s = c.createStatement()) {
      String h = canary("holder"), n = canary("pan"), v = canary("cvv");
      assertThat(s.executeUpdate(cards.sql("insert into T (id, holder, card_number, cvv, note) values (7, '" + h
          + "', '" + n + "', '" + v + "', 'plain note 7')"))).isEqualTo(1);
      expect(7, h, n, v);
    }

    // prepared UPDATE of one encrypted column (the row's own data key)
    try (PreparedStatement ps = c.prepareStatement(cards.sql("update T set card_number = ? where id = ?"))) {
      String n = canary("pan");
      ps.setString(1, n);
      ps.setLong(2, 2);
      assertThat(ps.executeUpdate()).isEqualTo(1);
      expected.get(2L).put("card_number", n);
    }

    // plain Statement UPDATE with literals, every encrypted column (a fresh data key)
    try (Statement s = c.createStatement()) {
      String h = canary("holder"), n = canary("pan"), v = canary("cvv");
      assertThat(s.executeUpdate(cards.sql("update T set holder = '" + h + "', card_number = '" + n + "', cvv = '" + v
          + "' where id = 3"))).isEqualTo(1);
      expect(3, h, n, v);
    }

    // plain Statement UPDATE of one encrypted column
    try (Statement s = c.createStatement()) {
      String v = canary("cvv");
      assertThat(s.executeUpdate(cards.sql("update T set cvv = '" + v + "' where id = 4"))).isEqualTo(1);
      expected.get(4L).put("cvv", v);
    }
  }

  @EveryKeySetup
  void write_everyStatementForm_storesOnlyValueFormat(KeySetups.Setup setup) throws Exception {
    try (Cards cards = Cards.on(setup).build()) {
      try (Connection c = cards.wrapped.getConnection()) {
        writeCanariesEveryWay(cards, c);
      }

      List<String> problems = new ArrayList<>();
      for (Map.Entry<Long, Map<String, String>> row : expected.entrySet()) {
        long id = row.getKey();
        for (String column : ENCRYPTED) {
          String plaintext = row.getValue().get(column);
          int expectedBinaryLength = 1 + 12 + 1 + plaintext.getBytes(StandardCharsets.UTF_8).length + 16;
          byte[] binary;
          if (column.equals("holder")) {
            String text = cards.rawText(id, column);
            String problem = textFormProblem(text);
            if (problem != null) {
              problems.add("row " + id + " " + column + ": " + problem);
              continue;
            }
            binary = Base64.getDecoder().decode(text.substring(4));
          } else {
            binary = cards.rawBytes(id, column);
          }
          if (binary == null || binary.length == 0 || binary[0] != 0x01) {
            problems.add("row " + id + " " + column + ": version byte is not 0x01");
          } else if (binary.length != expectedBinaryLength) {
            problems.add("row " + id + " " + column + ": " + binary.length + " bytes, expected "
                + expectedBinaryLength);
          }
        }
        assertThat(cards.rawText(id, "note")).isEqualTo("plain note " + id); // plaintext columns stay as written
      }
      assertThat(problems).isEmpty();
      assertNoCanaryInRawColumns(cards);

      // and the application reads its values back
      for (Map.Entry<Long, Map<String, String>> row : expected.entrySet()) {
        for (String column : ENCRYPTED) {
          assertThat(cards.read(row.getKey(), column)).as("row %s %s", row.getKey(), column)
              .isEqualTo(row.getValue().get(column));
        }
      }
    }
  }

  /** Null if {@code text} is {@code "rs1:"} followed by strict, padded, standard Base64; else what is wrong. */
  private static String textFormProblem(String text) {
    if (text == null || !text.startsWith("rs1:")) {
      return "does not start with rs1:";
    }
    String body = text.substring(4);
    if (body.isEmpty() || body.length() % 4 != 0 || !body.matches("[A-Za-z0-9+/]*={0,2}")) {
      return "is not padded standard Base64";
    }
    byte[] decoded = Base64.getDecoder().decode(body);
    if (!Base64.getEncoder().encodeToString(decoded).equals(body)) {
      return "is not canonical Base64";
    }
    return null;
  }

  private void assertNoCanaryInRawColumns(Cards cards) throws SQLException {
    List<String> found = new ArrayList<>();
    try (Connection c = cards.raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select * from " + cards.name)) {
      int n = rs.getMetaData().getColumnCount();
      int rows = 0;
      while (rs.next()) {
        rows++;
        for (int i = 1; i <= n; i++) {
          Object value = rs.getObject(i);
          if (value == null) {
            continue;
          }
          String asText = value instanceof byte[]
              ? new String((byte[]) value, StandardCharsets.ISO_8859_1) : value.toString();
          for (String canary : canaries) {
            if (asText.contains(canary)) {
              found.add(canary + " in column " + rs.getMetaData().getColumnLabel(i));
            }
          }
        }
      }
      assertThat(rows).isEqualTo(expected.size());
    }
    assertThat(found).isEmpty();
  }

  // ---------------------------------------------------------------- the PostgreSQL statement log

  @Test
  void postgresLog_statementsThroughWrapper_neverShowPlaintext() throws Exception {
    try (Cards cards = Cards.create(Db.POSTGRES)) {
      Path log = postgresLog(cards);
      long start = Files.size(log);

      try (Connection c = cards.wrapped.getConnection()) {
        try (Statement s = c.createStatement()) {
          s.execute("set log_statement = 'all'");
        }
        writeCanariesEveryWay(cards, c);
        // reads log too; make sure a query through the wrapper is logged without plaintext
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(cards.sql("select id, holder, card_number, cvv from T order by id"))) {
          while (rs.next()) {
            assertThat(rs.getString("card_number")).isEqualTo(expected.get(rs.getLong("id")).get("card_number"));
          }
        }
      }
      // Control: the same kind of statement through the raw connection does log its plaintext.
      String control = "CONTROL" + UUID.randomUUID().toString().replace("-", "");
      try (Connection c = cards.raw.getConnection(); Statement s = c.createStatement()) {
        s.execute("set log_statement = 'all'");
        s.executeUpdate(cards.sql("insert into T (id, holder, note) values (1000, '" + control + "', 'raw')"));
      }
      String logged = awaitLogContaining(log, start, control);
      Assumptions.assumeTrue(logged != null, "PostgreSQL's log " + log + " did not receive this test's statements"
          + " within 10 s (is the server remote, or logging elsewhere?); cannot check the log");

      // the wrapper's own statements (they write the companion column) were logged too
      assertThat(logged)
          .containsIgnoringCase("insert into " + cards.name + " (id, holder, card_number, cvv, note, rowseal_dek)");
      assertThat(logged).containsIgnoringCase("update " + cards.name + " set card_number = $1, rowseal_dek = $2");
      List<String> leaked = new ArrayList<>();
      for (String canary : canaries) {
        if (logged.contains(canary)) {
          leaked.add(canary);
        }
      }
      assertThat(leaked).as("canary plaintext in the PostgreSQL log").isEmpty();
    }
  }

  /** The server's log file, if this process can read it; otherwise the test is skipped with the reason. */
  private static Path postgresLog(Cards cards) throws SQLException, IOException {
    List<Path> candidates = new ArrayList<>();
    try (Connection c = cards.raw.getConnection(); Statement s = c.createStatement()) {
      String dataDirectory = null;
      try (ResultSet rs = s.executeQuery("show data_directory")) {
        if (rs.next()) {
          dataDirectory = rs.getString(1);
        }
      } catch (SQLException e) {
        // not allowed for this user: fall back to the packaged location
      }
      try (ResultSet rs = s.executeQuery("select pg_current_logfile()")) {
        if (rs.next() && rs.getString(1) != null && dataDirectory != null) {
          Path p = Paths.get(rs.getString(1));
          candidates.add(p.isAbsolute() ? p : Paths.get(dataDirectory).resolve(p));
        }
      } catch (SQLException e) {
        // no logging collector, or not allowed
      }
    }
    Path packaged = Paths.get("/var/log/postgresql");
    if (Files.isDirectory(packaged)) {
      try (Stream<Path> files = Files.list(packaged)) {
        files.filter(p -> p.getFileName().toString().endsWith(".log"))
            .sorted((a, b) -> Long.compare(b.toFile().lastModified(), a.toFile().lastModified()))
            .forEach(candidates::add);
      }
    }
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isReadable(p)) {
        return p;
      }
    }
    Assumptions.abort("no readable PostgreSQL server log (pg_current_logfile() is null without logging_collector,"
        + " and nothing readable in /var/log/postgresql); tried " + candidates);
    return null;
  }

  /**
   * The log text written since {@code start} once it contains {@code marker}, or null after 60 s (a
   * generous hang guard: the server's log writer runs behind on a loaded machine).
   */
  private static String awaitLogContaining(Path log, long start, String marker) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    do {
      String text = readFrom(log, start);
      if (text.contains(marker)) {
        return text;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return null;
  }

  private static String readFrom(Path log, long start) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long from = f.length() < start ? 0 : start; // rotated meanwhile: read the new file whole
      f.seek(from);
      byte[] bytes = new byte[(int) (f.length() - from)];
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
