package io.rowseal.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.RowId;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Parameters}: what each kind of setter keeps, and what reaches the driver's statement. */
class ParametersTest {
  /** The setter calls a statement received, as "name(arg, arg)". */
  private final List<String> calls = new ArrayList<>();
  private final PreparedStatement recorder = (PreparedStatement) Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
        calls.add(method.getName() + Arrays.deepToString(args));
        return null;
      });

  @Test
  void bind_primitives_reachDriverThroughTheirOwnSetterUnboxed() throws SQLException {
    Parameters p = new Parameters(7);
    p.putPrimitive(1, Parameters.LONG, Long.MIN_VALUE);
    p.putPrimitive(2, Parameters.INT, -7);
    p.putPrimitive(3, Parameters.SHORT, (short) -3);
    p.putPrimitive(4, Parameters.BYTE, (byte) -1);
    p.putPrimitive(5, Parameters.BOOLEAN, 1);
    p.putPrimitive(6, Parameters.FLOAT, Float.floatToRawIntBits(-1.5f));
    p.putPrimitive(7, Parameters.DOUBLE, Double.doubleToRawLongBits(Double.NaN));
    for (int i = 1; i <= 7; i++) {
      p.bind(recorder, i + 10, i);
    }
    assertThat(calls).containsExactly("setLong[11, -9223372036854775808]", "setInt[12, -7]", "setShort[13, -3]",
        "setByte[14, -1]", "setBoolean[15, true]", "setFloat[16, -1.5]", "setDouble[17, NaN]");
  }

  @Test
  void value_primitives_boxedAsTheirSetterType() throws SQLException {
    Parameters p = new Parameters(7);
    p.putPrimitive(1, Parameters.LONG, 5L);
    p.putPrimitive(2, Parameters.INT, 5);
    p.putPrimitive(3, Parameters.SHORT, (short) 5);
    p.putPrimitive(4, Parameters.BYTE, (byte) 5);
    p.putPrimitive(5, Parameters.BOOLEAN, 0);
    p.putPrimitive(6, Parameters.FLOAT, Float.floatToRawIntBits(0.25f));
    p.putPrimitive(7, Parameters.DOUBLE, Double.doubleToRawLongBits(-0.0));
    assertThat(List.of(p.value(1), p.value(2), p.value(3), p.value(4), p.value(5), p.value(6), p.value(7)))
        .containsExactly(5L, 5, (short) 5, (byte) 5, false, 0.25f, -0.0);
  }

  @Test
  void bind_objectsNullAndCustom_reachDriverAsSet() throws SQLException {
    Parameters p = new Parameters(4);
    p.putObject(1, Parameters.STRING, "a");
    p.putObject(2, Parameters.BIG_DECIMAL, new BigDecimal("1.50"));
    p.putPrimitive(3, Parameters.NULL, Types.BIGINT);
    p.putCustom(4, "x", (ps, k) -> ps.setObject(k, "x", Types.VARCHAR));
    for (int i = 1; i <= 4; i++) {
      p.bind(recorder, i, i);
    }
    assertThat(calls).containsExactly("setString[1, a]", "setBigDecimal[2, 1.50]", "setNull[3, -5]",
        "setObject[4, x, 12]");
    assertThat(p.value(3)).isNull();
  }

  @Test
  void bind_notSetOrValueOnly_fails07001() throws SQLException {
    Parameters p = new Parameters(2);
    p.putCustom(2, "read from a stream", null);
    assertThatThrownBy(() -> p.bind(recorder, 1, 1)).isInstanceOf(SQLException.class)
        .hasMessage("parameter 1 was not set").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("07001");
    assertThatThrownBy(() -> p.bind(recorder, 1, 2)).extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("07001");
    assertThat(p.isSet(2)).isTrue();
    assertThat(p.value(2)).isEqualTo("read from a stream");
  }

  @Test
  void put_outOfRange_fails22023() {
    Parameters p = new Parameters(2);
    assertThatThrownBy(() -> p.putPrimitive(3, Parameters.LONG, 1)).isInstanceOf(SQLException.class)
        .hasMessage("parameter index 3 is out of range 1..2");
    assertThatThrownBy(() -> p.putObject(0, Parameters.STRING, "a"))
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22023");
  }

  @Test
  void putPrimitive_afterObject_dropsTheObject() throws SQLException {
    Parameters p = new Parameters(1);
    p.putObject(1, Parameters.STRING, "a");
    p.putPrimitive(1, Parameters.INT, 3);
    assertThat(p.value(1)).isEqualTo(3);
    p.putPrimitive(1, Parameters.NULL, Types.VARCHAR);
    assertThat(p.value(1)).isNull();
  }

  @Test
  void copy_laterSetters_leaveCopyAsItWas() throws SQLException {
    Parameters p = new Parameters(2);
    p.putPrimitive(1, Parameters.LONG, 1);
    p.putObject(2, Parameters.STRING, "a");
    Parameters row = p.copy();
    p.putPrimitive(1, Parameters.LONG, 2);
    p.clear();
    assertThat(p.isSet(1)).isFalse();
    assertThat(row.value(1)).isEqualTo(1L);
    assertThat(row.value(2)).isEqualTo("a");
  }

  @Test
  void rowId_integralKinds_renderAsTheBoxedValueWould() throws SQLException {
    Parameters p = new Parameters(5);
    p.putPrimitive(1, Parameters.LONG, -42);
    p.putPrimitive(2, Parameters.INT, 42);
    p.putObject(3, Parameters.STRING, "k");
    p.putPrimitive(4, Parameters.NULL, Types.BIGINT);
    assertThat(p.rowId(1).value()).isEqualTo(RowId.of((Object) (-42L)).value());
    assertThat(p.rowId(2).value()).isEqualTo("42");
    assertThat(p.rowId(3).value()).isEqualTo("k");
    assertThat(p.rowId(4).isBound()).isFalse();
    assertThat(p.rowId(5).isBound()).isFalse();
    p.putPrimitive(5, Parameters.DOUBLE, Double.doubleToRawLongBits(1.0));
    assertThatThrownBy(() -> p.rowId(5)).isInstanceOf(IllegalArgumentException.class);
  }

  /** An encrypted column's primitive plaintext does not stay in the statement once cleared or closed. */
  @Test
  void clearAndDropValues_zeroThePrimitives() throws Exception {
    java.lang.reflect.Field longs = Parameters.class.getDeclaredField("longs");
    longs.setAccessible(true);
    Parameters p = new Parameters(2);
    p.putPrimitive(1, Parameters.LONG, 4111_1111_1111_1111L);
    p.clear();
    assertThat((long[]) longs.get(p)).containsOnly(0L);
    p.putPrimitive(2, Parameters.INT, 123);
    p.dropValues();
    assertThat((long[]) longs.get(p)).containsOnly(0L);
  }
}
