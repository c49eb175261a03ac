package io.rowseal.oracle;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to run, from system properties (Maven passes {@code -D} values through):
 * <ul>
 *   <li>{@code rowseal.oracle.db}: comma-separated {@code pg,maria,h2} (default all);
 *   <li>{@code rowseal.oracle.case}: a regular expression a case name must match, e.g.
 *       {@code sel_star} or {@code multi_.*} or {@code gen-pg-17} (default all);
 *   <li>{@code rowseal.oracle.api}: comma-separated APIs ({@code stmt,prep,batch,call,sbatch,updrs});
 *   <li>{@code rowseal.oracle.generated}: generated statements per database (default 1500);
 *   <li>{@code rowseal.oracle.seed}: the generator's seed (default fixed, logged);
 *   <li>{@code rowseal.oracle.report}: a file to write the full difference list to (also always written
 *       to {@code target/oracle-report.txt}).
 * </ul>
 */
final class OracleSettings {
  static final int DEFAULT_GENERATED = 1500;
  static final long DEFAULT_SEED = 20240611L;

  private OracleSettings() {}

  static Set<OracleDb> dbs() {
    String v = prop("rowseal.oracle.db");
    if (v == null) {
      return EnumSet.allOf(OracleDb.class);
    }
    Set<OracleDb> out = EnumSet.noneOf(OracleDb.class);
    for (String s : v.split(",")) {
      out.add(OracleDb.ofKey(s));
    }
    return out;
  }

  static boolean caseSelected(String name) {
    String v = prop("rowseal.oracle.case");
    return v == null || Pattern.compile(v).matcher(name).find();
  }

  static boolean apiSelected(OracleCase.Api api) {
    String v = prop("rowseal.oracle.api");
    if (v == null) {
      return true;
    }
    List<String> apis = new ArrayList<>();
    for (String s : v.split(",")) {
      apis.add(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
    return apis.contains(api.name());
  }

  static int generated() {
    String v = prop("rowseal.oracle.generated");
    return v == null ? DEFAULT_GENERATED : Integer.parseInt(v);
  }

  static long seed() {
    String v = prop("rowseal.oracle.seed");
    return v == null ? DEFAULT_SEED : Long.parseLong(v);
  }

  static String report() {
    return prop("rowseal.oracle.report");
  }

  private static String prop(String name) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
