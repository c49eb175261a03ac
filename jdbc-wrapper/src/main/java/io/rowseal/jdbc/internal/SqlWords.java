package io.rowseal.jdbc.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately conservative word scanner for SQL text, used where a mistake must err towards "this
 * word is there": the cheap check that lets a text through unparsed, and the audit of the engine's own
 * rendering. It never hides a word that a database could read as an identifier; it may see words a
 * database would read as data. Rules: a word is a run of letters, digits, {@code _} and {@code $}
 * starting with a letter or {@code _}; {@code "..."} and {@code `...`} are one quoted word each (doubled
 * quotes inside); {@code '...'} string literals (doubled quotes inside) are skipped only while no literal
 * has contained a backslash, since databases disagree about backslash escapes; comments, dollar quotes
 * and brackets get no special treatment, so the words inside them count. Words are lower-cased with
 * {@link Locale#ROOT}, like {@link Names#key}.
 */
final class SqlWords {
  private SqlWords() {}

  /** Receives each word. */
  interface Sink {
    /** Returns false to stop the scan. */
    boolean word(String lowerCased);
  }

  /**
   * Scans {@code sql}; with {@code skipLiterals} false every word counts, string literals included (the
   * pre-parse check reads them too: it does not know where literals end).
   */
  static void scan(String sql, boolean skipLiterals, Sink sink) {
    int n = sql.length();
    boolean literalsTrusted = skipLiterals;
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' && literalsTrusted) {
        int end = i + 1;
        boolean backslash = false;
        while (end < n) {
          char d = sql.charAt(end);
          if (d == '\\') {
            backslash = true;
          }
          if (d == '\'') {
            if (end + 1 < n && sql.charAt(end + 1) == '\'') {
              end += 2;
              continue;
            }
            break;
          }
          end++;
        }
        if (backslash || end >= n) {
          // Where this literal ends depends on the database: read everything after its quote as words.
          literalsTrusted = false;
          i++;
        } else {
          i = end + 1;
        }
      } else if (c == '"' || c == '`') {
        StringBuilder word = new StringBuilder();
        int end = i + 1;
        while (end < n) {
          char d = sql.charAt(end);
          if (d == c) {
            if (end + 1 < n && sql.charAt(end + 1) == c) {
              word.append(c);
              end += 2;
              continue;
            }
            break;
          }
          word.append(d);
          end++;
        }
        if (end >= n) {
          i++; // unterminated: read what follows as plain words
          continue;
        }
        if (!sink.word(word.toString().toLowerCase(Locale.ROOT))) {
          return;
        }
        i = end + 1;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        if (!sink.word(sql.substring(start, i).toLowerCase(Locale.ROOT))) {
          return;
        }
      } else {
        i++;
      }
    }
  }

  /** How often each word of {@code watched} occurs in {@code sql}, literals skipped as described above. */
  static Map<String, Integer> count(String sql, java.util.Set<String> watched) {
    Map<String, Integer> counts = new HashMap<>();
    scan(sql, true, w -> {
      if (watched.contains(w)) {
        counts.merge(w, 1, Integer::sum);
      }
      return true;
    });
    return counts;
  }

  /**
   * The statement's first keyword, lower-cased, after leading whitespace, comments and parentheses; null for
   * a text with no word or a JDBC escape ({@code {call ...}}); any other first character, as a string.
   */
  static @org.jspecify.annotations.Nullable String firstKeyword(String sql) {
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if ((c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') || c == '#') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (Character.isLetter(c)) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        return sql.substring(start, i).toLowerCase(Locale.ROOT);
      } else if (c == '{') {
        return null; // a JDBC escape: {call ...}, {?= call ...}
      } else {
        return String.valueOf(c);
      }
    }
    return null;
  }

  /**
   * Whether a {@code ;} outside string literals and quoted names is followed by anything but whitespace:
   * another statement, or a comment that some drivers send as an empty statement of its own. A literal with
   * a backslash ends the literal handling (see the class comment), so every later {@code ;} counts.
   */
  static boolean hasTextAfterSemicolon(String sql) {
    int n = sql.length();
    boolean literalsTrusted = true;
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if ((c == '\'' && literalsTrusted) || c == '"' || c == '`') {
        int end = i + 1;
        boolean backslash = false;
        while (end < n) {
          char d = sql.charAt(end);
          backslash |= d == '\\';
          if (d == c) {
            if (end + 1 < n && sql.charAt(end + 1) == c) {
              end += 2;
              continue;
            }
            break;
          }
          end++;
        }
        if (end >= n || (c == '\'' && backslash)) {
          literalsTrusted = false;
          i++;
        } else {
          i = end + 1;
        }
      } else if (c == ';') {
        for (int k = i + 1; k < n; k++) {
          if (!Character.isWhitespace(sql.charAt(k))) {
            return true;
          }
        }
        return false;
      } else {
        i++;
      }
    }
    return false;
  }

  /**
   * Whether {@code sql} has a Unicode-escaped identifier or string ({@code U&"..."}, {@code U&'...'}),
   * whose meaning no word scan can see.
   */
  static boolean hasUnicodeEscape(String sql) {
    for (int i = sql.indexOf('&'); i >= 0; i = sql.indexOf('&', i + 1)) {
      if (i > 0 && (sql.charAt(i - 1) == 'u' || sql.charAt(i - 1) == 'U') && i + 1 < sql.length()
          && (sql.charAt(i + 1) == '"' || sql.charAt(i + 1) == '\'')) {
        return true;
      }
    }
    return false;
  }
}
