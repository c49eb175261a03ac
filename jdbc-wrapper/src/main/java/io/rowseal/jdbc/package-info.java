/**
 * The RowSeal JDBC wrapper: a {@code DataSource} whose connections encrypt and decrypt the configured
 * columns for plain JDBC code. Not built yet; see the project's issues.
 */
package io.rowseal.jdbc;
