package io.rowseal.internal.keys;

import io.rowseal.internal.ByteWords;
import io.rowseal.internal.Utf8;
import io.rowseal.key.KeyRef;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The parsed {@link KeyRef} of each distinct key reference seen in companion columns, looked up by the
 * reference's UTF-8 bytes, so that opening a row parses nothing and allocates nothing for its reference.
 *
 * <p>Design: a process-wide direct-mapped table of {@value #SLOTS} slots, indexed by a hash of the bytes
 * and compared byte for byte. A deployment has a handful of references (its master keys, in
 * hierarchical mode its KEKs), so a hit is the rule. The table is bounded: a new reference replaces
 * whatever occupied its slot, so companions naming any number of references (a corrupt or hostile
 * table) cost a parse each, never memory. Entries are immutable and published through an
 * {@link AtomicReferenceArray}; a lost race only costs a parse. Holds references, which are not secret.
 * Thread-safe.
 */
public final class KeyRefTable {
  private static final int SLOTS = 256;
  private static final AtomicReferenceArray<Entry> TABLE = new AtomicReferenceArray<>(SLOTS);
  /** The entry found last: a plain field, racy on purpose (entries are immutable; a stale one only misses). */
  private static Entry LAST;

  private KeyRefTable() {}

  private static final class Entry {
    final byte[] utf8;
    final int hash;
    final KeyRef ref;

    Entry(byte[] utf8, int hash, KeyRef ref) {
      this.utf8 = utf8;
      this.hash = hash;
      this.ref = ref;
    }
  }

  /**
   * The reference whose UTF-8 bytes are {@code bytes[off, off+len)}.
   *
   * @throws IllegalArgumentException if they are not well-formed UTF-8 or not a valid reference
   *     ({@link KeyRef#of(String)})
   */
  public static KeyRef parse(byte[] bytes, int off, int len) {
    Entry last = LAST; // most deployments name one key row after row: compare before hashing
    if (last != null && ByteWords.equalsRange(last.utf8, bytes, off, len)) {
      return last.ref;
    }
    int hash = 1;
    for (int i = off; i < off + len; i++) {
      hash = 31 * hash + bytes[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    Entry e = TABLE.get(slot);
    if (e != null && e.hash == hash && ByteWords.equalsRange(e.utf8, bytes, off, len)) {
      LAST = e;
      return e.ref;
    }
    KeyRef ref = KeyRef.of(Utf8.decode(bytes, off, len));
    e = new Entry(Arrays.copyOfRange(bytes, off, off + len), hash, ref);
    TABLE.set(slot, e);
    LAST = e;
    return ref;
  }
}
