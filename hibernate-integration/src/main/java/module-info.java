/**
 * RowSeal for Hibernate ORM 7: fields annotated {@link io.rowseal.Encrypted} are encrypted through the
 * wrapped connection pool. Only {@code io.rowseal.hibernate} (setting names) is API; Hibernate finds the
 * integration through the services below.
 */
module io.rowseal.hibernate {
  requires transitive io.rowseal;
  requires io.rowseal.jdbc;
  requires transitive org.hibernate.orm.core;
  requires java.sql;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.rowseal.hibernate;
  // Hibernate instantiates the connection provider and its initiator by name
  exports io.rowseal.hibernate.internal to org.hibernate.orm.core;

  provides org.hibernate.integrator.spi.Integrator with io.rowseal.hibernate.internal.RowSealIntegrator;
  provides org.hibernate.service.spi.ServiceContributor with io.rowseal.hibernate.internal.RowSealServiceContributor;
}
