package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.internal.Hex;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks that an exception a job throws carries no secret anywhere a catcher could print: its message,
 * next exceptions, causes and suppressed exceptions (each as {@code toString()}).
 */
final class SecretLeaks {
  /** A wrapped key (or any binary value) printed as hex: 16 hex digits in a row never occur in a clean message. */
  private static final Pattern HEX_RUN = Pattern.compile("(?i)[0-9a-f]{16,}");
  /** A binary value printed as Base64: a long run of Base64 alphabet (identifiers here hold '_' or '.'). */
  private static final Pattern BASE64_RUN = Pattern.compile("(?<![A-Za-z0-9+/_.])[A-Za-z0-9+/]{24,}={0,2}");

  private SecretLeaks() {}

  /** Every message in the exception, its next exceptions, causes and suppressed exceptions. */
  static List<String> messages(Throwable e) {
    List<String> out = new ArrayList<>();
    collect(e, out, 0);
    return out;
  }

  private static void collect(Throwable e, List<String> out, int depth) {
    if (e == null || depth > 20) {
      return;
    }
    out.add(e.toString());
    if (e instanceof SQLException) {
      collect(((SQLException) e).getNextException(), out, depth + 1);
    }
    collect(e.getCause(), out, depth + 1);
    for (Throwable s : e.getSuppressed()) {
      collect(s, out, depth + 1);
    }
  }

  /**
   * No message holds any of {@code secrets} (as hex or Base64, for byte arrays; as they are, for strings),
   * a hex or Base64 run (for secrets the test cannot know, such as fresh wraps), or a PostgreSQL bytea
   * literal; the driver exception is not chained.
   */
  static void assertNone(SQLException e, List<byte[]> binarySecrets, List<String> textSecrets) {
    List<String> messages = messages(e);
    assertThat(messages).isNotEmpty();
    for (String m : messages) {
      for (byte[] secret : binarySecrets) {
        assertThat(m).as(m)
            .doesNotContainIgnoringCase(Hex.encode(secret).substring(0, 16))
            .doesNotContain(Base64.getEncoder().encodeToString(secret).substring(0, 16));
      }
      for (String secret : textSecrets) {
        assertThat(m).as(m).doesNotContain(secret);
      }
      assertThat(m).as(m).doesNotContain("\\x");
      assertThat(HEX_RUN.matcher(m).find()).as(m).isFalse();
      assertThat(BASE64_RUN.matcher(m).find()).as(m).isFalse();
    }
    assertThat(e.getCause()).isNull();
  }
}
