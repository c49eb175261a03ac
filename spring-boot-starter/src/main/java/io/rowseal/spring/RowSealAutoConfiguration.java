package io.rowseal.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.rowseal.RowSeal;
import io.rowseal.config.KekDatabase;
import io.rowseal.config.RowSealConfiguration;
import io.rowseal.spring.internal.EnvironmentProperties;
import java.nio.file.Path;
import java.util.Properties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Builds the application's {@link RowSeal} from the {@code rowseal.*} properties (the keys of a RowSeal
 * configuration file, read by {@link RowSealConfiguration}), reporting the key caches' and KMS meters to the
 * application's {@link MeterRegistry}, and wraps every {@code DataSource} bean once
 * ({@link RowSealDataSourceWrapper}). Hierarchical mode ({@code rowseal.mode = hierarchical}) keeps its KEK table
 * where {@code rowseal.kek.jdbc-url} says, else in the {@code spring.datasource.url} database through connections
 * of its own. An application that defines its own {@code RowSeal} bean (keys built in code) keeps it; the
 * DataSource is wrapped with it. {@code rowseal.enabled = false} turns
 * the starter off.
 *
 * <p>Relative paths ({@code rowseal.keystore.path}, {@code password-file}) resolve against the working
 * directory.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "rowseal.enabled", matchIfMissing = true)
public class RowSealAutoConfiguration {

  /** The {@code rowseal.*} properties the RowSeal bean was built from (the health check re-reads the keystore). */
  @Bean
  @ConditionalOnMissingBean(RowSeal.class)
  RowSealProperties rowSealProperties(ConfigurableEnvironment environment) {
    return new RowSealProperties(EnvironmentProperties.rowsealSubtree(environment), Path.of("").toAbsolutePath());
  }

  @Bean
  @ConditionalOnMissingBean(RowSeal.class)
  RowSeal rowSeal(RowSealProperties properties, ObjectProvider<MeterRegistry> meterRegistry, Environment environment) {
    Properties p = properties.properties();
    KekDatabase kekDatabase = null;
    if ("hierarchical".equals(p.getProperty("rowseal.mode", "").trim()) && p.getProperty("rowseal.kek.jdbc-url") == null) {
      kekDatabase = kekDatabase(environment);
    }
    // key caches and KMS calls report to the application's registry
    return RowSealConfiguration.fromProperties(p, properties.baseDirectory(), meterRegistry.getIfAvailable(), kekDatabase);
  }

  /**
   * Hierarchical mode without {@code rowseal.kek.jdbc-url}: {@code rowseal_kek} in the application's database,
   * through two connections of RowSeal's own opened with {@code spring.datasource.url/username/password} (a KEK
   * read never waits for the application's pool).
   */
  private static KekDatabase kekDatabase(Environment environment) {
    String url = environment.getProperty("spring.datasource.url");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("rowseal.mode = hierarchical needs the database that holds rowseal_kek: set"
          + " rowseal.kek.jdbc-url (with rowseal.kek.user and rowseal.kek.password-env), or spring.datasource.url"
          + " (RowSeal then opens two connections of its own with spring.datasource.username and password)");
    }
    Properties connection = new Properties();
    String user = environment.getProperty("spring.datasource.username");
    if (user != null) {
      connection.setProperty("user", user);
    }
    String password = environment.getProperty("spring.datasource.password");
    if (password != null) {
      connection.setProperty("password", password);
    }
    return KekDatabase.connect(url.trim(), connection);
  }

  @Bean
  static RowSealDataSourceWrapper rowSealDataSourceWrapper(ObjectProvider<RowSeal> rowSeal) {
    return new RowSealDataSourceWrapper(rowSeal);
  }
}
