package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import java.sql.BatchUpdateException;
import java.sql.SQLClientInfoException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.SQLWarning;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * Drivers quote what they sent when a statement fails: pgjdbc's BatchUpdateException names each batch entry
 * with its parameters inlined ("Batch entry 0 insert into ... values (('1'::int8), ('\x01ab..'::bytea)) was
 * aborted") and the server's Detail line quotes key values ("Key (card_number)=(\x01..) already exists",
 * "Failing row contains (...)"); MariaDB quotes the duplicate entry; H2 quotes the index values (X'01..') and
 * the statement with its parameters. For a statement over an encrypted table those are ciphertext, wrapped
 * data keys or (for rows that failed before RowSeal encrypted them) nothing worse, but DESIGN forbids all of
 * it in messages. So the exception is rebuilt: the message redacted, SQLState, vendor code and update counts
 * kept, the driver's exception not chained (its message, and fields such as PSQLException's
 * ServerErrorMessage or H2's getSQL(), would leak), and each getNextException rebuilt the same way.
 *
 * Redaction is by allow-list of shapes: statement texts are dropped whole; key details of encrypted or
 * companion columns lose their values; then anything that looks like bytes (\x.., X'..', long hex or
 * Base64 runs, rs1: text, quoted text with control characters) is withheld wherever it appears.
 *
 * Not core's io.rowseal.internal.SqlErrors (the key jobs' sanitiser) on purpose: every value a job binds is a
 * secret (wrapped keys, plaintext being adopted), so that one cuts all it cannot prove harmless, while here the
 * application's own values of plaintext columns stay in the message (DriverErrorsTest
 * redact_keyDetailOfPlaintextColumn_keepsValue). Only the type-preserving copy is alike, and sharing it would
 * take an import of core's internals, which this module does not make (ArchitectureTest).
 */

/**
 * Driver exceptions from statements over encrypted tables, rebuilt without bound values, ciphertext or
 * wrapped keys. Only on the failure path; stateless; thread-safe.
 */
final class DriverErrors {
  static final String WITHHELD = "<withheld by RowSeal>";
  private static final int MAX_CHAIN = 64;

  private static final Pattern PG_BATCH_ENTRY = Pattern.compile("(?s)(Batch entry \\d+) .*? (was aborted)");
  private static final Pattern H2_STATEMENT = Pattern.compile("(?s)(SQL statement:).*?(\\s*\\[\\d+-\\d+\\]\\s*)?$");
  private static final Pattern MARIADB_QUERY = Pattern.compile("(?s)(Query is:).*$");
  private static final Pattern MARIADB_DUPLICATE = Pattern.compile("(?s)(Duplicate entry ')(.*?)(' for key)");
  private static final Pattern FAILING_ROW = Pattern.compile("(Failing row contains )\\(.*");
  private static final Pattern KEY_DETAIL =
      Pattern.compile("(Key \\(((?:[^()]|\\([^()]*\\))*)\\)=\\()(.*?)(\\) (?:already exists|is not present"
          + "|is still referenced|conflicts))");
  private static final Pattern PG_HEX = Pattern.compile("\\\\x[0-9a-fA-F]+");
  private static final Pattern SQL_HEX = Pattern.compile("(?i)\\bX'[0-9a-f\\s]*'");
  private static final Pattern OX_HEX = Pattern.compile("(?i)\\b0x[0-9a-f]{8,}");
  private static final Pattern TEXT_FORM = Pattern.compile("rs1:[A-Za-z0-9+/=]*");
  private static final Pattern HEX_RUN = Pattern.compile("\\b[0-9a-fA-F]{16,}\\b");
  private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{20,}={0,2}");
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  private DriverErrors() {}

  /**
   * {@code e} as the caller may see it: RowSeal's own exceptions unchanged; a driver's rebuilt as the most
   * specific java.sql class it is an instance of (driver subclasses carry the failed values in fields of their
   * own), with the same SQLState, vendor code and update counts, the message redacted, no cause, and its
   * next-exception chain rebuilt the same way.
   */
  static SQLException sanitize(SQLException e, RowSeal rowSeal) {
    if (isRowSeals(e)) {
      return e;
    }
    Set<String> sensitive = sensitiveColumns(rowSeal);
    SQLException head = rebuild(e, sensitive);
    SQLException tail = head;
    SQLException next = e.getNextException();
    for (int i = 0; next != null && i < MAX_CHAIN; i++) {
      SQLException copy = rebuild(next, sensitive);
      tail.setNextException(copy);
      tail = copy;
      next = next.getNextException();
    }
    for (Throwable s : e.getSuppressed()) {
      if (s instanceof SQLException) {
        head.addSuppressed(rebuild((SQLException) s, sensitive));
      }
    }
    return head;
  }

  /** Made by RowSeal (SqlErrors.translate): its messages name tables, columns and keys only. */
  private static boolean isRowSeals(SQLException e) {
    Throwable cause = e.getCause();
    return cause instanceof RowSealException || cause instanceof IllegalArgumentException
        && SqlErrors.BAD_VALUE.equals(e.getSQLState());
  }

  private static Set<String> sensitiveColumns(RowSeal rowSeal) {
    Set<String> names = new HashSet<>();
    for (EncryptedTable t : rowSeal.tables()) {
      names.add(Names.key(t.companionColumn()));
      for (EncryptedColumn c : t.columns()) {
        names.add(Names.key(c.name()));
      }
    }
    return names;
  }

  private static SQLException rebuild(SQLException e, Set<String> sensitive) {
    String m = redact(e.getMessage(), sensitive);
    String s = e.getSQLState();
    int code = e.getErrorCode();
    SQLException copy;
    if (e instanceof BatchUpdateException) {
      BatchUpdateException b = (BatchUpdateException) e;
      long[] counts = b.getLargeUpdateCounts();
      copy = counts != null ? new BatchUpdateException(m, s, code, counts, null)
          : new BatchUpdateException(m, s, code, b.getUpdateCounts(), null);
    } else if (e instanceof SQLIntegrityConstraintViolationException) {
      copy = new SQLIntegrityConstraintViolationException(m, s, code);
    } else if (e instanceof SQLSyntaxErrorException) {
      copy = new SQLSyntaxErrorException(m, s, code);
    } else if (e instanceof SQLDataException) {
      copy = new SQLDataException(m, s, code);
    } else if (e instanceof SQLFeatureNotSupportedException) {
      copy = new SQLFeatureNotSupportedException(m, s, code);
    } else if (e instanceof SQLInvalidAuthorizationSpecException) {
      copy = new SQLInvalidAuthorizationSpecException(m, s, code);
    } else if (e instanceof SQLNonTransientConnectionException) {
      copy = new SQLNonTransientConnectionException(m, s, code);
    } else if (e instanceof SQLNonTransientException) {
      copy = new SQLNonTransientException(m, s, code);
    } else if (e instanceof SQLTimeoutException) {
      copy = new SQLTimeoutException(m, s, code);
    } else if (e instanceof SQLTransactionRollbackException) {
      copy = new SQLTransactionRollbackException(m, s, code);
    } else if (e instanceof SQLTransientConnectionException) {
      copy = new SQLTransientConnectionException(m, s, code);
    } else if (e instanceof SQLTransientException) {
      copy = new SQLTransientException(m, s, code);
    } else if (e instanceof SQLRecoverableException) {
      copy = new SQLRecoverableException(m, s, code);
    } else if (e instanceof SQLClientInfoException) {
      copy = new SQLClientInfoException(m, s, code, ((SQLClientInfoException) e).getFailedProperties());
    } else if (e instanceof SQLWarning) {
      copy = new SQLWarning(m, s, code);
    } else {
      copy = new SQLException(m, s, code);
    }
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  /** {@code message} without statement texts, bound values, ciphertext or wrapped keys. */
  static String redact(String message, Set<String> sensitiveColumns) {
    if (message == null) {
      return null;
    }
    String m = PG_BATCH_ENTRY.matcher(message).replaceAll("$1 " + Matcher.quoteReplacement(WITHHELD) + " $2");
    m = H2_STATEMENT.matcher(m).replaceAll(mr -> "SQL statement: " + Matcher.quoteReplacement(WITHHELD)
        + (mr.group(2) == null ? "" : Matcher.quoteReplacement(mr.group(2))));
    m = MARIADB_QUERY.matcher(m).replaceAll("$1 " + Matcher.quoteReplacement(WITHHELD));
    m = MARIADB_DUPLICATE.matcher(m).replaceAll("$1" + Matcher.quoteReplacement(WITHHELD) + "$3");
    m = FAILING_ROW.matcher(m).replaceAll("$1(" + Matcher.quoteReplacement(WITHHELD) + ")");
    m = KEY_DETAIL.matcher(m).replaceAll(mr -> Matcher.quoteReplacement(mr.group(1)
        + (namesAny(mr.group(2), sensitiveColumns) ? WITHHELD : mr.group(3)) + mr.group(4)));
    m = PG_HEX.matcher(m).replaceAll(Matcher.quoteReplacement("\\x" + WITHHELD));
    m = SQL_HEX.matcher(m).replaceAll(Matcher.quoteReplacement("X'" + WITHHELD + "'"));
    m = OX_HEX.matcher(m).replaceAll(Matcher.quoteReplacement("0x" + WITHHELD));
    m = TEXT_FORM.matcher(m).replaceAll(Matcher.quoteReplacement(WITHHELD));
    m = HEX_RUN.matcher(m).replaceAll(Matcher.quoteReplacement(WITHHELD));
    m = BASE64_RUN.matcher(m).replaceAll(mr -> Matcher.quoteReplacement(
        looksRandom(mr.group()) ? WITHHELD : mr.group()));
    m = QUOTED.matcher(m).replaceAll(mr -> Matcher.quoteReplacement(
        hasControl(mr.group(1)) ? "'" + WITHHELD + "'" : mr.group()));
    return m;
  }

  /** Whether an index's column list (or expression) names an encrypted or companion column. */
  private static boolean namesAny(String columns, Set<String> sensitive) {
    for (String word : columns.toLowerCase(Locale.ROOT).split("[^a-z0-9_$]+")) {
      if (sensitive.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** A Base64-alphabet run with a digit or symbol and both cases: encoded bytes, not a word or an identifier. */
  private static boolean looksRandom(String run) {
    boolean digitOrSymbol = false;
    boolean upper = false;
    boolean lower = false;
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      digitOrSymbol |= c >= '0' && c <= '9' || c == '+' || c == '/';
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
    }
    return digitOrSymbol && upper && lower;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f || c == '\ufffd') {
        return true;
      }
    }
    return false;
  }
}
