package io.rowseal.jobs;

import io.rowseal.EncryptedTable;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * An inclusive range {@code [from, to]} of a single-column integer primary key, for splitting one
 * table's re-wrap between several processes (or machines): give each process one range with {@link
 * TableJob.Builder#idRange(IdRange)}. Ranges from {@link #split(long, long, int)} cover every id
 * exactly once, so two processes never work on the same row; correctness does not depend on it (the
 * job's compare-and-set write is the guard), only wasted work does. Immutable.
 */
public final class IdRange {
  private final long from;
  private final long to;

  private IdRange(long from, long to) {
    this.from = from;
    this.to = to;
  }

  /**
   * The ids {@code from} to {@code to}, both included.
   *
   * @throws IllegalArgumentException if {@code from > to}
   */
  public static IdRange of(long from, long to) {
    if (from > to) {
      throw new IllegalArgumentException("an id range needs from <= to, was [" + from + ", " + to + "]");
    }
    return new IdRange(from, to);
  }

  /**
   * {@code [min, max]} cut into {@code n} consecutive ranges of nearly equal width (fewer if the range
   * holds fewer than {@code n} ids), in order, with no gap and no overlap.
   *
   * @throws IllegalArgumentException if {@code n < 1} or {@code min > max}
   */
  public static List<IdRange> split(long min, long max, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("the number of id ranges must be at least 1, was " + n);
    }
    if (min > max) {
      throw new IllegalArgumentException("an id range needs min <= max, was [" + min + ", " + max + "]");
    }
    // BigInteger: max - min + 1 overflows a long for the full long range
    BigInteger width = BigInteger.valueOf(max).subtract(BigInteger.valueOf(min)).add(BigInteger.ONE);
    BigInteger parts = BigInteger.valueOf(n).min(width);
    BigInteger[] qr = width.divideAndRemainder(parts);
    List<IdRange> out = new ArrayList<>();
    BigInteger start = BigInteger.valueOf(min);
    for (int i = 0; i < parts.intValue(); i++) {
      BigInteger size = qr[0].add(i < qr[1].intValue() ? BigInteger.ONE : BigInteger.ZERO);
      BigInteger end = start.add(size).subtract(BigInteger.ONE);
      out.add(new IdRange(start.longValueExact(), end.longValueExact()));
      start = end.add(BigInteger.ONE);
    }
    return List.copyOf(out);
  }

  /**
   * The table's id span ({@code SELECT min(id), max(id)} over rows with a companion) cut into {@code n}
   * ranges with {@link #split(long, long, int)}; empty if the table has no such row. Run it once and hand
   * one range to each process: rows inserted later above the last range's end are the application's and
   * already under the active key.
   *
   * @throws IllegalArgumentException if the table's key is not a single integer column, or {@code n < 1}
   * @throws SQLException if the database fails
   */
  public static List<IdRange> splitTable(DataSource dataSource, EncryptedTable table, int n) throws SQLException {
    Objects.requireNonNull(dataSource, "dataSource");
    if (table.idColumns().size() != 1) {
      throw new IllegalArgumentException("table " + table.name() + " has a composite key " + table.idColumns()
          + "; split it with several TableJob workers in one process instead");
    }
    if (n < 1) {
      throw new IllegalArgumentException("the number of id ranges must be at least 1, was " + n);
    }
    String id = table.idColumns().get(0);
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT min(" + id + "), max(" + id + ") FROM " + table.name()
            + " WHERE " + table.companionColumn() + " IS NOT NULL")) {
      rs.next();
      Object min = rs.getObject(1);
      Object max = rs.getObject(2);
      if (min == null || max == null) {
        return List.of();
      }
      return split(asLong(table, min), asLong(table, max), n);
    }
  }

  private static long asLong(EncryptedTable table, Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger) {
      return ((BigInteger) value).longValueExact();
    }
    if (value instanceof java.math.BigDecimal) {
      return ((java.math.BigDecimal) value).longValueExact();
    }
    throw new IllegalArgumentException("table " + table.name() + ": id column " + table.idColumns().get(0)
        + " is of type " + value.getClass().getName() + ", not an integer; pass explicit ranges to idRange instead");
  }

  /** The first id of the range. */
  public long from() {
    return from;
  }

  /** The last id of the range (included). */
  public long to() {
    return to;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof IdRange && ((IdRange) o).from == from && ((IdRange) o).to == to;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(from) * 31 + Long.hashCode(to);
  }

  @Override
  public String toString() {
    return "[" + from + ", " + to + "]";
  }
}
