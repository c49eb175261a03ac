package io.rowseal.spring;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.kek.KekStore;
import io.rowseal.jobs.KeyStatus;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * Actuator endpoint {@code rowseal} (read): what the command line's {@code status} prints, per wrapped DataSource
 * bean: rows per key reference for each encrypted table (read from the companion column only, through the
 * undecorated pool), and the KEK rows of {@code rowseal_kek} per master key when that table exists. Key
 * references and counts only, never key bytes. Each call reads every companion column once: expose it to
 * operators, not to the world. Thread-safe.
 */
@Endpoint(id = "rowseal")
public final class RowSealEndpoint {
  private final RowSeal rowSeal;
  private final RowSealDataSourceWrapper wrapper;

  RowSealEndpoint(RowSeal rowSeal, RowSealDataSourceWrapper wrapper) {
    this.rowSeal = rowSeal;
    this.wrapper = wrapper;
  }

  @ReadOperation
  public Map<String, Object> status() throws SQLException {
    Map<String, Object> dataSources = new LinkedHashMap<>();
    for (String name : wrapper.wrappedBeanNames()) {
      DataSource raw = wrapper.undecorated(name);
      if (raw == null) {
        continue;
      }
      Map<String, Object> tables = new LinkedHashMap<>();
      for (EncryptedTable table : rowSeal.tables()) {
        tables.put(table.name(), KeyStatus.count(raw, table));
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("tables", tables);
      if (kekTableExists(raw)) {
        entry.put("keks", KekStore.builder(raw).build().status());
      }
      dataSources.put(name, entry);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("activeKey", rowSeal.keyRing().active().ref().toString());
    out.put("dataSources", dataSources);
    return out;
  }

  private static boolean kekTableExists(DataSource raw) throws SQLException {
    try (Connection c = raw.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      for (String name : new String[] {KekStore.TABLE, KekStore.TABLE.toUpperCase(Locale.ROOT)}) {
        try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), name, new String[] {"TABLE"})) {
          if (rs.next()) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
