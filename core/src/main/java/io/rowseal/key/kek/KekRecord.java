package io.rowseal.key.kek;

import java.util.UUID;

/** One row of {@code rowseal_kek}: a KEK's id, its wrap under a master key (companion format), its age and budget. */
final class KekRecord {
  final UUID id;
  /** The KEK wrapped by a master key, in the companion-column format (version, flags, key reference, wrap). */
  final byte[] wrapped;
  final long createdAtMillis;
  final long wrapsReserved;

  KekRecord(UUID id, byte[] wrapped, long createdAtMillis, long wrapsReserved) {
    this.id = id;
    this.wrapped = wrapped;
    this.createdAtMillis = createdAtMillis;
    this.wrapsReserved = wrapsReserved;
  }

  @Override
  public String toString() {
    return "KekRecord[kek:" + id + ", created=" + createdAtMillis + ", wrapsReserved=" + wrapsReserved + "]";
  }
}
