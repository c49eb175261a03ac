package io.rowseal.jdbc.internal;

import java.sql.ParameterMetaData;
import java.sql.SQLException;

/**
 * Parameter metadata in the application's numbering (the rewritten statement has more parameters):
 * encrypted parameters report their column's plaintext type.
 */
final class PlanParameterMetaData implements ParameterMetaData {
  private final WritePlan plan;
  private final ParameterMetaData delegate;

  PlanParameterMetaData(WritePlan plan, ParameterMetaData delegate) {
    this.plan = plan;
    this.delegate = delegate;
  }

  private Slot slot(int param) throws SQLException {
    for (Slot s : plan.slots()) {
      if ((s.kind == Slot.Kind.USER || s.kind == Slot.Kind.ENCRYPTED_USER) && s.userIndex == param) {
        return s;
      }
    }
    throw new SQLException("parameter index " + param + " is out of range 1.." + plan.userParameters(), "22023");
  }

  private int driverIndex(int param) throws SQLException {
    return plan.slots().indexOf(slot(param)) + 1;
  }

  @Override
  public int getParameterCount() {
    return plan.userParameters();
  }

  @Override
  public int isNullable(int param) throws SQLException {
    return delegate.isNullable(driverIndex(param));
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
    return delegate.getParameterMode(driverIndex(param));
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
