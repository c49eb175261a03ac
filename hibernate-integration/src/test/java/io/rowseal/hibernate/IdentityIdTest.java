package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.jdbc.RowSealDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * IDENTITY ids: Hibernate inserts without the id and reads it back through getGeneratedKeys (through the
 * wrapper), so RowSeal writes the row unbound (row id "" in every AAD, row-bound flag 0).
 */
class IdentityIdTest {
  private static final String IBAN = "DE89370400440532013000";

  @ParameterizedTest
  @EnumSource(Db.class)
  void persist_identityId_generatedKeyReturnedAndRowUnbound(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), Account.class)) {
      long id = persist(hib, IBAN, 1234L);

      assertThat(id).isPositive();
      try (Connection c = hib.raw.getConnection();
          PreparedStatement ps = c.prepareStatement("select iban, rowseal_dek from Account where id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain(IBAN);
          assertThat(WrappedDataKey.decode(rs.getBytes(2)).isRowBound()).isFalse();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void find_identityRows_readBackAndDecryptWithCoreAloneAsUnbound(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), Account.class)) {
      long first = persist(hib, IBAN, 1234L);
      long second = persist(hib, "GB33BUKB20201555555555", -5L);

      Account a = hib.fromTransaction(s -> s.find(Account.class, first));
      Account b = hib.fromTransaction(s -> s.find(Account.class, second));
      assertThat(a.iban).isEqualTo(IBAN);
      assertThat(a.balanceCents).isEqualTo(1234L);
      assertThat(b.iban).isEqualTo("GB33BUKB20201555555555");
      assertThat(b.balanceCents).isEqualTo(-5L);

      EncryptedTable accounts = EncryptedTable.builder("Account").idColumns("id")
          .column("iban", String.class).column("balanceCents", long.class).build();
      RowSeal core = RowSeal.builder().keyRing(hib.keyRing).table(accounts).build();
      try (Connection c = hib.raw.getConnection();
          PreparedStatement ps = c.prepareStatement("select iban, balanceCents, rowseal_dek from Account where id = ?")) {
        ps.setLong(1, first);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          try (RowKey key = core.openRowKey(accounts, RowId.unbound(), rs.getBytes(3))) {
            assertThat(key.decrypt(accounts.column("iban"), rs.getBytes(1), String.class)).isEqualTo(IBAN);
            assertThat(key.decrypt(accounts.column("balanceCents"), rs.getBytes(2), Long.class)).isEqualTo(1234L);
          }
        }
      }
      try (Connection c = RowSealDataSource.wrap(hib.raw, core).getConnection();
          PreparedStatement ps = c.prepareStatement("select iban from Account where id = ?")) {
        ps.setLong(1, second);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("GB33BUKB20201555555555");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void update_identityRow_newValueReadsBackOthersStillDecrypt(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), Account.class)) {
      long id = persist(hib, IBAN, 1234L);

      hib.inTransaction(s -> s.find(Account.class, id).balanceCents = 99L);
      hib.inTransaction(s -> s.find(Account.class, id).label = "renamed");

      Account a = hib.fromTransaction(s -> s.find(Account.class, id));
      assertThat(a.balanceCents).isEqualTo(99L);
      assertThat(a.iban).isEqualTo(IBAN);
      assertThat(a.label).isEqualTo("renamed");
      assertThat(a.version).isEqualTo(2L);
      List<Account> all = hib.fromTransaction(s -> s.createQuery("from Account", Account.class).getResultList());
      assertThat(all).singleElement().satisfies(x -> assertThat(x.iban).isEqualTo(IBAN));
    }
  }

  private static long persist(Hib hib, String iban, long balance) {
    return hib.fromTransaction(s -> {
      Account a = new Account(iban, balance, "label");
      s.persist(a);
      s.flush();
      return a.id;
    });
  }
}
