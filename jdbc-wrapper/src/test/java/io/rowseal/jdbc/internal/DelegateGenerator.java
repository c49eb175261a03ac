package io.rowseal.jdbc.internal;

import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the {@code Delegating*.java} bases of RowSeal's JDBC wrappers from the running JDK's java.sql
 * interfaces and the classification table {@link JdbcSurface} (like HikariCP's JavassistProxyFactory, but
 * as checked-in source): SAFE methods become plain delegates, GUARDED ones call {@code guard} first, WRAPPED
 * ones pass the returned result set to {@code wrap}, INTERCEPTED ones are left to RowSeal's subclasses (so
 * the compiler makes every concrete wrapper implement them). A target with a section of its own (the
 * read-ahead result set) is an allow-list: its SAFE methods delegate, its INTERCEPTED ones are left to the
 * subclass, and every other method of the interface, one a newer JDK adds included, throws
 * {@code refused(...)}. Run it through {@link GeneratedDelegatesTest}:
 *
 * <pre>{@value #REGENERATE}</pre>
 *
 * Stateless; thread-safe.
 */
final class DelegateGenerator {
  static final String REGENERATE = "./mvnw -B -ntp -o -pl jdbc-wrapper -am test -Dtest=GeneratedDelegatesTest"
      + " -Dsurefire.failIfNoSpecifiedTests=false -Drowseal.regenerate=true";

  /**
   * One generated class. With a {@code section}, the class implements only what that section of the table
   * lists and refuses the rest; without, it follows the interface's own section, which must list every method.
   */
  record Target(Class<?> iface, String className, String javadoc, String superclass, String body, String section) {
    Target(Class<?> iface, String className, String javadoc, String superclass, String body) {
      this(iface, className, javadoc, superclass, body, null);
    }
  }

  /** The section of jdbc-surface.txt that lists what {@link PrefetchedResultSet} serves or delegates. */
  static final String READ_AHEAD = "PrefetchedResultSet";

  static final List<Target> TARGETS = List.of(
      plain(Connection.class, "A {@link java.sql.Connection} whose SAFE methods go to the driver's connection;"
          + " {@link RowSealConnection} implements the rest."),
      plain(Statement.class, "A {@link java.sql.Statement} whose SAFE methods go to the driver's statement, GUARDED"
          + " ones after {@link #guard}; {@link RowSealStatement} and {@link RowSealPreparedStatement} implement the"
          + " rest."),
      new Target(PreparedStatement.class, "DelegatingPreparedStatement",
          "A {@link java.sql.PreparedStatement} whose SAFE methods go to the driver's statement;"
              + " {@link RowSealPreparedStatement} and its subclasses implement the rest.",
          "DelegatingStatement",
          "  /** The same object as {@link DelegatingStatement#delegate}, typed as a prepared statement. */\n"
              + "  protected final java.sql.PreparedStatement delegate;\n\n"
              + "  DelegatingPreparedStatement(java.sql.PreparedStatement delegate) {\n"
              + "    super(delegate);\n    this.delegate = delegate;\n  }\n"),
      new Target(CallableStatement.class, "DelegatingCallableStatement",
          "A {@link java.sql.CallableStatement} whose own SAFE methods (out parameters, named setters) go to the"
              + " driver's statement; execution, results and the connection are {@link RowSealPreparedStatement}'s.",
          "RowSealPreparedStatement",
          "  /** The same object as {@link DelegatingPreparedStatement#delegate}, typed as a callable statement. */\n"
              + "  protected final java.sql.CallableStatement delegate;\n\n"
              + "  DelegatingCallableStatement(RowSealConnection connection, java.sql.CallableStatement delegate,"
              + " StatementPlan plan) {\n"
              + "    super(connection, delegate, plan);\n    this.delegate = delegate;\n  }\n"),
      plain(ResultSet.class, "A {@link java.sql.ResultSet} whose SAFE methods go to the driver's result set, GUARDED"
          + " ones after {@link #guard}; {@link DecryptingResultSet}, {@link GuardedResultSet} and"
          + " {@link CompanionHidingColumns} implement the rest."),
      plain(DatabaseMetaData.class, "A {@link java.sql.DatabaseMetaData} whose SAFE methods go to the driver's"
          + " metadata and WRAPPED ones through {@link #wrap}; {@link RowSealDatabaseMetaData} implements the rest."),
      plain(ResultSetMetaData.class, "A {@link java.sql.ResultSetMetaData} whose SAFE methods go to the driver's"
          + " metadata; {@link DecryptedMetaData} and {@link PlainResultSetMetaData} implement the rest."),
      new Target(ResultSet.class, "ReadAheadResultSet",
          "A {@link java.sql.ResultSet} over a driver's result set whose cursor has moved on (rows read ahead):"
              + " the methods the [" + READ_AHEAD + "] section of jdbc-surface.txt lists as SAFE (they do not"
              + " depend on the cursor) go to the driver's result set, the INTERCEPTED ones are"
              + " {@link PrefetchedResultSet}'s, and every other method, one a newer JDK adds included, throws"
              + " {@link #refused} (SQLState 0A000) without reaching the driver.",
          null,
          "  protected final java.sql.ResultSet delegate;\n\n"
              + "  ReadAheadResultSet(java.sql.ResultSet delegate) {\n    this.delegate = delegate;\n  }\n\n"
              + "  /** The 0A000 refusal of {@code method}, which this result cannot serve from the rows read ahead. */\n"
              + "  abstract java.sql.SQLFeatureNotSupportedException refused(java.lang.String method);\n",
          READ_AHEAD));

  private DelegateGenerator() {}

  private static Target plain(Class<?> iface, String javadoc) {
    String name = "Delegating" + iface.getSimpleName();
    String type = iface.getName();
    return new Target(iface, name, javadoc, null, "  protected final " + type + " delegate;\n\n  " + name + "(" + type
        + " delegate) {\n    this.delegate = delegate;\n  }\n");
  }

  /** The source of {@code target}'s class. */
  static String render(Target target, JdbcSurface surface) {
    List<String> unclassified = new ArrayList<>();
    StringBuilder methods = new StringBuilder();
    boolean guarded = false;
    boolean wrapped = false;
    boolean allowList = target.section() != null;
    for (Method m : allowList ? JdbcSurface.methods(target.iface()) : JdbcSurface.ownMethods(target.iface())) {
      JdbcSurface.Kind kind = allowList ? surface.kind(target.section(), m) : surface.kind(target.iface(), m);
      if (allowList) {
        if (kind == null) {
          methods.append('\n').append(refusal(target.iface(), m));
          continue;
        }
        if (kind != JdbcSurface.Kind.SAFE && kind != JdbcSurface.Kind.INTERCEPTED) {
          throw new IllegalStateException("[" + target.section() + "] allows only SAFE and INTERCEPTED: "
              + JdbcSurface.signature(m) + " is " + kind);
        }
      }
      if (kind == null) {
        unclassified.add(JdbcSurface.signature(m));
        continue;
      }
      guarded |= kind == JdbcSurface.Kind.GUARDED;
      wrapped |= kind == JdbcSurface.Kind.WRAPPED;
      if (kind != JdbcSurface.Kind.INTERCEPTED) {
        methods.append('\n').append(method(target.iface(), m, kind));
      }
    }
    if (!unclassified.isEmpty()) {
      throw new IllegalStateException("jdbc-surface.txt does not classify these " + target.iface().getName()
          + " methods of this JDK: " + unclassified);
    }
    StringBuilder sb = new StringBuilder();
    sb.append("package io.rowseal.jdbc.internal;\n\n")
        .append("// GENERATED by DelegateGenerator (jdbc-wrapper test sources) from the java.sql interfaces and\n")
        .append("// jdbc-surface.txt: do not edit. Regenerate with\n")
        .append("// ").append(REGENERATE).append("\n")
        .append("/**\n").append(wrapJavadoc(target.javadoc())).append(" *\n")
        .append(" * <p>Per-row calls are direct virtual calls (no reflection, no proxy); not thread-safe, like the\n")
        .append(" * object it wraps.\n */\n")
        .append("@SuppressWarnings(\"deprecation\")\n")
        .append("abstract class ").append(target.className())
        .append(target.superclass() == null ? "" : " extends " + target.superclass())
        .append(" implements ").append(target.iface().getName()).append(" {\n")
        .append(target.body());
    if (guarded && target.superclass() == null) {
      sb.append("\n  /**\n   * Does nothing on a wrapper over a text that names no encrypted table; otherwise throws\n")
          .append("   * {@link java.sql.SQLFeatureNotSupportedException} (0A000) naming {@code method}.\n   */\n")
          .append("  abstract void guard(java.lang.String method) throws java.sql.SQLException;\n");
    }
    if (wrapped) {
      sb.append("\n  /** {@code rs} behind a wrapper that keeps the driver's objects out of reach. */\n")
          .append("  abstract java.sql.ResultSet wrap(java.sql.ResultSet rs) throws java.sql.SQLException;\n");
    }
    return sb.append(methods).append("}\n").toString();
  }

  /** {@code text} as Javadoc lines of at most 110 characters. */
  private static String wrapJavadoc(String text) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(" *");
    for (String word : text.split(" ")) {
      if (line.length() + 1 + word.length() > 110) {
        out.append(line).append('\n');
        line = new StringBuilder(" *");
      }
      line.append(' ').append(word);
    }
    return out.append(line).append('\n').toString();
  }

  private static String refusal(Class<?> iface, Method m) {
    return header(m) + "    throw refused(\"" + iface.getSimpleName() + "." + m.getName() + "\");\n  }\n";
  }

  private static String method(Class<?> iface, Method m, JdbcSurface.Kind kind) {
    StringBuilder sb = new StringBuilder(header(m));
    Type[] params = m.getGenericParameterTypes();
    StringBuilder args = new StringBuilder();
    for (int i = 0; i < params.length; i++) {
      args.append(i == 0 ? "" : ", ").append('p').append(i);
    }
    if (kind == JdbcSurface.Kind.GUARDED) {
      sb.append("    guard(\"").append(iface.getSimpleName()).append('.').append(m.getName()).append("\");\n");
    }
    String call = "delegate." + m.getName() + "(" + args + ")";
    if (kind == JdbcSurface.Kind.WRAPPED) {
      if (m.getReturnType() != ResultSet.class) {
        throw new IllegalStateException("WRAPPED is for methods returning a ResultSet: " + m);
      }
      call = "wrap(" + call + ")";
    }
    sb.append(m.getReturnType() == void.class ? "    " : "    return ").append(call).append(";\n  }\n");
    return sb.toString();
  }

  /** {@code m}'s declaration up to and including the opening brace. */
  private static String header(Method m) {
    StringBuilder sb = new StringBuilder("  @Override\n  public ");
    TypeVariable<Method>[] vars = m.getTypeParameters();
    if (vars.length > 0) {
      sb.append('<');
      for (int i = 0; i < vars.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(vars[i].getName());
        Type[] bounds = vars[i].getBounds();
        if (bounds.length > 0 && bounds[0] != Object.class) {
          sb.append(" extends ").append(type(bounds[0]));
        }
      }
      sb.append("> ");
    }
    sb.append(type(m.getGenericReturnType())).append(' ').append(m.getName()).append('(');
    Type[] params = m.getGenericParameterTypes();
    for (int i = 0; i < params.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(type(params[i])).append(" p").append(i);
    }
    sb.append(')');
    Type[] thrown = m.getGenericExceptionTypes();
    for (int i = 0; i < thrown.length; i++) {
      sb.append(i == 0 ? " throws " : ", ").append(type(thrown[i]));
    }
    return sb.append(" {\n").toString();
  }

  private static String type(Type t) {
    if (t instanceof Class) {
      Class<?> c = (Class<?>) t;
      return c.isArray() ? type(c.getComponentType()) + "[]" : c.getName().replace('$', '.');
    }
    if (t instanceof ParameterizedType) {
      ParameterizedType p = (ParameterizedType) t;
      StringBuilder sb = new StringBuilder(type(p.getRawType())).append('<');
      Type[] args = p.getActualTypeArguments();
      for (int i = 0; i < args.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(type(args[i]));
      }
      return sb.append('>').toString();
    }
    if (t instanceof WildcardType) {
      WildcardType w = (WildcardType) t;
      if (w.getLowerBounds().length > 0) {
        return "? super " + type(w.getLowerBounds()[0]);
      }
      Type upper = w.getUpperBounds()[0];
      return upper == Object.class ? "?" : "? extends " + type(upper);
    }
    if (t instanceof GenericArrayType) {
      return type(((GenericArrayType) t).getGenericComponentType()) + "[]";
    }
    return t.getTypeName();
  }

  /** Where {@code target}'s source lives, relative to the jdbc-wrapper module. */
  static Path path(Target target) {
    return Path.of("src/main/java/io/rowseal/jdbc/internal", target.className() + ".java");
  }

  /** Writes every target's source under {@code module} (the jdbc-wrapper directory). */
  static void writeAll(Path module, JdbcSurface surface) throws IOException {
    for (Target t : TARGETS) {
      Files.writeString(module.resolve(path(t)), render(t, surface), StandardCharsets.UTF_8);
    }
  }
}
