package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real constraint failures of statements over an encrypted table, on each database, reach the caller without
 * ciphertext, wrapped data keys or bound values: pgjdbc inlines every parameter of a failed batch entry and
 * quotes key values ("Key (...)=(\x01..)", "Failing row contains (...)"), MariaDB quotes the duplicate entry,
 * H2 quotes index values and, for a primary key, the whole existing row. The SQLState survives, the driver's
 * exception is not chained, and no message anywhere in the thrown graph (causes, suppressed, next
 * exceptions) holds bytes in hex or Base64, {@code rs1:} text, or the stored values of the conflicting row.
 */
class SanitisedErrorsTest {
  /** Which constraint fails. */
  enum Failure {
    /** A duplicate primary key: the drivers quote the whole statement or the existing row. */
    PRIMARY_KEY,
    /** A unique index over the companion column (its first 11 bytes: format, flags, key reference). */
    COMPANION_INDEX,
    /** A unique index over the encrypted card_number (its first byte, the format version). */
    ENCRYPTED_INDEX,
    /** A NOT NULL plaintext column left NULL: PostgreSQL quotes the failing row. */
    NOT_NULL
  }

  /** How the failing insert is sent through the wrapper. */
  enum Api { PREPARED, BATCH, STATEMENT }

  private static final List<Pattern> LEAKS = List.of(
      Pattern.compile("\\\\x[0-9a-fA-F]{2}"),
      Pattern.compile("(?i)X'[0-9a-f]"),
      Pattern.compile("[0-9a-fA-F]{16,}"),
      Pattern.compile("rs1:[A-Za-z0-9+/]"),
      Pattern.compile("local:k1"));

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Db db : Db.values()) {
      for (Failure f : Failure.values()) {
        for (Api api : Api.values()) {
          all.add(Arguments.of(db, f, api));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void insert_constraintFails_exceptionHoldsNoCiphertextOrValues(Db db, Failure failure, Api api) throws Exception {
    try (Cards cards = Cards.create(db)) {
      // a unique index on the whole encrypted column too: it never fires (values are random), but it is there
      cards.rawExec(cards.sql("create unique index ux_cn_T on T (card_number" + (db == Db.MARIADB ? "(64)" : "")
          + ")"));
      constrain(cards, db, failure);
      cards.seed(1);
      List<String> stored = storedForms(cards);
      long id = failure == Failure.PRIMARY_KEY ? 1 : 2;
      String note = failure == Failure.NOT_NULL ? null : "n";
      Throwable thrown = catchThrowable(() -> insert(cards, api, id, note));

      assertThat(thrown).as("the failing insert").isInstanceOf(SQLException.class);
      SQLException e = (SQLException) thrown;
      assertThat(e.getSQLState()).startsWith("23");
      assertThat(e.getCause()).as("the driver's exception is not chained").isNull();
      if (api == Api.BATCH) {
        assertThat((Object) e).isInstanceOf(BatchUpdateException.class);
      }
      List<String> messages = messages(e);
      for (String m : messages) {
        for (Pattern leak : LEAKS) {
          assertThat(leak.matcher(m).find()).as("%s in %s", leak, m).isFalse();
        }
        for (String s : stored) {
          assertThat(m).doesNotContain(s);
        }
      }
      assertThat(String.join("\n", messages).toLowerCase(Locale.ROOT))
          .as("the message still says what failed").containsAnyOf("duplicate", "unique", "null");
    }
  }

  @org.junit.jupiter.api.Test
  void commit_deferredUniqueCompanionFails_exceptionHoldsNoCompanionBytes() throws Exception {
    try (Cards cards = Cards.create(Db.POSTGRES)) {
      cards.rawExec(cards.sql("alter table T add column dek_prefix bytea generated always as"
          + " (substring(rowseal_dek from 1 for 11)) stored"),
          cards.sql("alter table T add constraint ux_dp_T unique (dek_prefix) deferrable initially deferred"));
      Throwable thrown;
      try (Connection c = cards.wrapped.getConnection()) {
        c.setAutoCommit(false);
        cards.insert(c, 1, "Holder 1", "4111111111111101", "007", "n");
        cards.insert(c, 2, "Holder 2", "4111111111111102", "014", "n");
        thrown = catchThrowable(c::commit);
      }
      assertThat(thrown).isInstanceOf(SQLException.class).hasNoCause();
      assertThat(((SQLException) thrown).getSQLState()).isEqualTo("23505");
      for (String m : messages(thrown)) {
        for (Pattern leak : LEAKS) {
          assertThat(leak.matcher(m).find()).as("%s in %s", leak, m).isFalse();
        }
      }
    }
  }

  private static void constrain(Cards cards, Db db, Failure failure) throws SQLException {
    String column = failure == Failure.COMPANION_INDEX ? "rowseal_dek" : "card_number";
    int length = failure == Failure.COMPANION_INDEX ? 11 : 1;
    switch (failure) {
      case COMPANION_INDEX:
      case ENCRYPTED_INDEX:
        if (db == Db.POSTGRES) {
          cards.rawExec(cards.sql("create unique index on T ((substring(" + column + " from 1 for " + length + ")))"));
        } else if (db == Db.MARIADB) {
          cards.rawExec(cards.sql("create unique index ux_p_T on T (" + column + "(" + length + "))"));
        } else {
          cards.rawExec(cards.sql("alter table T add column prefix varbinary(" + length
              + ") generated always as (substring(" + column + " from 1 for " + length + "))"),
              cards.sql("create unique index ux_p_T on T (prefix)"));
        }
        break;
      case NOT_NULL:
        cards.rawExec(cards.sql(db == Db.MARIADB ? "alter table T modify note varchar(200) not null"
            : "alter table T alter column note set not null"));
        break;
      default:
        break;
    }
  }

  private static void insert(Cards cards, Api api, long id, String note) throws SQLException {
    try (Connection c = cards.wrapped.getConnection()) {
      switch (api) {
        case PREPARED:
          cards.insert(c, id, "Holder X", "5500000000000004", "999", note);
          break;
        case BATCH:
          try (PreparedStatement ps = c.prepareStatement(cards.sql(Cards.INSERT))) {
            for (long i : new long[] {id + 10, id}) {
              ps.setLong(1, i);
              ps.setString(2, "Holder X");
              ps.setString(3, "5500000000000004");
              ps.setString(4, "999");
              ps.setString(5, note);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          break;
        default:
          try (Statement s = c.createStatement()) {
            s.executeUpdate(cards.sql("insert into T (id, holder, card_number, cvv, note) values (" + id
                + ", 'Holder X', '5500000000000004', '999', " + (note == null ? "null" : "'" + note + "'") + ")"));
          }
      }
    }
  }

  /** Row 1's stored ciphertext and companion in the forms a driver might print (hex, Base64, text form). */
  private static List<String> storedForms(Cards cards) throws SQLException {
    List<String> forms = new ArrayList<>();
    for (String column : List.of("card_number", "cvv", "rowseal_dek")) {
      byte[] b = cards.rawBytes(1, column);
      forms.add(HexFormat.of().formatHex(b, 0, 11));
      forms.add(HexFormat.of().withUpperCase().formatHex(b, 0, 11));
      forms.add(Base64.getEncoder().encodeToString(b).substring(0, 16));
    }
    forms.add(cards.rawText(1, "holder").substring(0, 16));
    return forms;
  }

  /** Every message and string form in the graph: causes, suppressed and next exceptions. */
  private static List<String> messages(Throwable top) {
    List<String> out = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    List<Throwable> todo = new ArrayList<>(List.of(top));
    while (!todo.isEmpty()) {
      Throwable t = todo.remove(todo.size() - 1);
      if (t == null || seen.put(t, true) != null) {
        continue;
      }
      out.add(String.valueOf(t.getMessage()));
      out.add(t.toString());
      todo.add(t.getCause());
      todo.addAll(List.of(t.getSuppressed()));
      if (t instanceof SQLException) {
        todo.add(((SQLException) t).getNextException());
      }
    }
    return out;
  }
}
