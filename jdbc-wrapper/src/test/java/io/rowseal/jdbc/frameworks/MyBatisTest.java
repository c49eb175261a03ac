package io.rowseal.jdbc.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A MyBatis annotation mapper on an encrypted table, MyBatis given the {@link io.rowseal.jdbc.RowSealDataSource}
 * as its DataSource (JdbcTransactionFactory): insert, select by id, a page with {@code LIMIT/OFFSET}, update by
 * id and delete read back what was written and store only ciphertext. Encrypted columns map to {@code String}
 * properties with MyBatis' own type handlers; no RowSeal-specific TypeHandler.
 */
class MyBatisTest {

  /** The mapper; {@code ${cards}} is the configuration variable holding the table's unique name. */
  interface CardMapper {
    @Insert("insert into ${cards} (id, card_number, holder, note, amount)"
        + " values (#{id}, #{cardNumber}, #{holder}, #{note}, #{amount})")
    int insert(CardBean card);

    @Select("select id, card_number, holder, note, amount from ${cards} where id = #{id}")
    CardBean selectById(long id);

    @Select("select id, card_number, holder, note, amount from ${cards} order by id"
        + " limit #{limit} offset #{offset}")
    List<CardBean> selectPage(@Param("limit") int limit, @Param("offset") int offset);

    @Update("update ${cards} set card_number = #{cardNumber}, holder = #{holder}, note = #{note},"
        + " amount = #{amount} where id = #{id}")
    int update(CardBean card);

    @Delete("delete from ${cards} where id = #{id}")
    int delete(long id);
  }

  /** MyBatis' usual mutable result and parameter object. */
  public static final class CardBean {
    private long id;
    private String cardNumber;
    private String holder;
    private String note;
    private BigDecimal amount;

    public CardBean() {}

    static CardBean of(Card c) {
      CardBean b = new CardBean();
      b.id = c.id();
      b.cardNumber = c.cardNumber();
      b.holder = c.holder();
      b.note = c.note();
      b.amount = c.amount();
      return b;
    }

    Card toCard() {
      return new Card(id, cardNumber, holder, note, amount);
    }

    public long getId() {
      return id;
    }

    public void setId(long id) {
      this.id = id;
    }

    public String getCardNumber() {
      return cardNumber;
    }

    public void setCardNumber(String cardNumber) {
      this.cardNumber = cardNumber;
    }

    public String getHolder() {
      return holder;
    }

    public void setHolder(String holder) {
      this.holder = holder;
    }

    public String getNote() {
      return note;
    }

    public void setNote(String note) {
      this.note = note;
    }

    public BigDecimal getAmount() {
      return amount;
    }

    public void setAmount(BigDecimal amount) {
      this.amount = amount;
    }
  }

  /** A MyBatis session factory over {@code dataSource}, the mapper's {@code ${cards}} set to {@code table}. */
  static SqlSessionFactory sessionFactory(DataSource dataSource, String table) {
    Configuration configuration =
        new Configuration(new Environment("rowseal", new JdbcTransactionFactory(), dataSource));
    configuration.setMapUnderscoreToCamelCase(true);
    Properties variables = new Properties();
    variables.setProperty("cards", table);
    configuration.setVariables(variables);
    configuration.addMapper(CardMapper.class);
    return new SqlSessionFactoryBuilder().build(configuration);
  }

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void mapper_insertSelectPageUpdateDelete_roundTripsCiphertext(FrameworkDb db) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      SqlSessionFactory factory = sessionFactory(cards.wrapped, cards.name);
      List<Card> all = SpringJdbcTest.samples(4);

      try (SqlSession session = factory.openSession()) {
        CardMapper mapper = session.getMapper(CardMapper.class);
        for (Card c : all) {
          assertThat(mapper.insert(CardBean.of(c))).isEqualTo(1);
        }
        session.commit();
      }
      for (Card c : all) {
        cards.assertStoredEncrypted(c);
      }

      try (SqlSession session = factory.openSession()) {
        CardMapper mapper = session.getMapper(CardMapper.class);
        assertThat(mapper.selectById(3).toCard()).isEqualTo(all.get(2));
        assertThat(mapper.selectPage(2, 1).stream().map(CardBean::toCard))
            .containsExactly(all.get(1), all.get(2));

        Card updated = all.get(1).updated();
        assertThat(mapper.update(CardBean.of(updated))).isEqualTo(1);
        assertThat(mapper.delete(4)).isEqualTo(1);
        session.commit();
        cards.assertStoredEncrypted(updated);
        session.clearCache();
        assertThat(mapper.selectById(2).toCard()).isEqualTo(updated);
      }
      assertThat(cards.rawIds()).containsExactly(1L, 2L, 3L);
    }
  }

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void batchExecutor_insertsAndUpdates_encryptEveryRow(FrameworkDb db) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      SqlSessionFactory factory = sessionFactory(cards.wrapped, cards.name);
      List<Card> all = SpringJdbcTest.samples(5);
      List<Card> updated = all.stream().map(Card::updated).toList();

      try (SqlSession session = factory.openSession(ExecutorType.BATCH)) {
        CardMapper mapper = session.getMapper(CardMapper.class);
        for (Card c : all) {
          mapper.insert(CardBean.of(c));
        }
        for (Card c : updated) {
          mapper.update(CardBean.of(c));
        }
        session.flushStatements();
        session.commit();
      }

      for (Card c : updated) {
        cards.assertStoredEncrypted(c);
      }
      try (SqlSession session = factory.openSession()) {
        assertThat(session.getMapper(CardMapper.class).selectPage(10, 0).stream().map(CardBean::toCard))
            .containsExactlyElementsOf(updated);
      }
    }
  }
}
