/**
 * RowSeal for plain JDBC: {@link io.rowseal.jdbc.RowSealDataSource} wraps any {@link javax.sql.DataSource}
 * so that the configured columns are encrypted on the way in and decrypted on the way out;
 * {@link io.rowseal.jdbc.RowSealConnections} does the same for single connections (for frameworks that hand
 * out connections, such as the Hibernate integration). {@code io.rowseal.jdbc.internal} is not API.
 */
@NullMarked
package io.rowseal.jdbc;

import org.jspecify.annotations.NullMarked;
