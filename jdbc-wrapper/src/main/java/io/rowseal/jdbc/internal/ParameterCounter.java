package io.rowseal.jdbc.internal;

/**
 * Counts the JDBC parameter markers ({@code ?}) of a SQL text, skipping string literals, quoted
 * identifiers and comments, and PostgreSQL's escaped {@code ??}.
 */
final class ParameterCounter {
  private ParameterCounter() {}

  static int count(String sql) {
    int count = 0;
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = skipQuoted(sql, i, c);
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else if (c == '?') {
        if (i + 1 < n && sql.charAt(i + 1) == '?') {
          i++; // pgjdbc's escape for the ? operator
        } else {
          count++;
        }
      }
    }
    return count;
  }

  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i;
      }
      if (c == '\\' && quote == '\'' && i + 1 < sql.length()) {
        i += 2; // MariaDB's backslash escapes; harmless elsewhere for counting purposes
        continue;
      }
      i++;
    }
    return sql.length();
  }
}
