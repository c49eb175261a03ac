package io.rowseal.jdbc;

import static java.util.Map.entry;

import io.rowseal.testsupport.arch.ArchitectureRules;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pins what the JDBC module may import from core (the engine API, its errors, the key SPI and the formats,
 * never core's internals or its jobs) and that its API package sits on its engine, not the other way.
 */
class ArchitectureTest {
  private static final String R = "io.rowseal";

  @Test
  void packages_importOnlyCoresApi_andFormNoCycle() {
    ArchitectureRules.assertPackageDependencies(ArchitectureRules.mainClasses(), Map.ofEntries(
        entry(R + ".jdbc.internal", Set.of(R, R + ".errors", R + ".key", R + ".format", R + ".search")),
        entry(R + ".jdbc", Set.of(R, R + ".errors", R + ".key", R + ".jdbc.internal"))));
  }

  @Test
  void moduleDescriptor_exportsOnlyTheDataSource() {
    ArchitectureRules.assertModuleExports("io.rowseal.jdbc", Set.of(R + ".jdbc"),
        Map.of(R + ".jdbc.internal", Set.of("io.rowseal.hibernate")));
  }
}
