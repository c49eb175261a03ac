package io.rowseal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.junit.jupiter.api.Test;

/** The driver messages RowSeal's jobs pass on, cut to what quotes no value. */
class SqlErrorsTest {
  @Test
  void redact_pgjdbcBatchEntry_dropsStatementAndDetail() {
    String m = SqlErrors.redact("Batch entry 0 UPDATE t SET rowseal_dek = ('\\x01016c6f63616c3a6b32aa'::bytea)"
        + " WHERE id = ('1'::int8) AND rowseal_dek = ('\\x01016c6f63616c3a6b31bb'::bytea) was aborted: ERROR:"
        + " duplicate key value violates unique constraint \"t_hdr\"\n  Detail: Key (substr(rowseal_dek, 1, 11))"
        + "=(\\x01016c6f63616c3a6b32) already exists.  Call getNextException to see other errors in the batch.");
    assertThat(m).isEqualTo("Batch entry 0 was aborted: ERROR: duplicate key value violates unique constraint \"t_hdr\"");
  }

  @Test
  void redact_postgresFailingRow_dropped() {
    assertThat(SqlErrors.redact("ERROR: new row for relation \"t\" violates check constraint \"c\"\n"
        + "  Detail: Failing row contains (1, 4111111111111111, \\x0101)."))
        .isEqualTo("ERROR: new row for relation \"t\" violates check constraint \"c\"");
  }

  @Test
  void redact_mariaDbDuplicateEntry_valueRedacted() {
    assertThat(SqlErrors.redact("(conn=12) Duplicate entry '\u0001\u0001local:k'2' for key 't_hdr'"))
        .isEqualTo("(conn=12) Duplicate entry [redacted] for key [redacted]");
  }

  @Test
  void redact_h2StatementAndValues_dropped() {
    assertThat(SqlErrors.redact("Unique index or primary key violation: \"PUBLIC.T_HDR ON PUBLIC.T(P) VALUES"
        + " ( /* 2 */ X'01016c6f63616c3a6b32' )\"; SQL statement:\nUPDATE t SET rowseal_dek = ? [23505-224]"))
        .doesNotContain("01016c").doesNotContain("UPDATE");
  }

  @Test
  void redact_doubleQuotedValue_redactedButIdentifiersKept() {
    assertThat(SqlErrors.redact("ERROR: invalid input syntax for type date: \"SECRET holder four\" in \"public.people\""))
        .isEqualTo("ERROR: invalid input syntax for type date: \"[redacted]\" in \"public.people\"");
    assertThat(SqlErrors.redact("ERROR: unterminated \"SECRET holder")).isEqualTo("ERROR: unterminated \"[redacted]\"");
  }

  @Test
  void redact_base64AndHexRuns_redacted() {
    assertThat(SqlErrors.redact("refused AQFsb2NhbDprMjEyMzQ1Njc4OTA= and 0123456789abcdef0123"))
        .isEqualTo("refused [redacted] and [redacted]");
  }

  @Test
  void withoutValues_batchUpdate_keepsStateCodeCountsAndNext_dropsCause() {
    BatchUpdateException driver = new BatchUpdateException("Batch entry 0 UPDATE x SET k = '\\xabcdef0123456789ab'"
        + " was aborted: ERROR: boom", "23505", 7, new long[] {1, -3}, new IllegalStateException("'secret'"));
    driver.setNextException(new SQLIntegrityConstraintViolationException("ERROR: dup\n Detail: Key (k)=(\\xab) exists",
        "23505", 7));
    SQLException copy = SqlErrors.withoutValues("re-wrap of t failed", driver);
    assertThat((Throwable) copy).isExactlyInstanceOf(BatchUpdateException.class)
        .hasMessage("re-wrap of t failed: Batch entry 0 was aborted: ERROR: boom").hasNoCause();
    assertThat(copy.getSQLState()).isEqualTo("23505");
    assertThat(copy.getErrorCode()).isEqualTo(7);
    assertThat(((BatchUpdateException) copy).getLargeUpdateCounts()).containsExactly(1, -3);
    assertThat((Throwable) copy.getNextException()).isExactlyInstanceOf(SQLIntegrityConstraintViolationException.class)
        .hasMessage("ERROR: dup");
    assertThat(copy.getStackTrace()).isEqualTo(driver.getStackTrace());
  }
}
