package io.rowseal.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.errors.UnsupportedStatementException;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link DriverErrors} on messages as the drivers wrote them (copied from real failures; the database tests in
 * {@code SanitisedErrorsTest} produce them live).
 */
class DriverErrorsTest {
  private static final Set<String> SENSITIVE = Set.of("card_number", "holder", "rowseal_dek");
  private final RowSeal rowSeal = RowSeal.builder()
      .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), new byte[32])))
      .table(EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build())
      .build();

  @Test
  void redact_pgjdbcBatchEntry_dropsStatementAndKeyValues() {
    String m = DriverErrors.redact("Batch entry 0 insert into cards (id, holder, card_number) values (('2'::int8),"
        + " ('rs1:AQIDBAUGBwgJCgsMDQ4PEBESExQ='), '\\x010203ab274142'::bytea) was aborted: ERROR: duplicate key value"
        + " violates unique constraint \"cards_substring_idx\"\n  Detail: Key (SUBSTRING(rowseal_dek FROM 1 FOR 11))="
        + "(\\x0101086c6f63616c3a6b31) already exists.  Call getNextException to see other errors in the batch.",
        SENSITIVE);
    assertThat(m).isEqualTo("Batch entry 0 <withheld by RowSeal> was aborted: ERROR: duplicate key value violates"
        + " unique constraint \"cards_substring_idx\"\n  Detail: Key (SUBSTRING(rowseal_dek FROM 1 FOR 11))="
        + "(<withheld by RowSeal>) already exists.  Call getNextException to see other errors in the batch.");
  }

  @Test
  void redact_keyDetailOfPlaintextColumn_keepsValue() {
    assertThat(DriverErrors.redact("Detail: Key (id)=(1) already exists.", SENSITIVE))
        .isEqualTo("Detail: Key (id)=(1) already exists.");
  }

  @Test
  void redact_h2PrimaryKeyRow_withholdsBinaryAndTextForm() {
    String m = DriverErrors.redact("Unique index or primary key violation: \"PRIMARY KEY ON PUBLIC.CARDS(ID) ( /* key:1"
        + " */ CAST(1 AS BIGINT), 'rs1:ATd0AVQ6cgdZj2vA9yBH3EWvw+286aqC2ESFnMVJYUW3m0e/hrM=', X'01019951d6a71d1b',"
        + " 'note 1')\"; SQL statement:\ninsert into cards (id, holder) values (?, ?) [23505-232]", SENSITIVE);
    assertThat(m).isEqualTo("Unique index or primary key violation: \"PRIMARY KEY ON PUBLIC.CARDS(ID) ( /* key:1 */"
        + " CAST(1 AS BIGINT), '<withheld by RowSeal>', X'<withheld by RowSeal>', 'note 1')\"; SQL statement:"
        + " <withheld by RowSeal> [23505-232]");
  }

  @Test
  void redact_mariadbDuplicateEntry_withholdsEntry() {
    assertThat(DriverErrors.redact("(conn=4340) Duplicate entry '\\x01\\x01\\x08local:k1' for key 'ux_T'", SENSITIVE))
        .isEqualTo("(conn=4340) Duplicate entry '<withheld by RowSeal>' for key 'ux_T'");
  }

  @Test
  void redact_failingRow_withholdsRow() {
    assertThat(DriverErrors.redact("ERROR: null value in column \"note\" violates not-null constraint\n  Detail:"
        + " Failing row contains (2, rs1:AQID, \\x0102, null).", SENSITIVE))
        .isEqualTo("ERROR: null value in column \"note\" violates not-null constraint\n  Detail: Failing row contains"
            + " (<withheld by RowSeal>)");
  }

  @Test
  void redact_identifiersAndWords_unchanged() {
    String m = "relation \"cards_2_rymb7791\" does not exist; SQLIntegrityConstraintViolationException";
    assertThat(DriverErrors.redact(m, SENSITIVE)).isEqualTo(m);
  }

  @Test
  void sanitize_batchUpdateException_keepsClassStateCodeAndCountsDropsCause() {
    BatchUpdateException driver = new BatchUpdateException("Batch entry 1 insert ... ('\\x01ab'::bytea) was aborted",
        "23505", 7, new int[] {1, -3}, new SQLException("cause with \\x01ab"));
    driver.setNextException(new SQLIntegrityConstraintViolationException("Key (card_number)=(\\x01ab) already exists",
        "23505", 7));
    SQLException clean = DriverErrors.sanitize(driver, rowSeal);
    assertThat((Throwable) clean).isExactlyInstanceOf(BatchUpdateException.class).hasNoCause();
    assertThat(clean.getSQLState()).isEqualTo("23505");
    assertThat(clean.getErrorCode()).isEqualTo(7);
    assertThat(((BatchUpdateException) clean).getUpdateCounts()).containsExactly(1, -3);
    assertThat(clean.getMessage()).doesNotContain("01ab");
    SQLException next = clean.getNextException();
    assertThat((Throwable) next).isExactlyInstanceOf(SQLIntegrityConstraintViolationException.class).hasNoCause();
    assertThat(next.getMessage()).isEqualTo("Key (card_number)=(<withheld by RowSeal>) already exists");
  }

  @Test
  void sanitize_rowSealsOwnException_unchanged() {
    SQLException own = SqlErrors.translate(new UnsupportedStatementException("RowSeal rejected a statement: x"));
    assertThat((Throwable) DriverErrors.sanitize(own, rowSeal)).isSameAs(own);
  }
}
