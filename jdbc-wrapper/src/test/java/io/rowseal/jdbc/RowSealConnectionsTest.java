package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** {@link RowSealConnections}: the public hook for wrapping single connections. */
class RowSealConnectionsTest {
  @Test
  void wrap_rawConnection_encryptsOnWriteAndDecryptsOnRead() throws SQLException {
    try (Cards cards = Cards.create(Db.H2)) {
      RowSealConnections connections = RowSealConnections.create(cards.rowSeal);

      try (Connection c = connections.wrap(cards.raw.getConnection())) {
        try (PreparedStatement ps = c.prepareStatement(cards.sql(Cards.INSERT))) {
          ps.setLong(1, 1L);
          ps.setString(2, "Jane Q Public");
          ps.setString(3, "4111111111111111");
          ps.setString(4, "737");
          ps.setString(5, "visible");
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(cards.sql("select card_number from T where id = 1"));
            ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("4111111111111111");
        }
      }
      try (Connection raw = cards.raw.getConnection();
          PreparedStatement ps = raw.prepareStatement(cards.sql("select card_number from T where id = 1"));
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain("4111111111111111");
      }
    }
  }

  @Test
  void wrap_readsWhatRowSealDataSourceWrote() throws SQLException {
    try (Cards cards = Cards.create(Db.H2)) {
      try (Connection c = cards.wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement(cards.sql(Cards.INSERT))) {
        ps.setLong(1, 2L);
        ps.setString(2, "John");
        ps.setString(3, "5500000000000004");
        ps.setString(4, "123");
        ps.setString(5, "n");
        ps.executeUpdate();
      }

      try (Connection c = RowSealConnections.builder(cards.rowSeal).planCacheSize(8).build()
              .wrap(cards.raw.getConnection());
          PreparedStatement ps = c.prepareStatement(cards.sql("select card_number, cvv from T where id = 2"));
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("5500000000000004");
        assertThat(rs.getString(2)).isEqualTo("123");
      }
    }
  }

  @Test
  void wrap_connectionFromRowSealDataSource_refused() throws SQLException {
    try (Cards cards = Cards.create(Db.H2); Connection wrapped = cards.wrapped.getConnection()) {
      assertThatThrownBy(() -> RowSealConnections.create(cards.rowSeal).wrap(wrapped))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("already goes through RowSeal");
    }
  }

  @Test
  void wrap_poolProxyOverWrappedConnection_refused() throws SQLException {
    try (Cards cards = Cards.create(Db.H2);
        com.zaxxer.hikari.HikariDataSource pool = hikariOver(cards.wrapped);
        Connection proxied = pool.getConnection()) {
      assertThat(RowSealConnections.rowSealOf(proxied)).containsSame(cards.rowSeal);
      assertThatThrownBy(() -> RowSealConnections.create(cards.rowSeal).wrap(proxied))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("already goes through RowSeal");
    }
  }

  @Test
  void rowSealOf_wrappedConnection_isTheEngineConfiguration() throws SQLException {
    try (Cards cards = Cards.create(Db.H2); Connection wrapped = cards.wrapped.getConnection()) {
      assertThat(RowSealConnections.rowSealOf(wrapped)).containsSame(cards.rowSeal);
    }
  }

  @Test
  void rowSealOf_driverConnection_empty() throws SQLException {
    try (Cards cards = Cards.create(Db.H2); Connection raw = cards.raw.getConnection()) {
      assertThat(RowSealConnections.rowSealOf(raw)).isEmpty();
    }
  }

  private static com.zaxxer.hikari.HikariDataSource hikariOver(javax.sql.DataSource dataSource) {
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setDataSource(dataSource);
    config.setMaximumPoolSize(1);
    return new com.zaxxer.hikari.HikariDataSource(config);
  }

  @Test
  void builder_nonPositivePlanCacheSize_failsNamingTheSetting() throws SQLException {
    try (Cards cards = Cards.create(Db.H2)) {
      assertThatThrownBy(() -> RowSealConnections.builder(cards.rowSeal).planCacheSize(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("planCacheSize must be positive, was 0");
    }
  }
}
