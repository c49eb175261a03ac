package io.rowseal.jdbc.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.jdbc.frameworks.JooqCards.Quoting;
import io.rowseal.jdbc.frameworks.MyBatisTest.CardBean;
import io.rowseal.jdbc.frameworks.MyBatisTest.CardMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SimplePropertySqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;

/**
 * Records the exact SQL text each library hands to JDBC for the ordinary operations on an encrypted table
 * (insert, batch insert, select by id, a page, update by id, delete), through a {@link RecordingDataSource}
 * placed above {@link io.rowseal.jdbc.RowSealDataSource}, and writes it to
 * {@code target/framework-sql/<library>-<db>.sql} for the differential oracle. A copy is kept under
 * {@code src/test/resources/framework-sql/}; refresh it from {@code target/} when a library upgrade changes
 * its SQL.
 *
 * <p>Each file lists the distinct statements in first-use order, one per entry ending in {@code ;}; the test
 * table's unique name is replaced by {@code cards} ({@code CARDS} where H2's catalog case is used). A
 * statement RowSeal refuses today is still recorded; the test then fails, listing the refusals, because every
 * one of these statements must work.
 */
class FrameworkSqlCaptureTest {
  private static final RowMapper<Card> CARD = new DataClassRowMapper<>(Card.class);

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void spring_ordinaryOperations_recordedAndAccepted(FrameworkDb db) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      RecordingDataSource recording = new RecordingDataSource(cards.wrapped);
      Steps steps = new Steps(cards);
      JdbcTemplate jdbc = new JdbcTemplate(recording);
      NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(recording);
      JdbcClient client = JdbcClient.create(recording);

      steps.run("JdbcTemplate insert", () -> {
        Card c = steps.write(Card.sample(1));
        jdbc.update(cards.sql(SpringJdbcTest.INSERT), c.id(), c.cardNumber(), c.holder(), c.note(), c.amount());
      });
      steps.run("JdbcTemplate batchUpdate insert", () -> {
        List<Card> batch = List.of(steps.write(Card.sample(2)), steps.write(Card.sample(3)));
        jdbc.batchUpdate(cards.sql(SpringJdbcTest.INSERT), batch.stream()
            .map(c -> new Object[] {c.id(), c.cardNumber(), c.holder(), c.note(), c.amount()}).toList());
      });
      steps.run("JdbcTemplate queryForObject by id", () -> assertThat(
          jdbc.queryForObject(cards.sql(SpringJdbcTest.SELECT_BY_ID), CARD, 1L)).isEqualTo(steps.expected(1)));
      steps.run("JdbcTemplate queryForObject one column", () -> assertThat(jdbc.queryForObject(
          cards.sql("select card_number from cards where id = ?"), String.class, 2L))
          .isEqualTo(steps.expected(2).cardNumber()));
      steps.run("JdbcTemplate page", () -> assertThat(jdbc.query(cards.sql(SpringJdbcTest.SELECT_PAGE), CARD, 2, 1))
          .containsExactly(steps.expected(2), steps.expected(3)));
      steps.run("JdbcTemplate update by id", () -> {
        Card u = steps.write(steps.expected(1).updated());
        jdbc.update(cards.sql(SpringJdbcTest.UPDATE_BY_ID), u.cardNumber(), u.holder(), u.note(), u.amount(), u.id());
      });
      steps.run("JdbcTemplate delete by id", () -> {
        jdbc.update(cards.sql(SpringJdbcTest.DELETE_BY_ID), 3L);
        steps.deleted(3);
      });

      steps.run("NamedParameterJdbcTemplate insert", () -> named.update(cards.sql(SpringJdbcTest.INSERT_NAMED),
          new SimplePropertySqlParameterSource(steps.write(Card.sample(4)))));
      steps.run("NamedParameterJdbcTemplate select by id", () -> assertThat(named.queryForObject(
          cards.sql(SpringJdbcTest.SELECT_BY_ID_NAMED), Map.of("id", 4L), CARD)).isEqualTo(steps.expected(4)));
      steps.run("NamedParameterJdbcTemplate page", () -> assertThat(named.query(
          cards.sql(SpringJdbcTest.SELECT_PAGE_NAMED), new MapSqlParameterSource("limit", 1).addValue("offset", 0),
          CARD)).containsExactly(steps.expected(1)));
      steps.run("NamedParameterJdbcTemplate update by id", () -> named.update(
          cards.sql(SpringJdbcTest.UPDATE_BY_ID_NAMED),
          new SimplePropertySqlParameterSource(steps.write(steps.expected(4).updated()))));
      steps.run("NamedParameterJdbcTemplate delete by id", () -> {
        named.update(cards.sql(SpringJdbcTest.DELETE_BY_ID_NAMED), Map.of("id", 4L));
        steps.deleted(4);
      });

      steps.run("JdbcClient insert", () ->
          client.sql(cards.sql(SpringJdbcTest.INSERT_NAMED)).paramSource(steps.write(Card.sample(5))).update());
      steps.run("JdbcClient select by id", () -> assertThat(client.sql(cards.sql(SpringJdbcTest.SELECT_BY_ID_NAMED))
          .param("id", 5L).query(Card.class).single()).isEqualTo(steps.expected(5)));
      steps.run("JdbcClient page", () -> assertThat(client.sql(cards.sql(SpringJdbcTest.SELECT_PAGE_NAMED))
          .param("limit", 10).param("offset", 1).query(Card.class).list())
          .containsExactly(steps.expected(2), steps.expected(5)));
      steps.run("JdbcClient update by id", () -> client.sql(cards.sql(SpringJdbcTest.UPDATE_BY_ID_NAMED))
          .paramSource(steps.write(steps.expected(5).updated())).update());
      steps.run("JdbcClient delete by id", () -> {
        client.sql(cards.sql(SpringJdbcTest.DELETE_BY_ID_NAMED)).param("id", 5L).update();
        steps.deleted(5);
      });

      // Only the explicit-column form: the metadata form today names the companion column (see SpringJdbcTest),
      // which is not SQL an application means to send.
      steps.run("SimpleJdbcInsert usingColumns", () -> new SimpleJdbcInsert(recording).withTableName(cards.name)
          .usingColumns("id", "card_number", "holder", "note", "amount")
          .execute(new SimplePropertySqlParameterSource(steps.write(Card.sample(6)))));

      finish("spring", cards, recording, steps);
    }
  }

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void mybatis_ordinaryOperations_recordedAndAccepted(FrameworkDb db) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      RecordingDataSource recording = new RecordingDataSource(cards.wrapped);
      Steps steps = new Steps(cards);
      SqlSessionFactory factory = MyBatisTest.sessionFactory(recording, cards.name);

      try (SqlSession session = factory.openSession(true)) {
        CardMapper mapper = session.getMapper(CardMapper.class);
        steps.run("insert", () -> mapper.insert(CardBean.of(steps.write(Card.sample(1)))));
        steps.run("selectById", () -> assertThat(mapper.selectById(1).toCard()).isEqualTo(steps.expected(1)));
        steps.run("update", () -> mapper.update(CardBean.of(steps.write(steps.expected(1).updated()))));
        steps.run("delete", () -> {
          mapper.delete(1);
          steps.deleted(1);
        });
      }
      try (SqlSession session = factory.openSession(ExecutorType.BATCH)) {
        CardMapper mapper = session.getMapper(CardMapper.class);
        steps.run("batch insert", () -> {
          for (long id = 2; id <= 4; id++) {
            mapper.insert(CardBean.of(steps.write(Card.sample(id))));
          }
          session.flushStatements();
          session.commit();
        });
      }
      try (SqlSession session = factory.openSession(true)) {
        steps.run("selectPage", () -> assertThat(session.getMapper(CardMapper.class).selectPage(2, 1).stream()
            .map(CardBean::toCard)).containsExactly(steps.expected(3), steps.expected(4)));
      }

      finish("mybatis", cards, recording, steps);
    }
  }

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void jooqQuoted_ordinaryOperations_recordedAndAccepted(FrameworkDb db) throws Exception {
    jooq(db, Quoting.QUOTED, "jooq");
  }

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void jooqUnquoted_ordinaryOperations_recordedAndAccepted(FrameworkDb db) throws Exception {
    jooq(db, Quoting.UNQUOTED, "jooq-unquoted");
  }

  private static void jooq(FrameworkDb db, Quoting quoting, String library) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      RecordingDataSource recording = new RecordingDataSource(cards.wrapped);
      Steps steps = new Steps(cards);
      JooqCards t = new JooqCards(cards);
      DSLContext ctx = JooqCards.using(recording, db, quoting);

      steps.run("insertInto", () -> {
        Card c = steps.write(Card.sample(1));
        ctx.insertInto(t.table, t.id, t.cardNumber, t.holder, t.note, t.amount)
            .values(c.id(), c.cardNumber(), c.holder(), c.note(), c.amount()).execute();
      });
      steps.run("batch insertInto", () -> {
        var batch = ctx.batch(ctx.insertInto(t.table, t.id, t.cardNumber, t.holder, t.note, t.amount)
            .values((Long) null, null, null, null, null));
        for (long id = 2; id <= 4; id++) {
          Card c = steps.write(Card.sample(id));
          batch.bind(c.id(), c.cardNumber(), c.holder(), c.note(), c.amount());
        }
        batch.execute();
      });
      steps.run("select by id", () -> assertThat(ctx.select(t.columns).from(t.table).where(t.id.eq(1L))
          .fetchOne(t::card)).isEqualTo(steps.expected(1)));
      steps.run("selectFrom by id", () -> assertThat(ctx.selectFrom(t.table).where(t.id.eq(2L))
          .fetchOne(t::card)).isEqualTo(steps.expected(2)));
      steps.run("page", () -> assertThat(ctx.select(t.columns).from(t.table).orderBy(t.id).limit(2).offset(1)
          .fetch(t::card)).containsExactly(steps.expected(2), steps.expected(3)));
      steps.run("update by id", () -> {
        Card u = steps.write(steps.expected(1).updated());
        ctx.update(t.table).set(t.cardNumber, u.cardNumber()).set(t.holder, u.holder()).set(t.note, u.note())
            .set(t.amount, u.amount()).where(t.id.eq(u.id())).execute();
      });
      steps.run("deleteFrom by id", () -> {
        ctx.deleteFrom(t.table).where(t.id.eq(4L)).execute();
        steps.deleted(4);
      });

      finish(library, cards, recording, steps);
    }
  }

  /** Writes the recorded SQL, checks what is stored against what was written, and fails on any refused step. */
  private static void finish(String library, EncryptedCards cards, RecordingDataSource recording, Steps steps)
      throws IOException, SQLException {
    Path file = write(library, cards, recording.recorded());
    assertThat(file).isNotEmptyFile();
    steps.checkStored();
    assertThat(steps.failures).as("%s on %s: every ordinary statement must work", library, cards.db).isEmpty();
  }

  private static Path write(String library, EncryptedCards cards, List<String> recorded) throws IOException {
    Pattern unique = Pattern.compile("(?i)\\b" + Pattern.quote(cards.name) + "\\b");
    StringBuilder out = new StringBuilder()
        .append("-- SQL that ").append(library).append(" sends for ordinary operations on an encrypted table, ")
        .append(cards.db.id()).append(".\n")
        .append("-- Recorded above RowSealDataSource by FrameworkSqlCaptureTest; distinct statements in first-use")
        .append(" order.\n")
        .append("-- Table: cards (id bigint primary key, card_number binary encrypted, holder varchar encrypted")
        .append(" as text, note varchar, amount decimal(12,2), rowseal_dek binary companion); schema ")
        .append(cards.schema).append(".\n");
    for (String sql : new LinkedHashSet<>(recorded)) {
      Matcher m = unique.matcher(sql);
      StringBuilder normalised = new StringBuilder();
      while (m.find()) {
        boolean upper = m.group().equals(m.group().toUpperCase(Locale.ROOT));
        m.appendReplacement(normalised, upper ? "CARDS" : "cards");
      }
      m.appendTail(normalised);
      out.append(normalised).append(";\n");
    }
    Path dir = Path.of(System.getProperty("basedir", "."), "target", "framework-sql");
    Files.createDirectories(dir);
    Path file = dir.resolve(library + "-" + cards.db.id() + ".sql");
    Files.writeString(file, out, StandardCharsets.UTF_8);
    return file;
  }

  /** Runs steps past failures, collecting them, and keeps the rows each step should leave behind. */
  private static final class Steps {
    final EncryptedCards cards;
    final List<String> failures = new ArrayList<>();
    final Map<Long, Card> expected = new TreeMap<>();

    Steps(EncryptedCards cards) {
      this.cards = cards;
    }

    interface Step {
      void run() throws Exception;
    }

    void run(String name, Step step) {
      try {
        step.run();
      } catch (Exception | AssertionError e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        failures.add(name + ": " + e.getMessage() + (root == e ? "" : " [cause: " + root.getMessage() + "]"));
      }
    }

    Card write(Card card) {
      expected.put(card.id(), card);
      return card;
    }

    Card expected(long id) {
      return expected.get(id);
    }

    void deleted(long id) {
      expected.remove(id);
    }

    /** Every row that is stored is ciphertext and holds what was last written (rows of failed steps aside). */
    void checkStored() throws SQLException {
      for (long id : cards.rawIds()) {
        Card card = expected.get(id);
        if (card != null && failures.isEmpty()) {
          cards.assertStoredEncrypted(card);
        }
      }
      if (failures.isEmpty()) {
        assertThat(cards.rawIds()).containsExactlyElementsOf(expected.keySet());
      }
    }
  }
}
