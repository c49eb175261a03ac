/**
 * Spring Boot 4 auto-configuration for RowSeal: a {@link io.rowseal.RowSeal} bean from {@code rowseal.*}
 * properties, every {@code DataSource} bean wrapped once by {@link io.rowseal.jdbc.RowSealDataSource}, the key
 * caches' and KMS meters in the application's {@code MeterRegistry}, and the Actuator health indicator and
 * endpoint {@code rowseal}.
 */
@NullMarked
package io.rowseal.spring;

import org.jspecify.annotations.NullMarked;
