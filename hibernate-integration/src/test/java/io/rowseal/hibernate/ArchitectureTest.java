package io.rowseal.hibernate;

import static java.util.Map.entry;

import io.rowseal.testsupport.arch.ArchitectureRules;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pins what the Hibernate module may import from core and the JDBC module, and what it exports. */
class ArchitectureTest {
  private static final String R = "io.rowseal";

  @Test
  void packages_importOnlyWhatTheyNeed_andFormNoCycle() {
    ArchitectureRules.assertPackageDependencies(ArchitectureRules.mainClasses(), Map.ofEntries(
        entry(R + ".hibernate.internal", Set.of(R, R + ".errors", R + ".config", R + ".key", R + ".format",
            R + ".jdbc", R + ".jdbc.internal", R + ".hibernate", R + ".search")),
        entry(R + ".hibernate", Set.of())));
  }

  @Test
  void moduleDescriptor_exportsOnlyTheSettings() {
    ArchitectureRules.assertModuleExports("io.rowseal.hibernate", Set.of(R + ".hibernate"),
        Map.of(R + ".hibernate.internal", Set.of("org.hibernate.orm.core")));
  }
}
