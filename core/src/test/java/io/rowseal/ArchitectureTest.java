package io.rowseal;

import static java.util.Map.entry;

import io.rowseal.testsupport.arch.ArchitectureRules;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pins core's layering, bottom up: {@code errors} and {@code internal} are leaves; the key SPI sits on them;
 * the byte formats on the SPI; the providers and the engine ({@code io.rowseal}) on those; jobs and
 * configuration on top. A new import that breaks the order, or a new package, fails here first.
 */
class ArchitectureTest {
  private static final String R = "io.rowseal";

  static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      entry(R + ".errors", Set.of()),
      entry(R + ".internal", Set.of(R + ".errors")),
      entry(R + ".key", Set.of(R + ".errors", R + ".internal")),
      entry(R + ".internal.keys", Set.of(R + ".errors", R + ".internal", R + ".key")),
      entry(R + ".format", Set.of(R + ".errors", R + ".internal", R + ".internal.keys", R + ".key")),
      entry(R + ".key.local", Set.of(R + ".errors", R + ".internal", R + ".key")),
      entry(R + ".key.awskms", Set.of(R + ".errors", R + ".internal", R + ".key")),
      entry(R + ".key.kek", Set.of(R + ".errors", R + ".internal", R + ".internal.keys", R + ".key", R + ".format")),
      entry(R, Set.of(R + ".errors", R + ".internal", R + ".internal.keys", R + ".key", R + ".format",
          R + ".key.kek")),
      entry(R + ".search", Set.of(R, R + ".errors", R + ".internal", R + ".internal.keys", R + ".key", R + ".format",
          R + ".key.kek")),
      entry(R + ".jobs", Set.of(R, R + ".errors", R + ".internal", R + ".key", R + ".format", R + ".key.local",
          R + ".key.kek", R + ".search")),
      entry(R + ".config", Set.of(R, R + ".errors", R + ".internal", R + ".key", R + ".key.local",
          R + ".key.awskms", R + ".key.kek")));

  @Test
  void packages_dependOnlyDownwards_andFormNoCycle() {
    ArchitectureRules.assertPackageDependencies(ArchitectureRules.mainClasses(), ALLOWED);
  }

  @Test
  void moduleDescriptor_exportsTheApiToEverybody_andTheFormatsOnlyToRowSealModules() {
    ArchitectureRules.assertModuleExports("io.rowseal",
        Set.of(R, R + ".errors", R + ".config", R + ".key", R + ".key.awskms", R + ".key.kek", R + ".key.local",
            R + ".jobs", R + ".search"),
        Map.of(R + ".format", Set.of("io.rowseal.jdbc", "io.rowseal.hibernate")));
  }
}
