package io.rowseal.jdbc.internal;

import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.errors.RowSealException;
import io.rowseal.errors.UnsupportedStatementException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientException;

/**
 * RowSeal failures as JDBC exceptions, with the {@link RowSealException} as cause. The SQLStates are
 * documented in the README: {@code 0A000} an unsupported statement (nothing ran), {@code 22R01} a
 * stored value or companion column that cannot be decrypted, {@code 22R02} a value that cannot be
 * converted to or from an encrypted column's type, {@code 58R01} a master key that is unknown or
 * unreachable. None starts with {@code 08}, so pools do not take them for broken connections.
 */
final class SqlErrors {
  static final String UNSUPPORTED_STATEMENT = "0A000";
  static final String NOT_DECRYPTABLE = "22R01";
  static final String BAD_VALUE = "22R02";
  static final String KEY_UNAVAILABLE = "58R01";

  private SqlErrors() {}

  static SQLException translate(RuntimeException e) {
    if (e instanceof UnsupportedStatementException) {
      return new SQLFeatureNotSupportedException(e.getMessage(), UNSUPPORTED_STATEMENT, e);
    } else if (e instanceof KeyUnavailableException) {
      return new SQLNonTransientException(e.getMessage(), KEY_UNAVAILABLE, e);
    } else if (e instanceof RowSealException) {
      return new SQLDataException(e.getMessage(), NOT_DECRYPTABLE, e);
    } else if (e instanceof IllegalArgumentException) {
      return new SQLDataException(e.getMessage(), BAD_VALUE, e);
    }
    return new SQLException("RowSeal failed: " + e.getMessage(), "XX000", e);
  }
}
