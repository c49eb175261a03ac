package io.rowseal.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random SELECT / INSERT / UPDATE / DELETE statements over the oracle's schema, mixing encrypted and plain
 * columns in random positions (projection, predicates, joins, subqueries, grouping, ordering, assignments).
 *
 * <p>Deterministic: statement {@code i} of a run depends only on {@code seed + i}, so one failing statement
 * can be reproduced alone from its name ({@code gen-<db>-<i>}) and the logged seed. Not thread-safe.
 */
final class Generator {
  /** A generated statement: SQL with {@code ?} placeholders, and its parameters. */
  record Generated(String sql, List<Object> params) {}

  private record Col(String name, boolean encrypted, boolean numeric) {}

  private record Tab(String name, List<String> key, List<Col> cols) {
    List<Col> encrypted() {
      return cols.stream().filter(Col::encrypted).toList();
    }

    List<Col> plain() {
      return cols.stream().filter(c -> !c.encrypted()).toList();
    }
  }

  private static final Tab CARDS = new Tab("cards", List.of("id"), List.of(
      new Col("id", false, true), new Col("card_number", true, false), new Col("holder", true, false),
      new Col("cvv", true, false), new Col("note", false, false), new Col("amount", false, true),
      new Col("customer_id", false, true)));
  private static final Tab CUSTOMERS = new Tab("customers", List.of("id"), List.of(
      new Col("id", false, true), new Col("name", true, false), new Col("email", true, false),
      new Col("city", false, false), new Col("tier", false, true)));
  private static final Tab MERCHANTS = new Tab("merchants", List.of("id"), List.of(
      new Col("id", false, true), new Col("name", false, false), new Col("city", false, false),
      new Col("card_prefix", false, false)));
  private static final Tab LINKS = new Tab("card_links", List.of("card_id", "seq"), List.of(
      new Col("card_id", false, true), new Col("seq", false, true), new Col("secret", true, false),
      new Col("label", false, false)));
  private static final Tab VAULT = new Tab("vault", List.of("code"), List.of(
      new Col("code", false, false), new Col("secret", true, false), new Col("kind", false, false)));

  private static final String[] CANARIES = {"CANARY-4111-0001-AAAA", "CANARY-4111-0002-BBBB", "CANARY-HOLDER-ALICE",
      "CANARY-CVV-101", "CANARY-NAME-ACME", "CANARY-LINK-1-1", "CANARY-VAULT-ALPHA", "CANARY-MAIL-BETA@EXAMPLE.COM"};
  private static final String[] PLAIN_TEXTS = {"n1", "n2", "Paris", "Lyon", "Shop A", "4111", "a", "l11", "k-alpha",
      "gen"};

  private final OracleDb db;
  private final long seed;
  private SplittableRandom r;
  private List<Object> params;
  private int index;

  Generator(OracleDb db, long seed) {
    this.db = db;
    this.seed = seed;
  }

  Generated generate(int i) {
    r = new SplittableRandom(seed + i);
    params = new ArrayList<>();
    index = i;
    int kind = r.nextInt(10);
    String sql = kind < 5 ? select() : kind < 7 ? insert() : kind < 9 ? update() : delete();
    return new Generated(sql, params);
  }

  // ------------------------------------------------------------------ SELECT

  private String select() {
    int shape = r.nextInt(12);
    if (shape == 0) {
      return setOperation();
    } else if (shape == 1) {
      return "SELECT w.* FROM (" + simpleSelect() + ") w";
    } else if (shape == 2) {
      return "WITH w AS (" + simpleSelect() + ") SELECT * FROM w";
    }
    return simpleSelect();
  }

  private String setOperation() {
    Tab a = table();
    Tab b = table();
    String[] ops = {"UNION", "UNION ALL", "INTERSECT", "EXCEPT"};
    String sql = "SELECT " + pick(a.cols()).name() + " FROM " + a.name() + " " + ops[r.nextInt(ops.length)]
        + " SELECT " + pick(b.cols()).name() + " FROM " + b.name();
    return r.nextBoolean() ? sql + " ORDER BY 1" : sql;
  }

  private String simpleSelect() {
    Tab t = table();
    String a = r.nextBoolean() ? "t0" : null;
    String q = a == null ? t.name() : a;
    Tab j = null;
    String joinSql = "";
    if (t == CARDS && r.nextInt(3) == 0) {
      int which = r.nextInt(3);
      j = which == 0 ? CUSTOMERS : which == 1 ? LINKS : MERCHANTS;
      String on = j == CUSTOMERS ? "j1.id = " + q + ".customer_id"
          : j == LINKS ? "j1.card_id = " + q + ".id" : "j1.id = " + q + ".id";
      String[] kinds = {"JOIN", "LEFT JOIN", "INNER JOIN"};
      joinSql = " " + kinds[r.nextInt(kinds.length)] + " " + j.name() + " j1 ON " + on;
      if (j == MERCHANTS && r.nextInt(3) == 0) {
        joinSql = " JOIN merchants j1 USING (id)";
      }
      if (a == null) {
        q = t.name();
      }
    }
    if (r.nextInt(6) == 0) {
      Col g = pick(t.cols());
      String gq = q + "." + g.name();
      String agg = r.nextBoolean() ? "count(*)" : (r.nextBoolean() ? "max(" : "min(") + q + "." + pick(t.cols()).name() + ")";
      return "SELECT " + gq + ", " + agg + " FROM " + t.name() + (a == null ? "" : " " + a) + joinSql
          + where(t, q) + " GROUP BY " + gq + (r.nextBoolean() ? " ORDER BY " + gq : "");
    }
    List<String> items = new ArrayList<>();
    int n = 1 + r.nextInt(4);
    for (int k = 0; k < n; k++) {
      items.add(projection(t, q, j));
    }
    String distinct = r.nextInt(8) == 0 ? "DISTINCT " : "";
    String sql = "SELECT " + distinct + String.join(", ", items) + " FROM " + t.name() + (a == null ? "" : " " + a)
        + joinSql + where(t, q);
    if (r.nextInt(3) == 0 && distinct.isEmpty()) {
      Col o = pick(t.cols());
      List<String> keys = new ArrayList<>();
      keys.add(q + "." + o.name() + (r.nextBoolean() ? " DESC" : ""));
      for (String k : t.key()) {
        keys.add(q + "." + k);
      }
      if (j != null) {
        for (String k : j.key()) {
          keys.add("j1." + k);
        }
      }
      sql += " ORDER BY " + String.join(", ", keys);
      if (r.nextInt(3) == 0) {
        sql += " LIMIT " + (1 + r.nextInt(4));
      }
    }
    return sql;
  }

  private String projection(Tab t, String q, Tab j) {
    int k = r.nextInt(20);
    if (k < 8) {
      return q + "." + pick(t.cols()).name();
    } else if (k < 10) {
      return pick(t.encrypted().isEmpty() ? t.cols() : t.encrypted()).name();
    } else if (k == 10) {
      return "*";
    } else if (k == 11) {
      return q + ".*";
    } else if (k == 12 && j != null) {
      return "j1." + pick(j.cols()).name();
    } else if (k == 13) {
      return (r.nextBoolean() ? "upper(" : "lower(") + q + "." + pick(t.cols()).name() + ")";
    } else if (k == 14) {
      return "coalesce(" + q + "." + pick(t.cols()).name() + ", 'none')";
    } else if (k == 15) {
      return "(SELECT c9." + pick(CARDS.encrypted()).name() + " FROM cards c9 WHERE c9.id = " + (1 + r.nextInt(8)) + ")";
    } else if (k == 16) {
      return q + "." + pick(t.cols()).name() + " AS " + pick(CARDS.cols()).name();
    } else if (k == 17) {
      return "CASE WHEN " + q + "." + pick(t.cols()).name() + " IS NULL THEN 'null' ELSE 'set' END";
    } else if (k == 18) {
      return r.nextBoolean() ? "concat(" + q + "." + pick(t.cols()).name() + ", '-x')"
          : "count(*) OVER (PARTITION BY " + q + "." + pick(t.cols()).name() + ")";
    }
    return "'lit'";
  }

  private String where(Tab t, String q) {
    int n = r.nextInt(3);
    if (n == 0) {
      return "";
    }
    List<String> preds = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      preds.add(predicate(t, q));
    }
    return " WHERE " + String.join(r.nextBoolean() ? " AND " : " OR ", preds);
  }

  private String predicate(Tab t, String q) {
    int k = r.nextInt(12);
    Col c = pick(t.cols());
    String col = q + "." + c.name();
    switch (k) {
      case 0:
      case 1:
      case 2:
        return q + "." + t.key().get(0) + " = " + value(t.cols().get(0), false);
      case 3:
        return col + " IS NULL";
      case 4:
        return col + " IS NOT NULL";
      case 5:
      case 6:
        return col + " = " + value(c, false);
      case 7:
        return col + (c.numeric() ? " > " + value(c, false) : " LIKE 'CANARY%'");
      case 8:
        return col + " IN (" + value(c, false) + ", " + value(c, false) + ")";
      case 9:
        return q + "." + t.key().get(0) + " IN (SELECT " + (t == CARDS ? "c8.id" : t.key().get(0).equals("code")
            ? "'k-alpha'" : "c8.customer_id") + " FROM cards c8 WHERE c8." + pick(CARDS.cols()).name() + " IS NOT NULL)";
      case 10:
        return "EXISTS (SELECT 1 FROM cards c7 WHERE c7." + pick(CARDS.cols()).name() + " = " + col + ")";
      default:
        return "NOT (" + col + " = " + value(c, false) + ")";
    }
  }

  // ------------------------------------------------------------------ writes

  private String insert() {
    Tab t = writableTable();
    List<String> cols = new ArrayList<>(t.key());
    for (Col c : t.cols()) {
      if (!t.key().contains(c.name()) && r.nextInt(3) != 0) {
        cols.add(c.name());
      }
    }
    int rows = r.nextInt(4) == 0 ? 2 : 1;
    if (r.nextInt(8) == 0) {
      // INSERT ... SELECT from the same table with shifted keys
      List<String> exprs = new ArrayList<>();
      for (String c : cols) {
        exprs.add(t.key().get(0).equals(c) && col(t, c).numeric() ? c + " + 5000" : t.key().contains(c) && !col(t, c)
            .numeric() ? "concat(" + c + ", '-copy')" : c);
      }
      return "INSERT INTO " + t.name() + " (" + String.join(", ", cols) + ") SELECT " + String.join(", ", exprs)
          + " FROM " + t.name();
    }
    List<String> tuples = new ArrayList<>();
    for (int k = 0; k < rows; k++) {
      List<String> vals = new ArrayList<>();
      for (String c : cols) {
        Col col = col(t, c);
        if (t.key().contains(c)) {
          boolean duplicate = r.nextInt(10) == 0;
          vals.add(bind(col.numeric() ? (Object) (long) (duplicate ? 1 : 1000 + index * 2 + k)
              : (duplicate ? "k-alpha" : "gen-" + index + "-" + k)));
        } else {
          vals.add(value(col, true));
        }
      }
      tuples.add("(" + String.join(", ", vals) + ")");
    }
    String sql = "INSERT INTO " + t.name() + " (" + String.join(", ", cols) + ") VALUES " + String.join(", ", tuples);
    if (r.nextInt(6) == 0 && db != OracleDb.H2) {
      Col c = pick(t.cols().stream().filter(x -> !t.key().contains(x.name())).toList());
      Col source = pick(t.cols().stream().filter(x -> !t.key().contains(x.name())).toList());
      if (db == OracleDb.PG) {
        sql += " ON CONFLICT (" + String.join(", ", t.key()) + ") DO UPDATE SET " + c.name() + " = EXCLUDED."
            + (c.numeric() == source.numeric() ? source.name() : c.name());
      } else {
        sql += " ON DUPLICATE KEY UPDATE " + c.name() + " = VALUES("
            + (c.numeric() == source.numeric() ? source.name() : c.name()) + ")";
      }
    }
    return sql;
  }

  private String update() {
    Tab t = writableTable();
    List<String> sets = new ArrayList<>();
    List<Col> settable = t.cols().stream().filter(c -> !t.key().contains(c.name()) || r.nextInt(8) == 0).toList();
    int n = 1 + r.nextInt(Math.min(3, settable.size()));
    List<Col> used = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Col c = pick(settable);
      if (used.contains(c)) {
        continue;
      }
      used.add(c);
      String v;
      int how = r.nextInt(10);
      if (how < 6) {
        v = t.key().contains(c.name()) ? bind(c.numeric() ? (Object) (long) (2000 + index) : "gen-key-" + index)
            : value(c, true);
      } else if (how == 6) {
        v = "NULL";
      } else if (how == 7) {
        Col other = pick(t.cols().stream().filter(x -> x.numeric() == c.numeric()).toList());
        v = other.name();
      } else if (how == 8 && !c.numeric()) {
        v = "concat(" + c.name() + ", '-u')";
      } else {
        v = c.numeric() ? c.name() + " + 1" : "upper(" + c.name() + ")";
      }
      sets.add(c.name() + " = " + v);
    }
    return "UPDATE " + t.name() + " SET " + String.join(", ", sets) + where(t, t.name());
  }

  private String delete() {
    Tab t = writableTable();
    return "DELETE FROM " + t.name() + where(t, t.name());
  }

  // ------------------------------------------------------------------ values

  /** A literal or a {@code ?} bound to a value for column {@code c}; fresh canaries when writing encrypted. */
  private String value(Col c, boolean writing) {
    Object v;
    if (c.numeric()) {
      v = (long) (1 + r.nextInt(8));
      if (c.name().equals("amount") || c.name().equals("tier")) {
        v = (long) ((1 + r.nextInt(8)) * (c.name().equals("amount") ? 100 : 1));
      }
    } else if (c.encrypted()) {
      v = writing && r.nextBoolean() ? "CANARY-GEN-" + index + "-" + r.nextInt(100) : pick(CANARIES);
    } else {
      v = PLAIN_TEXTS[r.nextInt(PLAIN_TEXTS.length)];
    }
    if (writing && r.nextInt(8) == 0) {
      v = null;
    }
    return bind(v);
  }

  private String bind(Object v) {
    if (r.nextBoolean()) {
      params.add(v);
      return "?";
    }
    return Sql.literal(v);
  }

  private Tab table() {
    int k = r.nextInt(10);
    return k < 5 ? CARDS : k < 7 ? CUSTOMERS : k == 7 ? LINKS : k == 8 ? VAULT : MERCHANTS;
  }

  private Tab writableTable() {
    int k = r.nextInt(10);
    return k < 6 ? CARDS : k < 8 ? CUSTOMERS : k == 8 ? LINKS : VAULT;
  }

  private static Col col(Tab t, String name) {
    return t.cols().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private <T> T pick(List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  private <T> T pick(T[] array) {
    return array[r.nextInt(array.length)];
  }
}
