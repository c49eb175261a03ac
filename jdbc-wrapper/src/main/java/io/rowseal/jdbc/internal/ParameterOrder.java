package io.rowseal.jdbc.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.parser.Node;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.statement.Statement;

/**
 * Proves that RowSeal's rendering of a parsed statement keeps the application's {@code ?} parameters in
 * the order the application wrote them. JSqlParser renders clauses in its own canonical order (for
 * example {@code OFFSET ? LIMIT ?} may come out as {@code LIMIT ? OFFSET ?}); bound by position, swapped
 * parameters would silently change what a statement does. Runs once per statement text, when its plan
 * is made: the statement's tree is walked by reflection (so no node type can hide a parameter), each
 * application parameter is rendered with its index, and the indexes must come out in ascending order.
 */
final class ParameterOrder {
  private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");
  private static final Map<Class<?>, List<Field>> FIELDS = new java.util.concurrent.ConcurrentHashMap<>();

  private ParameterOrder() {}

  /**
   * Whether {@code statement}, rendered with {@code toString()}, lists the parameters the parser numbered
   * in ascending order. Parameters RowSeal added (no index) are not checked here.
   */
  static boolean preserved(Statement statement) {
    List<JdbcParameter> parameters = collect(statement);
    List<JdbcParameter> numbered = new ArrayList<>();
    for (JdbcParameter p : parameters) {
      if (p.getIndex() != null && p.getIndex() > 0 && !p.isUseFixedIndex()) {
        numbered.add(p);
      }
    }
    if (numbered.isEmpty()) {
      return true;
    }
    String rendered;
    try {
      for (JdbcParameter p : numbered) {
        p.setUseFixedIndex(true);
      }
      rendered = statement.toString();
    } finally {
      for (JdbcParameter p : numbered) {
        p.setUseFixedIndex(false);
      }
    }
    Matcher m = NUMBERED.matcher(rendered);
    int last = 0;
    int seen = 0;
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      if (index <= last) {
        return false;
      }
      last = index;
      seen++;
    }
    return seen == numbered.size();
  }

  /** Every {@link JdbcParameter} reachable from {@code root}. */
  static List<JdbcParameter> collect(Object root) {
    return collect(root, JdbcParameter.class);
  }

  /** Every node of {@code type} reachable from {@code root} (walked by reflection, as for parameters). */
  static <T> List<T> collect(Object root, Class<T> type) {
    List<T> found = new ArrayList<>();
    Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      if (!visited.add(o)) {
        continue;
      }
      if (type.isInstance(o)) {
        found.add(type.cast(o));
        if (o instanceof JdbcParameter) {
          continue;
        }
      }
      if (o instanceof Collection) {
        for (Object e : (Collection<?>) o) {
          if (e != null) {
            todo.push(e);
          }
        }
        continue;
      }
      if (o instanceof Map) {
        for (Object e : ((Map<?, ?>) o).values()) {
          if (e != null) {
            todo.push(e);
          }
        }
        continue;
      }
      if (o instanceof Object[]) {
        for (Object e : (Object[]) o) {
          if (e != null) {
            todo.push(e);
          }
        }
        continue;
      }
      if (!o.getClass().getName().startsWith("net.sf.jsqlparser.")) {
        continue;
      }
      for (Field f : fields(o.getClass())) {
        try {
          Object v = f.get(o);
          if (v != null) {
            todo.push(v);
          }
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot read " + f, e);
        }
      }
    }
    return found;
  }

  private static List<Field> fields(Class<?> type) {
    return FIELDS.computeIfAbsent(type, t -> {
      List<Field> out = new ArrayList<>();
      for (Class<?> c = t; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          Class<?> ft = f.getType();
          if (Modifier.isStatic(f.getModifiers()) || ft.isPrimitive() || ft == String.class
              || Node.class.isAssignableFrom(ft) || Token.class.isAssignableFrom(ft) || ft.isEnum()) {
            continue; // the parser's own token tree and plain values hold no parameters of the statement
          }
          f.setAccessible(true);
          out.add(f);
        }
      }
      return out;
    });
  }
}
