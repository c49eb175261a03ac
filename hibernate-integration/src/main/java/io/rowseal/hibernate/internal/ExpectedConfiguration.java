package io.rowseal.hibernate.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.StorageForm;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Renders a table as the {@code rowseal.tables.*} lines of a configuration file, for error messages that tell
 * the user what to configure. Names only: tables, columns, types. Stateless.
 */
final class ExpectedConfiguration {
  private static final Map<Class<?>, String> TYPES = Map.ofEntries(
      Map.entry(String.class, "string"), Map.entry(byte[].class, "bytes"),
      Map.entry(Boolean.class, "boolean"), Map.entry(boolean.class, "boolean"),
      Map.entry(Integer.class, "int"), Map.entry(int.class, "int"),
      Map.entry(Long.class, "long"), Map.entry(long.class, "long"),
      Map.entry(Double.class, "double"), Map.entry(double.class, "double"),
      Map.entry(BigDecimal.class, "decimal"), Map.entry(BigInteger.class, "biginteger"),
      Map.entry(LocalDate.class, "date"), Map.entry(LocalTime.class, "time"),
      Map.entry(LocalDateTime.class, "datetime"), Map.entry(Instant.class, "instant"),
      Map.entry(OffsetDateTime.class, "offsetdatetime"), Map.entry(UUID.class, "uuid"));

  private ExpectedConfiguration() {}

  /** {@code rowseal.tables.t.id = id; rowseal.tables.t.columns.c = string, binary; …}. */
  static String of(EncryptedTable table) {
    String p = "rowseal.tables." + table.name() + ".";
    StringJoiner lines = new StringJoiner("; ");
    lines.add(p + "id = " + String.join(", ", table.idColumns()));
    if (!table.companionColumn().equalsIgnoreCase(EncryptedTable.DEFAULT_COMPANION_COLUMN)) {
      lines.add(p + "companion = " + table.companionColumn());
    }
    if (!table.logicalName().equals(table.name().toLowerCase(java.util.Locale.ROOT))) {
      lines.add(p + "logical-name = " + table.logicalName());
    }
    for (EncryptedColumn c : table.columns()) {
      String type = c.javaType().isEnum() ? "enum:" + c.javaType().getName()
          : TYPES.getOrDefault(c.javaType(), c.javaType().getName());
      String line = p + "columns." + c.name() + " = " + type + ", "
          + (c.storage() == StorageForm.TEXT ? "text" : "binary");
      if (!c.logicalName().equals(c.name().toLowerCase(java.util.Locale.ROOT))) {
        line += ", " + c.logicalName();
      }
      lines.add(line);
    }
    return lines.toString();
  }
}
