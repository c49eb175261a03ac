/**
 * RowSeal for plain JDBC: {@link io.rowseal.jdbc.RowSealDataSource} wraps any {@link javax.sql.DataSource}
 * so that the configured columns are encrypted on the way in and decrypted on the way out.
 */
@NullMarked
package io.rowseal.jdbc;

import org.jspecify.annotations.NullMarked;
