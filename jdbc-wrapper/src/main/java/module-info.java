/**
 * RowSeal for plain JDBC: {@link io.rowseal.jdbc.RowSealDataSource} wraps any DataSource so that SQL on
 * encrypted columns is encrypted and decrypted transparently, and everything it cannot prove safe fails.
 * Only {@code io.rowseal.jdbc} is API; the SQL engine is exported to RowSeal's Hibernate module alone.
 */
module io.rowseal.jdbc {
  requires transitive io.rowseal;
  requires transitive java.sql;
  requires static org.jspecify;
  requires com.github.benmanes.caffeine;
  requires net.sf.jsqlparser;
  requires java.sql.rowset;

  exports io.rowseal.jdbc;
  exports io.rowseal.jdbc.internal to io.rowseal.hibernate;
}
