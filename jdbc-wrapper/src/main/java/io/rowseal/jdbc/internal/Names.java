package io.rowseal.jdbc.internal;

import java.util.Locale;

/** SQL identifier helpers: unquoting and case-insensitive keys. */
final class Names {
  private Names() {}

  /** {@code "Name"}, {@code `Name`} or {@code [Name]} without its quotes; a plain name as it is. */
  static String unquote(String identifier) {
    int n = identifier.length();
    if (n >= 2) {
      char first = identifier.charAt(0);
      char last = identifier.charAt(n - 1);
      if ((first == '"' && last == '"') || (first == '`' && last == '`') || (first == '[' && last == ']')) {
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
