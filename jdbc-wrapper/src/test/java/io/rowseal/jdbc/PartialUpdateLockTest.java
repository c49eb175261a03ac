package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.RowId;
import io.rowseal.RowSeal;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A partial UPDATE (some encrypted columns set, so the row's existing data key is needed) opens that key,
 * which may be a KMS call, before it locks the row, and checks under the lock that the key it opened is
 * still the row's. The master keys here stand for a KMS: RowSeal does not cache their data keys, and a
 * test can stop an unwrap half-way (latches) or run something in the middle of it.
 */
class PartialUpdateLockTest {
  private static final String PARTIAL = "update T set holder = ? where id = ?";

  /** A master key outside the process whose next unwrap runs a hook first (once). */
  static final class HookedKey implements MasterKey {
    private final MasterKey delegate;
    final AtomicReference<Runnable> nextUnwrap = new AtomicReference<>();
    final AtomicInteger unwraps = new AtomicInteger();

    HookedKey(MasterKey delegate) {
      this.delegate = delegate;
    }

    @Override
    public KeyRef ref() {
      return delegate.ref();
    }

    @Override
    public byte[] wrap(DataKey dataKey, WrapContext context) {
      return delegate.wrap(dataKey, context);
    }

    @Override
    public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
      unwraps.incrementAndGet();
      Runnable hook = nextUnwrap.getAndSet(null);
      if (hook != null) {
        hook.run();
      }
      return delegate.unwrap(wrappedKey, context);
    }
  }

  private static RowSeal rowSeal(Cards cards, MasterKey active, MasterKey... others) {
    return RowSeal.builder().keyRing(KeyRing.of(active, others)).table(cards.table).noDataKeyCache().build();
  }

  private static void update(RowSealDataSource ds, Cards cards, long id, String holder) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(cards.sql(PARTIAL))) {
      ps.setString(1, holder);
      ps.setLong(2, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Db.class, names = {"POSTGRES", "MARIADB"})
  void partialUpdate_unwrapInFlight_rowNotLocked(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      HookedKey k1 = new HookedKey(cards.k1);
      RowSealDataSource ds = RowSealDataSource.wrap(cards.raw, rowSeal(cards, k1));
      try (Connection c = ds.getConnection()) {
        cards.insert(c, 1, "Old Holder", "4111111111111111", "123", "n");
      }
      CountDownLatch inUnwrap = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      k1.nextUnwrap.set(() -> {
        inUnwrap.countDown();
        try {
          release.await(60, TimeUnit.SECONDS); // hang guard only
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      CompletableFuture<Void> updating = CompletableFuture.runAsync(() -> {
        try {
          update(ds, cards, 1, "New Holder");
        } catch (SQLException e) {
          throw new RuntimeException(e);
        }
      });
      try {
        assertThat(inUnwrap.await(60, TimeUnit.SECONDS)).as("the update reached the unwrap").isTrue();
        // While the "KMS call" is in flight, another transaction can lock the row at once.
        try (Connection other = cards.raw.getConnection()) {
          other.setAutoCommit(false);
          try (Statement s = other.createStatement();
              ResultSet rs = s.executeQuery("select id from " + cards.name + " where id = 1 for update nowait")) {
            assertThat(rs.next()).isTrue();
          }
          other.rollback();
        }
      } finally {
        release.countDown();
      }
      updating.get(60, TimeUnit.SECONDS);
      assertThat(cards.read(ds, 1, "holder")).isEqualTo("New Holder");
      assertThat(cards.read(ds, 1, "card_number")).isEqualTo("4111111111111111");
    }
  }

  /**
   * Row 1 written under k1, and the updater's DataSource (k1 active, k2 too): mid-way through its next k1
   * unwrap, a "re-wrap job" moves the row to k2.
   */
  private static RowSealDataSource rowUnderK1MovedToK2DuringNextUnwrap(Cards cards, HookedKey k1, HookedKey k2)
      throws SQLException {
    RowSealDataSource ds = RowSealDataSource.wrap(cards.raw, rowSeal(cards, k1, k2));
    try (Connection c = ds.getConnection()) {
      cards.insert(c, 1, "Old Holder", "4111111111111111", "123", "n");
    }
    RowSeal rotated = rowSeal(cards, k2, k1);
    k1.nextUnwrap.set(() -> {
      try (Connection c = cards.raw.getConnection();
          PreparedStatement ps = c.prepareStatement("update " + cards.name + " set rowseal_dek = ? where id = 1")) {
        byte[] moved = rotated.rewrapCompanion(cards.table, RowId.of(1), cards.rawBytes(1, "rowseal_dek"));
        ps.setBytes(1, moved);
        assertThat(ps.executeUpdate()).isEqualTo(1);
        if (!c.getAutoCommit()) {
          c.commit();
        }
      } catch (SQLException e) {
        throw new RuntimeException(e);
      }
    });
    return ds;
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void partialUpdate_companionChangedBeforeLock_autoCommit_retriesWithTheNewKey(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      HookedKey k1 = new HookedKey(cards.k1);
      HookedKey k2 = new HookedKey(Cards.masterKey("k2"));
      RowSealDataSource ds = rowUnderK1MovedToK2DuringNextUnwrap(cards, k1, k2);

      update(ds, cards, 1, "New Holder");

      assertThat(k2.unwraps).as("the second attempt opened the row's new companion").hasValue(1);
      assertThat(WrappedDataKey.decode(cards.rawBytes(1, "rowseal_dek")).keyRef()).isEqualTo(k1.ref());
      assertThat(cards.read(ds, 1, "holder")).isEqualTo("New Holder");
      assertThat(cards.read(ds, 1, "cvv")).isEqualTo("123");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void partialUpdate_companionChangedBeforeLock_applicationTransaction_fails40001ChangingNothing(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      HookedKey k1 = new HookedKey(cards.k1);
      HookedKey k2 = new HookedKey(Cards.masterKey("k2"));
      RowSealDataSource ds = rowUnderK1MovedToK2DuringNextUnwrap(cards, k1, k2);
      Throwable thrown;
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(cards.sql(PARTIAL))) {
          ps.setString(1, "New Holder");
          ps.setLong(2, 1);
          thrown = catchThrowable(ps::executeUpdate);
        }
        c.rollback();
      }
      assertThat(thrown).isInstanceOf(SQLException.class).hasMessageContaining(cards.name)
          .hasMessageContaining("row 1").hasMessageContaining("retry the transaction")
          .hasMessageNotContaining("New Holder");
      assertThat(((SQLException) thrown).getSQLState()).isEqualTo("40001");
      assertThat(WrappedDataKey.decode(cards.rawBytes(1, "rowseal_dek")).keyRef()).isEqualTo(k2.ref());
      assertThat(cards.read(ds, 1, "holder")).isEqualTo("Old Holder");
    }
  }
}
