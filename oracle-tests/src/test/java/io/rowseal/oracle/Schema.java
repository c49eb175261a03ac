package io.rowseal.oracle;

import io.rowseal.EncryptedTable;
import io.rowseal.StorageForm;
import io.rowseal.search.Normalization;
import io.rowseal.search.SearchIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The oracle's test schema: the same tables in the plaintext and the encrypted copy, except that in the
 * encrypted copy the encrypted columns have their storage type and each table with encrypted columns has
 * the companion column {@code rowseal_dek} (placed in the middle of the column list on purpose, so that
 * positions and {@code *} differ between the copies), and the seed rows. Every plaintext value of an
 * encrypted column contains {@code CANARY}, so it can be searched for in raw bytes; plain columns never do.
 */
final class Schema {
  static final String COMPANION = "rowseal_dek";
  static final List<String> TABLES = List.of("cards", "customers", "merchants", "card_links", "vault", "people");

  /** The encrypted columns per table, with their storage form. */
  static final Map<String, Map<String, StorageForm>> ENCRYPTED = Map.of(
      "cards", Map.of("card_number", StorageForm.BINARY, "holder", StorageForm.TEXT, "cvv", StorageForm.BINARY),
      "customers", Map.of("name", StorageForm.BINARY, "email", StorageForm.TEXT),
      "card_links", Map.of("secret", StorageForm.BINARY),
      "vault", Map.of("secret", StorageForm.TEXT),
      "people", Map.of("email", StorageForm.TEXT, "phone", StorageForm.BINARY, "ref_code", StorageForm.BINARY));

  /** How many rows of {@code people}: enough that an 8-bit index matches other rows too (about 1 in 256 each). */
  static final int PEOPLE = 300;

  /** The seed rows: table, column list, rows. */
  static final List<Seed> SEEDS = List.of(
      new Seed("cards", List.of("id", "card_number", "holder", "cvv", "note", "amount", "customer_id"), List.of(
          new Object[] {1L, "CANARY-4111-0001-AAAA", "CANARY-HOLDER-ALICE", "CANARY-CVV-101", "n1", 100, 1L},
          new Object[] {2L, "CANARY-4111-0002-BBBB", "CANARY-HOLDER-BOB", "CANARY-CVV-202", "n2", 200, 2L},
          new Object[] {3L, "CANARY-5500-0003-CCCC", "CANARY-HOLDER-ALICE", "CANARY-CVV-303", null, 300, 1L},
          new Object[] {4L, "CANARY-3400-0004-DDDD", "CANARY-HOLDER-CAROL", null, "n4", null, 3L},
          new Object[] {5L, "CANARY-4111-0002-BBBB", "CANARY-HOLDER-DAVE", "CANARY-CVV-505", "n5", 500, null},
          new Object[] {6L, "CANARY-ÜNÏCODE-€-0006", "CANARY-HOLDER-ÉVE", "CANARY-CVV-606", "n6", 600, 4L},
          new Object[] {7L, null, null, null, "n7", 700, 2L},
          new Object[] {8L, null, "CANARY-HOLDER-FRANK", "CANARY-CVV-808", "n8", 800, 4L})),
      new Seed("customers", List.of("id", "name", "email", "city", "tier"), List.of(
          new Object[] {1L, "CANARY-NAME-ACME", "CANARY-MAIL-ACME@EXAMPLE.COM", "Paris", 1},
          new Object[] {2L, "CANARY-NAME-BETA", "CANARY-MAIL-BETA@EXAMPLE.COM", "Lyon", 2},
          new Object[] {3L, null, "CANARY-MAIL-GAMMA@EXAMPLE.COM", "Paris", null},
          new Object[] {4L, "CANARY-NAME-DELTA", null, null, 3})),
      new Seed("merchants", List.of("id", "name", "city", "card_prefix"), List.of(
          new Object[] {1L, "Shop A", "Paris", "4111"},
          new Object[] {2L, "Shop B", "Lyon", "5500"},
          new Object[] {3L, "Shop C", "Paris", null},
          new Object[] {4L, "Shop D", null, "3400"})),
      new Seed("card_links", List.of("card_id", "seq", "secret", "label"), List.of(
          new Object[] {1L, 1, "CANARY-LINK-1-1", "l11"},
          new Object[] {1L, 2, "CANARY-LINK-1-2", "l12"},
          new Object[] {2L, 1, null, "l21"},
          new Object[] {3L, 1, "CANARY-LINK-3-1", "l31"})),
      new Seed("vault", List.of("code", "secret", "kind"), List.of(
          new Object[] {"k-alpha", "CANARY-VAULT-ALPHA", "a"},
          new Object[] {"k-beta", "CANARY-VAULT-BETA", "b"},
          new Object[] {"k-gamma", null, "c"})),
      new Seed("people", List.of("id", "email", "phone", "ref_code", "city"), people()));

  /**
   * Searchable columns: email (text, lowercase, 8-bit index: many false positives), phone (binary, digits,
   * full length), ref_code (binary, no normalisation, full length, UNIQUE index).
   */
  private static List<Object[]> people() {
    List<Object[]> rows = new ArrayList<>();
    String[] cities = {"Paris", "Lyon", null};
    for (int i = 1; i <= PEOPLE; i++) {
      String email = i % 37 == 0 ? null : (i % 2 == 0 ? "CANARY-User" + i + "@Example.com" : "canary-user" + i + "@example.com");
      String phone = i % 41 == 0 ? null : "CANARY +33 (0)1 " + (i % 9) + "-0" + (i % 5);
      rows.add(new Object[] {(long) i, email, phone, "CANARY-CODE-" + String.format("%04d", i), cities[i % 3]});
    }
    return rows;
  }

  private Schema() {}

  /** The CREATE TABLE statements of one copy. */
  static List<String> ddl(OracleDb db, boolean encrypted) {
    String enc = encrypted ? db.binary() : "varchar(100)";
    String dek = encrypted ? ", " + COMPANION + " " + db.binary() : "";
    List<String> ddl = new ArrayList<>();
    ddl.add("create table cards (id bigint primary key, card_number " + enc + ", holder varchar(400), cvv " + enc
        + dek + ", note varchar(200), amount int, customer_id bigint)");
    ddl.add("create table customers (id bigint primary key, name " + enc + ", email varchar(400)" + dek
        + ", city varchar(100), tier int)");
    ddl.add("create table merchants (id bigint primary key, name varchar(100), city varchar(100),"
        + " card_prefix varchar(400))");
    ddl.add("create table card_links (card_id bigint not null, seq int not null, secret " + enc + dek
        + ", label varchar(100), primary key (card_id, seq))");
    ddl.add("create table vault (code varchar(40) primary key, secret varchar(400)" + dek + ", kind varchar(20))");
    String idx = db.binary();
    ddl.add(encrypted
        ? "create table people (id bigint primary key, email varchar(400), email_idx " + idx + ", phone " + enc
            + ", phone_idx " + idx + dek + ", ref_code " + enc + ", ref_code_idx " + idx + ", city varchar(100), unique (ref_code_idx))"
        : "create table people (id bigint primary key, email varchar(400), phone varchar(100),"
            + " ref_code varchar(100), city varchar(100), unique (ref_code))");
    return ddl;
  }

  /** RowSeal's configuration of the encrypted copy. */
  static List<EncryptedTable> encryptedTables() {
    return List.of(
        EncryptedTable.builder("cards").idColumns("id")
            .column("card_number", String.class, StorageForm.BINARY)
            .column("holder", String.class, StorageForm.TEXT)
            .column("cvv", String.class, StorageForm.BINARY)
            .build(),
        EncryptedTable.builder("customers").idColumns("id")
            .column("name", String.class, StorageForm.BINARY)
            .column("email", String.class, StorageForm.TEXT)
            .build(),
        EncryptedTable.builder("card_links").idColumns("card_id", "seq")
            .column("secret", String.class, StorageForm.BINARY)
            .build(),
        EncryptedTable.builder("vault").idColumns("code")
            .column("secret", String.class, StorageForm.TEXT)
            .build(),
        EncryptedTable.builder("people").idColumns("id")
            .column("email", String.class, StorageForm.TEXT)
            .column("phone", String.class, StorageForm.BINARY)
            .column("ref_code", String.class, StorageForm.BINARY)
            .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE).bits(8))
            .search("phone", SearchIndex.in("phone_idx").normalize(Normalization.DIGITS))
            .search("ref_code", SearchIndex.in("ref_code_idx"))
            .build());
  }

  record Seed(String table, List<String> columns, List<Object[]> rows) {
    String insertSql() {
      return "insert into " + table + " (" + String.join(", ", columns) + ") values ("
          + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
    }
  }
}
