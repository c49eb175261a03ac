package io.rowseal.jdbc.internal;

import io.rowseal.RowId;
import org.jspecify.annotations.Nullable;

/**
 * Where a written row's id comes from: the application's parameters, literals in the SQL text, or
 * nowhere (the database generates it, so the row is written unbound). One entry per id column.
 */
final class RowIdSource {
  private static final RowIdSource UNBOUND = new RowIdSource(null, null);

  /** Per id column: the 1-based application parameter index, or 0 when {@link #constants} holds it. */
  private final int @Nullable [] userIndexes;
  private final @Nullable Object @Nullable [] constants;

  private RowIdSource(int @Nullable [] userIndexes, @Nullable Object @Nullable [] constants) {
    this.userIndexes = userIndexes;
    this.constants = constants;
  }

  static RowIdSource unbound() {
    return UNBOUND;
  }

  static RowIdSource of(int[] userIndexes, @Nullable Object[] constants) {
    return new RowIdSource(userIndexes, constants);
  }

  boolean isUnbound() {
    return userIndexes == null;
  }

  /** The row id given the application's parameters; unbound if any part is null (or not set). */
  RowId resolve(Parameters params) {
    if (userIndexes == null) {
      return RowId.unbound();
    }
    if (userIndexes.length == 1) { // the usual single-column key: no parts array, no boxing per row
      if (userIndexes[0] > 0) {
        return params.rowId(userIndexes[0]);
      }
      return constants[0] == null ? RowId.unbound() : RowId.of(constants[0]);
    }
    Object[] parts = new Object[userIndexes.length];
    for (int i = 0; i < parts.length; i++) {
      Object v = userIndexes[i] > 0 ? params.value(userIndexes[i]) : constants[i];
      if (v == null) {
        return RowId.unbound();
      }
      parts[i] = v;
    }
    return RowId.composite(parts);
  }

  /** How many id columns (parts) the row id has; 0 when unbound. */
  int parts() {
    return userIndexes == null ? 0 : userIndexes.length;
  }

  /** The 1-based application parameter that holds id part {@code part}, or 0 if it is a literal. */
  int userIndex(int part) {
    return userIndexes[part];
  }

  /** The literal value of id part {@code part}. */
  @Nullable Object constant(int part) {
    return constants[part];
  }
}
