package io.rowseal.key.kek;

import io.micrometer.core.instrument.MeterRegistry;
import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.errors.RowSealException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.keys.KeyCache;
import io.rowseal.internal.keys.SharedKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyProvider;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/*
 * The hot path: active() runs once per new row. It reads one volatile field, compares the clock with the
 * KEK's deadline and takes one wrap from an AtomicLong budget; only when the budget or the deadline runs
 * out does it lock, reserve another block of wraps in the KEK's row (an UPDATE per 65 536 rows), or make a
 * new KEK (one master-key call and an INSERT). The KEK bytes themselves live in the KEK cache; the
 * KekMasterKey handed out holds only the reference and acquires the cached key for each wrap, so a KEK
 * evicted from the cache is zeroed and simply unwrapped again on next use.
 */

/** Hierarchical mode's {@link KeyProvider}: data keys under KEKs, KEKs under the master key ring. */
final class KekHierarchy implements KeyProvider {
  private static final String SCHEME = "kek";

  private final KekStore store;
  private final KeyRing masters;
  private final KeyCache<UUID> keks;
  private final Object lock = new Object();
  private volatile @Nullable Active current;

  KekHierarchy(KekStore store, KeyRing masters, @Nullable MeterRegistry registry) {
    this.store = store;
    this.masters = masters;
    this.keks = new KeyCache<>("rowseal.kek", store.cacheTimeToLive, store.cacheMaximumSize, registry);
  }

  /** The active KEK with one wrap taken from its budget. */
  @Override
  public MasterKey active() {
    Active a = current;
    long now = store.clock.millis();
    if (a != null && a.take(now)) {
      return a.key;
    }
    synchronized (lock) {
      a = current;
      if (a != null && a.take(now)) {
        return a.key;
      }
      a = next(a, now);
      current = a;
      a.take(now);
      return a.key;
    }
  }

  @Override
  public MasterKey find(KeyRef ref) {
    if (!ref.scheme().equals(SCHEME)) {
      return masters.find(ref);
    }
    UUID id;
    try {
      id = UUID.fromString(ref.toString().substring(SCHEME.length() + 1));
    } catch (IllegalArgumentException e) {
      throw new KeyUnavailableException("key " + ref + " is not a KEK reference (kek:<uuid>)");
    }
    return new KekMasterKey(this, ref, id);
  }

  /** The unwrapped KEK {@code id}, acquired for one operation; release it after. */
  SharedKey acquire(UUID id, KeyRef ref) {
    return keks.acquire(id, k -> load(k, ref));
  }

  private DataKey load(UUID id, KeyRef ref) {
    KekRecord record = store.find(id).orElseThrow(() -> new KeyUnavailableException(
        "KEK " + ref + " is not in table " + KekStore.TABLE + "; restore the table from the backup taken with the data"));
    WrappedDataKey wrapped;
    try {
      wrapped = WrappedDataKey.decode(record.wrapped);
    } catch (RowSealException e) {
      throw new DecryptionFailedException("KEK " + ref + " in table " + KekStore.TABLE + " is malformed: " + e.getMessage(), e);
    }
    try {
      return masters.find(wrapped.keyRef()).unwrap(wrapped.wrappedKey(), KekStore.contextOf(id));
    } catch (DecryptionFailedException e) {
      throw new DecryptionFailedException("Cannot open KEK " + ref + " wrapped by key " + wrapped.keyRef() + ": " + e.getMessage(), e);
    } catch (KeyUnavailableException e) {
      throw new KeyUnavailableException("Cannot open KEK " + ref + " wrapped by key " + wrapped.keyRef() + ": " + e.getMessage(), e);
    }
  }

  /** The next active KEK: more budget for the current one, the newest usable one, or a new one. */
  private Active next(@Nullable Active previous, long now) {
    KeyRef master = masters.active().ref();
    long block = store.blockSize();
    if (previous != null && now < previous.deadline && previous.master.equals(master) && store.reserve(previous.id, block)) {
      return new Active(previous.key, previous.id, previous.master, previous.deadline, block);
    }
    for (KekRecord r : store.newest()) {
      KeyRef wrappedBy = WrappedDataKey.readableKeyRef(r.wrapped);
      if (master.equals(wrappedBy) && store.reserve(r.id, block)) {
        return new Active(keyOf(r.id), r.id, master, r.createdAtMillis + store.maxAge.toMillis(), block);
      }
    }
    return create(master, now, block);
  }

  private Active create(KeyRef masterRef, long now, long block) {
    UUID id = UUID.randomUUID();
    DataKey kek = DataKey.generate();
    try {
      MasterKey master = masters.active();
      byte[] wrap = master.wrap(kek, KekStore.contextOf(id));
      store.insert(new KekRecord(id, WrappedDataKey.encode(masterRef, true, wrap), now, block));
      keks.put(id, kek);
    } finally {
      kek.destroy();
    }
    return new Active(keyOf(id), id, masterRef, now + store.maxAge.toMillis(), block);
  }

  private KekMasterKey keyOf(UUID id) {
    return new KekMasterKey(this, KeyRef.of(SCHEME + ":" + id), id);
  }

  @Override
  public String toString() {
    Active a = current;
    return "KekHierarchy[active=" + (a == null ? "(none yet)" : a.key.ref()) + ", masters=" + masters + "]";
  }

  /** The active KEK and what is left of its reserved wraps and its lifetime. */
  private static final class Active {
    final KekMasterKey key;
    final UUID id;
    final KeyRef master;
    final long deadline;
    final AtomicLong budget;

    Active(KekMasterKey key, UUID id, KeyRef master, long deadline, long budget) {
      this.key = key;
      this.id = id;
      this.master = master;
      this.deadline = deadline;
      this.budget = new AtomicLong(budget);
    }

    boolean take(long now) {
      return now < deadline && budget.getAndDecrement() > 0;
    }
  }
}
