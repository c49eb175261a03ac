package io.rowseal.search;

import java.util.Locale;

/**
 * How a searchable string column's value is normalised before its blind index is computed. Normalisation
 * defines the equality a lookup uses: with {@link #LOWERCASE}, {@code WHERE email = 'A@X.COM'} finds a
 * row holding {@code a@x.com}. Only string columns may normalise; other types use {@link #NONE}.
 * Stateless and thread-safe.
 */
public enum Normalization {
  /** The value as it is. */
  NONE("none"),
  /** {@code String.toLowerCase(Locale.ROOT)}: locale-independent Unicode lower-casing. */
  LOWERCASE("lowercase"),
  /** Leading and trailing U+0020 SPACE characters removed (as SQL's {@code TRIM(col)}), nothing else. */
  TRIM("trim"),
  /** {@link #TRIM}, then {@link #LOWERCASE}. */
  LOWERCASE_TRIM("lowercase-trim"),
  /** Only the ASCII digits {@code 0}-{@code 9} kept, in order (phone and card numbers). */
  DIGITS("digits");

  private final String configName;

  Normalization(String configName) {
    this.configName = configName;
  }

  /** The name used in configuration files ({@code none}, {@code lowercase}, ...). */
  public String configName() {
    return configName;
  }

  /** {@code value} normalised. */
  public String apply(String value) {
    switch (this) {
      case LOWERCASE:
        return value.toLowerCase(Locale.ROOT);
      case TRIM:
        return trimSpaces(value);
      case LOWERCASE_TRIM:
        return trimSpaces(value).toLowerCase(Locale.ROOT);
      case DIGITS:
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
          char c = value.charAt(i);
          if (c >= '0' && c <= '9') {
            sb.append(c);
          }
        }
        return sb.toString();
      default:
        return value;
    }
  }

  private static String trimSpaces(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == ' ') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(start, end);
  }

  /**
   * The normalisation named {@code name} in configuration.
   *
   * @throws IllegalArgumentException naming {@code key} and the allowed names otherwise
   */
  public static Normalization parse(String key, String name) {
    for (Normalization n : values()) {
      if (n.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return n;
      }
    }
    throw new IllegalArgumentException(key + ": unknown normalisation '" + name
        + "'; use none, lowercase, trim, lowercase-trim or digits");
  }
}
