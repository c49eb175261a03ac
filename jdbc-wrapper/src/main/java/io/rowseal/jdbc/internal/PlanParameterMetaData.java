package io.rowseal.jdbc.internal;

import java.sql.ParameterMetaData;
import java.sql.SQLException;

/**
 * Parameter metadata in the application's numbering (the rewritten statement has more parameters):
 * encrypted parameters report their column's plaintext type.
 */
final class PlanParameterMetaData implements ParameterMetaData {
  private final java.util.List<Slot> slots;
  private final int userParameters;
  private final ParameterMetaData delegate;

  PlanParameterMetaData(WritePlan plan, ParameterMetaData delegate) {
    this(plan.slots(), plan.userParameters(), delegate);
  }

  /** For a statement with index lookups: a parameter compared through its blind index reports its column's type. */
  PlanParameterMetaData(java.util.List<Slot> slots, int userParameters, ParameterMetaData delegate) {
    this.slots = slots;
    this.userParameters = userParameters;
    this.delegate = delegate;
  }

  private Slot slot(int param) throws SQLException {
    for (Slot s : slots) {
      if ((s.kind == Slot.Kind.USER || s.kind == Slot.Kind.ENCRYPTED_USER || s.kind == Slot.Kind.INDEX_USER)
          && s.userIndex == param) {
        return s;
      }
    }
    throw new SQLException("parameter index " + param + " is out of range 1.." + userParameters, "22023");
  }

  private int driverIndex(int param) throws SQLException {
    return slots.indexOf(slot(param)) + 1;
  }

  @Override
  public int getParameterCount() {
    return userParameters;
  }

  @Override
  public int isNullable(int param) throws SQLException {
    Slot s = slot(param);
    return s.kind == Slot.Kind.INDEX_USER ? ParameterMetaData.parameterNullableUnknown
        : delegate.isNullable(driverIndex(param));
  }

  @Override
  public boolean isSigned(int param) throws SQLException {
    Slot s = slot(param);
    return s.kind == Slot.Kind.USER ? delegate.isSigned(driverIndex(param)) : false;
  }

  @Override
  public int getPrecision(int param) throws SQLException {
    Slot s = slot(param);
    return s.kind == Slot.Kind.USER ? delegate.getPrecision(driverIndex(param)) : 0;
  }

  @Override
  public int getScale(int param) throws SQLException {
    Slot s = slot(param);
    return s.kind == Slot.Kind.USER ? delegate.getScale(driverIndex(param)) : 0;
  }

  @Override
  public int getParameterType(int param) throws SQLException {
    Slot s = slot(param);
    return s.kind == Slot.Kind.USER ? delegate.getParameterType(driverIndex(param)) : ValueConversions.jdbcType(s.column);
  }

  @Override
  public String getParameterTypeName(int param) throws SQLException {
    Slot s = slot(param);
    return s.kind == Slot.Kind.USER ? delegate.getParameterTypeName(driverIndex(param))
        : java.sql.JDBCType.valueOf(ValueConversions.jdbcType(s.column)).getName();
  }

  @Override
  public String getParameterClassName(int param) throws SQLException {
    Slot s = slot(param);
    return s.kind == Slot.Kind.USER ? delegate.getParameterClassName(driverIndex(param))
        : ValueConversions.javaClass(s.column).getName();
  }

  @Override
  public int getParameterMode(int param) throws SQLException {
    slot(param);
    return ParameterMetaData.parameterModeIn;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}
