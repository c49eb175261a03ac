package io.rowseal.hibernate.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.config.RowSealConfiguration;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.hibernate.HibernateException;

/** Reads {@code rowseal.config} files for the Hibernate integration. Stateless. */
final class ConfigFiles {
  private static final String PLACEHOLDER = "rowseal_hibernate_placeholder";

  private ConfigFiles() {}

  /**
   * The file's key ring and tables. A {@code .properties} file may name no table at all (the entities
   * define them): core's loader insists on one, so a placeholder table is added for loading and dropped.
   * A YAML file goes through core's loader unchanged and so needs at least one table.
   */
  static RowSeal load(Path file) {
    try {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".yml") || name.endsWith(".yaml")) {
        return RowSealConfiguration.load(file);
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      boolean hasTables = p.stringPropertyNames().stream().anyMatch(k -> k.trim().startsWith("rowseal.tables."));
      if (!hasTables) {
        p.setProperty("rowseal.tables." + PLACEHOLDER + ".id", "id");
        p.setProperty("rowseal.tables." + PLACEHOLDER + ".columns.value", "string");
      }
      RowSeal loaded = RowSealConfiguration.fromProperties(p, file.toAbsolutePath().getParent());
      if (hasTables) {
        return loaded;
      }
      return loaded.toBuilder().build();
    } catch (IOException | IllegalArgumentException e) {
      throw new HibernateException("Cannot load the RowSeal configuration " + file + " (rowseal.config): "
          + e.getMessage(), e);
    }
  }

  /** Whether two definitions of one table encrypt the same way (names compared case-insensitively). */
  static boolean sameDefinition(EncryptedTable a, EncryptedTable b) {
    if (!lower(a.idColumns()).equals(lower(b.idColumns()))
        || !a.companionColumn().equalsIgnoreCase(b.companionColumn())
        || !a.logicalName().equals(b.logicalName())
        || a.columns().size() != b.columns().size()) {
      return false;
    }
    for (EncryptedColumn c : a.columns()) {
      if (!b.isEncrypted(c.name())) {
        return false;
      }
      EncryptedColumn d = b.column(c.name());
      if (c.valueType() != d.valueType() || c.storage() != d.storage() || !c.logicalName().equals(d.logicalName())
          || !sameSearch(c.searchIndex(), d.searchIndex())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameSearch(io.rowseal.@org.jspecify.annotations.Nullable SearchIndex a,
      io.rowseal.@org.jspecify.annotations.Nullable SearchIndex b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.column().equalsIgnoreCase(b.column()) && a.rotationColumn().equalsIgnoreCase(b.rotationColumn())
        && a.normalization() == b.normalization() && a.bits() == b.bits();
  }

  private static List<String> lower(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }
}
