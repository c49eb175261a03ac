package io.rowseal.jdbc.frameworks;

import java.math.BigDecimal;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The cards table as jOOQ's generated code declares it, written by hand: schema-qualified names in the case
 * the catalog stores them, every field qualified by schema and table. The encrypted columns are
 * {@code String} fields, as a forced type would make them.
 */
final class JooqCards {
  /** How jOOQ renders identifiers. */
  enum Quoting {
    /** {@code "public"."cards"."id"}, {@code `test`.`cards`.`id`}, {@code "PUBLIC"."CARDS"."ID"}. */
    QUOTED(RenderQuotedNames.ALWAYS),
    /** {@code public.cards.id} and the like. */
    UNQUOTED(RenderQuotedNames.NEVER);

    final RenderQuotedNames setting;

    Quoting(RenderQuotedNames setting) {
      this.setting = setting;
    }
  }

  static {
    // jOOQ prints a logo and a tip of the day on first use.
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
  }

  final Table<Record> table;
  final Field<Long> id;
  final Field<String> cardNumber;
  final Field<String> holder;
  final Field<String> note;
  final Field<BigDecimal> amount;
  final List<Field<?>> columns;

  JooqCards(EncryptedCards cards) {
    FrameworkDb db = cards.db;
    Name name = DSL.name(cards.schema, db.stored(cards.name));
    this.table = DSL.table(name);
    this.id = DSL.field(name.append(db.stored("id")), SQLDataType.BIGINT.notNull());
    this.cardNumber = DSL.field(name.append(db.stored("card_number")), SQLDataType.VARCHAR);
    this.holder = DSL.field(name.append(db.stored("holder")), SQLDataType.VARCHAR(400));
    this.note = DSL.field(name.append(db.stored("note")), SQLDataType.VARCHAR(200));
    this.amount = DSL.field(name.append(db.stored("amount")), SQLDataType.DECIMAL(12, 2));
    this.columns = List.of(id, cardNumber, holder, note, amount);
  }

  static DSLContext using(DataSource dataSource, FrameworkDb db, Quoting quoting) {
    return DSL.using(dataSource, dialect(db), new Settings().withRenderQuotedNames(quoting.setting));
  }

  static SQLDialect dialect(FrameworkDb db) {
    switch (db) {
      case POSTGRES:
        return SQLDialect.POSTGRES;
      case MARIADB:
        return SQLDialect.MARIADB;
      default:
        return SQLDialect.H2;
    }
  }

  Card card(Record r) {
    return new Card(r.get(id), r.get(cardNumber), r.get(holder), r.get(note), r.get(amount));
  }
}
