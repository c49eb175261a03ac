package io.rowseal.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.rowseal.RowSeal;
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

/**
 * Builds the application's {@link RowSeal} from the {@code rowseal.*} properties (the keys of a RowSeal
 * configuration file, read by {@link RowSealConfiguration}), reporting the key caches' and KMS meters to the
 * application's {@link MeterRegistry}, and wraps every {@code DataSource} bean once
 * ({@link RowSealDataSourceWrapper}). An application that defines its own {@code RowSeal} bean (hierarchical
 * mode, keys built in code) keeps it; the DataSource is wrapped with it. {@code rowseal.enabled = false} turns
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
  RowSeal rowSeal(RowSealProperties properties, ObjectProvider<MeterRegistry> meterRegistry) {
    Properties p = properties.properties();
    if ("hierarchical".equals(p.getProperty("rowseal.mode", "").trim())) {
      throw new IllegalStateException("rowseal.mode = hierarchical is not read from Spring properties yet (the KEK"
          + " table needs the DataSource): define a RowSeal bean with RowSeal.builder().hierarchical("
          + "KekStore.builder(dataSource).build()), and the starter wraps the DataSource with it");
    }
    // key caches and KMS calls report to the application's registry
    return RowSealConfiguration.fromProperties(p, properties.baseDirectory(), meterRegistry.getIfAvailable());
  }

  @Bean
  static RowSealDataSourceWrapper rowSealDataSourceWrapper(ObjectProvider<RowSeal> rowSeal) {
    return new RowSealDataSourceWrapper(rowSeal);
  }
}
