package io.rowseal.key;

import io.rowseal.errors.KeyUnavailableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The master keys RowSeal may use: one active key that wraps every new data key, and every key it may
 * still unwrap with, looked up by the reference stored in each row. An unknown reference is an error
 * naming it, never "try every key". Immutable and thread-safe; rotate by building a new ring with
 * {@link #withActive(MasterKey)}.
 */
public final class KeyRing implements KeyProvider {
  private final MasterKey active;
  private final Map<KeyRef, MasterKey> byRef;
  /**
   * The last reference found and its key. Opening a row looks its reference up, and companions name the same
   * few references row after row, as the same {@link KeyRef} instance (parsed once, {@code KeyRefTable}), so an
   * identity check answers before the map's hashing and {@code equals}. A benign race: a {@link Found} is
   * immutable, and a thread that sees an older one only takes the map path.
   */
  private Found last;

  private static final class Found {
    final KeyRef ref;
    final MasterKey key;

    Found(KeyRef ref, MasterKey key) {
      this.ref = ref;
      this.key = key;
    }
  }

  private KeyRing(MasterKey active, Map<KeyRef, MasterKey> byRef) {
    this.active = active;
    this.byRef = byRef;
  }

  /**
   * A ring whose active key is {@code active}, also able to unwrap with {@code others}.
   *
   * @throws IllegalArgumentException if two keys share a reference
   */
  public static KeyRing of(MasterKey active, MasterKey... others) {
    List<MasterKey> all = new ArrayList<>();
    all.add(active);
    Collections.addAll(all, others);
    return of(active, all);
  }

  /**
   * A ring whose active key is {@code active}, also able to unwrap with every key in {@code keys}
   * (which may or may not contain {@code active}).
   *
   * @throws IllegalArgumentException if two different keys share a reference
   */
  public static KeyRing of(MasterKey active, Iterable<? extends MasterKey> keys) {
    Map<KeyRef, MasterKey> byRef = new LinkedHashMap<>();
    byRef.put(active.ref(), active);
    for (MasterKey k : keys) {
      MasterKey previous = byRef.putIfAbsent(k.ref(), k);
      if (previous != null && previous != k) {
        throw new IllegalArgumentException("two master keys in one key ring share the reference " + k.ref());
      }
    }
    return new KeyRing(active, Collections.unmodifiableMap(byRef));
  }

  /** The key that wraps new data keys. */
  @Override
  public MasterKey active() {
    return active;
  }

  /**
   * The key named {@code ref}.
   *
   * @throws KeyUnavailableException if the ring has no such key
   */
  @Override
  public MasterKey find(KeyRef ref) {
    Found f = last;
    if (f != null && f.ref == ref) {
      return f.key;
    }
    MasterKey key = byRef.get(ref);
    if (key == null) {
      throw new KeyUnavailableException("key " + ref + " is not in the key ring (it holds " + byRef.keySet()
          + "); add the key that wrapped this row to the configuration");
    }
    last = new Found(ref, key);
    return key;
  }

  /** Whether the ring holds a key named {@code ref}. */
  public boolean contains(KeyRef ref) {
    return byRef.containsKey(ref);
  }

  /** Every reference in the ring, the active one first. */
  public List<KeyRef> refs() {
    return List.copyOf(byRef.keySet());
  }

  /** A ring with {@code newActive} active and every key of this ring still available for unwrapping. */
  public KeyRing withActive(MasterKey newActive) {
    List<MasterKey> keys = new ArrayList<>(byRef.values());
    keys.removeIf(k -> k.ref().equals(newActive.ref()));
    return of(newActive, keys);
  }

  @Override
  public String toString() {
    return "KeyRing[active=" + active.ref() + ", keys=" + byRef.keySet() + "]";
  }
}
