package io.rowseal.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checked-in {@code Delegating*.java} are exactly what {@link DelegateGenerator} makes from this JDK's
 * java.sql interfaces and {@code jdbc-surface.txt}. With {@code -Drowseal.regenerate=true} it rewrites them.
 */
class GeneratedDelegatesTest {
  @Test
  void delegatingSources_matchGenerator_unchanged() throws Exception {
    JdbcSurface surface = JdbcSurface.load();
    if (Boolean.getBoolean("rowseal.regenerate")) {
      DelegateGenerator.writeAll(Path.of(""), surface);
    }
    for (DelegateGenerator.Target t : DelegateGenerator.TARGETS) {
      String expected = DelegateGenerator.render(t, surface);
      String actual = Files.readString(DelegateGenerator.path(t), StandardCharsets.UTF_8);
      assertThat(actual)
          .as("%s differs from what DelegateGenerator makes; regenerate with%n%s", DelegateGenerator.path(t),
              DelegateGenerator.REGENERATE)
          .isEqualTo(expected);
    }
  }
}
