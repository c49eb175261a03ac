package io.rowseal.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every method of the seven java.sql interfaces RowSeal wraps, as the running JDK declares them (default
 * methods included), is classified in {@code jdbc-surface.txt}, and each wrapper keeps its classification:
 * built on recording {@link Proxy} stubs (proxy plumbing only), a SAFE method reaches the driver, an
 * INTERCEPTED one is implemented by RowSeal's own class, and a GUARDED one, over an encrypted table, throws
 * 0A000 without reaching the driver (over a text naming no encrypted table it reaches the driver).
 */
class JdbcSurfaceTest {
  private static final Set<Class<?>> GENERATED = Set.of(DelegatingConnection.class, DelegatingStatement.class,
      DelegatingPreparedStatement.class, DelegatingCallableStatement.class, DelegatingResultSet.class,
      DelegatingDatabaseMetaData.class, DelegatingResultSetMetaData.class);

  private final JdbcSurface surface = JdbcSurface.load();
  private final EncryptedTable table =
      EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();
  private final RowSeal rowSeal = RowSeal.builder()
      .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), new byte[32]))).table(table).build();
  private final SelectPlan select = new SelectPlan("select id, card_number, rowseal_dek, id from cards", 2,
      new SelectPlan.EncryptedOutput[] {null, new SelectPlan.EncryptedOutput(table.column("card_number"), 0)},
      List.of(new SelectPlan.Source(table, 3, new int[] {4})));
  private final StatementPlan checked = new CheckedPlan("select id from cards");
  private final StatementPlan plain = new PassThroughPlan("select 1");

  /** A stub of {@code type} that records each call and answers with defaults (JDBC objects are stubs too). */
  private static final class Stub {
    final List<String> calls = new ArrayList<>();

    <T> T of(Class<T> type) {
      return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
        if (m.getDeclaringClass() == Object.class) {
          return m.getName().equals("equals") ? proxy == args[0]
              : m.getName().equals("hashCode") ? System.identityHashCode(proxy) : "stub " + type.getSimpleName();
        }
        calls.add(JdbcSurface.signature(m));
        return answer(m.getReturnType());
      }));
    }

    private Object answer(Class<?> r) {
      if (r == boolean.class) {
        return false;
      } else if (r == int.class) {
        return 0;
      } else if (r == long.class) {
        return 0L;
      } else if (r == short.class) {
        return (short) 0;
      } else if (r == byte.class) {
        return (byte) 0;
      } else if (r == float.class) {
        return 0f;
      } else if (r == double.class) {
        return 0d;
      } else if (r == String.class) {
        return "";
      } else if (r.isInterface() && r.getPackageName().equals("java.sql")) {
        return of(r);
      }
      return null;
    }
  }

  /** One wrapper under test: what it wraps, the stub behind it, and whether it is over an encrypted table. */
  private static final class Subject {
    final String name;
    final Class<?> iface;
    final Object wrapper;
    final Stub stub;
    final boolean encrypted;

    Subject(String name, Class<?> iface, Object wrapper, Stub stub, boolean encrypted) {
      this.name = name;
      this.iface = iface;
      this.wrapper = wrapper;
      this.stub = stub;
      this.encrypted = encrypted;
    }
  }

  private List<Subject> subjects() {
    List<Subject> all = new ArrayList<>();
    Stub cs = new Stub();
    RowSealConnection connection = new RowSealConnection(cs.of(Connection.class), new JdbcEngine(rowSeal, 16));
    all.add(new Subject("RowSealConnection", Connection.class, connection, cs, true));
    Stub s = new Stub();
    RowSealStatement statement = new RowSealStatement(connection, s.of(Statement.class), ResultSet.CONCUR_READ_ONLY);
    all.add(new Subject("RowSealStatement", Statement.class, statement, s, true));
    s = new Stub();
    all.add(new Subject("PassThroughPreparedStatement(checked)", PreparedStatement.class,
        new PassThroughPreparedStatement(connection, s.of(PreparedStatement.class), checked), s, true));
    s = new Stub();
    all.add(new Subject("PassThroughPreparedStatement(plain)", PreparedStatement.class,
        new PassThroughPreparedStatement(connection, s.of(PreparedStatement.class), plain), s, false));
    s = new Stub();
    all.add(new Subject("DecryptingPreparedStatement", PreparedStatement.class,
        new DecryptingPreparedStatement(connection, s.of(PreparedStatement.class), select), s, true));
    s = new Stub();
    WritePlan write = new WritePlan("insert into cards (id) values (?)", table, true, WritePlan.KeyMode.FRESH,
        List.of(), List.of(), 0, null);
    all.add(new Subject("EncryptingPreparedStatement", PreparedStatement.class,
        new EncryptingPreparedStatement(connection, s.of(PreparedStatement.class), write), s, true));
    s = new Stub();
    all.add(new Subject("SearchingPreparedStatement(select)", PreparedStatement.class,
        new SearchingPreparedStatement(connection, s.of(PreparedStatement.class), select), s, true));
    s = new Stub();
    all.add(new Subject("SearchingPreparedStatement(update)", PreparedStatement.class,
        new SearchingPreparedStatement(connection, s.of(PreparedStatement.class),
            new SearchPlan("delete from cards where id = ?", List.of(Slot.user(1)), 1)), s, true));
    s = new Stub();
    all.add(new Subject("RowSealCallableStatement(checked)", CallableStatement.class,
        new RowSealCallableStatement(connection, s.of(CallableStatement.class), checked), s, true));
    s = new Stub();
    all.add(new Subject("RowSealCallableStatement(plain)", CallableStatement.class,
        new RowSealCallableStatement(connection, s.of(CallableStatement.class), plain), s, false));
    s = new Stub();
    all.add(new Subject("DecryptingResultSet", ResultSet.class,
        new DecryptingResultSet(s.of(ResultSet.class), select, rowSeal, statement), s, true));
    s = new Stub();
    all.add(new Subject("GuardedResultSet(checked)", ResultSet.class,
        new GuardedResultSet(s.of(ResultSet.class), statement, checked, rowSeal.tables()), s, true));
    s = new Stub();
    all.add(new Subject("GuardedResultSet(plain)", ResultSet.class,
        new GuardedResultSet(s.of(ResultSet.class), statement, plain, rowSeal.tables()), s, false));
    s = new Stub();
    all.add(new Subject("CompanionHidingColumns", ResultSet.class,
        new CompanionHidingColumns(s.of(ResultSet.class), Set.of()), s, false));
    s = new Stub();
    all.add(new Subject("RowSealDatabaseMetaData", DatabaseMetaData.class,
        new RowSealDatabaseMetaData(connection, s.of(DatabaseMetaData.class)), s, false));
    s = new Stub();
    all.add(new Subject("DecryptedMetaData", ResultSetMetaData.class,
        new DecryptedMetaData(s.of(ResultSetMetaData.class), select), s, true));
    s = new Stub();
    all.add(new Subject("PlainResultSetMetaData", ResultSetMetaData.class,
        new PlainResultSetMetaData(s.of(ResultSetMetaData.class)), s, false));
    return all;
  }

  @Test
  void surfaceTable_everyMethodOfThisJdk_isClassified() {
    List<String> unclassified = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (Class<?> iface : JdbcSurface.INTERFACES.keySet()) {
      for (Method m : JdbcSurface.methods(iface)) {
        if (surface.kind(iface, m) == null) {
          unclassified.add(iface.getSimpleName() + "." + JdbcSurface.signature(m));
        }
      }
      for (String sig : surface.stale(iface)) {
        stale.add(iface.getSimpleName() + "." + sig);
      }
    }
    for (String sig : surface.stale(DelegateGenerator.READ_AHEAD, ResultSet.class)) {
      stale.add(DelegateGenerator.READ_AHEAD + "." + sig);
    }
    assertThat(unclassified).as("methods jdbc-surface.txt does not classify (classify them, then regenerate with %s)",
        DelegateGenerator.REGENERATE).isEmpty();
    assertThat(stale).as("entries of jdbc-surface.txt this JDK does not have").isEmpty();
  }

  @Test
  void wrappers_eachMethod_keepsItsClassification() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Subject subject : subjects()) {
      for (Method m : JdbcSurface.methods(subject.iface)) {
        String problem = check(subject, m);
        if (problem != null) {
          wrong.add(subject.name + " " + subject.iface.getSimpleName() + "." + JdbcSurface.signature(m) + ": " + problem);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  private String check(Subject subject, Method m) throws Exception {
    JdbcSurface.Kind kind = surface.kind(subject.iface, m);
    if (kind == null) {
      return "not classified";
    }
    Method impl = subject.wrapper.getClass().getMethod(m.getName(), m.getParameterTypes());
    Class<?> owner = impl.getDeclaringClass();
    boolean generated = GENERATED.contains(owner);
    boolean handWritten = !generated && !owner.isInterface()
        && owner.getPackageName().equals(JdbcSurfaceTest.class.getPackageName());
    if (Modifier.isAbstract(impl.getModifiers()) || owner.isInterface()) {
      return "not implemented by the wrapper (" + owner.getName() + ")";
    }
    switch (kind) {
      case INTERCEPTED:
        return handWritten ? null : "INTERCEPTED but implemented by " + owner.getName();
      case SAFE:
      case WRAPPED:
        if (handWritten) {
          return null; // handled by RowSeal's own code, which the behaviour tests cover
        }
        Object result = invoke(subject, m);
        if (result instanceof Throwable) {
          return "SAFE but threw " + result;
        }
        if (!subject.stub.calls.equals(List.of(JdbcSurface.signature(m)))) {
          return "did not reach the driver exactly once: " + subject.stub.calls;
        }
        if (kind == JdbcSurface.Kind.WRAPPED && !(result instanceof GuardedResultSet)) {
          return "WRAPPED but returned " + result;
        }
        return null;
      case GUARDED:
        Object outcome = invoke(subject, m);
        if (!subject.encrypted) {
          return subject.stub.calls.contains(JdbcSurface.signature(m)) ? null
              : "GUARDED over a plain text but did not reach the driver: " + outcome;
        }
        if (!(outcome instanceof SQLFeatureNotSupportedException)) {
          return "GUARDED over an encrypted table but did not refuse: " + outcome;
        }
        SQLException e = (SQLException) outcome;
        if (!"0A000".equals(e.getSQLState()) || !e.getMessage().contains(m.getName())) {
          return "refusal without SQLState 0A000 or the method's name: " + e;
        }
        return subject.stub.calls.isEmpty() ? null : "refused but reached the driver: " + subject.stub.calls;
      default:
        throw new AssertionError(kind);
    }
  }

  /**
   * The read-ahead result set keeps its allow-list: a SAFE method reaches the driver once, an INTERCEPTED
   * one is served by {@link PrefetchedResultSet} itself, and every other method of this JDK's ResultSet is
   * refused with 0A000 naming it, without reaching the driver (whose cursor is rows ahead).
   */
  @Test
  void prefetchedResultSet_eachMethod_servedDelegatedOrRefused() throws Exception {
    Stub s = new Stub();
    ResultSet driver = s.of(ResultSet.class);
    PrefetchedResultSet prefetched =
        new PrefetchedResultSet(driver, new ParallelRows(driver, select, rowSeal, new DecryptPool(2)), 2);
    Subject subject = new Subject("PrefetchedResultSet", ResultSet.class, prefetched, s, true);
    List<String> wrong = new ArrayList<>();
    for (Method m : JdbcSurface.methods(ResultSet.class)) {
      JdbcSurface.Kind kind = surface.kind(DelegateGenerator.READ_AHEAD, m);
      Class<?> owner = PrefetchedResultSet.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
      String sig = JdbcSurface.signature(m);
      if (kind == JdbcSurface.Kind.INTERCEPTED) {
        if (owner != PrefetchedResultSet.class) {
          wrong.add(sig + ": INTERCEPTED but implemented by " + owner.getName());
        }
        continue;
      }
      if (owner != ReadAheadResultSet.class) {
        wrong.add(sig + ": implemented by " + owner.getName() + ", not by the generated ReadAheadResultSet");
        continue;
      }
      Object outcome = invoke(subject, m);
      if (kind == JdbcSurface.Kind.SAFE) {
        if (outcome instanceof Throwable || !s.calls.equals(List.of(sig))) {
          wrong.add(sig + ": SAFE but " + outcome + ", driver calls " + s.calls);
        }
      } else if (!(outcome instanceof SQLFeatureNotSupportedException)
          || !"0A000".equals(((SQLException) outcome).getSQLState())
          || !((SQLException) outcome).getMessage().contains(m.getName()) || !s.calls.isEmpty()) {
        wrong.add(sig + ": not listed, so must be refused with 0A000 without reaching the driver: " + outcome
            + ", driver calls " + s.calls);
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** Calls {@code m} on the wrapper with default arguments: its result, or what it threw. */
  private static Object invoke(Subject subject, Method m) throws IllegalAccessException {
    subject.stub.calls.clear();
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = types[i] == int.class ? 1 : types[i] == long.class ? 1L : types[i] == boolean.class ? false
          : types[i] == short.class ? (short) 1 : types[i] == byte.class ? (byte) 1 : types[i] == float.class ? 1f
          : types[i] == double.class ? 1d : types[i] == String.class ? "x" : types[i] == Class.class ? Object.class
          : null;
    }
    try {
      return m.invoke(subject.wrapper, args);
    } catch (InvocationTargetException e) {
      return e.getCause();
    }
  }

  /** The table's counts per interface (SAFE, GUARDED, INTERCEPTED, WRAPPED), for the record. */
  @Test
  void surfaceTable_counts_coverEveryMethodOnce() {
    Map<String, Map<JdbcSurface.Kind, Integer>> counts = new TreeMap<>();
    int total = 0;
    for (Class<?> iface : JdbcSurface.INTERFACES.keySet()) {
      for (Method m : JdbcSurface.ownMethods(iface)) {
        counts.computeIfAbsent(iface.getSimpleName(), k -> new TreeMap<>()).merge(surface.kind(iface, m), 1,
            Integer::sum);
        total++;
      }
    }
    System.out.println("jdbc-surface.txt: " + counts);
    assertThat(counts.values().stream().flatMap(c -> c.values().stream()).mapToInt(Integer::intValue).sum())
        .isEqualTo(total);
  }
}
