/**
 * The RowSeal Hibernate ORM 7 integration: {@code @Encrypted} entity fields. Not built yet; see the
 * project's issues.
 */
package io.rowseal.hibernate;
