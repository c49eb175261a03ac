package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Tuple;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Join;
import jakarta.persistence.criteria.Root;
import jakarta.persistence.criteria.Subquery;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.hibernate.Hibernate;
import org.hibernate.JDBCException;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.BootstrapServiceRegistry;
import org.hibernate.boot.registry.BootstrapServiceRegistryBuilder;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.boot.registry.classloading.internal.ClassLoaderServiceImpl;
import org.hibernate.boot.registry.classloading.spi.ClassLoaderService;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A differential oracle for Hibernate's own SQL: the same workload runs on two SessionFactories over the same kind
 * of database, a PLAIN one (RowSeal's integrator and service contributor hidden from Hibernate, so the
 * {@code @Encrypted} fields are ordinary plaintext columns) and an ENCRYPTED one (RowSeal). Every operation must
 * give equal results on both sides, or the encrypted side must refuse it cleanly (SQLState 0A000 from a
 * {@link SQLFeatureNotSupportedException} in the chain) leaving its database unchanged. After every operation the
 * encrypted database's raw columns are checked (ciphertext, no canary, companion column present), and so is everything
 * that reached the driver below the wrapper (no canary in any SQL text or bound value). Every SQL text Hibernate
 * sends on the encrypted side is written to {@code target/hibernate-sql/<db>.sql} under its operation and outcome
 * (with the rejection message), a per-operation summary to {@code <db>-report.txt}; every mismatch is collected
 * before the test fails.
 *
 * <p>Operations are WORKS (equal results required), REJECTED (a clean refusal naming the column required) or EITHER
 * (shapes the engine may decrypt or refuse; only a wrong answer fails).
 */
class HibernateOracleTest {
  /**
   * Appears in every encrypted string and byte value, never in a plain attribute; '~' is outside the Base64 and hex
   * alphabets, so a ciphertext's text form never contains it by chance.
   */
  private static final String CANARY = "~cnry~";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<Class<?>> ENTITIES =
      List.of(Customer.class, Card.class, Person.class, AllTypes.class, Account.class, Memo.class);
  private static final List<String> TABLES = List.of("Customer", "Card", "Person", "AllTypes", "Account", "Memo");
  /** Physical encrypted columns per table (lower case); {@code TEXT_COLUMNS} are stored in the text form. */
  private static final Map<String, Set<String>> ENCRYPTED_COLUMNS = Map.of(
      "customer", Set.of("name", "nationalid"),
      "card", Set.of("number", "holdername", "cvv"),
      "person", Set.of("name", "street", "since", "work_street", "work_since"),
      "alltypes", Set.of("vstring", "vbytes", "vboolean", "vint", "vlong", "vdouble", "vdecimal", "vbiginteger",
          "vlocaldate", "vlocaltime", "vlocaldatetime", "vinstant", "voffsetdatetime", "vuuid", "venum", "vnullable"),
      "account", Set.of("iban", "balancecents"),
      "memo", Set.of("body", "subject", "amount", "issued", "counter"));
  private static final Set<String> TEXT_COLUMNS = Set.of("memo.body");
  private static final String COMPANION = "rowseal_dek";

  /** The database kinds; each side of a run gets a namespace of its own on the same server. */
  enum Kind {
    POSTGRES, MARIADB, H2;

    String newNamespace() {
      return TestDatabases.uniqueName("oracle");
    }

    DataSource dataSource(String name) {
      switch (this) {
        case POSTGRES: return TestDatabases.postgresSchema(name);
        case MARIADB: return TestDatabases.mariadbDatabase(name);
        default: return TestDatabases.h2(name);
      }
    }

    void drop(String name) {
      DataSource server = this == POSTGRES ? TestDatabases.postgres() : this == MARIADB ? TestDatabases.mariadb() : null;
      if (server == null) {
        return; // in-memory H2 goes with the JVM
      }
      try (Connection c = server.getConnection(); Statement st = c.createStatement()) {
        st.execute(this == POSTGRES ? "drop schema " + name + " cascade" : "drop database " + name);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot drop " + name, e);
      }
    }
  }

  /** What the workload expects of the encrypted side. */
  private enum Expect {
    /** Equal results; a rejection is a failure. */
    WORKS,
    /** A clean 0A000 rejection; equal results are a failure too (the statement needed a rule it has no right to). */
    REJECTED,
    /** Either equal results or a clean rejection (documented as allowed both ways); reported, not judged. */
    EITHER
  }

  @FunctionalInterface
  private interface Work {
    Object run(Session s, SessionFactory sf);
  }

  /** One SessionFactory with its raw DataSource and the SQL Hibernate prepared. */
  private static final class Side implements AutoCloseable {
    final String label;
    final Kind kind;
    final String namespace;
    final DataSource raw;
    final SessionFactory sf;
    final List<String> sql = new ArrayList<>();
    /** What reached the driver (below RowSeal's wrapper on the encrypted side): SQL texts and bound values. */
    final List<String> server = new ArrayList<>();

    Side(String label, Kind kind, boolean encrypted) {
      this.label = label;
      this.kind = kind;
      this.namespace = kind.newNamespace();
      this.raw = kind.dataSource(namespace);
      Map<String, Object> settings = new HashMap<>();
      settings.put("hibernate.hbm2ddl.auto", "create");
      settings.put("hibernate.jdbc.batch_size", 50);
      settings.put("hibernate.session_factory.statement_inspector", (StatementInspector) s -> {
        synchronized (sql) {
          sql.add(s);
        }
        return s;
      });
      if (encrypted) {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        settings.put("rowseal.key_ring", KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), k)));
        this.sf = Hib.build(ServerRecorder.wrap(raw, server), settings, ENTITIES.toArray(Class<?>[]::new));
      } else {
        this.sf = buildWithoutRowSeal(ServerRecorder.wrap(raw, server), settings);
      }
    }

    int sqlCount() {
      synchronized (sql) {
        return sql.size();
      }
    }

    int serverCount() {
      synchronized (server) {
        return server.size();
      }
    }

    List<String> serverSince(int from) {
      synchronized (server) {
        return new ArrayList<>(server.subList(from, server.size()));
      }
    }

    List<String> sqlSince(int from) {
      synchronized (sql) {
        return new ArrayList<>(sql.subList(from, sql.size()));
      }
    }

    @Override
    public void close() {
      try {
        sf.close();
      } finally {
        kind.drop(namespace);
      }
    }
  }

  /**
   * Hibernate as it would run without RowSeal on the class path: the class loader service hides RowSeal's
   * service-loaded Integrator and ServiceContributor, so no connection wrapping, no encrypted JDBC types, no DDL
   * changes and no key ring requirement.
   */
  private static SessionFactory buildWithoutRowSeal(DataSource raw, Map<String, Object> settings) {
    BootstrapServiceRegistry bootstrap = new BootstrapServiceRegistryBuilder()
        .applyClassLoaderService(new WithoutRowSealServices(new ClassLoaderServiceImpl(
            HibernateOracleTest.class.getClassLoader())))
        .build();
    StandardServiceRegistryBuilder b = new StandardServiceRegistryBuilder(bootstrap)
        .applySetting("hibernate.connection.datasource", raw);
    settings.forEach(b::applySetting);
    StandardServiceRegistry registry = b.build();
    try {
      MetadataSources sources = new MetadataSources(registry);
      ENTITIES.forEach(sources::addAnnotatedClass);
      SessionFactory sf = sources.buildMetadata().buildSessionFactory();
      ConnectionProvider provider =
          ((SessionFactoryImplementor) sf).getServiceRegistry().requireService(ConnectionProvider.class);
      assertThat(provider.getClass().getName()).as("plain side's connection provider").doesNotStartWith("io.rowseal");
      return sf;
    } catch (RuntimeException e) {
      StandardServiceRegistryBuilder.destroy(registry);
      throw e;
    }
  }

  /** Hibernate's class loader service without RowSeal's java services. */
  private static final class WithoutRowSealServices implements ClassLoaderService {
    private final ClassLoaderService delegate;

    WithoutRowSealServices(ClassLoaderService delegate) {
      this.delegate = delegate;
    }

    @Override
    public <S> Collection<S> loadJavaServices(Class<S> serviceContract) {
      return delegate.loadJavaServices(serviceContract).stream()
          .filter(s -> !s.getClass().getName().startsWith("io.rowseal."))
          .collect(Collectors.toList());
    }

    @Override
    public <T> Class<T> classForName(String className) {
      return delegate.classForName(className);
    }

    @Override
    public java.net.URL locateResource(String name) {
      return delegate.locateResource(name);
    }

    @Override
    public java.io.InputStream locateResourceStream(String name) {
      return delegate.locateResourceStream(name);
    }

    @Override
    public List<java.net.URL> locateResources(String name) {
      return delegate.locateResources(name);
    }

    @Override
    public <T> T generateProxy(java.lang.reflect.InvocationHandler handler, Class<?>... interfaces) {
      return delegate.generateProxy(handler, interfaces);
    }

    @Override
    public Package packageForNameOrNull(String packageName) {
      return delegate.packageForNameOrNull(packageName);
    }

    @Override
    public <T> T workWithClassLoader(ClassLoaderService.Work<T> work) {
      return delegate.workWithClassLoader(work);
    }

    @Override
    public void stop() {
      delegate.stop();
    }
  }

  /**
   * Records, below RowSeal's wrapper, every SQL text the driver is asked to prepare or execute and every value bound
   * to a statement, so the oracle can prove no plaintext canary reaches the database server.
   */
  private static final class ServerRecorder implements InvocationHandler {
    private final Object target;
    private final List<String> sink;

    private ServerRecorder(Object target, List<String> sink) {
      this.target = target;
      this.sink = sink;
    }

    static DataSource wrap(DataSource raw, List<String> sink) {
      return proxy(DataSource.class, raw, sink);
    }

    private static <T> T proxy(Class<T> type, Object target, List<String> sink) {
      return type.cast(Proxy.newProxyInstance(HibernateOracleTest.class.getClassLoader(), new Class<?>[] {type},
          new ServerRecorder(target, sink)));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (args != null && args.length > 0) {
        if (args[0] instanceof String && (name.startsWith("prepare") || name.startsWith("execute")
            || name.equals("addBatch"))) {
          record("sql: " + args[0]);
        } else if (name.startsWith("set") && args.length >= 2 && args[0] instanceof Integer) {
          Object v = args[1];
          record("bind: " + (v instanceof byte[] ? new String((byte[]) v, StandardCharsets.ISO_8859_1) : v));
        }
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (result instanceof Connection && !name.equals("unwrap")) {
        return proxy(Connection.class, result, sink);
      }
      if (result instanceof PreparedStatement && name.startsWith("prepare")) {
        Class<? extends Statement> type =
            result instanceof CallableStatement ? CallableStatement.class : PreparedStatement.class;
        return proxy(type, result, sink);
      }
      if (result instanceof Statement && name.equals("createStatement")) {
        return proxy(Statement.class, result, sink);
      }
      return result;
    }

    private void record(String entry) {
      synchronized (sink) {
        sink.add(entry);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The oracle

  /** Runs operations on both sides and collects every difference. */
  private static final class Oracle {
    final Side plain;
    final Side encrypted;
    final List<String> failures = new ArrayList<>();
    final StringBuilder sqlLog = new StringBuilder();
    final StringBuilder report = new StringBuilder();
    int compared;
    int rejectionsExpected;
    int rejectionsSeen;
    int eitherRejected;
    int eitherEqual;
    int sqlDifferingOps;
    Map<String, List<Map<String, Object>>> encryptedState;
    String lastRejection = "";

    Oracle(Side plain, Side encrypted) {
      this.plain = plain;
      this.encrypted = encrypted;
      this.encryptedState = snapshot(encrypted.raw);
    }

    Object works(String name, Work work) {
      return run(name, Expect.WORKS, work);
    }

    /** Must be refused with a message that names {@code column} ("Table.column"). */
    void rejected(String name, String column, Work work) {
      int before = failures.size();
      run(name, Expect.REJECTED, work);
      if (failures.size() == before && !lastRejection.contains(column)) {
        failures.add(name + ": rejected, but the message does not name " + column + ": " + lastRejection);
      }
    }

    void either(String name, Work work) {
      run(name, Expect.EITHER, work);
    }

    /** Runs {@code work} on both sides; returns the plain side's raw result (null if it failed). */
    Object run(String name, Expect expect, Work work) {
      compared++;
      if (expect == Expect.REJECTED) {
        rejectionsExpected++;
      }
      int plainSqlFrom = plain.sqlCount();
      int encSqlFrom = encrypted.sqlCount();
      int serverFrom = encrypted.serverCount();

      Session ps = plain.sf.openSession();
      Transaction ptx = ps.beginTransaction();
      Object plainRaw = null;
      String plainResult;
      Throwable plainError = null;
      try {
        plainRaw = work.run(ps, plain.sf);
        ps.flush();
        plainResult = render(plainRaw);
      } catch (RuntimeException e) {
        plainError = e;
        plainResult = "error " + errorShape(e);
      }

      String encResult;
      Throwable encError = null;
      try (Session es = encrypted.sf.openSession()) {
        Transaction etx = es.beginTransaction();
        try {
          Object r = work.run(es, encrypted.sf);
          es.flush();
          encResult = render(r);
          etx.commit();
        } catch (RuntimeException e) {
          encError = e;
          encResult = "error " + errorShape(e);
          if (etx.isActive()) {
            etx.rollback();
          }
        }
      }

      // The plain side commits only what the encrypted side committed, so the two databases stay in step.
      try {
        if (plainError == null && encError == null) {
          ptx.commit();
        } else if (ptx.isActive()) {
          ptx.rollback();
        }
      } catch (RuntimeException e) {
        plainError = e;
        plainResult = "error at commit " + errorShape(e);
      } finally {
        ps.close();
      }

      Map<String, List<Map<String, Object>>> after = snapshot(encrypted.raw);
      List<String> encSql = encrypted.sqlSince(encSqlFrom);
      List<String> plainSql = plain.sqlSince(plainSqlFrom);
      boolean rejection = encError != null && isCleanRejection(encError);
      lastRejection = rejection ? rootMessage(encError) : "";
      String verdict;
      if (plainError == null && encError == null && plainResult.equals(encResult)) {
        verdict = "equal";
      } else if (plainError != null && encError != null && plainResult.equals(encResult)) {
        verdict = "equal (both failed: " + plainResult + ")";
      } else if (rejection) {
        rejectionsSeen++;
        verdict = "rejected 0A000";
        if (!render(encryptedState).equals(render(after))) {
          failures.add(name + ": rejected, but the encrypted database changed");
        }
      } else {
        verdict = "DIFFERENT";
        failures.add(name + ": results differ\n    plain:     " + plainResult + "\n    encrypted: " + encResult
            + (encError != null ? "\n    encrypted SQL: " + failedSql(encError) : ""));
      }
      if (expect == Expect.WORKS && rejection) {
        failures.add(name + ": must work but was rejected\n    SQL: " + failedSql(encError) + "\n    error: "
            + rootMessage(encError));
      }
      if (expect == Expect.REJECTED && !rejection) {
        failures.add(name + ": must be rejected but " + (encError == null ? "returned " + encResult : "failed with "
            + encResult));
      }
      if (expect == Expect.EITHER) {
        if (rejection) {
          eitherRejected++;
        } else {
          eitherEqual++;
        }
      }
      boolean sqlDiffers = plainError == null && encError == null && !plainSql.equals(encSql);
      if (sqlDiffers) {
        sqlDifferingOps++; // the integration should leave Hibernate's SQL as it is
      }
      checkRawColumns(name, after);
      for (String sent : encrypted.serverSince(serverFrom)) {
        if (sent.contains(CANARY)) {
          failures.add(name + ": plaintext canary sent to the database: " + sent);
        }
      }
      encryptedState = after;

      sqlLog.append("-- [").append(expect).append("] ").append(name).append(": ").append(verdict);
      if (rejection) {
        sqlLog.append("\n--   ").append(rootMessage(encError).replace('\n', ' '));
      }
      sqlLog.append('\n');
      for (String s : encSql) {
        sqlLog.append(s.replace('\n', ' ')).append(";\n");
      }
      if (sqlDiffers) {
        sqlLog.append("--   the plain side sent instead:\n");
        for (String s : plainSql) {
          sqlLog.append("--   ").append(s.replace('\n', ' ')).append(";\n");
        }
      }
      sqlLog.append('\n');
      report.append(String.format("%-9s %-16s %s%n", expect, verdict.length() > 16 ? verdict.substring(0, 16) : verdict,
          name));
      return plainError == null ? plainRaw : null;
    }

    /** Both databases' entity state, read in fresh sessions, must be equal. */
    void sameState(String after) {
      works("state after " + after, (s, sf) -> {
        List<Object> all = new ArrayList<>();
        for (Class<?> e : ENTITIES) {
          all.add(s.createSelectionQuery("from " + e.getSimpleName() + " x order by x.id", e).getResultList());
        }
        return all;
      });
    }

    /** Ciphertext in every encrypted column, no canary anywhere, a companion wherever a value is encrypted. */
    void checkRawColumns(String op, Map<String, List<Map<String, Object>>> state) {
      for (Map.Entry<String, List<Map<String, Object>>> table : state.entrySet()) {
        Set<String> encryptedColumns = ENCRYPTED_COLUMNS.get(table.getKey());
        for (Map<String, Object> row : table.getValue()) {
          String where = "after " + op + ": " + table.getKey() + " row id " + row.get("id");
          boolean anyEncrypted = false;
          for (Map.Entry<String, Object> col : row.entrySet()) {
            Object v = col.getValue();
            String asText = v instanceof byte[] ? new String((byte[]) v, StandardCharsets.ISO_8859_1) : String.valueOf(v);
            if (asText.contains(CANARY)) {
              failures.add(where + ": plaintext canary in column " + col.getKey());
            }
            if (v == null || !encryptedColumns.contains(col.getKey())) {
              continue;
            }
            anyEncrypted = true;
            String problem = ciphertextProblem(table.getKey() + "." + col.getKey(), v);
            if (problem != null) {
              failures.add(where + ": column " + col.getKey() + " " + problem);
            }
          }
          Object companion = row.get(COMPANION);
          if (anyEncrypted && !(companion instanceof byte[] && ((byte[]) companion).length > 3
              && ((byte[]) companion)[0] == 0x01)) {
            failures.add(where + ": encrypted values but companion column " + COMPANION + " is "
                + (companion == null ? "NULL" : "not a version-1 wrapped key"));
          }
        }
      }
    }

    String summary() {
      return String.format("%s: %d operations compared, rejections expected %d / seen %d (of which %d of the"
              + " 'either' operations; %d 'either' equal), %d SQL texts captured on the encrypted side (%d distinct),"
              + " %d operations whose SQL text differed between the sides, %d SQL texts and bound values reached the"
              + " driver below the wrapper, %d failures",
          encrypted.kind, compared, rejectionsExpected, rejectionsSeen, eitherRejected, eitherEqual,
          encrypted.sqlCount(), new java.util.HashSet<>(encrypted.sqlSince(0)).size(), sqlDifferingOps,
          encrypted.serverCount(), failures.size());
    }
  }

  private static String ciphertextProblem(String column, Object v) {
    if (TEXT_COLUMNS.contains(column)) {
      if (!(v instanceof String) || !((String) v).startsWith("rs1:")) {
        return "is not in the text form (rs1:...)";
      }
      try {
        byte[] b = Base64.getDecoder().decode(((String) v).substring(4));
        return b.length >= 30 && b[0] == 0x01 ? null : "holds an rs1: value that is not a version-1 ciphertext";
      } catch (IllegalArgumentException e) {
        return "holds an rs1: value that is not Base64";
      }
    }
    if (!(v instanceof byte[])) {
      return "is not binary (" + v.getClass().getSimpleName() + ")";
    }
    byte[] b = (byte[]) v;
    return b.length >= 30 && b[0] == 0x01 ? null : "is not a version-1 ciphertext";
  }

  /** Every row of every table through the raw DataSource: binary columns as bytes, the rest as strings. */
  private static Map<String, List<Map<String, Object>>> snapshot(DataSource raw) {
    Map<String, List<Map<String, Object>>> state = new LinkedHashMap<>();
    try (Connection c = raw.getConnection(); Statement st = c.createStatement()) {
      for (String table : TABLES) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("select * from " + table + " order by id")) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              int type = md.getColumnType(i);
              boolean binary = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY
                  || type == Types.BLOB;
              row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), binary ? rs.getBytes(i) : rs.getString(i));
            }
            rows.add(row);
          }
        }
        state.put(table.toLowerCase(Locale.ROOT), rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the raw tables", e);
    }
    return state;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rendering and errors

  /** A canonical text of a result: types, entity attributes (recursively), order of lists. */
  static String render(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof HibernateProxy) {
      if (!Hibernate.isInitialized(o)) {
        return Hibernate.getClass(o).getSimpleName() + "#"
            + ((HibernateProxy) o).getHibernateLazyInitializer().getIdentifier() + "(uninitialized)";
      }
      o = Hibernate.unproxy(o);
    }
    if (o instanceof byte[]) {
      return "0x" + HexFormat.of().formatHex((byte[]) o);
    }
    if (o instanceof Object[]) {
      return Arrays.stream((Object[]) o).map(HibernateOracleTest::render).collect(Collectors.joining(", ", "(", ")"));
    }
    if (o instanceof Tuple) {
      return render(((Tuple) o).toArray());
    }
    if (o instanceof Collection) {
      return ((Collection<?>) o).stream().map(HibernateOracleTest::render).collect(Collectors.joining(", ", "[", "]"));
    }
    if (o instanceof Map) {
      return ((Map<?, ?>) o).entrySet().stream().map(e -> e.getKey() + "=" + render(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    Class<?> c = o.getClass();
    if (c.getPackageName().equals(HibernateOracleTest.class.getPackageName()) && !c.isEnum()) {
      StringBuilder sb = new StringBuilder(c.getSimpleName()).append('{');
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
          continue;
        }
        f.setAccessible(true);
        try {
          sb.append(f.getName()).append('=').append(render(f.get(o))).append(' ');
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
      return sb.append('}').toString();
    }
    return c.getSimpleName() + ":" + o;
  }

  /** Exception classes of the chain, outermost first, and SQLStates: comparable across sides. */
  private static String errorShape(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        parts.add(t.getClass().getSimpleName() + "[" + ((SQLException) t).getSQLState() + "]");
        break; // driver-specific below this point
      }
      parts.add(t.getClass().getSimpleName());
    }
    return String.join(" <- ", parts);
  }

  private static boolean isCleanRejection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLFeatureNotSupportedException && "0A000".equals(((SQLException) t).getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static String failedSql(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JDBCException && ((JDBCException) t).getSQL() != null) {
        return ((JDBCException) t).getSQL();
      }
    }
    return "(not in the exception)";
  }

  private static String rootMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return t.getClass().getSimpleName() + "[" + ((SQLException) t).getSQLState() + "]: " + t.getMessage();
      }
    }
    return e.toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The workload

  @ParameterizedTest
  @EnumSource(Kind.class)
  void workload_plainAndEncryptedSessionFactories_equalOrCleanlyRejected(Kind kind) throws IOException {
    try (Side plain = new Side("plain", kind, false); Side encrypted = new Side("encrypted", kind, true)) {
      Oracle o = new Oracle(plain, encrypted);
      try {
        workload(o);
        checksCanFail(plain, encrypted);
      } finally {
        Path dir = Path.of("target", "hibernate-sql");
        Files.createDirectories(dir);
        String name = kind.name().toLowerCase(Locale.ROOT);
        Files.writeString(dir.resolve(name + ".sql"), o.sqlLog.toString());
        Files.writeString(dir.resolve(name + "-report.txt"), o.summary() + "\n\n" + o.report
            + (o.failures.isEmpty() ? "" : "\nFailures:\n" + String.join("\n", o.failures) + "\n"));
        System.out.println(o.summary());
      }
      assertThat(o.failures).as(o.summary()).isEmpty();
    }
  }

  /**
   * Negative controls: the plain side holds and sends the canary in plaintext (else the oracle would compare
   * encryption with itself and the canary checks could never fire), and the encrypted side's recorder sits below the
   * wrapper (it sees the companion column the wrapper adds).
   */
  private static void checksCanFail(Side plain, Side encrypted) {
    Map<String, List<Map<String, Object>>> state = snapshot(plain.raw);
    assertThat(state.get("card")).isNotEmpty();
    assertThat(state.get("card").get(0)).doesNotContainKey(COMPANION);
    assertThat(String.valueOf(state.get("card").get(0).get("number"))).contains(CANARY);
    assertThat(plain.serverSince(0)).anyMatch(sent -> sent.contains(CANARY));
    assertThat(encrypted.serverSince(0)).anyMatch(sent -> sent.toLowerCase(Locale.ROOT).contains(COMPANION));
  }

  @SuppressWarnings("unchecked")
  private static void workload(Oracle o) {
    // --- Writes: single and JDBC-batched persists over every mapping --------------------------------------------
    List<Long> first = (List<Long>) o.works("persist Customer + Card (single)", (s, sf) -> {
      Customer cu = new Customer("Jane " + CANARY, "AB" + CANARY + "1");
      s.persist(cu);
      Card card = new Card("4111" + CANARY + "0001", "Jane Q " + CANARY, CANARY + "7", cu);
      s.persist(card);
      s.flush();
      return List.of(cu.id, card.id);
    });
    long customer1 = first.get(0);
    long card1 = first.get(1);
    o.sameState("single persist");

    List<Long> batch = (List<Long>) o.works("persist 2 Customers + 24 Cards (JDBC batch)", (s, sf) -> {
      List<Long> ids = new ArrayList<>();
      Customer a = new Customer("Ann " + CANARY, "CD" + CANARY + "2");
      Customer b = new Customer("Bob " + CANARY, null);
      s.persist(a);
      s.persist(b);
      ids.add(a.id);
      ids.add(b.id);
      for (int i = 0; i < 24; i++) {
        Card c = new Card(String.format("4000%s%04d", CANARY, i), i % 5 == 0 ? null : "Holder " + CANARY + i,
            CANARY + i, i % 3 == 0 ? b : a);
        s.persist(c);
        ids.add(c.id);
      }
      return ids;
    });
    long customerA = batch.get(0);
    long customerB = batch.get(1);
    List<Long> cards = new ArrayList<>(batch.subList(2, batch.size()));
    o.sameState("batched persist");

    List<Long> people = (List<Long>) o.works("persist 4 Persons with embeddables (JDBC batch)", (s, sf) -> {
      List<Long> ids = new ArrayList<>();
      String[] cities = {"Berlin", "Paris", "Berlin", "Oslo"};
      for (int i = 0; i < 4; i++) {
        Person p = new Person();
        p.name = "Person " + CANARY + i;
        p.home = new Address(i + " Main St " + CANARY, cities[i], LocalDate.of(2020, 1, 1 + i));
        p.work = i % 2 == 0 ? new Address(i + " Work Rd " + CANARY, "Rome", LocalDate.of(2021, 2, 1 + i)) : null;
        s.persist(p);
        ids.add(p.id);
      }
      return ids;
    });
    o.sameState("Person persist");

    o.works("persist 3 AllTypes (assigned ids, JDBC batch)", (s, sf) -> {
      for (long id = 1; id <= 3; id++) {
        s.persist(allTypes(id));
      }
      return "ok";
    });
    o.sameState("AllTypes persist");

    List<Long> accounts = (List<Long>) o.works("persist 4 Accounts (IDENTITY ids)", (s, sf) -> {
      List<Long> ids = new ArrayList<>();
      String[] labels = {"gold", "silver", "gold", "bronze"};
      for (int i = 0; i < 4; i++) {
        Account a = new Account("DE89" + CANARY + i, 1000L * i - 5, labels[i]);
        s.persist(a);
        ids.add(a.id);
      }
      return ids;
    });
    o.sameState("Account persist");

    List<Long> memos = (List<Long>) o.works("persist 5 Memos (text form, logical name; JDBC batch)", (s, sf) -> {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Memo m = new Memo();
        m.body = "body " + CANARY + i;
        m.subject = i == 4 ? null : "subject " + CANARY + i;
        m.amount = new BigDecimal(i + "2.50");
        m.issued = LocalDate.of(2026, 1, 1 + i);
        m.counter = i;
        m.plainNote = i % 2 == 0 ? "even" : "odd";
        s.persist(m);
        ids.add(m.id);
      }
      return ids;
    });
    o.sameState("Memo persist");

    // --- Reads by id ------------------------------------------------------------------------------------------------
    o.works("find Card", (s, sf) -> s.find(Card.class, card1));
    o.works("find Customer", (s, sf) -> s.find(Customer.class, customerB));
    o.works("find Person (embeddables, one null)", (s, sf) -> List.of(s.find(Person.class, people.get(0)),
        s.find(Person.class, people.get(1))));
    o.works("find AllTypes x3", (s, sf) -> List.of(s.find(AllTypes.class, 1L), s.find(AllTypes.class, 2L),
        s.find(AllTypes.class, 3L)));
    o.works("find Account", (s, sf) -> s.find(Account.class, accounts.get(1)));
    o.works("find Memo", (s, sf) -> s.find(Memo.class, memos.get(4)));
    o.works("find missing id", (s, sf) -> String.valueOf(s.find(Card.class, -1L)));
    o.works("getReference + lazy initialization", (s, sf) -> {
      Customer proxy = s.getReference(Customer.class, customerA);
      String before = String.valueOf(Hibernate.isInitialized(proxy));
      return List.of(before, proxy.getName());
    });
    o.works("byMultipleIds", (s, sf) -> s.byMultipleIds(Card.class).multiLoad(cards.subList(0, 5)));

    // --- HQL on plain attributes ------------------------------------------------------------------------------------
    o.works("HQL by id", (s, sf) -> s.createSelectionQuery("from Card c where c.id = :id", Card.class)
        .setParameter("id", card1).getSingleResult());
    o.works("HQL id IN list, order by id desc", (s, sf) -> s.createSelectionQuery(
        "from Card c where c.id in :ids order by c.id desc", Card.class)
        .setParameter("ids", cards.subList(3, 9)).getResultList());
    o.works("HQL by foreign key, order by id", (s, sf) -> s.createSelectionQuery(
        "from Card c where c.customer.id = :cid order by c.id", Card.class)
        .setParameter("cid", customerB).getResultList());
    o.works("HQL explicit join, predicate on joined id", (s, sf) -> s.createSelectionQuery(
        "select c from Card c join c.customer cu where cu.id = :cid and c.id > :min order by c.id", Card.class)
        .setParameter("cid", customerA).setParameter("min", cards.get(4)).getResultList());
    o.works("HQL fetch join", (s, sf) -> s.createSelectionQuery(
        "select c from Card c join fetch c.customer order by c.id", Card.class).getResultList());
    o.works("HQL left join fetch, customer id IN", (s, sf) -> s.createSelectionQuery(
        "select c from Card c left join fetch c.customer cu where cu.id in (:a, :b) order by cu.id, c.id", Card.class)
        .setParameter("a", customer1).setParameter("b", customerB).getResultList());
    o.works("HQL count(*)", (s, sf) -> s.createSelectionQuery("select count(*) from Card c", Long.class)
        .getSingleResult());
    o.works("HQL count by customer, group by plain fk", (s, sf) -> s.createSelectionQuery(
        "select c.customer.id, count(c) from Card c group by c.customer.id order by c.customer.id", Object[].class)
        .getResultList());
    o.works("HQL exists subquery", (s, sf) -> s.createSelectionQuery(
        "from Customer cu where exists (select 1 from Card c where c.customer = cu and c.id > :min) order by cu.id",
        Customer.class).setParameter("min", cards.get(20)).getResultList());
    o.works("HQL not exists subquery", (s, sf) -> s.createSelectionQuery(
        "from Customer cu where not exists (select 1 from Card c where c.customer = cu) order by cu.id",
        Customer.class).getResultList());
    o.works("HQL IN subquery on plain fk", (s, sf) -> s.createSelectionQuery(
        "from Customer cu where cu.id in (select c.customer.id from Card c where c.id = :id)", Customer.class)
        .setParameter("id", card1).getResultList());
    o.works("HQL paging: setFirstResult(5).setMaxResults(7)", (s, sf) -> s.createSelectionQuery(
        "from Card c order by c.id", Card.class).setFirstResult(5).setMaxResults(7).getResultList());
    o.works("HQL paging: setMaxResults(3) only", (s, sf) -> s.createSelectionQuery(
        "from Card c order by c.id desc", Card.class).setMaxResults(3).getResultList());
    o.works("HQL paging: setFirstResult(20) only", (s, sf) -> s.createSelectionQuery(
        "from Card c order by c.id", Card.class).setFirstResult(20).getResultList());
    o.works("HQL paging with fetch join", (s, sf) -> s.createSelectionQuery(
        "select c from Card c join fetch c.customer order by c.id", Card.class).setFirstResult(2).setMaxResults(4)
        .getResultList());
    o.works("HQL by plain column (Account.label), order by id", (s, sf) -> s.createSelectionQuery(
        "from Account a where a.label = :l order by a.id", Account.class).setParameter("l", "gold").getResultList());
    o.works("HQL LIKE on plain column", (s, sf) -> s.createSelectionQuery(
        "from Account a where a.label like 'g%' or a.label like '%ze' order by a.id", Account.class).getResultList());
    o.works("HQL order by plain column desc, id", (s, sf) -> s.createSelectionQuery(
        "from Account a order by a.label desc, a.id", Account.class).getResultList());
    o.works("HQL group by plain column", (s, sf) -> s.createSelectionQuery(
        "select a.label, count(a), max(a.id) from Account a group by a.label having count(a) > 0 order by a.label",
        Object[].class).getResultList());
    o.works("HQL embeddable plain attribute predicate + order", (s, sf) -> s.createSelectionQuery(
        "from Person p where p.home.city in ('Berlin', 'Oslo') order by p.home.city desc, p.id", Person.class)
        .getResultList());
    o.works("HQL Memo by plain note", (s, sf) -> s.createSelectionQuery(
        "from Memo m where m.plainNote = :n order by m.id", Memo.class).setParameter("n", "even").getResultList());
    o.works("HQL AllTypes order by id", (s, sf) -> s.createSelectionQuery(
        "from AllTypes a where a.id between 1 and 3 order by a.id desc", AllTypes.class).getResultList());
    o.works("HQL order by version, id", (s, sf) -> s.createSelectionQuery(
        "from Card c order by c.version desc, c.id", Card.class).setMaxResults(5).getResultList());
    o.works("HQL distinct plain fk", (s, sf) -> s.createSelectionQuery(
        "select distinct c.customer.id from Card c order by c.customer.id", Long.class).getResultList());
    o.works("HQL max/min of plain id", (s, sf) -> s.createSelectionQuery(
        "select max(c.id), min(c.id), count(distinct c.customer.id) from Card c", Object[].class).getSingleResult());

    // --- Projections including encrypted attributes -----------------------------------------------------------------
    o.works("HQL projection with encrypted attributes across join", (s, sf) -> s.createSelectionQuery(
        "select c.id, c.number, c.holderName, cu.name from Card c join c.customer cu order by c.id", Object[].class)
        .getResultList());
    o.works("HQL projection of embeddable", (s, sf) -> s.createSelectionQuery(
        "select p.id, p.home, p.work.street, p.home.city from Person p order by p.id", Object[].class)
        .getResultList());
    o.works("HQL projection of every AllTypes type", (s, sf) -> s.createSelectionQuery(
        "select a.vString, a.vBytes, a.vBoolean, a.vInt, a.vLong, a.vDouble, a.vDecimal, a.vBigInteger, a.vLocalDate,"
            + " a.vLocalTime, a.vLocalDateTime, a.vInstant, a.vOffsetDateTime, a.vUuid, a.vEnum, a.vNullable"
            + " from AllTypes a order by a.id", Object[].class).getResultList());
    o.works("HQL single encrypted attribute, paged", (s, sf) -> s.createSelectionQuery(
        "select c.cvv from Card c order by c.id", String.class).setFirstResult(1).setMaxResults(3).getResultList());
    o.works("HQL projection of associated entity", (s, sf) -> s.createSelectionQuery(
        "select c.customer from Card c where c.id = :id", Customer.class).setParameter("id", card1)
        .getSingleResult());
    o.works("HQL Memo text-form projection", (s, sf) -> s.createSelectionQuery(
        "select m.body, m.subject, m.amount, m.plainNote from Memo m order by m.id", Object[].class).getResultList());
    o.works("HQL Account projection with encrypted long", (s, sf) -> s.createSelectionQuery(
        "select a.iban, a.balanceCents, a.label from Account a where a.id in :ids order by a.id", Object[].class)
        .setParameter("ids", accounts).getResultList());

    // --- Criteria on plain attributes, projections with encrypted ones ----------------------------------------------
    o.works("Criteria IN + order desc + paging", (s, sf) -> {
      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Card> q = cb.createQuery(Card.class);
      Root<Card> r = q.from(Card.class);
      q.select(r).where(r.get("id").in(cards.subList(0, 12))).orderBy(cb.desc(r.get("id")));
      return s.createQuery(q).setFirstResult(2).setMaxResults(5).getResultList();
    });
    o.works("Criteria join + equal on joined id + count", (s, sf) -> {
      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Long> q = cb.createQuery(Long.class);
      Root<Card> r = q.from(Card.class);
      Join<Card, Customer> j = r.join("customer");
      q.select(cb.count(r)).where(cb.equal(j.get("id"), customerA));
      return s.createQuery(q).getSingleResult();
    });
    o.works("Criteria tuple projection with encrypted attributes", (s, sf) -> {
      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Tuple> q = cb.createTupleQuery();
      Root<Card> r = q.from(Card.class);
      Join<Card, Customer> j = r.join("customer");
      q.multiselect(r.get("id"), r.get("number"), j.get("nationalId"))
          .where(cb.greaterThan(r.get("id"), cards.get(10))).orderBy(cb.asc(r.get("id")));
      return s.createQuery(q).getResultList();
    });
    o.works("Criteria exists subquery", (s, sf) -> {
      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Customer> q = cb.createQuery(Customer.class);
      Root<Customer> cu = q.from(Customer.class);
      Subquery<Long> sub = q.subquery(Long.class);
      Root<Card> c = sub.from(Card.class);
      sub.select(c.get("id")).where(cb.equal(c.get("customer"), cu));
      q.select(cu).where(cb.exists(sub)).orderBy(cb.asc(cu.get("id")));
      return s.createQuery(q).getResultList();
    });
    o.works("Criteria plain embeddable attribute + fetch", (s, sf) -> {
      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Person> q = cb.createQuery(Person.class);
      Root<Person> p = q.from(Person.class);
      q.select(p).where(cb.equal(p.get("home").get("city"), "Berlin")).orderBy(cb.asc(p.get("id")));
      return s.createQuery(q).getResultList();
    });
    o.works("Criteria group by plain column", (s, sf) -> {
      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Object[]> q = cb.createQuery(Object[].class);
      Root<Account> a = q.from(Account.class);
      q.multiselect(a.get("label"), cb.count(a)).groupBy(a.get("label")).orderBy(cb.asc(a.get("label")));
      return s.createQuery(q).getResultList();
    });

    // --- Predicates that touch nullness of encrypted attributes: DESIGN leaves nullness visible ---------------------
    o.either("HQL IS NULL on encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "from Card c where c.holderName is null order by c.id", Card.class).getResultList());
    o.either("HQL IS NOT NULL on embedded encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "select p.id from Person p where p.work.street is not null order by p.id", Long.class).getResultList());

    // --- Updates, merge, refresh, locking -----------------------------------------------------------------------------
    o.works("dirty-check update of encrypted attribute (Card.cvv)", (s, sf) -> {
      Card c = s.find(Card.class, card1);
      c.cvv = CANARY + "999";
      return c;
    });
    o.sameState("Card.cvv update");
    o.works("dirty-check update of plain fk (Card.customer)", (s, sf) -> {
      Card c = s.find(Card.class, cards.get(0));
      c.customer = s.getReference(Customer.class, customer1);
      return c.version;
    });
    o.works("merge of detached Card with encrypted + plain changes", (s, sf) -> {
      Card detached;
      try (Session other = sf.openSession()) {
        detached = other.find(Card.class, cards.get(1));
      }
      detached.holderName = "Merged " + CANARY;
      detached.number = null;
      detached.customer = s.getReference(Customer.class, customerB);
      return s.merge(detached);
    });
    o.sameState("Card merge");
    o.works("update embeddable (encrypted street + plain city) and encrypted name", (s, sf) -> {
      Person p = s.find(Person.class, people.get(1));
      p.home.city = "Lyon";
      p.home.street = "New street " + CANARY;
      p.name = "Renamed " + CANARY;
      p.work = new Address("Added work " + CANARY, "Nice", LocalDate.of(2024, 5, 6));
      return p;
    });
    o.works("set embeddable to null", (s, sf) -> {
      Person p = s.find(Person.class, people.get(2));
      p.work = null;
      return p;
    });
    o.works("update every AllTypes attribute", (s, sf) -> {
      AllTypes a = s.find(AllTypes.class, 2L);
      AllTypes b = allTypes(3L);
      a.vString = b.vString == null ? "replaced " + CANARY : null;
      a.vBytes = ("new bytes " + CANARY).getBytes(StandardCharsets.UTF_8);
      a.vBoolean = !a.vBoolean;
      a.vInt = -a.vInt - 1;
      a.vLong = Long.MIN_VALUE;
      a.vDouble = -0.5;
      a.vDecimal = new BigDecimal("-1.25");
      a.vBigInteger = BigInteger.TEN.pow(30).negate();
      a.vLocalDate = LocalDate.of(1999, 12, 31);
      a.vLocalTime = LocalTime.of(23, 59, 59);
      a.vLocalDateTime = LocalDateTime.of(2000, 2, 29, 12, 0);
      a.vInstant = Instant.parse("2030-01-01T00:00:00Z");
      a.vOffsetDateTime = OffsetDateTime.of(2031, 3, 4, 5, 6, 7, 0, ZoneOffset.UTC);
      a.vUuid = new UUID(1, 2);
      a.vEnum = AllTypes.Colour.BLUE;
      a.vNullable = a.vNullable == null ? 5 : null;
      return a;
    });
    o.sameState("AllTypes update");
    o.works("update Account encrypted long and plain label (version)", (s, sf) -> {
      Account a = s.find(Account.class, accounts.get(0));
      a.balanceCents += 250;
      a.label = "platinum";
      return a;
    });
    o.works("update Memo text-form body, clear subject", (s, sf) -> {
      Memo m = s.find(Memo.class, memos.get(0));
      m.body = "edited " + CANARY;
      m.subject = null;
      m.amount = new BigDecimal("99.99");
      return m;
    });
    o.sameState("entity updates");
    o.works("refresh discards in-memory change", (s, sf) -> {
      Card c = s.find(Card.class, card1);
      c.number = "in memory " + CANARY;
      s.refresh(c);
      return c;
    });
    o.works("optimistic lock conflict on Card (stale version)", (s, sf) -> {
      Card mine = s.find(Card.class, cards.get(2));
      sf.inTransaction(other -> other.find(Card.class, cards.get(2)).cvv = CANARY + "concurrent");
      mine.cvv = CANARY + "mine";
      s.flush();
      return mine;
    });
    o.works("optimistic lock conflict on Account merge of stale copy", (s, sf) -> {
      Account stale;
      try (Session other = sf.openSession()) {
        stale = other.find(Account.class, accounts.get(1));
      }
      sf.inTransaction(other -> other.find(Account.class, accounts.get(1)).label = "changed");
      stale.balanceCents = 1;
      return s.merge(stale);
    });
    o.sameState("optimistic locking");
    o.works("find with PESSIMISTIC_WRITE", (s, sf) -> s.find(Card.class, card1, LockModeType.PESSIMISTIC_WRITE));
    o.works("find with PESSIMISTIC_READ", (s, sf) -> s.find(Account.class, accounts.get(2),
        LockModeType.PESSIMISTIC_READ));
    o.works("query with PESSIMISTIC_WRITE", (s, sf) -> s.createSelectionQuery(
        "from Card c where c.customer.id = :cid order by c.id", Card.class).setParameter("cid", customerB)
        .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList());
    o.works("query with PESSIMISTIC_READ", (s, sf) -> s.createSelectionQuery(
        "from Person p where p.id = :id", Person.class).setParameter("id", people.get(0))
        .setLockMode(LockModeType.PESSIMISTIC_READ).getResultList());
    o.works("lock(entity, PESSIMISTIC_WRITE) then update encrypted", (s, sf) -> {
      Memo m = s.find(Memo.class, memos.get(1));
      s.lock(m, LockModeType.PESSIMISTIC_WRITE);
      m.body = "locked " + CANARY;
      return m;
    });
    o.works("lock(entity, OPTIMISTIC_FORCE_INCREMENT)", (s, sf) -> {
      Account a = s.find(Account.class, accounts.get(3));
      s.lock(a, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
      return a;
    });
    o.sameState("locking");

    // --- Bulk HQL on plain attributes -------------------------------------------------------------------------------
    o.works("bulk update of plain column", (s, sf) -> s.createMutationQuery(
        "update Account a set a.label = :l where a.id in :ids").setParameter("l", "bulk")
        .setParameter("ids", accounts.subList(2, 4)).executeUpdate());
    o.works("bulk versioned update of plain column", (s, sf) -> s.createMutationQuery(
        "update versioned Account a set a.label = 'v' where a.label = 'bulk'").executeUpdate());
    o.works("bulk update of plain embeddable column", (s, sf) -> s.createMutationQuery(
        "update Person p set p.home.city = 'Madrid' where p.home.city = 'Berlin'").executeUpdate());
    o.works("bulk update of plain fk", (s, sf) -> s.createMutationQuery(
        "update Card c set c.customer.id = :to where c.id in :ids").setParameter("to", customerA)
        .setParameter("ids", cards.subList(20, 22)).executeUpdate());
    o.works("bulk set encrypted attribute to NULL", (s, sf) -> s.createMutationQuery(
        "update Memo m set m.subject = null where m.id = :id").setParameter("id", memos.get(1)).executeUpdate());
    o.sameState("bulk updates");
    o.works("bulk delete by plain column", (s, sf) -> s.createMutationQuery(
        "delete from Memo m where m.plainNote = :n and m.id <> :keep").setParameter("n", "even")
        .setParameter("keep", memos.get(0)).executeUpdate());
    o.works("bulk delete by id IN", (s, sf) -> s.createMutationQuery(
        "delete from Card c where c.id in :ids").setParameter("ids", cards.subList(22, 24)).executeUpdate());
    o.sameState("bulk deletes");

    // --- HQL insert, StatelessSession, lock timeouts, native SQL -----------------------------------------------------
    o.works("HQL insert ... values, parameters for encrypted attributes (sequence id)", (s, sf) -> s.createMutationQuery(
        "insert into Memo (body, subject, amount, issued, counter, plainNote) values (:b, :sub, :a, :d, 3, 'hql')")
        .setParameter("b", "hql body " + CANARY).setParameter("sub", "hql subject " + CANARY)
        .setParameter("a", new BigDecimal("3.50")).setParameter("d", LocalDate.of(2026, 6, 7)).executeUpdate());
    o.works("HQL insert ... values, literals for encrypted attributes", (s, sf) -> s.createMutationQuery(
        "insert into Customer (id, name, nationalId) values (900001, 'literal " + CANARY + "', 'lit " + CANARY + "')")
        .executeUpdate());
    o.works("HQL insert ... values into IDENTITY entity", (s, sf) -> s.createMutationQuery(
        "insert into Account (iban, balanceCents, label, version) values (:i, 42, 'hql', 0)")
        .setParameter("i", "HQL" + CANARY).executeUpdate());
    o.sameState("HQL inserts");
    o.works("StatelessSession insert, insertMultiple, get, update, query", (s, sf) -> {
      try (StatelessSession ss = sf.openStatelessSession()) {
        Transaction tx = ss.beginTransaction();
        Memo m = new Memo();
        m.body = "stateless " + CANARY;
        m.subject = "ss " + CANARY;
        m.amount = new BigDecimal("1.00");
        m.issued = LocalDate.of(2026, 7, 8);
        m.counter = 9;
        m.plainNote = "stateless";
        ss.insert(m);
        List<Person> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Person p = new Person();
          p.name = "Stateless " + CANARY + i;
          p.home = new Address("Batch St " + CANARY + i, "Oslo", null);
          more.add(p);
        }
        ss.insertMultiple(more);
        Memo got = ss.get(Memo.class, m.id);
        got.body = "stateless updated " + CANARY;
        ss.update(got);
        List<Memo> found = ss.createSelectionQuery("from Memo m where m.plainNote = 'stateless'", Memo.class)
            .getResultList();
        tx.commit();
        return List.of(got, found, more.stream().map(p -> p.id).collect(Collectors.toList()));
      }
    });
    o.sameState("StatelessSession");
    o.works("query PESSIMISTIC_WRITE with SKIP LOCKED", (s, sf) -> s.createSelectionQuery(
        "from Card c where c.id in :ids order by c.id", Card.class).setParameter("ids", cards.subList(6, 9))
        .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint("jakarta.persistence.lock.timeout", -2).getResultList());
    o.works("find PESSIMISTIC_WRITE with NOWAIT", (s, sf) -> s.find(Account.class, accounts.get(0),
        LockModeType.PESSIMISTIC_WRITE, Map.of("jakarta.persistence.lock.timeout", 0)));
    o.works("versioned bulk update of encrypted + plain attribute by primary key", (s, sf) -> s.createMutationQuery(
        "update versioned Account a set a.label = 'pk', a.iban = :i where a.id = :id").setParameter("i", "PK" + CANARY)
        .setParameter("id", accounts.get(2)).executeUpdate());
    o.sameState("bulk update by primary key");
    o.works("native SQL select of encrypted columns", (s, sf) -> s.createNativeQuery(
        "select id, number, holderName from Card where id in (:a, :b) order by id", Object[].class)
        .setParameter("a", card1).setParameter("b", cards.get(3)).getResultList());
    o.works("native SQL entity query", (s, sf) -> s.createNativeQuery(
        "select id, iban, balanceCents, version, label from Account order by id", Account.class).getResultList());
    o.either("native SQL select * entity query", (s, sf) -> s.createNativeQuery(
        "select * from Memo order by id", Memo.class).getResultList());
    o.rejected("native SQL predicate on encrypted column", "Card.cvv", (s, sf) -> s.createNativeQuery(
        "select id from Card where cvv = :v", Long.class).setParameter("v", CANARY + "7").getResultList());
    o.rejected("HQL literal compared with encrypted attribute", "Card.number", (s, sf) -> s.createSelectionQuery(
        "from Card c where c.number = '4111" + CANARY + "0001'", Card.class).getResultList());
    o.either("bulk update of encrypted attribute by id IN list", (s, sf) -> s.createMutationQuery(
        "update Card c set c.cvv = :v where c.id in :ids").setParameter("v", CANARY + "in")
        .setParameter("ids", cards.subList(10, 12)).executeUpdate());
    o.either("bulk update of encrypted attribute by plain predicate", (s, sf) -> s.createMutationQuery(
        "update Memo m set m.body = :b where m.plainNote = 'odd'").setParameter("b", "odd " + CANARY)
        .executeUpdate());
    o.sameState("either-way bulk updates");

    // --- Shapes where the engine may decrypt or refuse; the oracle judges the answer ----------------------------------
    o.either("HQL implicit join projection of encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "select c.id, c.customer.name from Card c where c.id in :ids order by c.id", Object[].class)
        .setParameter("ids", cards.subList(0, 4)).getResultList());
    o.either("HQL left join projection, missing side NULL", (s, sf) -> s.createSelectionQuery(
        "select cu.id, c.number from Customer cu left join Card c on c.customer = cu order by cu.id, c.id",
        Object[].class).getResultList());
    o.either("HQL scalar subquery returning an encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "select c.id, (select cu.name from Customer cu where cu.id = c.customer.id) from Card c order by c.id",
        Object[].class).setMaxResults(4).getResultList());
    o.either("HQL derived table with encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "select x.n from (select c.number as n, c.id as i from Card c) x order by x.i", String.class)
        .setMaxResults(4).getResultList());
    o.either("HQL derived table over an encrypted table, plain columns only", (s, sf) -> s.createSelectionQuery(
        "select x.i from (select c.id as i, c.version as v from Card c) x order by x.i", Long.class)
        .setMaxResults(4).getResultList());
    o.either("HQL CTE over an encrypted table, plain columns only", (s, sf) -> s.createSelectionQuery(
        "with x as (select c.id as i from Card c) select y.i from x y order by y.i", Long.class)
        .setMaxResults(4).getResultList());
    o.either("HQL CTE with encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "with x as (select c.id as i, c.holderName as h from Card c) select y.h from x y order by y.i", String.class)
        .setMaxResults(4).getResultList());
    o.either("HQL UNION ALL of encrypted attributes of two tables", (s, sf) -> s.createSelectionQuery(
        "select c.number from Card c where c.id = :a union all select cu.name from Customer cu where cu.id = :b",
        String.class).setParameter("a", card1).setParameter("b", customerA).getResultList());
    o.either("HQL UNION (distinct) of encrypted attributes", (s, sf) -> s.createSelectionQuery(
        "select c.cvv from Card c where c.id = :a union select c.cvv from Card c where c.id = :a",
        String.class).setParameter("a", card1).getResultList());
    o.either("HQL UNION of plain ids", (s, sf) -> s.createSelectionQuery(
        "select c.id from Card c union select cu.id from Customer cu", Long.class).getResultList().stream()
        .sorted().collect(Collectors.toList()));
    o.either("HQL CASE over encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "select case when c.holderName is null then 'none' else c.holderName end from Card c order by c.id",
        String.class).setMaxResults(6).getResultList());
    o.either("HQL coalesce of encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "select coalesce(c.holderName, 'none') from Card c order by c.id", String.class).setMaxResults(6)
        .getResultList());
    o.either("HQL select new map with encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "select new map(c.id as id, c.number as n) from Card c order by c.id", Map.class).setMaxResults(3)
        .getResultList());
    o.either("HQL implicit join IS NULL on encrypted attribute", (s, sf) -> s.createSelectionQuery(
        "select c.id from Card c where c.customer.nationalId is null order by c.id", Long.class).getResultList());
    o.either("HQL paging + PESSIMISTIC_WRITE + fetch join", (s, sf) -> s.createSelectionQuery(
        "select c from Card c join fetch c.customer where c.id in :ids order by c.id", Card.class)
        .setParameter("ids", cards.subList(6, 12)).setFirstResult(1).setMaxResults(2)
        .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList());
    o.either("native SQL column alias of encrypted column", (s, sf) -> s.createNativeQuery(
        "select c.number as n, c.id from Card c where c.id = :id", Object[].class).setParameter("id", card1)
        .getResultList());

    // --- Must be rejected: encrypted attributes where the engine would need their plaintext ---------------------
    o.rejected("HQL equality predicate on encrypted attribute", "Card.number", (s, sf) -> s.createSelectionQuery(
        "from Card c where c.number = :n", Card.class).setParameter("n", "4111" + CANARY + "0001").getResultList());
    o.rejected("HQL LIKE on encrypted attribute", "Card.cvv", (s, sf) -> s.createSelectionQuery(
        "from Card c where c.cvv like :p", Card.class).setParameter("p", CANARY + "%").getResultList());
    o.rejected("HQL range predicate on encrypted number", "AllTypes.vInt", (s, sf) -> s.createSelectionQuery(
        "from AllTypes a where a.vInt > 5", AllTypes.class).getResultList());
    o.rejected("HQL predicate on embedded encrypted attribute", "Person.street", (s, sf) -> s.createSelectionQuery(
        "from Person p where p.home.street = :st", Person.class).setParameter("st", "0 Main St " + CANARY)
        .getResultList());
    o.rejected("HQL IN list on encrypted attribute", "Account.iban", (s, sf) -> s.createSelectionQuery(
        "from Account a where a.iban in :ibans", Account.class).setParameter("ibans", List.of("DE89" + CANARY + "1"))
        .getResultList());
    o.rejected("HQL ORDER BY encrypted attribute", "Card.holderName", (s, sf) -> s.createSelectionQuery(
        "from Card c order by c.holderName", Card.class).getResultList());
    o.rejected("HQL ORDER BY encrypted attribute with paging", "Memo.body", (s, sf) -> s.createSelectionQuery(
        "from Memo m order by m.body", Memo.class).setMaxResults(2).getResultList());
    o.rejected("HQL GROUP BY encrypted attribute", "Card.holderName", (s, sf) -> s.createSelectionQuery(
        "select c.holderName, count(c) from Card c group by c.holderName", Object[].class).getResultList());
    o.rejected("HQL function on encrypted attribute in projection", "Card.holderName", (s, sf) -> s.createSelectionQuery(
        "select upper(c.holderName) from Card c", String.class).getResultList());
    o.rejected("HQL length() of text-form attribute", "Memo.body", (s, sf) -> s.createSelectionQuery(
        "select length(m.body) from Memo m", Integer.class).getResultList());
    o.rejected("HQL aggregate of encrypted attribute", "Account.balanceCents", (s, sf) -> s.createSelectionQuery(
        "select max(a.balanceCents) from Account a", Long.class).getSingleResult());
    o.rejected("HQL distinct encrypted attribute", "Card.holderName", (s, sf) -> s.createSelectionQuery(
        "select distinct c.holderName from Card c", String.class).getResultList());
    o.rejected("HQL join on encrypted attributes", "Customer.name", (s, sf) -> s.createSelectionQuery(
        "select c.id from Card c join Customer cu on cu.name = c.holderName", Long.class).getResultList());
    o.rejected("HQL exists subquery with encrypted predicate", "Card.cvv", (s, sf) -> s.createSelectionQuery(
        "from Customer cu where exists (select 1 from Card c where c.customer = cu and c.cvv = :v)", Customer.class)
        .setParameter("v", CANARY + "1").getResultList());
    o.rejected("Criteria equal on encrypted attribute", "Card.cvv", (s, sf) -> {
      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Card> q = cb.createQuery(Card.class);
      Root<Card> r = q.from(Card.class);
      q.select(r).where(cb.equal(r.get("cvv"), CANARY + "7"));
      return s.createQuery(q).getResultList();
    });
    o.rejected("Criteria order by encrypted attribute", "Account.balanceCents", (s, sf) -> {
      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Account> q = cb.createQuery(Account.class);
      Root<Account> r = q.from(Account.class);
      q.select(r).orderBy(cb.desc(r.get("balanceCents")));
      return s.createQuery(q).getResultList();
    });
    o.rejected("Criteria function on encrypted attribute", "Person.name", (s, sf) -> {
      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Person> q = cb.createQuery(Person.class);
      Root<Person> r = q.from(Person.class);
      q.select(r).where(cb.like(cb.lower(r.get("name")), "%" + CANARY + "%"));
      return s.createQuery(q).getResultList();
    });
    o.rejected("bulk update of encrypted attribute", "Card.cvv", (s, sf) -> s.createMutationQuery(
        "update Card c set c.cvv = :v").setParameter("v", CANARY + "000").executeUpdate());
    o.works("bulk update of encrypted attribute by primary key (re-encrypted in its row)", (s, sf) -> s.createMutationQuery(
        "update Person p set p.home.street = :st where p.id = :id").setParameter("st", "bulk " + CANARY)
        .setParameter("id", people.get(0)).executeUpdate());
    o.rejected("bulk update computing encrypted from itself", "Account.balanceCents", (s, sf) -> s.createMutationQuery(
        "update Account a set a.balanceCents = a.balanceCents + 1").executeUpdate());
    o.rejected("bulk update copying encrypted into plain", "Account.iban", (s, sf) -> s.createMutationQuery(
        "update Account a set a.label = a.iban").executeUpdate());
    o.rejected("bulk delete by encrypted predicate", "Card.number", (s, sf) -> s.createMutationQuery(
        "delete from Card c where c.number = :n").setParameter("n", "4111" + CANARY + "0001").executeUpdate());
    o.rejected("HQL insert ... select of encrypted attributes", "Customer.name", (s, sf) -> s.createMutationQuery(
        "insert into Customer (id, name, nationalId) select c.id + 100000, c.holderName, c.cvv from Card c")
        .executeUpdate());
    o.rejected("a write, then a rejected query, in one transaction", "Account.iban", (s, sf) -> {
      s.find(Account.class, accounts.get(0)).label = "rolled back";
      s.flush();
      return s.createSelectionQuery("from Account a where a.iban = :i", Account.class).setParameter("i", "x")
          .getResultList();
    });
    o.sameState("rejections");

    // --- Deletes -------------------------------------------------------------------------------------------------------
    o.works("remove Card", (s, sf) -> {
      s.remove(s.find(Card.class, cards.get(5)));
      return "removed";
    });
    o.works("remove Person", (s, sf) -> {
      s.remove(s.find(Person.class, people.get(3)));
      return "removed";
    });
    o.works("remove AllTypes", (s, sf) -> {
      s.remove(s.find(AllTypes.class, 3L));
      return "removed";
    });
    o.works("remove Account (IDENTITY, versioned)", (s, sf) -> {
      s.remove(s.find(Account.class, accounts.get(3)));
      return "removed";
    });
    o.works("remove Customer with its Cards", (s, sf) -> {
      List<Card> theirs = s.createSelectionQuery("from Card c where c.customer.id = :id", Card.class)
          .setParameter("id", customerB).getResultList();
      theirs.forEach(s::remove);
      s.flush();
      s.remove(s.find(Customer.class, customerB));
      return theirs.size();
    });
    o.works("merge a removed entity's stale copy is refused alike", (s, sf) -> {
      Card gone = new Card("4111" + CANARY + "gone", null, null, null);
      gone.id = cards.get(5);
      gone.version = 0;
      return s.merge(gone);
    });
    o.sameState("deletes");
    o.works("final count per entity", (s, sf) -> {
      List<Long> counts = new ArrayList<>();
      for (Class<?> e : ENTITIES) {
        counts.add(s.createSelectionQuery("select count(*) from " + e.getSimpleName(), Long.class).getSingleResult());
      }
      return counts;
    });
  }

  /** Values within what plain columns hold exactly (whole seconds, scale 2, UTC offset) so the sides can agree. */
  private static AllTypes allTypes(long id) {
    AllTypes a = new AllTypes();
    a.id = id;
    boolean nulls = id == 3;
    a.vString = nulls ? null : "all types " + CANARY + id;
    a.vBytes = nulls ? null : ("bytes " + CANARY + id).getBytes(StandardCharsets.UTF_8);
    a.vBoolean = id % 2 == 0;
    a.vInt = (int) id * -7;
    a.vLong = Long.MAX_VALUE - id;
    a.vDouble = id + 0.25;
    a.vDecimal = nulls ? null : new BigDecimal("1234.5" + id);
    a.vBigInteger = nulls ? null : BigInteger.valueOf(2).pow(80).add(BigInteger.valueOf(id));
    a.vLocalDate = nulls ? null : LocalDate.of(2026, 3, (int) id);
    a.vLocalTime = nulls ? null : LocalTime.of(10, 20, (int) id);
    a.vLocalDateTime = nulls ? null : LocalDateTime.of(2026, 3, 4, 5, 6, (int) id);
    a.vInstant = nulls ? null : Instant.parse("2026-03-04T05:06:0" + id + "Z");
    a.vOffsetDateTime = nulls ? null : OffsetDateTime.of(2026, 3, 4, 5, 6, (int) id, 0, ZoneOffset.UTC);
    a.vUuid = nulls ? null : new UUID(id, -id);
    a.vEnum = nulls ? null : AllTypes.Colour.values()[(int) id % 3];
    a.vNullable = nulls ? null : (int) id;
    return a;
  }
}
