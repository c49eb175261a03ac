package io.rowseal.internal;

import java.sql.BatchUpdateException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/*
 * Why RowSeal's batch jobs rebuild the driver's SQLException.
 *
 * Drivers quote values in their messages: pgjdbc's BatchUpdateException names the statement with its
 * bound parameters ("Batch entry 0 UPDATE t SET rowseal_dek = '\x0101...' ... was aborted"), and the
 * server adds "Detail: Key (...)=(...)" or "Failing row contains (...)"; MariaDB says "Duplicate entry
 * '...'"; H2 appends the statement and the index values. In a re-wrap those values are the old and new
 * wrapped keys, in an adoption the plaintext. The README promises a failure line never holds either.
 *
 * So the jobs throw a copy: the same java.sql type (never the driver's own class), SQLState, vendor
 * code and update counts, a message with the value-quoting parts cut or redacted, the driver's next
 * exceptions and suppressed exceptions rebuilt the same way, the stack trace kept (it holds no
 * values), and the driver exception not chained, since its message and cause would bring them back.
 *
 * The message filter fails closed where it can: everything after a marker that starts quoting
 * (Detail:, Where:, SQL statement:, Failing row contains, ...) is dropped; every quoted literal, hex or
 * base64 run and non-printable character is redacted, whatever introduced it; the rest is cut to a
 * bounded length. What survives is the driver's own words, identifiers in double quotes (constraint,
 * index and table names; any other double-quoted text is redacted) and short numbers.
 */

/** Copies of driver {@link SQLException}s whose messages quote no values. Stateless, thread-safe. */
public final class SqlErrors {
  private static final String REDACTED = "[redacted]";
  private static final int MAX_MESSAGE = 400;
  private static final int MAX_CHAIN = 10;

  /** Markers after which a driver's message quotes row values, statement text or context; cut there. */
  private static final Pattern TAIL = Pattern.compile(
      "(?is)(\\bDetail:|\\bWhere:|\\bHint:|\\bPosition:|\\bSQL statement:|\\bFailing row contains|\\bQuery is:"
          + "|\\bParameters?:|\\bCall getNextException|\\bServer SQLState:|;\\s*SQL statement).*");
  /** pgjdbc: "Batch entry 3 <statement with parameters> was aborted: ..." */
  private static final Pattern BATCH_ENTRY = Pattern.compile("(?is)(Batch entry \\d+)\\s.*?\\s(was aborted)");
  /** MariaDB/MySQL: the duplicate value may hold any byte, quotes included: redact up to " for key". */
  private static final Pattern DUPLICATE_ENTRY = Pattern.compile("(?is)(Duplicate entry )'.*'( for key)");
  private static final Pattern KEY_VALUES = Pattern.compile("(?s)(\\([^()]*\\))=\\(.*?\\)(?=\\s|$|\\.)");
  private static final Pattern SINGLE_QUOTED = Pattern.compile("(?s)'[^']*'?");
  /**
   * A double-quoted run: drivers quote identifiers so ("t_hdr", "PUBLIC.CARDS"), but also values (PostgreSQL's
   * {@code invalid input syntax for type date: "..."}, H2's index values). Only an identifier survives.
   */
  private static final Pattern DOUBLE_QUOTED = Pattern.compile("(?s)\"([^\"]*)(\"|$)");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}");
  private static final Pattern HEX_LITERAL = Pattern.compile("(?i)(\\\\x|0x|X')[0-9a-f]*'?");
  private static final Pattern HEX_RUN = Pattern.compile("(?i)\\b[0-9a-f]{16,}\\b");
  /**
   * Base64 (PostgreSQL's encode() breaks it into 76-character lines): a run of 12 or more with a digit
   * and a letter, or any run ending in padding. Words and identifiers with underscores survive.
   */
  private static final Pattern BASE64_RUN = Pattern.compile("(?<![A-Za-z0-9+/])(?:(?=[A-Za-z+/]*[0-9])"
      + "(?=[0-9+/]*[A-Za-z])[A-Za-z0-9+/]{12,}={0,2}|[A-Za-z0-9+/]+={1,2})(?![A-Za-z0-9+/=])");
  private static final Pattern NOT_PRINTABLE = Pattern.compile("[^\\x20-\\x7e]");

  private SqlErrors() {}

  /**
   * A copy of {@code e} safe to throw and log: same java.sql type, SQLState, vendor code and (for a
   * {@link BatchUpdateException}) update counts; message prefixed with {@code context} and stripped of
   * quoted values; next and suppressed exceptions copied the same way; no cause.
   */
  public static SQLException withoutValues(String context, SQLException e) {
    SQLException copy = copy(context + ": " + redact(e.getMessage()), e);
    SQLException tail = copy;
    SQLException next = e.getNextException();
    for (int i = 0; next != null && i < MAX_CHAIN; i++, next = next.getNextException()) {
      SQLException n = copy(redact(next.getMessage()), next);
      tail.setNextException(n);
      tail = n;
    }
    for (Throwable s : e.getSuppressed()) {
      copy.addSuppressed(s instanceof SQLException ? copy(redact(s.getMessage()), (SQLException) s)
          : new SQLException(s.getClass().getName() + " (message withheld)"));
    }
    return copy;
  }

  /** The driver message with statement text, quoted values and binary runs removed. */
  public static String redact(@Nullable String message) {
    if (message == null) {
      return "";
    }
    String m = BATCH_ENTRY.matcher(message).replaceAll("$1 $2");
    m = TAIL.matcher(m).replaceFirst("");
    m = DUPLICATE_ENTRY.matcher(m).replaceAll("$1" + REDACTED + "$2");
    m = KEY_VALUES.matcher(m).replaceAll("$1=(" + REDACTED + ")");
    m = DOUBLE_QUOTED.matcher(m).replaceAll(mr -> IDENTIFIER.matcher(mr.group(1)).matches() && !mr.group(2).isEmpty()
        ? Matcher.quoteReplacement(mr.group()) : "\"" + REDACTED + "\"");
    m = HEX_LITERAL.matcher(m).replaceAll(REDACTED);
    m = SINGLE_QUOTED.matcher(m).replaceAll(REDACTED);
    m = HEX_RUN.matcher(m).replaceAll(REDACTED);
    m = BASE64_RUN.matcher(m).replaceAll(REDACTED);
    m = NOT_PRINTABLE.matcher(m).replaceAll(" ");
    m = m.replaceAll("\\s+", " ").trim();
    return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "...";
  }

  private static SQLException copy(String message, SQLException e) {
    String state = e.getSQLState();
    int code = e.getErrorCode();
    SQLException copy;
    if (e instanceof BatchUpdateException) {
      copy = new BatchUpdateException(message, state, code, ((BatchUpdateException) e).getLargeUpdateCounts(), null);
    } else if (e instanceof SQLIntegrityConstraintViolationException) {
      copy = new SQLIntegrityConstraintViolationException(message, state, code);
    } else if (e instanceof SQLTransactionRollbackException) {
      copy = new SQLTransactionRollbackException(message, state, code);
    } else if (e instanceof SQLTimeoutException) {
      copy = new SQLTimeoutException(message, state, code);
    } else if (e instanceof SQLTransientConnectionException) {
      copy = new SQLTransientConnectionException(message, state, code);
    } else if (e instanceof SQLTransientException) {
      copy = new SQLTransientException(message, state, code);
    } else if (e instanceof SQLNonTransientConnectionException) {
      copy = new SQLNonTransientConnectionException(message, state, code);
    } else if (e instanceof SQLDataException) {
      copy = new SQLDataException(message, state, code);
    } else if (e instanceof SQLSyntaxErrorException) {
      copy = new SQLSyntaxErrorException(message, state, code);
    } else if (e instanceof SQLFeatureNotSupportedException) {
      copy = new SQLFeatureNotSupportedException(message, state, code);
    } else if (e instanceof SQLInvalidAuthorizationSpecException) {
      copy = new SQLInvalidAuthorizationSpecException(message, state, code);
    } else if (e instanceof SQLNonTransientException) {
      copy = new SQLNonTransientException(message, state, code);
    } else if (e instanceof SQLRecoverableException) {
      copy = new SQLRecoverableException(message, state, code);
    } else {
      copy = new SQLException(message, state, code);
    }
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }
}
