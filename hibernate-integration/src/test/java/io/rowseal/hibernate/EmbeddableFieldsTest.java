package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.jdbc.RowSealDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code @Encrypted} fields of embeddables: their columns are in the entity's table and encrypted with its row key. */
class EmbeddableFieldsTest {
  private static final String STREET = "canary-street-12a";
  private static final String WORK_STREET = "canary-work-street-9b";
  private static final LocalDate SINCE = LocalDate.of(2020, 4, 5);

  private static EncryptedTable people() {
    return EncryptedTable.builder("Person").idColumns("id")
        .column("name", String.class)
        .column("street", String.class).column("since", LocalDate.class)
        .column("work_street", String.class).column("work_since", LocalDate.class)
        .build();
  }

  private static long persist(Hib hib, boolean withWork) {
    return hib.fromTransaction(s -> {
      Person p = new Person();
      p.name = "canary-person-name";
      p.home = new Address(STREET, "Springfield", SINCE);
      p.work = withWork ? new Address(WORK_STREET, "Shelbyville", SINCE.plusDays(1)) : null;
      s.persist(p);
      s.flush();
      return p.id;
    });
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void persist_embeddedEncryptedFields_rawIsCiphertextAndCoreAloneDecrypts(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), Person.class)) {
      long id = persist(hib, true);

      RowSeal core = RowSeal.builder().keyRing(hib.keyRing).table(people()).build();
      EncryptedTable t = core.table("Person");
      try (Connection c = hib.raw.getConnection(); PreparedStatement ps = c.prepareStatement(
          "select street, city, since, work_street, work_city, rowseal_dek from Person where id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain(STREET);
          assertThat(rs.getString(2)).isEqualTo("Springfield");
          assertThat(rs.getString(5)).isEqualTo("Shelbyville");
          try (RowKey key = core.openRowKey(t, RowId.of(id), rs.getBytes(6))) {
            assertThat(key.decrypt(t.column("street"), rs.getBytes(1), String.class)).isEqualTo(STREET);
            assertThat(key.decrypt(t.column("since"), rs.getBytes(3), LocalDate.class)).isEqualTo(SINCE);
            assertThat(key.decrypt(t.column("work_street"), rs.getBytes(4), String.class)).isEqualTo(WORK_STREET);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void find_embeddedEncryptedFields_roundTripAndNullEmbeddableStaysNull(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), Person.class)) {
      long both = persist(hib, true);
      long homeOnly = persist(hib, false);

      Person p = hib.fromTransaction(s -> s.find(Person.class, both));
      Person q = hib.fromTransaction(s -> s.find(Person.class, homeOnly));

      assertThat(p.home.street).isEqualTo(STREET);
      assertThat(p.home.since).isEqualTo(SINCE);
      assertThat(p.work.street).isEqualTo(WORK_STREET);
      assertThat(p.work.city).isEqualTo("Shelbyville");
      assertThat(q.home.street).isEqualTo(STREET);
      assertThat(q.work).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void update_embeddedEncryptedField_readsBackAndUnchangedFlushIssuesNoUpdate(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), Person.class)) {
      long id = persist(hib, true);
      hib.statements.clear();
      hib.inTransaction(s -> s.find(Person.class, id));
      assertThat(hib.count("update")).isZero();

      hib.inTransaction(s -> s.find(Person.class, id).work.street = "moved-street");

      try (Connection c = RowSealDataSource.wrap(hib.raw,
              RowSeal.builder().keyRing(hib.keyRing).table(people()).build()).getConnection();
          PreparedStatement ps = c.prepareStatement("select work_street, street from Person where id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("moved-street");
          assertThat(rs.getString(2)).isEqualTo(STREET);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void traceLogging_embeddedEncryptedFields_notLogged(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), Person.class);
        LogCapture capture = new LogCapture("org.hibernate.SQL", "org.hibernate.orm.jdbc.bind",
            "org.hibernate.orm.jdbc.extract")) {
      long id = persist(hib, true);
      hib.inTransaction(s -> s.find(Person.class, id).work.street = "canary-moved-3c");
      hib.fromTransaction(s -> s.find(Person.class, id));

      List<String> lines = capture.lines();
      assertThat(lines).anyMatch(l -> l.contains("Springfield"));
      assertThat(lines).noneMatch(l -> l.contains("canary"));
    }
  }
}
