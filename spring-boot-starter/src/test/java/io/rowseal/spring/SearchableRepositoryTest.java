package io.rowseal.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.RowSeal;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.spring.sample.SampleApplication;
import io.rowseal.spring.sample.Subscriber;
import io.rowseal.spring.sample.SubscriberRepository;
import io.rowseal.testsupport.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data derived queries on searchable encrypted attributes, on PostgreSQL through the starter's wrapped
 * pool: with the full-length e-mail index {@code findByEmail}, {@code existsByEmail}, {@code countByEmail} and
 * {@code deleteByEmail} all work; with the 16-bit phone index {@code findBy} and {@code deleteBy} work (RowSeal
 * drops the false positives after decrypting), while {@code existsBy} and {@code countBy}, whose answer the
 * database would compute from the matching rows (LIMIT, COUNT), are refused with a message naming the column
 * and the way out.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SearchableRepositoryTest {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("rowseal-spring-search");
      Keystores.create(DIR.resolve("rowseal.p12"), "k1");
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("sample.schema", () -> TestDatabases.uniqueName("spring_search"));
    registry.add("rowseal.keystore.path", () -> DIR.resolve("rowseal.p12").toString());
    registry.add("rowseal.keystore.password", () -> Keystores.PASSWORD);
    registry.add("rowseal.keystore.active", () -> "k1");
  }

  @Autowired DataSource dataSource;
  @Autowired RowSeal rowSeal;
  @Autowired SubscriberRepository subscribers;

  private DataSource raw() {
    try {
      return dataSource.unwrap(HikariDataSource.class);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void subscribers() throws Exception {
    IndexKeyStore.builder(raw(), rowSeal.keyRing()).build().migrate();
    subscribers.deleteAllInBatch();
    List<Subscriber> all = new ArrayList<>();
    for (long i = 1; i <= 30; i++) {
      all.add(new Subscriber(i, "User" + i + "@Example.com", "+44 20 7946 00" + (i % 4)));
    }
    subscribers.saveAll(all);
  }

  @Test
  void derivedQueries_onFullLengthIndex_findExistCountAndDelete() {
    assertThat(subscribers.findByEmail("USER7@example.com")).get().extracting(Subscriber::getId).isEqualTo(7L);
    assertThat(subscribers.findByEmail("nobody@example.com")).isEmpty();
    assertThat(subscribers.existsByEmail("user8@EXAMPLE.com")).isTrue();
    assertThat(subscribers.existsByEmail("nobody@example.com")).isFalse();
    assertThat(subscribers.countByEmail("user9@example.com")).isEqualTo(1);

    assertThat(subscribers.deleteByEmail("User9@Example.COM")).isEqualTo(1);

    assertThat(subscribers.existsById(9L)).isFalse();
    assertThat(subscribers.count()).isEqualTo(29);
    // the application cannot name the index column; underneath the wrapper every row has one
    assertThat(new JdbcTemplate(raw()).queryForObject("select count(*) from subscribers where email_idx is not null",
        Long.class)).isEqualTo(29);
  }

  @Test
  void derivedQueries_onTruncatedIndex_findAndDeleteExactly_existsAndCountRefusedClearly() {
    List<Long> ids = new ArrayList<>();
    subscribers.findByPhoneOrderByIdAsc("44207946002").forEach(s -> ids.add(s.getId()));
    assertThat(ids).containsExactly(2L, 6L, 10L, 14L, 18L, 22L, 26L, 30L);

    assertThatThrownBy(() -> subscribers.existsByPhone("44207946002"))
        .hasStackTraceContaining("subscribers.phone").hasStackTraceContaining("16 bits")
        .hasStackTraceContaining("java.sql.SQLFeatureNotSupportedException");
    assertThatThrownBy(() -> subscribers.countByPhone("44207946002"))
        .hasStackTraceContaining("subscribers.phone").hasStackTraceContaining("16 bits");

    assertThat(subscribers.deleteByPhone("(44) 20-7946-001")).isEqualTo(8);
    assertThat(subscribers.count()).isEqualTo(22);
    assertThat(subscribers.findByPhoneOrderByIdAsc("44207946001")).isEmpty();
  }
}
