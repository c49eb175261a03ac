package io.rowseal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.rowseal.RowSeal;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.jdbc.internal.JdbcEngine;
import io.rowseal.spring.sample.Customer;
import io.rowseal.spring.sample.CustomerRepository;
import io.rowseal.spring.sample.CustomerService;
import io.rowseal.spring.sample.SampleApplication;
import io.rowseal.testsupport.TestDatabases;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sample Spring Boot application on PostgreSQL (Spring Data JPA, JdbcTemplate, JdbcClient, Flyway, Actuator,
 * HikariCP), with RowSeal configured by properties only: every path encrypts, every path reads what the others
 * wrote, the pool is wrapped once, and the meters, health and endpoint are where Spring Boot users look.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {
  private static final Path DIR;
  private static final byte[] KEY;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicLong JDBC_IDS = new AtomicLong(1_000_000);

  static {
    try {
      DIR = Files.createTempDirectory("rowseal-spring");
      KEY = Keystores.create(DIR.resolve("rowseal.p12"), "k1");
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("sample.schema", () -> TestDatabases.uniqueName("spring"));
    registry.add("rowseal.keystore.path", () -> DIR.resolve("rowseal.p12").toString());
    registry.add("rowseal.keystore.password", () -> Keystores.PASSWORD);
    registry.add("rowseal.keystore.active", () -> "k1");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try (var files = Files.list(DIR)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(DIR);
  }

  @Autowired DataSource dataSource;
  @Autowired RowSeal rowSeal;
  @Autowired RowSealDataSourceWrapper wrapper;
  @Autowired CustomerRepository customers;
  @Autowired CustomerService service;
  @Autowired JdbcTemplate jdbc;
  @Autowired JdbcClient jdbcClient;
  @Autowired TransactionTemplate transactions;
  @Autowired EntityManager entityManager;
  @Autowired MeterRegistry meterRegistry;
  @Autowired org.flywaydb.core.Flyway flyway;
  @LocalServerPort int port;

  @Test
  void jpaSave_storedEncrypted_readByJdbcTemplateAndJdbcClient() throws Exception {
    Customer saved = customers.save(new Customer("Ada Lovelace", "NI-ADA-1815", "London"));

    assertEncryptedAtRest(saved.getId(), "Ada Lovelace", "NI-ADA-1815");
    assertThat(jdbc.queryForMap("select name, national_id, city from customers where id = ?", saved.getId()))
        .containsEntry("name", "Ada Lovelace").containsEntry("national_id", "NI-ADA-1815").containsEntry("city", "London");
    assertThat(jdbcClient.sql("select name from customers where id = :id").param("id", saved.getId())
        .query(String.class).single()).isEqualTo("Ada Lovelace");
  }

  @Test
  void jdbcTemplateInsertOutsideTransaction_storedEncrypted_readByJpa() throws Exception {
    long id = JDBC_IDS.incrementAndGet();

    jdbc.update(insertSql(), id, "Grace Hopper", "NI-GRACE-1906", "Arlington");

    assertEncryptedAtRest(id, "Grace Hopper", "NI-GRACE-1906");
    Customer read = customers.findById(id).orElseThrow();
    assertThat(read.getName()).isEqualTo("Grace Hopper");
    assertThat(read.getNationalId()).isEqualTo("NI-GRACE-1906");
  }

  @Test
  void jdbcTemplateInsideJpaTransaction_bothRowsEncrypted_eachReadByTheOtherPath() throws Exception {
    long jdbcId = JDBC_IDS.incrementAndGet();

    long jpaId = service.saveBothWaysInOneTransaction(new Customer("Edsger Dijkstra", "NI-EWD-1930", "Austin"),
        jdbcId, "Barbara Liskov", "NI-BL-1939", "Cambridge");

    assertEncryptedAtRest(jpaId, "Edsger Dijkstra", "NI-EWD-1930");
    assertEncryptedAtRest(jdbcId, "Barbara Liskov", "NI-BL-1939");
    assertThat(customers.findById(jdbcId).orElseThrow().getName()).isEqualTo("Barbara Liskov");
    assertThat(jdbcClient.sql("select national_id from customers where id = ?").param(jpaId)
        .query(String.class).single()).isEqualTo("NI-EWD-1930");
  }

  @Test
  void jdbcClientInsert_storedEncrypted_readByJpaDerivedQuery() throws Exception {
    long id = JDBC_IDS.incrementAndGet();
    jdbcClient.sql(insertSql()).params(id, "Alan Turing", "NI-AMT-1912", "Wilmslow").update();

    assertEncryptedAtRest(id, "Alan Turing", "NI-AMT-1912");
    assertThat(customers.findByCityOrderByIdAsc("Wilmslow")).extracting(Customer::getName).containsExactly("Alan Turing");
  }

  @Test
  void flywayMigration_runsOnTheWrappedDataSource_seedRowEncrypted() throws Exception {
    assertThat(flyway.getConfiguration().getDataSource()).isSameAs(dataSource);

    assertEncryptedAtRest(999_999L, "Seed Customer", "NI-SEED-0");
    assertThat(customers.findById(999_999L).orElseThrow().getNationalId()).isEqualTo("NI-SEED-0");
  }

  @Test
  void derivedQueryOnPlainAttributeWithPaging_decryptsEveryPage() {
    for (int i = 0; i < 5; i++) {
      customers.save(new Customer("Paged " + i, "NI-P-" + i, "Pagetown"));
    }
    jdbc.update(insertSql(), JDBC_IDS.incrementAndGet(), "Paged jdbc", "NI-P-J", "Pagetown");

    List<String> names = new ArrayList<>();
    Page<Customer> page = customers.findByCity("Pagetown", PageRequest.of(0, 4));
    assertThat(page.getTotalElements()).isEqualTo(6);
    page.forEach(c -> names.add(c.getName()));
    customers.findByCity("Pagetown", page.nextPageable()).forEach(c -> names.add(c.getName()));

    assertThat(names).containsExactlyInAnyOrder("Paged 0", "Paged 1", "Paged 2", "Paged 3", "Paged 4", "Paged jdbc");
  }

  @Test
  void transactionalUpdate_reencrypted_readEverywhere() throws Exception {
    Customer saved = customers.save(new Customer("Kathleen Booth", "NI-KB-1922", "Stoke"));
    byte[] before = rawRow(saved.getId()).name;

    service.rename(saved.getId(), "Kathleen Britten");

    assertEncryptedAtRest(saved.getId(), "Kathleen Britten", "NI-KB-1922");
    assertThat(rawRow(saved.getId()).name).isNotEqualTo(before);
    assertThat(jdbc.queryForObject("select name from customers where id = ?", String.class, saved.getId()))
        .isEqualTo("Kathleen Britten");
    assertThat(customers.findById(saved.getId()).orElseThrow().getName()).isEqualTo("Kathleen Britten");
  }

  @Test
  void dataSourceBean_wrappedExactlyOnce_jpaAndJdbcShareOneEngine() throws Exception {
    assertThat(dataSource).isInstanceOf(RowSealDataSource.class);
    assertThat(((RowSealDataSource) dataSource).rowSeal()).isSameAs(rowSeal);
    DataSource under = wrapper.undecorated("dataSource");
    assertThat(under).isInstanceOf(HikariDataSource.class).isSameAs(dataSource.unwrap(HikariDataSource.class));
    assertThat(under.isWrapperFor(RowSealDataSource.class)).isFalse();
    assertThat(layers(dataSource)).isEqualTo(1);

    JdbcEngine outside = jdbc.execute((ConnectionCallback<JdbcEngine>) c -> JdbcEngine.of(c).orElseThrow());
    JdbcEngine[] inside = new JdbcEngine[2];
    transactions.executeWithoutResult(status -> {
      inside[0] = entityManager.unwrap(Session.class).doReturningWork(c -> JdbcEngine.of(c).orElseThrow());
      inside[1] = jdbc.execute((ConnectionCallback<JdbcEngine>) c -> JdbcEngine.of(c).orElseThrow());
    });
    assertThat(inside[0]).isSameAs(outside);
    assertThat(inside[1]).isSameAs(outside);

    // One engine plans each new text once: one layer, one plan cache for every path.
    long before = outside.plansMade();
    String text = "select city from customers where id = ? -- " + System.nanoTime();
    jdbc.queryForList(text, String.class, 1L);
    jdbc.queryForList(text, String.class, 2L);
    assertThat(outside.plansMade() - before).isEqualTo(1);
  }

  @Test
  void meters_inTheApplicationsRegistry() {
    customers.save(new Customer("Meter Reader", "NI-MR", "Metz"));

    assertThat(meterRegistry.find("cache.gets").tag("cache", "rowseal.dek").meters()).isNotEmpty();
    assertThat(meterRegistry.find("cache.size").tag("cache", "rowseal.dek").gauge()).isNotNull();
    // Spring Boot's own pool metrics still find HikariCP under the wrapper.
    assertThat(meterRegistry.find("hikaricp.connections").tag("pool", "sample").gauge()).isNotNull();
  }

  @Test
  void rowsealEndpoint_rowsPerKeyPerTable_noKeyMaterial() throws Exception {
    customers.save(new Customer("Endpoint", "NI-EP", "Counting"));
    long rows = jdbc.queryForObject("select count(*) from customers", Long.class);

    HttpResponse<String> response = get("/actuator/rowseal");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"activeKey\":\"local:k1\"")
        // subscribers (SearchableRepositoryTest's table) has no row in this application's schema; tables in any order
        .containsPattern("\"dataSource\":\\{\"tables\":\\{(\"subscribers\":\\{},)?\"customers\":\\{\"local:k1\":" + rows
            + "}(,\"subscribers\":\\{})?}}")
        .contains("\"subscribers\":{}");
    assertNoSecrets(response.body());
  }

  @Test
  void health_keystoreUnreadable_downNamingTheKey_upAgainWhenRestored() throws Exception {
    HttpResponse<String> up = get("/actuator/health/rowseal");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).contains("\"status\":\"UP\"").contains("\"local:k1\":\"available\"")
        .contains("\"cryptoProvider\":\"jdk\""); // ACCP is not on this application's class path: auto falls back

    Path keystore = DIR.resolve("rowseal.p12");
    Path aside = DIR.resolve("rowseal.p12.aside");
    Files.move(keystore, aside, StandardCopyOption.ATOMIC_MOVE);
    try {
      HttpResponse<String> down = get("/actuator/health/rowseal");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("\"local:k1\":\"Keystore ")
          .contains("does not exist");
      assertNoSecrets(down.body());

      Files.writeString(keystore, "not a keystore");
      HttpResponse<String> corrupt = get("/actuator/health/rowseal");
      assertThat(corrupt.statusCode()).isEqualTo(503);
      assertThat(corrupt.body()).contains("\"status\":\"DOWN\"").contains("\"local:k1\"");
      assertNoSecrets(corrupt.body());
    } finally {
      Files.move(aside, keystore, StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(get("/actuator/health/rowseal").statusCode()).isEqualTo(200);
  }

  private static String insertSql() {
    return "insert into customers (id, name, national_id, city, version) values (?, ?, ?, ?, 0)";
  }

  /** RowSeal layers between the bean and the pool, counted down the unwrap chain. */
  private int layers(DataSource top) throws Exception {
    int n = 0;
    DataSource d = top;
    while (d instanceof RowSealDataSource || d.isWrapperFor(RowSealDataSource.class)) {
      n++;
      DataSource next = wrapper.undecorated("dataSource");
      if (next == null || next == d) {
        break;
      }
      d = next;
    }
    return n;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertNoSecrets(String body) {
    assertThat(body).doesNotContain(Keystores.PASSWORD)
        .doesNotContain(HexFormat.of().formatHex(KEY))
        .doesNotContain(Base64.getEncoder().encodeToString(KEY));
  }

  private record RawRow(byte[] name, String nationalId, byte[] companion) {}

  /** The row as stored, read through the undecorated pool (a DBA's view). */
  private RawRow rawRow(long id) throws Exception {
    try (Connection c = wrapper.undecorated("dataSource").getConnection();
        PreparedStatement ps = c.prepareStatement("select name, national_id, rowseal_dek from customers where id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("row %s exists", id).isTrue();
        return new RawRow(rs.getBytes(1), rs.getString(2), rs.getBytes(3));
      }
    }
  }

  private void assertEncryptedAtRest(long id, String name, String nationalId) throws Exception {
    RawRow raw = rawRow(id);
    assertThat(raw.companion()).as("companion of row %s", id).isNotEmpty();
    assertThat(new String(raw.name(), StandardCharsets.ISO_8859_1)).doesNotContain(name);
    assertThat(raw.nationalId()).startsWith("rs1:").doesNotContain(nationalId);
    String decodedText = new String(Base64.getDecoder().decode(raw.nationalId().substring(4)), StandardCharsets.ISO_8859_1);
    assertThat(decodedText).doesNotContain(nationalId);
  }
}
