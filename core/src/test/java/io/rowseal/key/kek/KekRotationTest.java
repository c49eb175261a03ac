package io.rowseal.key.kek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowseal.EncryptedTable;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.CountingMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import io.rowseal.testsupport.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * KEK rotation when the master key (KMS) is slow or down: writers go on under the current KEK, past the
 * soft maxWraps and maxAge, up to the hard limit; no writer waits for a master-key call while the current
 * KEK may still wrap. Latches and a fake clock, no timing.
 */
class KekRotationTest {
  private final EncryptedTable cards = EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();
  private final CountingMasterKey kms = CountingMasterKey.remote("aws-kms:arn:aws:kms:us-east-1:111122223333:key/one");

  /** The KMS key with a gate on wraps: while closed, a wrap waits until it opens (a KMS taking its time). */
  static final class GatedKey implements MasterKey {
    private final MasterKey delegate;
    volatile CountDownLatch gate = new CountDownLatch(0);
    final CountDownLatch wrapWaiting = new CountDownLatch(1);

    GatedKey(MasterKey delegate) {
      this.delegate = delegate;
    }

    @Override
    public KeyRef ref() {
      return delegate.ref();
    }

    @Override
    public byte[] wrap(DataKey dataKey, WrapContext context) {
      CountDownLatch g = gate;
      if (g.getCount() > 0) {
        wrapWaiting.countDown();
        try {
          assertThat(g.await(60, TimeUnit.SECONDS)).as("hang guard").isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return delegate.wrap(dataKey, context);
    }

    @Override
    public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
      return delegate.unwrap(wrappedKey, context);
    }
  }

  private static KekStore.Builder migrated(DataSource ds) {
    KekStore.builder(ds).build().migrate();
    return KekStore.builder(ds);
  }

  private RowSeal rowSeal(KekStore store, MasterKey master) {
    return RowSeal.builder().keyRing(KeyRing.of(master)).hierarchical(store).table(cards).build();
  }

  private KeyRef write(RowSeal rowSeal, long id) {
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(id))) {
      return key.keyRef();
    }
  }

  @Test
  void active_nextKekWrapStalled_writersGoOnPastMaxWrapsUnderCurrentKek() throws Exception {
    DataSource ds = KekHierarchyTest.isolated("h2");
    GatedKey master = new GatedKey(kms);
    // Background tasks on threads of their own, as by default, recorded so the test can wait for them.
    List<CompletableFuture<Void>> tasks = new CopyOnWriteArrayList<>();
    KekStore store = migrated(ds).maxWraps(100)
        .refreshExecutor(task -> tasks.add(CompletableFuture.runAsync(task, t -> new Thread(t).start()))).build();
    RowSeal rowSeal = rowSeal(store, master);
    KeyRef first = write(rowSeal, 1);

    CountDownLatch gate = new CountDownLatch(1);
    master.gate = gate;
    // Three times maxWraps while the next KEK's master-key wrap cannot finish: if any write waited for it,
    // this would not complete (the future's timeout is a hang guard, not a measurement).
    Set<KeyRef> used = CompletableFuture.supplyAsync(() -> refs(rowSeal, 2, 300)).get(60, TimeUnit.SECONDS);
    assertThat(used).containsExactly(first);
    assertThat(master.wrapWaiting.await(60, TimeUnit.SECONDS)).as("the next KEK was being made").isTrue();
    assertThat(KekHierarchyTest.kekRows(ds)).isEqualTo(1);

    gate.countDown();
    CompletableFuture.allOf(tasks.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS); // the next KEK is ready
    Set<KeyRef> after = refs(rowSeal, 301, 350); // fewer than the next KEK's low-water mark: no third KEK yet
    assertThat(after).as("the prepared KEK takes over when the bridged blocks are used up").hasSize(1).doesNotContain(first);
    assertThat(KekHierarchyTest.kekRows(ds)).isEqualTo(2);
  }

  private Set<KeyRef> refs(RowSeal rowSeal, long from, long to) {
    Set<KeyRef> refs = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
    for (long id = from; id <= to; id++) {
      refs.add(write(rowSeal, id));
    }
    return refs;
  }

  @Test
  void active_kmsDownAtRotation_writesGoOnToTheHardLimit_thenFailNamingIt_oneAttemptPerBackoff() throws Exception {
    DataSource ds = KekHierarchyTest.isolated("h2");
    KekStore store = migrated(ds).maxWraps(100).hardMaxWraps(300).refreshExecutor(Runnable::run).build();
    RowSeal rowSeal = rowSeal(store, kms);
    KeyRef first = write(rowSeal, 1);
    kms.unreachable = true;
    for (long id = 2; id <= 300; id++) {
      assertThat(write(rowSeal, id)).isEqualTo(first);
    }
    assertThat(kms.wraps.get()).as("the KEK, then one failed attempt (the clock stands still: no retry yet)").isEqualTo(2);

    Throwable thrown = catchThrowable(() -> write(rowSeal, 301));
    assertThat(thrown).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(first.toString()).hasMessageContaining("hard limit of 300")
        .hasMessageContaining(kms.ref().toString()).hasMessageContaining("cards");
    assertThat(kms.wraps.get()).as("at the hard limit the writer tried the master key once more").isEqualTo(3);

    kms.unreachable = false;
    KeyRef next = write(rowSeal, 302);
    assertThat(next).isNotEqualTo(first);
    assertThat(KekHierarchyTest.kekRows(ds)).isEqualTo(2);
  }

  @Test
  void active_kmsDownPastMaxAge_writesGoOnUnderOldKek_nextKekOnceKmsAnswers() throws Exception {
    DataSource ds = KekHierarchyTest.isolated("h2");
    KekHierarchyTest.MutableClock clock = new KekHierarchyTest.MutableClock();
    KekStore store = migrated(ds).maxAge(Duration.ofDays(30)).clock(clock).refreshExecutor(Runnable::run).build();
    RowSeal rowSeal = rowSeal(store, kms);
    KeyRef first = write(rowSeal, 1);
    kms.unreachable = true;
    clock.advance(Duration.ofDays(31));
    for (long id = 2; id <= 50; id++) {
      assertThat(write(rowSeal, id)).isEqualTo(first);
    }
    assertThat(kms.wraps.get()).as("one attempt, then backing off").isEqualTo(2);

    kms.unreachable = false;
    assertThat(write(rowSeal, 51)).as("still backing off").isEqualTo(first);
    clock.advance(Duration.ofMinutes(2));
    assertThat(write(rowSeal, 52)).isNotEqualTo(first);
  }

  @Test
  void openRowKey_kekStoreOnExhaustedPool_errorNamesThePoolNotTheTable() throws Exception {
    DataSource ds = KekHierarchyTest.isolated("postgres");
    RowSeal writer = rowSeal(migrated(ds).build(), kms);
    byte[] companion;
    try (RowKey key = writer.newRowKey(cards, RowId.of(1))) {
      companion = key.companion();
    }
    HikariConfig config = new HikariConfig();
    config.setDataSource(ds);
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(250);
    config.setPoolName("app-pool");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      RowSeal reader = rowSeal(KekStore.builder(pool).build(), kms);
      try (Connection held = pool.getConnection()) { // the caller's own connection: the pool has no other
        Throwable thrown = catchThrowable(() -> reader.openRowKey(cards, RowId.of(1), companion).close());
        assertThat(thrown).isInstanceOf(KeyUnavailableException.class)
            .hasMessageContaining(WrappedDataKey.decode(companion).keyRef().toString())
            .hasMessageContaining("pool is exhausted").hasMessageContaining("Connection is not available")
            .hasMessageContaining("KekStore.builder(jdbcUrl, properties)")
            .hasMessageNotContaining("does not exist");
      }
      // The connection is back: the same read works.
      reader.openRowKey(cards, RowId.of(1), companion).close();
    }
  }

  /** A refresh executor that starts each task on a thread of its own, or holds it while closed. */
  static final class GatedExecutor implements Executor {
    private final List<Runnable> held = new ArrayList<>();
    private final List<CompletableFuture<Void>> started = new CopyOnWriteArrayList<>();
    private boolean open = true;

    @Override
    public synchronized void execute(Runnable task) {
      if (open) {
        started.add(CompletableFuture.runAsync(task, t -> new Thread(t, "kek-test-background").start()));
      } else {
        held.add(task);
      }
    }

    synchronized void close() {
      open = false;
    }

    synchronized int held() {
      return held.size();
    }

    void open() {
      List<Runnable> tasks;
      synchronized (this) {
        open = true;
        tasks = new ArrayList<>(held);
        held.clear();
      }
      tasks.forEach(this::execute);
    }

    /** Waits for every started task, including tasks they started (the futures' timeout is a hang guard). */
    void awaitIdle() throws Exception {
      int seen;
      do {
        seen = started.size();
        CompletableFuture.allOf(started.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      } while (started.size() != seen);
    }
  }

  /**
   * The flake of KekRotationUnderLoadTest's two-connection pool, made deterministic: KekStore on the
   * application's 2-connection pool, both connections held by the writer (as writers in transactions hold
   * them), the background reservation held back until the KEK's whole block is used. The writer past the
   * block must not borrow from that pool (it used to, while the other writers waited for it holding the
   * rest of the pool: a deadlock until the pool's connection timeout); it fails fast, naming the KEK table
   * and the way out, and once the connections are back the reservation and the next KEK follow.
   */
  @Test
  void active_kekStoreOnCallersPool_blockUsedUpWhileWritersHoldThePool_noWriterBorrowsFromIt_failsFastThenGoesOn()
      throws Exception {
    DataSource ds = KekHierarchyTest.isolated("postgres");
    HikariConfig config = new HikariConfig();
    config.setDataSource(ds);
    config.setMaximumPoolSize(2);
    config.setConnectionTimeout(1_000); // the old code's writer would wait this long for a third connection
    config.setPoolName("app-pool");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      KekStore.builder(pool).build().migrate();
      Set<Thread> borrowers = ConcurrentHashMap.newKeySet();
      DataSource recording = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
          new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
              borrowers.add(Thread.currentThread());
            }
            try {
              return method.invoke(pool, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      GatedExecutor background = new GatedExecutor();
      KekStore store = KekStore.builder(recording).maxWraps(100).refreshExecutor(background)
          .reservationWait(Duration.ofMillis(200)).build();
      RowSeal rowSeal = rowSeal(store, kms);
      KeyRef first = write(rowSeal, 1); // the first KEK: the one thing a writer waits for
      background.awaitIdle();
      borrowers.clear();

      background.close();
      Thread writer = Thread.currentThread();
      Throwable thrown;
      try (Connection c1 = pool.getConnection(); Connection c2 = pool.getConnection()) {
        for (long id = 2; id <= 100; id++) {
          assertThat(write(rowSeal, id)).isEqualTo(first); // the reserved block: no database, no waiting
        }
        assertThat(background.held()).as("the next KEK and a spare block were asked for at the low-water mark").isPositive();
        thrown = catchThrowable(() -> write(rowSeal, 101));
        Throwable again = catchThrowable(() -> write(rowSeal, 102)); // another writer finds the same reservation pending
        assertThat(again).isInstanceOf(KeyUnavailableException.class).hasMessageContaining("did not finish within");
      }
      assertThat(borrowers).as("no writer borrowed from the pool it holds").doesNotContain(writer);
      assertThat(thrown).isInstanceOf(KeyUnavailableException.class)
          .hasMessageContaining(first.toString()).hasMessageContaining("rowseal_kek")
          .hasMessageContaining("did not finish within 200 ms").hasMessageContaining("KekStore.builder(jdbcUrl, properties)")
          .hasMessageContaining("cards");

      background.open(); // the connections are back: the held reservations and the next KEK go ahead
      background.awaitIdle();
      Set<KeyRef> used = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
      for (long id = 101; id <= 400 && used.size() < 2; id++) {
        used.add(write(rowSeal, id));
      }
      assertThat(used).as("writes go on, then move to the next KEK").hasSize(2).contains(first);
      assertThat(borrowers).doesNotContain(writer);
      assertThat(KekHierarchyTest.kekRows(ds)).isEqualTo(2);
    }
  }

  @Test
  void openRowKey_kekTableMissing_errorSaysSo() throws Exception {
    DataSource ds = KekHierarchyTest.isolated("postgres");
    KeyRef kek = KeyRef.of("kek:6f1c2a7e-8f0d-4b5e-9c1a-2d3e4f5a6b7c");
    RowSeal reader = rowSeal(KekStore.builder(ds).build(), kms); // never migrated
    byte[] companion = WrappedDataKey.encode(kek, true, new byte[60]);
    assertThatThrownBy(() -> reader.openRowKey(cards, RowId.of(1), companion))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(kek.toString())
        .hasMessageContaining("rowseal_kek does not exist").hasMessageContaining("KekStore.migrate()")
        .hasMessageNotContaining("pool");
  }

  @Test
  void builder_jdbcUrl_ownConnections_writeReadAndToStringHidesCredentials() throws Exception {
    String url = "jdbc:h2:mem:" + TestDatabases.uniqueName("kekurl") + ";DB_CLOSE_DELAY=-1";
    Properties props = new Properties();
    props.setProperty("user", "sa");
    props.setProperty("password", "secret-pw");
    try (KekStore store = KekStore.builder(url, props).build()) {
      store.migrate();
      RowSeal rowSeal = rowSeal(store, kms);
      List<byte[]> companions = new ArrayList<>();
      for (long id = 1; id <= 20; id++) {
        try (RowKey key = rowSeal.newRowKey(cards, RowId.of(id))) {
          companions.add(key.companion());
        }
      }
      RowSeal reader = rowSeal(KekStore.builder(url, props).build(), kms);
      for (long id = 1; id <= 20; id++) {
        reader.openRowKey(cards, RowId.of(id), companions.get((int) id - 1)).close();
      }
      assertThat(store.status()).containsOnlyKeys(kms.ref().toString());
      assertThat(ReservedConnections.masked("jdbc:postgresql://u:pw@db:5432/x?password=pw"))
          .isEqualTo("jdbc:postgresql://***@db:5432/x?...");
      assertThat(new ReservedConnections(url, props, 2, Duration.ofSeconds(1)).toString())
          .doesNotContain("secret-pw").doesNotContain("DB_CLOSE_DELAY");
    }
  }

  @Test
  void reservedConnections_allInUse_timesOutNamingThem_thenReusesTheReturnedOne() throws Exception {
    String url = "jdbc:h2:mem:" + TestDatabases.uniqueName("reserved") + ";DB_CLOSE_DELAY=-1";
    try (ReservedConnections connections = new ReservedConnections(url, new Properties(), 1, Duration.ofMillis(100))) {
      Connection first = connections.getConnection();
      first.setAutoCommit(false);
      Throwable thrown = catchThrowable(connections::getConnection);
      assertThat(thrown).isInstanceOf(java.sql.SQLTransientConnectionException.class)
          .hasMessageContaining("all 1 of KekStore's own 1 connections").hasMessageContaining("stayed in use");
      first.close();
      assertThat(first.isClosed()).isTrue();
      try (Connection again = connections.getConnection()) {
        assertThat(again.getAutoCommit()).as("given back with auto-commit on").isTrue();
        assertThat(again.isValid(1)).isTrue();
      }
    }
  }

  @Test
  void builder_maxWrapsAboveHardLimit_rejected() throws Exception {
    DataSource ds = KekHierarchyTest.isolated("h2");
    assertThatThrownBy(() -> KekStore.builder(ds).maxWraps(KekStore.HARD_MAX_WRAPS + 1)).hasMessageContaining("2^31");
    assertThatThrownBy(() -> KekStore.builder(ds).maxWraps(100).hardMaxWraps(50).build()).hasMessageContaining("hard limit");
  }
}
