package io.rowseal.testsupport.arch;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The architecture checks every RowSeal library module runs on its own compiled classes: which RowSeal
 * packages each package may import (an allow-list: a package missing from it fails), no cycle between
 * packages, and what the module descriptor exports.
 */
public final class ArchitectureRules {
  private static final String ROOT = "io.rowseal";

  private ArchitectureRules() {}

  /** The classes compiled from a module's main sources ({@code target/classes}), without tests or jars. */
  public static JavaClasses mainClasses() {
    return new ClassFileImporter().importPath(Path.of("target", "classes"));
  }

  /**
   * Fails unless every class of a RowSeal package depends only on its own package and the RowSeal packages
   * {@code allowed} lists for its package. Packages outside {@code io.rowseal} are not checked.
   */
  public static void assertPackageDependencies(JavaClasses classes, Map<String, Set<String>> allowed) {
    Map<String, Set<String>> graph = packageGraph(classes);
    List<String> violations = new ArrayList<>();
    for (JavaClass c : classes) {
      String from = c.getPackageName();
      if (!isRowSeal(from)) {
        continue;
      }
      Set<String> ok = allowed.get(from);
      if (ok == null) {
        violations.add("package " + from + " (class " + c.getName() + ") is not in the allow-list: add it with"
            + " the packages it may import");
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = d.getTargetClass().getPackageName();
        if (isRowSeal(to) && !to.equals(from) && !ok.contains(to)) {
          violations.add(from + " may not depend on " + to + ": " + d.getDescription());
        }
      }
    }
    if (!violations.isEmpty()) {
      throw new AssertionError("Forbidden package dependencies (" + violations.size() + "):\n  "
          + String.join("\n  ", new TreeSet<>(violations)));
    }
    List<String> cycle = findCycle(graph);
    if (!cycle.isEmpty()) {
      throw new AssertionError("Package cycle: " + String.join(" -> ", cycle));
    }
  }

  /** The RowSeal package dependency graph of {@code classes} (self edges left out). */
  public static Map<String, Set<String>> packageGraph(JavaClasses classes) {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (JavaClass c : classes) {
      String from = c.getPackageName();
      if (!isRowSeal(from)) {
        continue;
      }
      Set<String> targets = graph.computeIfAbsent(from, k -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = d.getTargetClass().getPackageName();
        if (isRowSeal(to) && !to.equals(from)) {
          targets.add(to);
        }
      }
    }
    return graph;
  }

  /** A cycle in {@code graph} as the list of its packages (first repeated at the end), or empty. */
  static List<String> findCycle(Map<String, Set<String>> graph) {
    Map<String, Integer> state = new TreeMap<>(); // 1 = on the current path, 2 = done
    for (String start : graph.keySet()) {
      List<String> path = new ArrayList<>();
      List<String> cycle = visit(start, graph, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state,
      List<String> path) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return List.of();
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      return cycle;
    }
    state.put(node, 1);
    path.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      List<String> cycle = visit(next, graph, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
    return List.of();
  }

  /**
   * Fails unless the compiled module descriptor ({@code target/classes/module-info.class}) is named
   * {@code name}, exports exactly {@code exported} to everybody and exactly {@code qualified} (package to
   * the modules it is exported to) to named modules only.
   */
  public static void assertModuleExports(String name, Set<String> exported, Map<String, Set<String>> qualified) {
    assertModuleExports(name, exported, qualified, Map.of());
  }

  /**
   * As {@link #assertModuleExports(String, Set, Map)}, and the module opens exactly {@code opened} (package to
   * the modules it is opened to) for reflection.
   */
  public static void assertModuleExports(String name, Set<String> exported, Map<String, Set<String>> qualified,
      Map<String, Set<String>> opened) {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("no compiled module descriptor in target/classes", e);
    }
    if (!descriptor.name().equals(name)) {
      throw new AssertionError("module is named " + descriptor.name() + ", expected " + name);
    }
    Set<String> open = new TreeSet<>();
    Map<String, Set<String>> targeted = new TreeMap<>();
    for (ModuleDescriptor.Exports e : descriptor.exports()) {
      if (e.isQualified()) {
        targeted.put(e.source(), new TreeSet<>(e.targets()));
      } else {
        open.add(e.source());
      }
    }
    if (!open.equals(new TreeSet<>(exported))) {
      throw new AssertionError(name + " exports " + open + " to everybody, expected " + new TreeSet<>(exported));
    }
    Map<String, Set<String>> expected = new TreeMap<>();
    qualified.forEach((k, v) -> expected.put(k, new TreeSet<>(v)));
    if (!targeted.equals(expected)) {
      throw new AssertionError(name + " exports " + targeted + " to named modules, expected " + expected);
    }
    Map<String, Set<String>> opens = new TreeMap<>();
    for (ModuleDescriptor.Opens o : descriptor.opens()) {
      opens.put(o.source(), new TreeSet<>(o.targets()));
    }
    Map<String, Set<String>> expectedOpens = new TreeMap<>();
    opened.forEach((k, v) -> expectedOpens.put(k, new TreeSet<>(v)));
    if (descriptor.isOpen() || !opens.equals(expectedOpens)) {
      throw new AssertionError(name + " opens " + (descriptor.isOpen() ? "everything" : opens)
          + " for reflection, expected " + expectedOpens);
    }
  }

  private static boolean isRowSeal(String pkg) {
    return pkg.equals(ROOT) || pkg.startsWith(ROOT + ".");
  }
}
