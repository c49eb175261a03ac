package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.Normalization;
import io.rowseal.RowSeal;
import io.rowseal.SearchIndex;
import io.rowseal.StorageForm;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An UPDATE that sets a searchable column together with other encrypted columns writes, in one statement, every
 * ciphertext and the index column(s) of every live write version, on H2, PostgreSQL and MariaDB: checked in the
 * raw columns (the index value is what a lookup computes, the other encrypted column decrypts), also when the
 * WHERE adds a lookup by a truncated index (exact rows, false positives of the index included) and in batches.
 */
class SearchUpdateTest {
  private static final KeyRing RING = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), new byte[32]));

  private static final class Fixture {
    final DataSource raw;
    final DataSource wrapped;
    final IndexKeyStore store;
    final EncryptedTable people;

    Fixture(Db db) throws Exception {
      raw = db.raw();
      String bin = db.binary();
      try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
        s.execute("create table people (id bigint primary key, email varchar(400), email_idx " + bin + ", name " + bin
            + ", phone " + bin + ", phone_idx " + bin + ", rowseal_dek " + bin + ", city varchar(40))");
      }
      store = IndexKeyStore.builder(raw, RING).build();
      store.migrate();
      people = EncryptedTable.builder("people").idColumns("id")
          .column("email", String.class, StorageForm.TEXT)
          .column("name", String.class)
          .column("phone", String.class)
          .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE).bits(8))
          .search("phone", SearchIndex.in("phone_idx").normalize(Normalization.DIGITS))
          .build();
      wrapped = RowSealDataSource.builder(raw, RowSeal.builder().keyRing(RING).table(people).build())
          .indexKeys(store).build();
      try (Connection c = wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement(
              "insert into people (id, email, name, phone, city) values (?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= 40; i++) {
          ps.setLong(1, i);
          ps.setString(2, "User" + i + "@Example.com");
          ps.setString(3, "Name " + i);
          ps.setString(4, "+33 1 " + i);
          ps.setString(5, "Lyon");
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    EncryptedColumn column(String name) {
      return people.column(name);
    }

    /** What a lookup of {@code value} compares {@code indexColumn} with. */
    byte[] lookup(String column, String indexColumn, String value) {
      IndexView view = store.view(column(column));
      return view.lookupValue(indexColumn, value);
    }

    byte[] rawIndex(long id, String indexColumn) throws Exception {
      try (Connection c = raw.getConnection();
          PreparedStatement ps = c.prepareStatement("select " + indexColumn + " from people where id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          return rs.getBytes(1);
        }
      }
    }

    String[] row(long id) throws Exception {
      try (Connection c = wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement("select email, name, phone, city from people where id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
        }
      }
    }

    List<Long> idsByEmail(String email) throws Exception {
      try (Connection c = wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement("select id from people where email = ?")) {
        ps.setString(1, email);
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
        return out;
      }
    }

    /** A value whose 8-bit email index equals that of {@code email} but whose normalised value differs. */
    String collidingWith(String email) {
      byte[] target = lookup("email", "email_idx", email);
      for (int i = 0; ; i++) {
        String candidate = "other" + i + "@example.com";
        if (Arrays.equals(lookup("email", "email_idx", candidate), target)) {
          return candidate;
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void update_searchableAndOtherEncryptedColumn_writesBothAndTheIndex(Db db) throws Exception {
    Fixture f = new Fixture(db);
    try (Connection c = f.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement("update people set email = ?, name = ? where id = ?")) {
      ps.setString(1, "Changed@Example.COM");
      ps.setString(2, "New Name");
      ps.setLong(3, 5);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    assertThat(f.rawIndex(5, "email_idx")).isEqualTo(f.lookup("email", "email_idx", "changed@example.com"));
    assertThat(f.rawIndex(5, "phone_idx")).isEqualTo(f.lookup("phone", "phone_idx", "3315"));
    assertThat(f.row(5)).containsExactly("Changed@Example.COM", "New Name", "+33 1 5", "Lyon");
    assertThat(f.idsByEmail("changed@example.com")).containsExactly(5L);
    assertThat(f.idsByEmail("user5@example.com")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void update_twoSearchableColumnsAndEveryEncryptedColumn_writesEveryIndex(Db db) throws Exception {
    Fixture f = new Fixture(db);
    try (Connection c = f.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "update people set phone = ?, name = ?, city = ?, email = ? where id = ?")) {
      ps.setString(1, "+44 20 7");
      ps.setString(2, "Both");
      ps.setString(3, "Nice");
      ps.setString(4, "Both@X.com");
      ps.setLong(5, 6);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    assertThat(f.rawIndex(6, "email_idx")).isEqualTo(f.lookup("email", "email_idx", "both@x.com"));
    assertThat(f.rawIndex(6, "phone_idx")).isEqualTo(f.lookup("phone", "phone_idx", "44207"));
    assertThat(f.row(6)).containsExactly("Both@X.com", "Both", "+44 20 7", "Nice");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void update_settingSearchableToNull_clearsItsIndex(Db db) throws Exception {
    Fixture f = new Fixture(db);
    try (Connection c = f.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement("update people set email = ?, name = ? where id = ?")) {
      ps.setNull(1, java.sql.Types.VARCHAR);
      ps.setString(2, "No Mail");
      ps.setLong(3, 7);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    assertThat(f.rawIndex(7, "email_idx")).isNull();
    assertThat(f.row(7)).containsExactly(null, "No Mail", "+33 1 7", "Lyon");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void update_whereIdAndTruncatedIndexLookup_changesExactlyTheMatchingRow(Db db) throws Exception {
    Fixture f = new Fixture(db);
    String collision = f.collidingWith("user8@example.com");
    try (Connection c = f.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "update people set email = ?, name = ? where id = ? and email = ?")) {
      // the index of the colliding value matches row 8 in the database; its decrypted e-mail does not
      ps.setString(1, "wrong@x.com");
      ps.setString(2, "Wrong");
      ps.setLong(3, 8);
      ps.setString(4, collision);
      assertThat(ps.executeUpdate()).isZero();
      ps.setString(1, "Right@X.com");
      ps.setString(2, "Right");
      ps.setLong(3, 8);
      ps.setString(4, "USER8@example.com");
      assertThat(ps.executeUpdate()).isEqualTo(1);
      ps.setString(1, "again@x.com");
      ps.setString(2, "Again");
      ps.setLong(3, 9);
      ps.setString(4, "nobody@example.com");
      assertThat(ps.executeUpdate()).isZero();
    }
    assertThat(f.row(8)).containsExactly("Right@X.com", "Right", "+33 1 8", "Lyon");
    assertThat(f.rawIndex(8, "email_idx")).isEqualTo(f.lookup("email", "email_idx", "right@x.com"));
    assertThat(f.row(9)).containsExactly("User9@Example.com", "Name 9", "+33 1 9", "Lyon");
    assertThat(f.idsByEmail("wrong@x.com")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void update_whereIdAndFullLengthIndexLookup_changesOnlyAMatchingRow(Db db) throws Exception {
    Fixture f = new Fixture(db);
    try (Connection c = f.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "update people set phone = ?, name = ? where phone = ? and id = ?")) {
      ps.setString(1, "+33 9 9");
      ps.setString(2, "Moved");
      ps.setString(3, "33110"); // row 10's phone, normalised
      ps.setLong(4, 10);
      assertThat(ps.executeUpdate()).isEqualTo(1);
      ps.setString(1, "+33 9 8");
      ps.setString(2, "Not Moved");
      ps.setString(3, "33110"); // row 10's phone, not row 11's
      ps.setLong(4, 11);
      assertThat(ps.executeUpdate()).isZero();
    }
    assertThat(f.row(10)).containsExactly("User10@Example.com", "Moved", "+33 9 9", "Lyon");
    assertThat(f.rawIndex(10, "phone_idx")).isEqualTo(f.lookup("phone", "phone_idx", "3399"));
    assertThat(f.row(11)).containsExactly("User11@Example.com", "Name 11", "+33 1 11", "Lyon");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void update_searchableAndOtherEncryptedColumn_inABatch(Db db) throws Exception {
    Fixture f = new Fixture(db);
    String collision = f.collidingWith("user14@example.com");
    try (Connection c = f.wrapped.getConnection();
        PreparedStatement plain = c.prepareStatement("update people set email = ?, name = ? where id = ?");
        PreparedStatement looked = c.prepareStatement(
            "update people set email = ?, name = ? where id = ? and email = ?")) {
      for (long id = 12; id <= 13; id++) {
        plain.setString(1, "Batch" + id + "@X.com");
        plain.setString(2, "Batch " + id);
        plain.setLong(3, id);
        plain.addBatch();
      }
      assertThat(plain.executeBatch()).containsExactly(1, 1);
      looked.setString(1, "Looked14@X.com");
      looked.setString(2, "Looked 14");
      looked.setLong(3, 14);
      looked.setString(4, "user14@EXAMPLE.com");
      looked.addBatch();
      looked.setString(1, "Missed15@X.com");
      looked.setString(2, "Missed");
      looked.setLong(3, 14);
      looked.setString(4, collision);
      looked.addBatch();
      looked.setString(1, "Looked15@X.com");
      looked.setString(2, "Looked 15");
      looked.setLong(3, 15);
      looked.setString(4, "user15@example.com");
      looked.addBatch();
      assertThat(looked.executeBatch()).containsExactly(1, 0, 1);
    }
    for (long id = 12; id <= 13; id++) {
      assertThat(f.row(id)).containsExactly("Batch" + id + "@X.com", "Batch " + id, "+33 1 " + id, "Lyon");
      assertThat(f.rawIndex(id, "email_idx")).isEqualTo(f.lookup("email", "email_idx", "batch" + id + "@x.com"));
      assertThat(f.idsByEmail("batch" + id + "@x.com")).containsExactly(id);
    }
    assertThat(f.row(14)).containsExactly("Looked14@X.com", "Looked 14", "+33 1 14", "Lyon");
    assertThat(f.row(15)).containsExactly("Looked15@X.com", "Looked 15", "+33 1 15", "Lyon");
    assertThat(f.rawIndex(15, "email_idx")).isEqualTo(f.lookup("email", "email_idx", "looked15@x.com"));
  }
}
