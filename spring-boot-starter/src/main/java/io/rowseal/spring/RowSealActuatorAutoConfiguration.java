package io.rowseal.spring;

import io.rowseal.RowSeal;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code rowseal} health indicator (with Spring Boot's health module) and the {@code rowseal} endpoint (with
 * Actuator), each only when its classes are present and it is enabled ({@code management.health.rowseal.enabled},
 * {@code management.endpoint.rowseal.access}).
 */
@AutoConfiguration(after = RowSealAutoConfiguration.class)
@ConditionalOnBean(RowSeal.class)
public class RowSealActuatorAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("rowseal")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "rowsealHealthIndicator")
    RowSealHealthIndicator rowsealHealthIndicator(RowSeal rowSeal, ObjectProvider<RowSealProperties> properties) {
      return new RowSealHealthIndicator(rowSeal, properties.getIfAvailable());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class Endpoint {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(RowSealEndpoint.class)
    RowSealEndpoint rowSealEndpoint(RowSeal rowSeal, RowSealDataSourceWrapper wrapper) {
      return new RowSealEndpoint(rowSeal, wrapper);
    }
  }
}
