package io.rowseal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.RowSeal;
import io.rowseal.spring.sample.Customer;
import io.rowseal.spring.sample.CustomerRepository;
import io.rowseal.spring.sample.SampleApplication;
import io.rowseal.testsupport.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code rowseal.mode = hierarchical} from Spring properties alone, on PostgreSQL: with no
 * {@code rowseal.kek.jdbc-url}, the KEK table lives in the {@code spring.datasource.url} database, reached through
 * RowSeal's own connections and created at start ({@code rowseal.kek.migrate}); rows written through JPA carry a
 * {@code kek:} key reference whose KEK row is wrapped by the keystore's master key, and read back through JPA
 * and JdbcTemplate.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class HierarchicalModeTest {
  private static final Path DIR;
  private static final String SCHEMA = TestDatabases.uniqueName("spring_kek");

  static {
    try {
      DIR = Files.createTempDirectory("rowseal-spring-kek");
      Keystores.create(DIR.resolve("rowseal.p12"), "k1");
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("sample.schema", () -> SCHEMA);
    registry.add("rowseal.keystore.path", () -> DIR.resolve("rowseal.p12").toString());
    registry.add("rowseal.keystore.password", () -> Keystores.PASSWORD);
    registry.add("rowseal.keystore.active", () -> "k1");
    registry.add("rowseal.mode", () -> "hierarchical");
    registry.add("rowseal.kek.migrate", () -> "true");
    // the application's own database settings; the sample's pool bean ignores them, RowSeal's KEK store reads them
    PGSimpleDataSource postgres = (PGSimpleDataSource) TestDatabases.postgres();
    String url = postgres.getUrl();
    registry.add("spring.datasource.url", () -> url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
    registry.add("spring.datasource.username", postgres::getUser);
    registry.add("spring.datasource.password", () -> postgres.getPassword() == null ? "" : postgres.getPassword());
  }

  @Autowired RowSeal rowSeal;
  @Autowired RowSealDataSourceWrapper wrapper;
  @Autowired CustomerRepository customers;
  @Autowired JdbcTemplate jdbc;

  @Test
  void jpaSave_wrappedUnderAKekInTheSpringDatasourceDatabase_readBack() throws Exception {
    Customer saved = customers.save(new Customer("Grace Hopper", "NI-GH-1906", "Arlington"));

    assertThat(customers.findById(saved.getId())).get().extracting(Customer::getName).isEqualTo("Grace Hopper");
    assertThat(jdbc.queryForObject("select national_id from customers where id = ?", String.class, saved.getId()))
        .isEqualTo("NI-GH-1906");
    try (Connection c = wrapper.undecorated("dataSource").getConnection();
        PreparedStatement ps = c.prepareStatement("select name, rowseal_dek from customers where id = ?")) {
      ps.setLong(1, saved.getId());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain("Grace");
        String companion = new String(rs.getBytes(2), StandardCharsets.ISO_8859_1);
        assertThat(companion).contains("kek:").doesNotContain("local:k1");
        String kekId = companion.substring(companion.indexOf("kek:") + 4, companion.indexOf("kek:") + 40);
        try (PreparedStatement kek = c.prepareStatement("select wrapped_kek from rowseal_kek where id = ?")) {
          kek.setString(1, kekId);
          try (ResultSet k = kek.executeQuery()) {
            assertThat(k.next()).as("KEK %s in %s.rowseal_kek", kekId, SCHEMA).isTrue();
            assertThat(new String(k.getBytes(1), StandardCharsets.ISO_8859_1)).contains("local:k1");
          }
        }
      }
    }
    assertThat(rowSeal.toString()).doesNotContain(Keystores.PASSWORD);
  }
}
