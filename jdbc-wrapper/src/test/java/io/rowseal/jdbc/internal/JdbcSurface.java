package io.rowseal.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The classification table {@code jdbc-surface.txt}: for each of the seven java.sql interfaces RowSeal wraps,
 * how each method is treated ({@link Kind}). Read by {@link DelegateGenerator} and by the tests that prove the
 * table complete. Immutable once loaded; thread-safe.
 */
final class JdbcSurface {
  /** How a wrapper treats one method; see the table's header. */
  enum Kind { SAFE, GUARDED, INTERCEPTED, WRAPPED }

  /** The wrapped interfaces, each after its parent, and the parent whose methods a section leaves out. */
  static final Map<Class<?>, Class<?>> INTERFACES;

  static {
    Map<Class<?>, Class<?>> m = new LinkedHashMap<>();
    m.put(Connection.class, Object.class);
    m.put(Statement.class, Object.class);
    m.put(PreparedStatement.class, Statement.class);
    m.put(CallableStatement.class, PreparedStatement.class);
    m.put(ResultSet.class, Object.class);
    m.put(DatabaseMetaData.class, Object.class);
    m.put(ResultSetMetaData.class, Object.class);
    INTERFACES = Collections.unmodifiableMap(m);
  }

  private final Map<String, Map<String, Kind>> sections;

  private JdbcSurface(Map<String, Map<String, Kind>> sections) {
    this.sections = sections;
  }

  /** The table as checked in (a test resource). */
  static JdbcSurface load() {
    try (InputStream in = JdbcSurface.class.getResourceAsStream("jdbc-surface.txt")) {
      if (in == null) {
        throw new IllegalStateException("jdbc-surface.txt is not on the test class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read jdbc-surface.txt", e);
    }
  }

  static JdbcSurface parse(String text) {
    Map<String, Map<String, Kind>> sections = new LinkedHashMap<>();
    Map<String, Kind> current = null;
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = new TreeMap<>();
        sections.put(line.substring(1, line.length() - 1), current);
        continue;
      }
      String[] parts = line.split("\\s+");
      if (current == null || parts.length != 2) {
        throw new IllegalStateException("jdbc-surface.txt line " + lineNo + ": expected 'signature KIND': " + raw);
      }
      if (current.put(parts[0], Kind.valueOf(parts[1])) != null) {
        throw new IllegalStateException("jdbc-surface.txt line " + lineNo + ": listed twice: " + parts[0]);
      }
    }
    return new JdbcSurface(sections);
  }

  /** {@code name(Type,Type)} with the parameter types' simple names: the table's key for {@code m}. */
  static String signature(Method m) {
    StringBuilder sb = new StringBuilder(m.getName()).append('(');
    Class<?>[] p = m.getParameterTypes();
    for (int i = 0; i < p.length; i++) {
      sb.append(i == 0 ? "" : ",").append(p[i].getSimpleName());
    }
    return sb.append(')').toString();
  }

  /** Every instance method of {@code iface} (declared or inherited, default ones too), one per signature. */
  static List<Method> methods(Class<?> iface) {
    Map<String, Method> bySignature = new TreeMap<>();
    for (Method m : iface.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers())) {
        bySignature.merge(signature(m), m,
            (a, b) -> a.getDeclaringClass().isAssignableFrom(b.getDeclaringClass()) ? b : a);
      }
    }
    List<Method> list = new ArrayList<>(bySignature.values());
    list.sort(Comparator.comparing(Method::getName).thenComparing(JdbcSurface::signature));
    return list;
  }

  /** The methods {@code iface} adds to its parent in {@link #INTERFACES}: the ones its section lists. */
  static List<Method> ownMethods(Class<?> iface) {
    Class<?> parent = INTERFACES.get(iface);
    List<Method> own = new ArrayList<>();
    for (Method m : methods(iface)) {
      if (parent == Object.class || !hasMethod(parent, m)) {
        own.add(m);
      }
    }
    return own;
  }

  private static boolean hasMethod(Class<?> type, Method m) {
    try {
      type.getMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** The interface whose section lists {@code m} when it is reached through {@code iface}. */
  static Class<?> section(Class<?> iface, Method m) {
    Class<?> owner = iface;
    while (INTERFACES.get(owner) != Object.class && hasMethod(INTERFACES.get(owner), m)) {
      owner = INTERFACES.get(owner);
    }
    return owner;
  }

  /** How {@code m}, reached through {@code iface}, is classified; null if the table does not list it. */
  Kind kind(Class<?> iface, Method m) {
    Map<String, Kind> section = sections.get(section(iface, m).getSimpleName());
    return section == null ? null : section.get(signature(m));
  }

  /** How section {@code section} lists {@code m}; null if it does not list it. */
  Kind kind(String section, Method m) {
    return sections.getOrDefault(section, Map.of()).get(signature(m));
  }

  /** The signatures the table lists for {@code iface} that the running JDK's interface does not have. */
  List<String> stale(Class<?> iface) {
    return stale(iface.getSimpleName(), ownMethods(iface));
  }

  /** The signatures section {@code section} lists that no method of {@code iface} in this JDK has. */
  List<String> stale(String section, Class<?> iface) {
    return stale(section, methods(iface));
  }

  private List<String> stale(String section, List<Method> methods) {
    List<String> stale = new ArrayList<>(sections.getOrDefault(section, Map.of()).keySet());
    for (Method m : methods) {
      stale.remove(signature(m));
    }
    return stale;
  }
}
