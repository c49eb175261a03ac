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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * No lock is held across a master-key (KMS) call or a database round trip, and no writer waits for the
 * KMS while the active KEK can still wrap.
 *
 * The hot path: active() runs once per new row. It reads one volatile field and takes one wrap from the
 * active KEK's AtomicLong budget (a block of wraps reserved in the KEK's row, 65 536 at most); that is all
 * while the block is above its low-water mark (a quarter of a block) and the KEK is younger than maxAge.
 *
 * Below the low-water mark, or past maxAge, the caller starts one preparation (single flight: a
 * CompletableFuture in an AtomicReference; the other callers see it and go on) on the refresh executor,
 * a short-lived daemon thread by default. It reserves another block of the same KEK while that stays
 * within maxWraps (an UPDATE); else it picks the newest KEK another process made with budget left, or
 * makes a new KEK (one master-key wrap and an INSERT). A new KEK is only *prepared* (Active.next): the
 * writers switch to it when the current block is used up or the current KEK reaches maxAge, so maxWraps
 * and maxAge hold exactly while the KMS answers in time.
 *
 * Before it calls the master key for a new KEK, the preparation reserves a spare block of the current KEK
 * beyond maxWraps, up to the hard limit (a database round trip, in the background): when the budget runs
 * out and no successor is ready (the KMS is slow or failing), writers take the spare block and go on, and
 * the next spare block is reserved in the background. Only if a whole block is used before the background
 * reservation completes is one more block reserved for them (the bridge: single flight, a database round
 * trip, never a KMS call), and that too runs on the refresh executor: writers wait for it at most
 * KekStore.reservationWait, then fail with a KeyUnavailableException saying why (fail closed, retry). Only
 * at the hard limit do writers wait for the preparation, and fail if it fails. A failed
 * preparation is retried after a backoff (1 s doubling to 60 s), so an outage costs one KMS attempt per
 * backoff, not one per write. The first KEK of a process (nothing to write under yet) is the one thing
 * every writer waits for.
 *
 * Writers never borrow a connection from the store's DataSource for a rotation, and never wait without a
 * bound for a task that does: a writer usually holds a connection of the application's pool (an INSERT, or
 * a partial UPDATE re-wrapping the row's key inside its transaction), and the KekStore may be on that same
 * pool. When the bridge ran on the writer's thread, the writer borrowed a second connection while the other
 * writers waited for its bridge holding the rest of the pool: with every connection held so, nobody could
 * return one, and everything stalled until the pool's connection timeout (30 s by default) failed the lot.
 * Now the bridge waits in the pool's queue on a thread that holds nothing, and a writer gives up after
 * reservationWait, returning its connection, so the reservation gets one. The first KEK of a process and
 * the hard limit still make writers wait for the preparation: there is nothing to write under meanwhile;
 * that wait ends at the latest when the preparation's own connection request times out.
 *
 * A KEK made here whose first block leaves no room for another under maxWraps (2 * block > maxWraps) is
 * known to need a successor from the start: at its low-water mark the spare block is then reserved at once,
 * in parallel with the preparation, instead of after a reservation that cannot succeed (more time to spare
 * before any writer reaches the bridge).
 *
 * The KEK bytes themselves live in the KEK cache; the KekMasterKey handed out holds only the reference
 * and acquires the cached key for each wrap, so a KEK evicted from the cache is zeroed and simply
 * unwrapped again on next use (KeyCache loads outside its map's locks, one load per KEK).
 */

/** Hierarchical mode's {@link KeyProvider}: data keys under KEKs, KEKs under the master key ring. */
final class KekHierarchy implements KeyProvider {
  private static final String SCHEME = "kek";
  private static final Logger LOG = LoggerFactory.getLogger(KekHierarchy.class);
  private static final long FIRST_BACKOFF_MILLIS = 1_000;
  private static final long MAX_BACKOFF_MILLIS = 60_000;

  private final KekStore store;
  private final KeyRing masters;
  private final KeyCache<UUID> keks;
  private volatile @Nullable Active current;
  /** The preparation in flight (more budget, or the next KEK), or null. */
  private final AtomicReference<@Nullable CompletableFuture<Active>> preparing = new AtomicReference<>();
  private volatile int failedAttempts;
  private volatile long retryAtMillis;

  KekHierarchy(KekStore store, KeyRing masters, @Nullable MeterRegistry registry) {
    this.store = store;
    this.masters = masters;
    this.keks = new KeyCache<>("rowseal.kek", store.cacheTimeToLive, store.cacheMaximumSize, registry);
  }

  /** The active KEK with one wrap taken from its budget. */
  @Override
  public MasterKey active() {
    Active a = current;
    if (a != null) {
      long left = a.budget.getAndDecrement();
      if (left > 0) {
        if (left <= a.lowWater || store.clock.millis() >= a.deadline) {
          return ahead(a);
        }
        return a.key;
      }
    }
    return exhausted();
  }

  /** Below the low-water mark or past maxAge: a wrap is taken; make sure the next budget is on its way. */
  private MasterKey ahead(Active a) {
    Active next = a.next;
    if (next == null) {
      prepare(a, false);
      if (a.needsSuccessor && a.spare.get() == 0) {
        spare(a);
      }
      next = a.next; // an inline refresh executor has prepared it already
    }
    if (next != null && store.clock.millis() >= a.deadline) {
      switchTo(a, next); // too old: the wrap taken from a goes unused, harmlessly
      return active();
    }
    return a.key;
  }

  /** The block is used up (or there is no KEK yet): switch, use the spare block, bridge, or wait. */
  private MasterKey exhausted() {
    while (true) {
      Active a = current;
      if (a == null) {
        await(prepare(null, true), null); // the first KEK: nothing to write under until it exists
        continue;
      }
      if (a.budget.getAndDecrement() > 0) {
        return a.key;
      }
      Active next = a.next;
      if (next != null) {
        switchTo(a, next);
        continue;
      }
      long spare = a.spare.getAndSet(0);
      if (spare > 0) {
        a.refill(spare);
        spare(a); // the next spare block, in the background
        prepare(a, false);
        continue;
      }
      prepare(a, false);
      if (a.next != null || bridge(a)) {
        continue;
      }
      // The hard limit: no more wraps under this KEK whatever happens; wait for the next one.
      await(prepare(a, true), a);
    }
  }

  private void switchTo(Active from, Active to) {
    if (current == from) {
      current = to;
      from.pinned.evict(); // zeroed once the last wrap in flight with it is done; the cache serves reads now
      LOG.info("{} - KEK {} is active (wrapping new data keys)", KekStore.TABLE, to.key.ref());
    }
  }

  /**
   * Starts the one preparation for {@code a} (null: no KEK yet) unless one is in flight; returns the one in
   * flight, or null when a failed attempt is still backing off and {@code force} is false.
   */
  private @Nullable CompletableFuture<Active> prepare(@Nullable Active a, boolean force) {
    CompletableFuture<Active> inFlight = preparing.get();
    if (inFlight != null) {
      return inFlight;
    }
    if (!force && store.clock.millis() < retryAtMillis) {
      return null;
    }
    CompletableFuture<Active> mine = new CompletableFuture<>();
    inFlight = preparing.compareAndExchange(null, mine);
    if (inFlight != null) {
      return inFlight;
    }
    try {
      store.refreshExecutor.execute(() -> run(a, mine));
    } catch (RejectedExecutionException e) {
      preparing.set(null);
      mine.completeExceptionally(new KeyUnavailableException("the KEK refresh executor refused the task", e));
    }
    return mine;
  }

  private void run(@Nullable Active a, CompletableFuture<Active> future) {
    Active result;
    try {
      result = prepareAfter(a);
    } catch (RuntimeException | Error e) {
      int failed = ++failedAttempts;
      retryAtMillis = store.clock.millis() + Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(failed - 1, 6));
      if (a != null) {
        LOG.warn("{} - cannot prepare the next KEK (attempt {}); writes go on under {} up to its hard limit of {}"
            + " wraps: {}", KekStore.TABLE, failed, a.key.ref(), store.hardMaxWraps, e.toString());
      }
      preparing.set(null);
      future.completeExceptionally(e);
      return;
    }
    failedAttempts = 0;
    retryAtMillis = 0;
    preparing.set(null);
    future.complete(result);
  }

  /** More budget for {@code a}, or the KEK to use after it (prepared in {@code a.next}, or made current). */
  private Active prepareAfter(@Nullable Active a) {
    long now = store.clock.millis();
    KeyRef master = masters.active().ref();
    long block = store.blockSize();
    if (a != null && !a.needsSuccessor && now < a.deadline && a.master.equals(master)
        && store.reserve(a.id, block, store.maxWraps)) {
      a.refill(block);
      return a;
    }
    if (a != null) {
      // The next KEK needs the master key, which may be slow or down: first make sure the writers have a
      // spare block of this KEK to go on with meanwhile (a database round trip, here in the background).
      a.needsSuccessor = true;
      if (a.budget.get() <= a.lowWater && a.spare.get() == 0 && a.sparing.compareAndSet(false, true)) {
        try {
          reserveSpare(a);
        } finally {
          a.sparing.set(false);
        }
      }
    }
    Active next = null;
    for (KekRecord r : store.newest()) {
      KeyRef wrappedBy = WrappedDataKey.readableKeyRef(r.wrapped);
      if ((a == null || !r.id.equals(a.id)) && master.equals(wrappedBy) && now < r.createdAtMillis + store.maxAge.toMillis()
          && store.reserve(r.id, block, store.maxWraps)) {
        next = new Active(keyOf(r.id), r.id, master, r.createdAtMillis + store.maxAge.toMillis(), block,
            pin(r.id, keyOf(r.id).ref()));
        break;
      }
    }
    if (next == null) {
      next = create(master, now, block);
    }
    if (a == null) {
      current = next;
    } else {
      a.next = next;
    }
    return next;
  }

  /** Reserves a spare block of {@code a} (up to the hard limit) in the background, unless one is on its way. */
  private void spare(Active a) {
    if (a.hardLimitReached || a.next != null || store.clock.millis() < a.spareRetryAtMillis
        || !a.sparing.compareAndSet(false, true)) {
      return;
    }
    try {
      store.refreshExecutor.execute(() -> {
        try {
          if (a.spare.get() == 0 && a.next == null) {
            reserveSpare(a);
          }
        } catch (RuntimeException e) {
          a.spareRetryAtMillis = store.clock.millis() + FIRST_BACKOFF_MILLIS; // no thread per write while the database is down
          LOG.warn("{} - cannot reserve more wraps of {}: {}", KekStore.TABLE, a.key.ref(), e.toString());
        } finally {
          a.sparing.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      a.sparing.set(false);
    }
  }

  private void reserveSpare(Active a) {
    long block = store.blockSize();
    if (!a.hardLimitReached && store.reserve(a.id, block, store.hardMaxWraps)) {
      a.spare.addAndGet(block);
    } else {
      a.hardLimitReached = true;
    }
  }

  /**
   * One more block of {@code a} up to the hard limit when the block and the spare block are both used before
   * the background could reserve another: single flight, on the refresh executor (never on the writer's
   * thread, which may hold a connection of the pool the store borrows from), waited for at most
   * {@code reservationWait}. False at the hard limit.
   *
   * @throws KeyUnavailableException if the reservation failed, or did not finish in time (it goes on; a
   *     later write finds its block)
   */
  private boolean bridge(Active a) {
    if (a.hardLimitReached) {
      return false;
    }
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> inFlight = a.bridging.compareAndExchange(null, mine);
    if (inFlight == null) {
      inFlight = mine;
      try {
        store.refreshExecutor.execute(() -> reserveBridge(a, mine));
      } catch (RejectedExecutionException e) {
        a.bridging.set(null);
        mine.completeExceptionally(new KeyUnavailableException("the KEK refresh executor refused the task", e));
      }
    }
    try {
      return inFlight.get(store.reservationWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new KeyUnavailableException("KEK " + a.key.ref() + " has used every wrap this process reserved, and reserving"
          + " more in table " + KekStore.TABLE + " did not finish within " + store.reservationWait.toMillis() + " ms; not"
          + " waiting longer, so that this write gives back the connection it holds (the reservation needs a connection"
          + " from the KekStore's DataSource: when that is the application's pool and its callers hold every connection,"
          + " it gets one only once they are returned). Retry the write; to avoid this, give KekStore its own connections"
          + " (KekStore.builder(jdbcUrl, properties)) or size the pool above its busiest thread count");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyUnavailableException("interrupted while waiting for more wraps of KEK " + a.key.ref(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new KeyUnavailableException("cannot reserve more wraps of KEK " + a.key.ref() + ": " + cause, cause);
    }
  }

  private void reserveBridge(Active a, CompletableFuture<Boolean> future) {
    try {
      boolean reserved = a.budget.get() > 0 || store.reserve(a.id, store.blockSize(), store.hardMaxWraps);
      if (!reserved) {
        a.hardLimitReached = true;
      } else if (a.budget.get() <= 0) {
        a.refill(store.blockSize());
        LOG.debug("{} - no next KEK yet; reserved {} more wraps of {}", KekStore.TABLE, store.blockSize(), a.key.ref());
      }
      a.bridging.set(null);
      future.complete(reserved);
    } catch (RuntimeException | Error e) {
      a.bridging.set(null);
      future.completeExceptionally(e);
    }
  }

  private <T> T await(@Nullable CompletableFuture<T> future, @Nullable Active a) {
    if (future == null) {
      throw new IllegalStateException("no preparation to wait for"); // prepare(force) never returns null
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyUnavailableException("interrupted while waiting for the next KEK", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (a == null) {
        if (cause instanceof RuntimeException) {
          throw (RuntimeException) cause;
        }
        throw new KeyUnavailableException("cannot make a KEK: " + cause, cause);
      }
      throw new KeyUnavailableException("KEK " + a.key.ref() + " has wrapped its hard limit of " + store.hardMaxWraps
          + " data keys and no next KEK can be made (" + cause.getMessage() + "); new rows cannot be written until"
          + " the master key " + a.master + " answers again", cause);
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
    Active a = current;
    if (a != null) {
      SharedKey pinned = a.id.equals(id) ? a.pinned : a.next != null && a.next.id.equals(id) ? a.next.pinned : null;
      if (pinned != null && pinned.acquire()) {
        return pinned;
      }
    }
    return keks.acquire(id, k -> load(k, ref));
  }

  /**
   * A copy of KEK {@code id} that lives as long as its {@link Active}, apart from the cache: the KEK that
   * wraps new data keys never needs the master key again before it is replaced, however long the cache's
   * time to live (a KMS outage longer than that costs no write, and no read of the newest rows).
   */
  private SharedKey pin(UUID id, KeyRef ref) {
    SharedKey cached = keks.acquire(id, k -> load(k, ref));
    try {
      return copy(cached.key());
    } finally {
      cached.release();
    }
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

  private Active create(KeyRef masterRef, long now, long block) {
    UUID id = UUID.randomUUID();
    DataKey kek = DataKey.generate();
    SharedKey pinned;
    try {
      MasterKey master = masters.active();
      byte[] wrap = master.wrap(kek, KekStore.contextOf(id));
      store.insert(new KekRecord(id, WrappedDataKey.encode(masterRef, true, wrap), now, block));
      keks.put(id, kek);
      pinned = copy(kek);
    } finally {
      kek.destroy();
    }
    LOG.info("{} - made KEK kek:{} under master key {}", KekStore.TABLE, id, masterRef);
    Active made = new Active(keyOf(id), id, masterRef, now + store.maxAge.toMillis(), block, pinned);
    made.needsSuccessor = block > store.maxWraps - block; // reserve(id, block, maxWraps) cannot succeed
    return made;
  }

  private static SharedKey copy(DataKey key) {
    byte[] bytes = key.copyOfBytes();
    try {
      return new SharedKey(DataKey.copyOf(bytes));
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  private KekMasterKey keyOf(UUID id) {
    return new KekMasterKey(this, KeyRef.of(SCHEME + ":" + id), id);
  }

  @Override
  public String toString() {
    Active a = current;
    return "KekHierarchy[active=" + (a == null ? "(none yet)" : a.key.ref()) + ", masters=" + masters + "]";
  }

  /** A KEK that wraps (or will wrap) new data keys: what is left of its reserved wraps, its deadline, its successor. */
  private static final class Active {
    final KekMasterKey key;
    final UUID id;
    final KeyRef master;
    final long deadline;
    final long lowWater;
    /** Wraps left of the blocks reserved; may go below zero while exhausted (failed takes). */
    final AtomicLong budget;
    /** The KEK to switch to when this one is used up or too old; set by the preparation. */
    volatile @Nullable Active next;
    /** The reservation beyond a used-up block while no successor is ready, if one is running. */
    final AtomicReference<@Nullable CompletableFuture<Boolean>> bridging = new AtomicReference<>();
    /** Wraps reserved beyond maxWraps for when the budget runs out before the next KEK is ready. */
    final AtomicLong spare = new AtomicLong();
    /** Whether a spare block is being reserved. */
    final AtomicBoolean sparing = new AtomicBoolean();
    /** maxWraps is used up (or the KEK too old): only a next KEK lets the writers off this one for good. */
    volatile boolean needsSuccessor;
    /** A reservation up to the hard limit failed: no more wraps under this KEK, ever. */
    volatile boolean hardLimitReached;
    /** After a failed spare reservation (database unreachable): when to try again. */
    volatile long spareRetryAtMillis;
    /** The KEK's bytes while it is current (or next): see {@link KekHierarchy#pin}. */
    final SharedKey pinned;

    Active(KekMasterKey key, UUID id, KeyRef master, long deadline, long block, SharedKey pinned) {
      this.key = key;
      this.pinned = pinned;
      this.id = id;
      this.master = master;
      this.deadline = deadline;
      this.lowWater = Math.max(1, block / 4);
      this.budget = new AtomicLong(block);
    }

    void refill(long block) {
      budget.updateAndGet(b -> Math.max(b, 0) + block);
    }
  }
}
