package io.rowseal.spring.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.testsupport.TestDatabases;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The sample Spring Boot application: Spring Data JPA, JdbcTemplate, JdbcClient, Flyway and Actuator over one
 * HikariCP pool on a fresh PostgreSQL schema ({@code sample.schema}), with RowSeal configured only through
 * {@code rowseal.*} properties. The application itself never mentions RowSeal.
 */
@SpringBootApplication
public class SampleApplication {
  /** The pool, on a schema of its own (the tests' PostgreSQL, see TestDatabases). */
  @Bean
  DataSource dataSource(Environment environment) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(TestDatabases.postgresSchema(environment.getRequiredProperty("sample.schema")));
    config.setMaximumPoolSize(4);
    config.setPoolName("sample");
    return new HikariDataSource(config);
  }
}
