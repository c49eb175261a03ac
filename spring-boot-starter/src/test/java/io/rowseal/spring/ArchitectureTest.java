package io.rowseal.spring;

import static java.util.Map.entry;

import io.rowseal.testsupport.arch.ArchitectureRules;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pins what the Spring Boot starter may import from RowSeal's modules, and what it exports and opens. */
class ArchitectureTest {
  private static final String R = "io.rowseal";
  private static final Set<String> CORE_API = Set.of(R, R + ".errors", R + ".config", R + ".key", R + ".key.awskms",
      R + ".key.kek", R + ".key.local", R + ".jobs", R + ".jdbc");

  @Test
  void packages_importOnlyPublicApi_andFormNoCycle() {
    Set<String> forConfiguration = new java.util.HashSet<>(CORE_API);
    forConfiguration.add(R + ".spring.internal");
    ArchitectureRules.assertPackageDependencies(ArchitectureRules.mainClasses(), Map.ofEntries(
        entry(R + ".spring", forConfiguration),
        entry(R + ".spring.internal", CORE_API)));
  }

  @Test
  void moduleDescriptor_exportsTheConfiguration_andOpensItToSpringOnly() {
    ArchitectureRules.assertModuleExports("io.rowseal.spring", Set.of(R + ".spring"), Map.of(),
        Map.of(R + ".spring", Set.of("spring.core", "spring.beans", "spring.context")));
  }
}
