package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A query that projects encrypted columns. The rewritten SQL appends, after the application's columns,
 * each encrypted table occurrence's companion and id columns; result sets decrypt the encrypted
 * outputs with them and hide the appended columns.
 */
final class SelectPlan extends StatementPlan {
  private final String sql;
  private final int visibleColumns;
  private final @Nullable EncryptedOutput[] outputs;
  private final List<Source> sources;
  private List<Filter> filters = List.of();
  private List<Slot> slots = List.of();
  private int userParameters;

  SelectPlan(String sql, int visibleColumns, @Nullable EncryptedOutput[] outputs, List<Source> sources) {
    this.sql = sql;
    this.visibleColumns = visibleColumns;
    this.outputs = outputs;
    this.sources = List.copyOf(sources);
  }

  @Override
  String sql() {
    return sql;
  }

  /** How many columns the application sees (the appended ones are hidden). */
  int visibleColumns() {
    return visibleColumns;
  }

  /** The encrypted output at 1-based {@code column}, or null for a plaintext column. */
  @Nullable EncryptedOutput output(int column) {
    return column <= outputs.length ? outputs[column - 1] : null;
  }

  List<Source> sources() {
    return sources;
  }

  /** Lookups by truncated indexes: a row is returned only if its decrypted value matches. */
  List<Filter> filters() {
    return filters;
  }

  SelectPlan filtering(List<Filter> filters) {
    this.filters = List.copyOf(filters);
    return this;
  }

  /** With index lookups: every parameter of the rendered query, in order; empty if the query has none. */
  List<Slot> slots() {
    return slots;
  }

  int userParameters() {
    return userParameters;
  }

  SelectPlan withSlots(List<Slot> slots, int userParameters) {
    this.slots = List.copyOf(slots);
    this.userParameters = userParameters;
    return this;
  }

  @Override
  boolean bindsValues() {
    return !slots.isEmpty();
  }

  /**
   * A lookup by a truncated index: the hidden column {@code column} holds the encrypted value; the row is kept
   * only if it decrypts to (normalised) one of the values, each an application parameter ({@code userIndexes[i]
   * > 0}) or a constant.
   */
  static final class Filter {
    final EncryptedOutput value;
    final int column;
    final int[] userIndexes;
    final Object[] constants;

    Filter(EncryptedOutput value, int column, int[] userIndexes, Object[] constants) {
      this.value = value;
      this.column = column;
      this.userIndexes = userIndexes.clone();
      this.constants = constants.clone();
    }
  }

  /** An encrypted column in the projection, with the index of the source whose row key opens it. */
  static final class EncryptedOutput {
    final EncryptedColumn column;
    final int source;

    EncryptedOutput(EncryptedColumn column, int source) {
      this.column = column;
      this.source = source;
    }
  }

  /** One occurrence of an encrypted table: where its companion and id columns are in the result. */
  static final class Source {
    final EncryptedTable table;
    final int companionColumn;
    final int[] idColumns;

    Source(EncryptedTable table, int companionColumn, int[] idColumns) {
      this.table = table;
      this.companionColumn = companionColumn;
      this.idColumns = idColumns;
    }
  }
}
