/**
 * RowSeal for Spring Boot 4: auto-configuration that wraps the application's DataSource once, binds
 * {@code rowseal.*} properties and contributes a health indicator and an actuator endpoint. Spring
 * creates the configuration classes reflectively, hence the qualified opens.
 */
module io.rowseal.spring {
  requires transitive io.rowseal;
  requires transitive io.rowseal.jdbc;
  requires static io.rowseal.hibernate;
  requires java.sql;
  requires org.slf4j;
  requires static org.jspecify;
  requires spring.core;
  requires spring.beans;
  requires spring.context;
  requires spring.boot;
  requires spring.boot.autoconfigure;
  requires static spring.boot.health;
  requires static spring.boot.actuator;
  requires static spring.boot.actuator.autoconfigure;
  requires static software.amazon.awssdk.services.kms;

  exports io.rowseal.spring;
  opens io.rowseal.spring to spring.core, spring.beans, spring.context;
}
