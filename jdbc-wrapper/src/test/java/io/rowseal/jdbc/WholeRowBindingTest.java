package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The wrapper hands a written row to the driver whole or not at all: every value of the row is sealed before the
 * first parameter reaches the driver's statement, so a value that cannot be sealed leaves nothing of its row
 * behind there, not even the columns before it. Watched from a recording DataSource below RowSeal, on H2.
 */
class WholeRowBindingTest {

  /** The parameter-setting calls ({@code setXxx(index, ...)}) the driver's prepared statements received. */
  private final List<String> driverCalls = new ArrayList<>();

  @Test
  void addBatch_laterValueCannotBeSealed_driverReceivedNoParameterOfTheRow() throws Exception {
    DataSource raw = TestDatabases.h2(TestDatabases.uniqueName("wholerow"));
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table acct (id bigint primary key, holder varbinary(512), amount varbinary(512),"
          + " note varchar(40), rowseal_dek varbinary(512))");
    }
    EncryptedTable table = EncryptedTable.builder("acct").idColumns("id")
        .column("holder", String.class).column("amount", BigDecimal.class).build();
    RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(Cards.masterKey("k1"))).table(table).build();
    DataSource wrapped = RowSealDataSource.wrap(recording(raw), rowSeal);

    try (Connection c = wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into acct (id, holder, note, amount) values (?, ?, ?, ?)")) {
      ps.setLong(1, 1);
      ps.setString(2, "Ada");
      ps.setString(3, "first");
      ps.setString(4, "not an amount"); // the last encrypted value of the row cannot be sealed
      Throwable thrown = catchThrowable(ps::addBatch);

      assertThat(thrown).isInstanceOf(SQLException.class).hasMessageContaining("acct.amount")
          .hasMessageNotContaining("not an amount");
      assertThat(((SQLException) thrown).getSQLState()).isEqualTo("22R02");
      assertThat(driverCalls).as("parameters of the failed row sent to the driver").isEmpty();

      ps.setBigDecimal(4, new BigDecimal("12.50"));
      ps.addBatch();
      assertThat(driverCalls).hasSize(5); // id, holder, note, amount and the companion, once each
      assertThat(ps.executeBatch()).containsExactly(1);
    }
    try (Connection c = wrapped.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, holder, note, amount from acct")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(1);
      assertThat(rs.getString(2)).isEqualTo("Ada");
      assertThat(rs.getString(3)).isEqualTo("first");
      assertThat(rs.getBigDecimal(4)).isEqualByComparingTo("12.50");
      assertThat(rs.next()).isFalse();
    }
  }

  /** {@code raw}, with every {@code set*} call on its prepared statements recorded in {@link #driverCalls}. */
  private DataSource recording(DataSource raw) {
    return proxy(DataSource.class, raw, (m, args) -> {
      Object result = invoke(m, raw, args);
      return result instanceof Connection ? recording((Connection) result) : result;
    });
  }

  private Connection recording(Connection c) {
    return proxy(Connection.class, c, (m, args) -> {
      Object result = invoke(m, c, args);
      if (m.getName().equals("prepareStatement") && result instanceof PreparedStatement) {
        PreparedStatement ps = (PreparedStatement) result;
        return proxy(PreparedStatement.class, ps, (pm, pargs) -> {
          if (pm.getName().startsWith("set") && pargs != null && pargs.length >= 2 && pargs[0] instanceof Integer) {
            driverCalls.add(pm.getName() + "(" + pargs[0] + ")");
          }
          return invoke(pm, ps, pargs);
        });
      }
      return result;
    });
  }

  private interface Handler {
    Object handle(java.lang.reflect.Method m, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, Object target, Handler h) {
    return type.cast(Proxy.newProxyInstance(WholeRowBindingTest.class.getClassLoader(), new Class<?>[] {type},
        (p, m, args) -> h.handle(m, args)));
  }

  private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
