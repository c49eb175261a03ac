package io.rowseal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A row key keeps the per-thread worker of the thread that made it (its ciphers and plaintext buffer); used on
 * another thread it must take that thread's own, and values must stay readable both ways.
 */
class RowKeyThreadsTest {
  private final EncryptedTable cards =
      EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();
  private final RowSeal rowSeal = RowSeal.builder()
      .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32)))).table(cards).build();
  private final ExecutorService other = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    other.shutdownNow();
  }

  @Test
  void encrypt_onAnotherThreadThanTheKeyWasMadeOn_decryptsOnBoth() throws Exception {
    EncryptedColumn number = cards.column("card_number");
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(7))) {
      byte[] here = key.encryptBinary(number, "4111111111111111");
      byte[] there = other.submit(() -> key.encryptBinary(number, "5500000000000004")).get();

      assertThat(key.decrypt(number, there, String.class)).isEqualTo("5500000000000004");
      assertThat(other.submit(() -> key.decrypt(number, here, String.class)).get()).isEqualTo("4111111111111111");
    }
  }

  @Test
  void openRowKey_onAnotherThread_decryptsHere() throws Exception {
    EncryptedColumn number = cards.column("card_number");
    byte[] companion;
    byte[] value;
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(8))) {
      companion = key.companion();
      value = key.encryptBinary(number, "4111111111111111");
    }
    try (RowKey opened = other.submit(() -> rowSeal.openRowKey(cards, RowId.of(8), companion)).get()) {
      assertThat(opened.decrypt(number, value, String.class)).isEqualTo("4111111111111111");
    }
  }
}
