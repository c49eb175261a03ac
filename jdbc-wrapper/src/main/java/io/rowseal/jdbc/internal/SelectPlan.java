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
