/**
 * RowSeal core: the envelope engine, key providers and key jobs.
 *
 * <p>API: {@code io.rowseal} (the engine and its value types), {@code io.rowseal.errors},
 * {@code io.rowseal.config}, {@code io.rowseal.jobs} (key jobs). SPI and shipped providers:
 * {@code io.rowseal.key} and its sub-packages. The byte formats ({@code io.rowseal.format}) and the
 * internals are exported only to RowSeal's own integration modules.
 */
module io.rowseal {
  requires transitive java.sql;
  requires static transitive org.jspecify;
  requires com.github.benmanes.caffeine;
  requires transitive micrometer.core;
  requires static software.amazon.awssdk.services.kms;
  requires static software.amazon.awssdk.core;
  requires static software.amazon.awssdk.awscore;
  requires static software.amazon.awssdk.regions;
  requires static flyway.core;
  requires static org.yaml.snakeyaml;

  exports io.rowseal;
  exports io.rowseal.errors;
  exports io.rowseal.config;
  exports io.rowseal.key;
  exports io.rowseal.key.awskms;
  exports io.rowseal.key.kek;
  exports io.rowseal.key.local;
  exports io.rowseal.jobs;
  exports io.rowseal.search;

  exports io.rowseal.format to io.rowseal.jdbc, io.rowseal.hibernate;
}
