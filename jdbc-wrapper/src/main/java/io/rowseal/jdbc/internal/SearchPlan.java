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

  private @org.jspecify.annotations.Nullable Candidates candidates;

  /** For a lookup by a truncated index: how the candidate rows are locked and filtered first; else null. */
  @org.jspecify.annotations.Nullable Candidates candidates() {
    return candidates;
  }

  void candidates(Candidates candidates) {
    this.candidates = candidates;
  }

  /**
   * An UPDATE or DELETE by a truncated index runs in three steps in one transaction: {@link #sql} locks the
   * candidate rows (ids, companion, the filtered columns), RowSeal keeps those whose decrypted value matches,
   * and the statement runs with {@link #keysIn} and one id (tuple) per kept row appended to its WHERE, so it
   * affects exactly the matching rows and reports their count.
   */
  static final class Candidates {
    final io.rowseal.EncryptedTable table;
    final String sql;
    final List<Slot> slots;
    final List<SelectPlan.Filter> filters;
    final String keysIn;

    Candidates(io.rowseal.EncryptedTable table, String sql, List<Slot> slots, List<SelectPlan.Filter> filters,
        String keysIn) {
      this.table = table;
      this.sql = sql;
      this.slots = List.copyOf(slots);
      this.filters = List.copyOf(filters);
      this.keysIn = keysIn;
    }
  }
}
