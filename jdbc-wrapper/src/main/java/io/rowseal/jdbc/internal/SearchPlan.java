package io.rowseal.jdbc.internal;

import java.util.List;

/**
 * A statement on an encrypted table that reads or writes no encrypted value but filters by a searchable
 * column (an UPDATE of plaintext columns, a DELETE): it runs prepared, with RowSeal's index-lookup
 * parameters bound per execution.
 */
final class SearchPlan extends StatementPlan {
  private final String sql;
  private final List<Slot> slots;
  private final int userParameters;

  SearchPlan(String sql, List<Slot> slots, int userParameters) {
    this.sql = sql;
    this.slots = List.copyOf(slots);
    this.userParameters = userParameters;
  }

  @Override
  String sql() {
    return sql;
  }

  List<Slot> slots() {
    return slots;
  }

  int userParameters() {
    return userParameters;
  }

  @Override
  boolean bindsValues() {
    return true;
  }
}
