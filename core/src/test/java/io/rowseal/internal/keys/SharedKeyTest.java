package io.rowseal.internal.keys;

import io.rowseal.internal.keys.KeyCache;
import io.rowseal.internal.keys.SharedKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.key.DataKey;
import org.junit.jupiter.api.Test;

class SharedKeyTest {
  @Test
  void evict_unused_zeroesAtOnce() {
    DataKey key = DataKey.generate();
    SharedKey shared = new SharedKey(key);
    shared.evict();
    assertThatThrownBy(key::copyOfBytes).isInstanceOf(IllegalStateException.class);
    assertThat(shared.acquire()).isFalse();
  }

  @Test
  void evict_whileInUse_zeroesAfterLastRelease() {
    DataKey key = DataKey.generate();
    SharedKey shared = new SharedKey(key);
    assertThat(shared.acquire()).isTrue();
    assertThat(shared.acquire()).isTrue();
    shared.evict();
    assertThat(shared.acquire()).isFalse();
    shared.release();
    assertThat(key.copyOfBytes()).hasSize(32); // one user left: still usable
    shared.release();
    assertThatThrownBy(key::copyOfBytes).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keyCache_evictedEntry_loadsFresh() {
    KeyCache<String> cache = new KeyCache<>("test", java.time.Duration.ofMinutes(1), 1, null);
    int[] loads = {0};
    SharedKey a = cache.acquire("a", k -> {
      loads[0]++;
      return DataKey.generate();
    });
    a.release();
    cache.acquire("b", k -> DataKey.generate()).release();
    cache.invalidateAll();
    SharedKey again = cache.acquire("a", k -> {
      loads[0]++;
      return DataKey.generate();
    });
    again.release();
    assertThat(loads[0]).isEqualTo(2);
    assertThatThrownBy(() -> a.key().copyOfBytes()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toString_noKeyMaterial() {
    assertThat(new SharedKey(DataKey.generate()).toString()).isEqualTo("SharedKey[bytes redacted]");
  }
}
