package io.rowseal.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.StorageForm;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.Hex;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The index-key table on H2: first use, state cache, rotation phases, master-key rotation, no key in any text. */
class IndexKeyStoreTest {
  private final MasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), IndexVectorGenerator.sha256("k1"));
  private final MasterKey k2 = AesGcmMasterKey.of(KeyRef.of("local:k2"), IndexVectorGenerator.sha256("k2"));
  private final AtomicLong nanos = new AtomicLong();
  private DataSource ds;
  private EncryptedColumn email;
  private IndexKeyStore store;

  @BeforeEach
  void setUp() {
    ds = TestDatabases.h2(TestDatabases.uniqueName("idx_store"));
    email = EncryptedTable.builder("customers").idColumns("id").column("email", String.class, StorageForm.TEXT)
        .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE)).build().column("email");
    store = store(KeyRing.of(k1, k2));
    store.migrate();
  }

  private IndexKeyStore store(KeyRing ring) {
    return IndexKeyStore.builder(ds, ring).stateTtl(Duration.ofSeconds(30)).ticker(nanos::get).build();
  }

  @Test
  void view_firstUse_createsVersion1ActiveInTheIndexColumn() {
    IndexView view = store.view(email);
    assertThat(view.versions()).hasSize(1);
    IndexKeyVersion v = view.versions().get(0);
    assertThat(v.version()).isEqualTo(1);
    assertThat(v.physicalColumn()).isEqualTo("email_idx");
    assertThat(v.state()).isEqualTo(IndexKeyVersion.State.ACTIVE);
    assertThat(view.physicalColumns()).containsExactly("email_idx");
    assertThat(view.writeValue("email_idx", "A@X.com")).isEqualTo(view.lookupValue("email_idx", "a@x.COM"));
    assertThat(BlindIndex.version(view.writeValue("email_idx", "a"))).isEqualTo(1);
  }

  @Test
  void compute_secondStoreOnSameTable_sameIndexValues() {
    byte[] first = store.view(email).writeValue("email_idx", "a@x.com");
    IndexKeyStore other = store(KeyRing.of(k1, k2));
    assertThat(other.view(email).writeValue("email_idx", "A@X.COM")).isEqualTo(first);
    assertThat(store.view(email).writeValue("email_idx", "b@x.com")).isNotEqualTo(first);
  }

  @Test
  void view_isCachedForTheStateTtl_thenReadAgain() {
    IndexView before = store.view(email);
    IndexKeyStore other = store(KeyRing.of(k1, k2));
    other.startRotation(email);
    nanos.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(store.view(email)).isSameAs(before);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(store.view(email).versions()).hasSize(2);
  }

  @Test
  void rotation_phases_writeAndLookupTargets() {
    IndexKeyVersion v1 = store.view(email).versions().get(0);
    IndexKeyVersion v2 = store.startRotation(email);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.physicalColumn()).isEqualTo("email_idx_next");
    assertThat(v2.state()).isEqualTo(IndexKeyVersion.State.PENDING);
    IndexView p1 = store.view(email);
    assertThat(p1.physicalColumns()).containsExactly("email_idx", "email_idx_next");
    assertThat(p1.writeValue("email_idx_next", "a")).isNull();
    assertThat(p1.lookupValue("email_idx_next", "a")).isNull();
    assertThat(p1.writeValue("email_idx", "a")).isNotNull();

    store.activate(email, 2);
    IndexView p2 = store.view(email);
    assertThat(BlindIndex.version(p2.writeValue("email_idx_next", "a"))).isEqualTo(2);
    assertThat(BlindIndex.version(p2.writeValue("email_idx", "a"))).isEqualTo(1);
    assertThat(p2.lookupValue("email_idx_next", "a")).isEqualTo(p2.writeValue("email_idx_next", "a"));

    store.stopWriting(email, 1);
    IndexView p3 = store.view(email);
    assertThat(p3.writeValue("email_idx", "a")).isNull();
    assertThat(BlindIndex.version(p3.lookupValue("email_idx", "a"))).isEqualTo(1);
    assertThat(p3.lookupValue("email_idx", "a")).isEqualTo(p1.writeValue("email_idx", "a"));

    store.retire(email, v1.version());
    IndexView p4 = store.view(email);
    assertThat(p4.lookupValue("email_idx", "a")).isNull();
    assertThat(p4.physicalColumns()).containsExactly("email_idx", "email_idx_next");

    IndexKeyVersion v3 = store.startRotation(email);
    assertThat(v3.version()).isEqualTo(3);
    assertThat(v3.physicalColumn()).isEqualTo("email_idx");
  }

  @Test
  void transitions_outOfOrder_areRefusedNamingTheColumn() {
    store.view(email);
    assertThatThrownBy(() -> store.stopWriting(email, 1)).hasMessageContaining("only active")
        .hasMessageContaining("customers.email");
    store.startRotation(email);
    assertThatThrownBy(() -> store.startRotation(email)).hasMessageContaining("running already");
    assertThatThrownBy(() -> store.retire(email, 2)).hasMessageContaining("not read-only");
    assertThatThrownBy(() -> store.activate(email, 1)).hasMessageContaining("not pending");
  }

  @Test
  void rewrapKeys_movesRowsToTheNewMasterKey_indexValuesUnchanged() throws Exception {
    byte[] before = store.view(email).writeValue("email_idx", "a@x.com");
    store.startRotation(email);
    assertThat(store.status()).containsExactly(Map.entry("local:k1", 2L));
    KeyRing rotated = KeyRing.of(k2, k1);
    assertThat(store.rewrapKeys(rotated)).isEqualTo(2);
    assertThat(store.rewrapKeys(rotated)).isZero();
    assertThat(store.status()).containsExactly(Map.entry("local:k2", 2L));
    IndexKeyStore onlyK2 = store(KeyRing.of(k2));
    assertThat(onlyK2.view(email).writeValue("email_idx", "a@x.com")).isEqualTo(before);
  }

  @Test
  void wrappedKey_movedToAnotherVersion_failsToUnwrap_withoutKeyBytesInTheMessage() throws Exception {
    store.view(email);
    store.startRotation(email);
    store.activate(email, 2);
    byte[] wrapped1;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select wrapped_key from rowseal_index_key where key_version = 1")) {
      rs.next();
      wrapped1 = rs.getBytes(1);
    }
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("update rowseal_index_key set wrapped_key = ? where key_version = 2")) {
      ps.setBytes(1, wrapped1);
      ps.executeUpdate();
    }
    IndexKeyStore fresh = store(KeyRing.of(k1, k2));
    assertThatThrownBy(() -> fresh.view(email).writeValue("email_idx_next", "a"))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("version 2").hasMessageContaining("customers.email")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Hex.encode(wrapped1)));
  }

  @Test
  void toStrings_neverShowTheIndexKey() throws Exception {
    IndexView view = store.view(email);
    view.writeValue("email_idx", "a");
    IndexKeyVersion v = view.versions().get(0);
    WrappedDataKey wrapped = WrappedDataKey.decode(v.wrappedKey);
    DataKey key = k1.unwrap(wrapped.wrappedKey(), IndexKeyStore.context("customers", "email", 1));
    String keyHex = Hex.encode(key.copyOfBytes());
    String wrappedHex = Hex.encode(v.wrappedKey);
    for (Object o : new Object[] {store, view, v, email.searchIndex()}) {
      assertThat(o.toString()).doesNotContain(keyHex).doesNotContain(wrappedHex);
    }
    // and the key is the one the index uses
    assertThat(view.writeValue("email_idx", "a")).isEqualTo(
        BlindIndex.compute(key, 1, "customers", "email", 256, BlindIndex.normalisedEncoding(email, "a")));
  }

  @Test
  void versions_unknownPhysicalColumn_failsClosed() throws Exception {
    store.view(email);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("update rowseal_index_key set index_column = 'other_col'");
    }
    store.refresh();
    assertThatThrownBy(() -> store.view(email)).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("other_col").hasMessageContaining("email_idx");
  }

  @Test
  void rowsPerVersion_countsByVersionRange() throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table customers (id bigint primary key, email varchar(400), email_idx varbinary(37),"
          + " email_idx_next varbinary(37))");
      IndexView view = store.view(email);
      try (PreparedStatement ps = c.prepareStatement("insert into customers (id, email_idx) values (?, ?)")) {
        for (int i = 0; i < 5; i++) {
          ps.setInt(1, i);
          ps.setBytes(2, view.writeValue("email_idx", "v" + i));
          ps.executeUpdate();
        }
      }
      store.startRotation(email);
      store.activate(email, 2);
      IndexView p2 = store.view(email);
      try (PreparedStatement ps = c.prepareStatement("update customers set email_idx_next = ? where id < 2")) {
        ps.setBytes(1, p2.writeValue("email_idx_next", "v"));
        ps.executeUpdate();
      }
      Map<IndexKeyVersion, Long> counts = store.rowsPerVersion(c, email);
      assertThat(counts.values()).containsExactly(5L, 2L);
    }
  }
}
