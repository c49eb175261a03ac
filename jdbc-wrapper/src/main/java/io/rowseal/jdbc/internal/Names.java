package io.rowseal.jdbc.internal;

import java.util.Locale;

/** SQL identifier helpers: unquoting and case-insensitive keys. */
final class Names {
  private Names() {}

  /**
   * {@code "Name"}, {@code `Name`} or {@code [Name]} without its quotes (doubled quotes inside undoubled); a
   * plain name as it is. Case is kept: see {@link #key}.
   */
  static String unquote(String identifier) {
    int n = identifier.length();
    if (n >= 2) {
      char first = identifier.charAt(0);
      char last = identifier.charAt(n - 1);
      if ((first == '"' && last == '"') || (first == '`' && last == '`')) {
        // a doubled quote inside a quoted name stands for one: "a""b" is the name a"b
        return identifier.substring(1, n - 1).replace(String.valueOf(first) + first, String.valueOf(first));
      }
      if (first == '[' && last == ']') {
        return identifier.substring(1, n - 1);
      }
    }
    return identifier;
  }

  /** The unquoted name lower-cased: the key RowSeal's table and column lookups use. */
  static String key(String identifier) {
    return unquote(identifier).toLowerCase(Locale.ROOT);
  }
}
