/**
 * The RowSeal Hibernate ORM 7 integration: {@link io.rowseal.Encrypted} entity fields. Putting this module
 * on the classpath and configuring a key ring ({@link io.rowseal.hibernate.RowSealSettings}) is the whole
 * set-up: the integration reads {@code @Encrypted} from Hibernate's boot model, validates the mapping and
 * runs Hibernate's SQL through the JDBC wrapper's engine, so entities and plain JDBC share one write path,
 * one read path and one set of fail-closed checks.
 */
@NullMarked
package io.rowseal.hibernate;

import org.jspecify.annotations.NullMarked;
