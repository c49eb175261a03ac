package io.rowseal.oracle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Reads {@code corpus.txt} (its format is described at the top of that file). */
final class Corpus {
  static final List<String> ENCRYPTED_CARD_COLUMNS = List.of("card_number", "holder", "cvv");

  private Corpus() {}

  static List<OracleCase> load() {
    InputStream in = Corpus.class.getResourceAsStream("corpus.txt");
    Objects.requireNonNull(in, "corpus.txt not on the class path");
    List<OracleCase> cases = new ArrayList<>();
    Map<String, Boolean> names = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String header = null;
      StringBuilder body = new StringBuilder();
      String line;
      int lineNo = 0;
      int headerLine = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.startsWith("#!")) {
          continue;
        }
        if (line.startsWith("@@")) {
          if (header != null) {
            addExpanded(cases, names, header, body.toString(), headerLine);
          }
          header = line.substring(2).trim();
          headerLine = lineNo;
          body.setLength(0);
        } else if (header != null) {
          body.append(line).append('\n');
        } else if (!line.isBlank()) {
          throw new IllegalStateException("corpus.txt line " + lineNo + ": SQL before the first @@ header");
        }
      }
      if (header != null) {
        addExpanded(cases, names, header, body.toString(), headerLine);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  private static void addExpanded(List<OracleCase> out, Map<String, Boolean> names, String header, String body,
      int line) {
    String sql = body.strip();
    if (sql.contains("{enc}")) {
      for (String column : ENCRYPTED_CARD_COLUMNS) {
        add(out, names, header, sql.replace("{enc}", column), "[" + column + "]", line);
      }
    } else {
      add(out, names, header, sql, "", line);
    }
  }

  private static void add(List<OracleCase> out, Map<String, Boolean> names, String header, String sql, String suffix,
      int line) {
    String[] words = header.split("\\s+", 2);
    String name = words[0] + suffix;
    Map<String, String> attrs = attributes(words.length > 1 ? words[1] : "", line);
    Set<OracleDb> dbs = EnumSet.allOf(OracleDb.class);
    if (attrs.containsKey("db")) {
      dbs = EnumSet.noneOf(OracleDb.class);
      for (String d : attrs.get("db").split(",")) {
        dbs.add(OracleDb.ofKey(d));
      }
    }
    List<OracleCase.Api> apis = new ArrayList<>();
    for (String a : attrs.getOrDefault("api", "stmt,prep").split(",")) {
      apis.add(OracleCase.Api.valueOf(a.trim().toUpperCase(Locale.ROOT)));
    }
    List<Object> params = attrs.containsKey("params") ? values(attrs.get("params"), line) : List.of();
    List<List<Object>> batch = new ArrayList<>();
    if (attrs.containsKey("batch")) {
      for (String group : splitOutsideQuotes(attrs.get("batch"), ';')) {
        batch.add(values(group, line));
      }
    }
    String[] update = null;
    if (attrs.containsKey("upd")) {
      update = attrs.get("upd").split(":", 2);
    }
    if (names.put(name, Boolean.TRUE) != null) {
      throw new IllegalStateException("corpus.txt line " + line + ": duplicate case name " + name);
    }
    int holes = Sql.placeholders(sql);
    if (apis.contains(OracleCase.Api.BATCH)) {
      for (List<Object> g : batch) {
        if (g.size() != holes) {
          throw new IllegalStateException("corpus.txt line " + line + ": " + name + " has " + holes
              + " placeholders but a batch group of " + g.size());
        }
      }
    } else if (!apis.contains(OracleCase.Api.SBATCH) && holes != params.size()) {
      throw new IllegalStateException("corpus.txt line " + line + ": " + name + " has " + holes
          + " placeholders but " + params.size() + " parameters");
    }
    out.add(new OracleCase(name, sql, params, batch, dbs, apis, update));
  }

  /** {@code key=value} pairs; a value runs to the next {@code " key="} (values may contain spaces in quotes). */
  private static Map<String, String> attributes(String s, int line) {
    Map<String, String> attrs = new LinkedHashMap<>();
    String rest = s.trim();
    while (!rest.isEmpty()) {
      int eq = rest.indexOf('=');
      if (eq < 0) {
        throw new IllegalStateException("corpus.txt line " + line + ": bad header attribute '" + rest + "'");
      }
      String key = rest.substring(0, eq).trim();
      String value = rest.substring(eq + 1);
      int end = nextAttribute(value);
      attrs.put(key, value.substring(0, end).trim());
      rest = value.substring(end).trim();
    }
    return attrs;
  }

  private static int nextAttribute(String value) {
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == ' ' && value.substring(i + 1).matches("^[a-z]+=.*")) {
        return i;
      }
    }
    return value.length();
  }

  private static List<Object> values(String s, int line) {
    List<Object> out = new ArrayList<>();
    if (s.isBlank()) {
      return out;
    }
    for (String token : splitOutsideQuotes(s, ',')) {
      String t = token.trim();
      if (t.equalsIgnoreCase("null")) {
        out.add(null);
      } else if (t.startsWith("'") && t.endsWith("'") && t.length() >= 2) {
        out.add(t.substring(1, t.length() - 1).replace("''", "'"));
      } else {
        try {
          out.add(Long.parseLong(t));
        } catch (NumberFormatException e) {
          throw new IllegalStateException("corpus.txt line " + line + ": bad parameter '" + t + "'");
        }
      }
    }
    return out;
  }

  private static List<String> splitOutsideQuotes(String s, char separator) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }
}
