package io.rowseal.oracle;

import io.rowseal.oracle.Exec.Count;
import io.rowseal.oracle.Exec.Result;
import io.rowseal.oracle.Exec.Rows;
import io.rowseal.oracle.OracleCase.Api;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one statement on both copies of one database and judges the pair.
 *
 * <p>Each side runs in a transaction that is rolled back. The wrapper's outcome is acceptable only if it is
 * (a) a clean rejection: {@link SQLFeatureNotSupportedException} with SQLState {@code 0A000} and the encrypted
 * copy byte-for-byte unchanged; (b) the same as the plaintext copy's: update counts, result rows (in order
 * when the statement has a top-level ORDER BY), labels, no companion column, and every table's contents
 * afterwards, read back through the wrapper; or (c) a failure where the plaintext copy failed too. In every
 * case the stored bytes of the encrypted copy are checked (well-formed values, companions, no canary) and
 * so are the wrapper's exception messages. DDL that commits implicitly is undone by rebuilding both copies.
 */
final class Oracle {
  private final Copies copies;
  private Snapshot plainBase;
  private Snapshot encBase;
  private int rebuilds;
  private int runs;
  private final java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();

  Oracle(Copies copies) throws SQLException {
    this.copies = copies;
    takeBaselines();
  }

  int rebuilds() {
    return rebuilds;
  }

  int runs() {
    return runs;
  }

  /** How the runs ended: identical, cleanly rejected, failed on both copies, different. */
  String outcomes() {
    return outcomes.toString();
  }

  /** Problems of the freshly seeded encrypted copy itself (expected: none). */
  List<String> seedProblems() {
    return Leaks.stored(encBase);
  }

  private void takeBaselines() throws SQLException {
    plainBase = Snapshot.raw(copies.plain, copies.db, copies.plainSchema);
    encBase = Snapshot.raw(copies.encRaw, copies.db, copies.encSchema);
  }

  private static final class Side {
    List<Result> results;
    Throwable error;
    Snapshot tables;
    Snapshot raw;
    Throwable readbackError;
  }

  List<Difference> run(String name, Api api, String template, List<Object> params, List<List<Object>> batch,
      String[] update, boolean ordered) throws SQLException {
    runs++;
    OracleDb db = copies.db;
    List<Difference> diffs = new ArrayList<>();
    Side p = new Side();
    Side e = new Side();

    Connection plain = copies.plain;
    plain.setAutoCommit(false);
    try {
      p.results = Exec.run(plain, api, copies.sql(template, false), params, batch, update);
      p.tables = Snapshot.raw(plain, db, copies.plainSchema);
    } catch (SQLException ex) {
      p.error = ex;
    } finally {
      rollback(plain, null);
    }

    Connection enc = copies.enc;
    try {
      enc.setAutoCommit(false);
      e.results = Exec.run(enc, api, copies.sql(template, true), params, batch, update);
    } catch (SQLException | RuntimeException ex) {
      e.error = ex;
    }
    try {
      e.raw = Snapshot.raw(copies.encRaw, db, copies.encSchema);
    } catch (SQLException ex) {
      e.raw = null; // PostgreSQL: the transaction was aborted by an error from the server
    }
    if (e.error == null && p.error == null) {
      try {
        e.tables = readBack(enc, p.tables);
      } catch (SQLException | RuntimeException ex) {
        e.readbackError = ex;
      }
    }
    rollback(enc, copies.encRaw);

    judge(name, api, ordered, p, e, diffs);
    String outcome = !diffs.isEmpty() ? "different"
        : e.error == null ? "identical" : isRejection(e.error) ? "rejected" : "both failed";
    outcomes.merge(outcome, 1, Integer::sum);

    Snapshot plainAfter = Snapshot.raw(copies.plain, db, copies.plainSchema);
    Snapshot encAfter = Snapshot.raw(copies.encRaw, db, copies.encSchema);
    boolean plainKept = !plainAfter.sameAs(plainBase);
    boolean encKept = !encAfter.sameAs(encBase);
    if (encKept && !plainKept) {
      diffs.add(new Difference(name, db, api, "encrypted copy still changed after rollback (plaintext copy was not)"));
    }
    if (encKept || plainKept) {
      if (encKept) {
        for (String problem : Leaks.stored(encAfter)) {
          diffs.add(new Difference(name, db, api, "after rollback: " + problem));
        }
      }
      copies.rebuild();
      takeBaselines();
      rebuilds++;
    }
    return dedupe(diffs);
  }

  private void judge(String name, Api api, boolean ordered, Side p, Side e, List<Difference> diffs) {
    OracleDb db = copies.db;
    if (e.error != null) {
      for (String problem : Leaks.message(e.error)) {
        diffs.add(new Difference(name, db, api, problem + ": " + brief(e.error)));
      }
      if (!(e.error instanceof SQLException)) {
        diffs.add(new Difference(name, db, api, "wrapper threw unchecked " + brief(e.error)));
      } else if (isRejection(e.error)) {
        if (e.raw == null) {
          if (p.error == null) {
            diffs.add(new Difference(name, db, api,
                "rejected, but the transaction was aborted by the server: the statement reached the database"));
          }
        } else if (!e.raw.sameAs(encBase)) {
          diffs.add(new Difference(name, db, api, "rejected after changing the encrypted tables: "
              + changedTables(e.raw)));
        }
      } else if (p.error == null) {
        diffs.add(new Difference(name, db, api, "wrapper failed where plaintext succeeded: " + brief(e.error)));
      }
    } else if (p.error != null) {
      diffs.add(new Difference(name, db, api, "plaintext failed (" + brief(p.error) + ") but the wrapper succeeded"));
    } else {
      compareResults(name, api, ordered, p.results, e.results, diffs);
      if (e.readbackError != null) {
        diffs.add(new Difference(name, db, api, "reading the tables back through the wrapper failed: "
            + brief(e.readbackError)));
      } else {
        compareTables(name, api, p.tables, e.tables, diffs);
      }
    }
    if (e.raw != null) {
      for (String problem : Leaks.stored(e.raw)) {
        diffs.add(new Difference(name, db, api, "stored: " + problem));
      }
    }
  }

  private String changedTables(Snapshot raw) {
    List<String> changed = new ArrayList<>();
    for (String t : raw.tables().keySet()) {
      Snapshot.Table before = encBase.tables().get(t);
      Snapshot.Table after = raw.tables().get(t);
      if (before == null || !before.canonical().equals(after.canonical()) || !before.labels().equals(after.labels())) {
        changed.add(t);
      }
    }
    for (String t : encBase.tables().keySet()) {
      if (!raw.tables().containsKey(t)) {
        changed.add(t + " (dropped)");
      }
    }
    return String.join(", ", changed);
  }

  private void compareResults(String name, Api api, boolean ordered, List<Result> plain, List<Result> wrapped,
      List<Difference> diffs) {
    OracleDb db = copies.db;
    for (Result r : wrapped) {
      if (r instanceof Rows rows) {
        for (int i = 0; i < rows.labels().size(); i++) {
          if (rows.labels().get(i).equalsIgnoreCase(Schema.COMPANION)
              || (rows.names().get(i) != null && rows.names().get(i).equalsIgnoreCase(Schema.COMPANION))) {
            diffs.add(new Difference(name, db, api, "companion column visible in the result"));
          }
        }
      }
    }
    if (plain.size() != wrapped.size()) {
      diffs.add(new Difference(name, db, api, "plaintext gave " + plain.size() + " results, wrapper " + wrapped.size()
          + ": plain=" + plain + " wrapped=" + wrapped));
      return;
    }
    for (int i = 0; i < plain.size(); i++) {
      Result a = plain.get(i);
      Result b = wrapped.get(i);
      String at = plain.size() > 1 ? "result " + (i + 1) + ": " : "";
      if (a instanceof Count ca) {
        if (!(b instanceof Count cb) || ca.count() != cb.count()) {
          diffs.add(new Difference(name, db, api, at + "plain " + a + ", wrapped " + b));
        }
        continue;
      }
      Rows ra = (Rows) a;
      if (!(b instanceof Rows rb)) {
        diffs.add(new Difference(name, db, api, at + "plain gave rows, wrapped " + b));
        continue;
      }
      if (!ra.labels().equals(rb.labels())) {
        diffs.add(new Difference(name, db, api, at + "labels " + ra.labels() + " vs " + rb.labels()));
        continue;
      }
      List<List<String>> x = new ArrayList<>(ra.rows());
      List<List<String>> y = new ArrayList<>(rb.rows());
      if (!ordered) {
        x.sort(Oracle::compareRows);
        y.sort(Oracle::compareRows);
      }
      if (!x.equals(y)) {
        String what = x.size() != y.size() ? x.size() + " rows vs " + y.size() : "rows differ";
        diffs.add(new Difference(name, db, api, at + what + ": plain=" + firstDiff(x, y, true) + " wrapped="
            + firstDiff(x, y, false)));
      }
    }
  }

  private static String firstDiff(List<List<String>> x, List<List<String>> y, boolean left) {
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      List<String> a = i < x.size() ? x.get(i) : null;
      List<String> b = i < y.size() ? y.get(i) : null;
      if (a == null || !a.equals(b)) {
        return String.valueOf(left ? a : b);
      }
    }
    return "?";
  }

  private static int compareRows(List<String> a, List<String> b) {
    return String.join("\u0000", a).compareTo(String.join("\u0000", b));
  }

  private void compareTables(String name, Api api, Snapshot plain, Snapshot readBack, List<Difference> diffs) {
    for (Map.Entry<String, Snapshot.Table> t : plain.tables().entrySet()) {
      Snapshot.Table w = readBack.tables().get(t.getKey());
      if (w == null) {
        diffs.add(new Difference(name, copies.db, api, "table " + t.getKey() + " missing in the encrypted copy"));
        continue;
      }
      List<String> a = t.getValue().canonical();
      List<String> b = w.canonical();
      if (!a.equals(b)) {
        List<String> onlyPlain = new ArrayList<>(a);
        onlyPlain.removeAll(b);
        List<String> onlyWrapped = new ArrayList<>(b);
        onlyWrapped.removeAll(a);
        diffs.add(new Difference(name, copies.db, api, "table " + t.getKey() + " afterwards differs: plain has "
            + head(onlyPlain) + ", wrapped has " + head(onlyWrapped)));
      }
    }
    for (String t : readBack.tables().keySet()) {
      if (!plain.tables().containsKey(t)) {
        diffs.add(new Difference(name, copies.db, api, "table " + t + " exists only in the encrypted copy"));
      }
    }
  }

  private static String head(List<String> rows) {
    return rows.isEmpty() ? "[]" : rows.get(0) + (rows.size() > 1 ? " (+" + (rows.size() - 1) + ")" : "");
  }

  /** Every table of the plaintext copy's snapshot, read through the wrapper with the plaintext copy's columns. */
  private Snapshot readBack(Connection wrapped, Snapshot plain) throws SQLException {
    Map<String, Snapshot.Table> tables = new java.util.TreeMap<>();
    List<String> present = Snapshot.tableNames(copies.encRaw, copies.db, copies.encSchema);
    for (Snapshot.Table t : plain.tables().values()) {
      if (present.contains(t.name())) {
        tables.put(t.name(), Snapshot.read(wrapped, t.name(), t.labels()));
      }
    }
    for (String t : present) {
      if (!tables.containsKey(t) && !plain.tables().containsKey(t)) {
        tables.put(t, new Snapshot.Table(t, List.of(), List.of()));
      }
    }
    return new Snapshot(tables);
  }

  static boolean isRejection(Throwable t) {
    return t instanceof SQLFeatureNotSupportedException s && "0A000".equals(s.getSQLState());
  }

  private static void rollback(Connection c, Connection fallback) throws SQLException {
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException | RuntimeException e) {
      if (fallback == null) {
        throw e;
      }
      fallback.rollback();
      fallback.setAutoCommit(true);
    }
  }

  private static String brief(Throwable t) {
    String state = t instanceof SQLException s && s.getSQLState() != null ? s.getSQLState() + " " : "";
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    return t.getClass().getSimpleName() + " " + state + (m.length() > 160 ? m.substring(0, 160) + "..." : m);
  }

  private static List<Difference> dedupe(List<Difference> diffs) {
    return new ArrayList<>(new java.util.LinkedHashSet<>(diffs));
  }
}
