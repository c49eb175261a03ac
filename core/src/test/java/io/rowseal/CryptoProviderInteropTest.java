package io.rowseal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import org.junit.jupiter.api.Test;

/**
 * Engines on different AES-GCM implementations read each other's rows (the bytes do not depend on the
 * provider), and the provider in use is visible as a metric tag.
 */
class CryptoProviderInteropTest {
  private final EncryptedTable cards = EncryptedTable.builder("cards").idColumns("id")
      .column("card_number", String.class).column("holder", String.class, StorageForm.TEXT).build();
  private final KeyRing keyRing = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32)));

  private RowSeal engine(CryptoProvider provider) {
    return RowSeal.builder().keyRing(keyRing).table(cards).cryptoProvider(provider).build();
  }

  @Test
  void rowWrittenOnAccp_readsOnJdk_andTheReverse() {
    RowSeal accp = engine(CryptoProvider.ACCP);
    RowSeal jdk = engine(CryptoProvider.JDK);
    for (RowSeal[] pair : new RowSeal[][] {{accp, jdk}, {jdk, accp}}) {
      byte[] companion;
      Object number;
      Object holder;
      try (RowKey key = pair[0].newRowKey(cards, RowId.of(7))) {
        companion = key.companion();
        number = key.encrypt(cards.column("card_number"), "4111111111111111");
        holder = key.encrypt(cards.column("holder"), "Jane");
      }
      try (RowKey key = pair[1].openRowKey(cards, RowId.of(7), companion)) {
        assertThat(key.decrypt(cards.column("card_number"), number)).isEqualTo("4111111111111111");
        assertThat(key.decrypt(cards.column("holder"), holder)).isEqualTo("Jane");
      }
    }
  }

  @Test
  void build_withMeterRegistry_publishesProviderTag() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RowSeal rowSeal = RowSeal.builder().keyRing(keyRing).table(cards).cryptoProvider(CryptoProvider.ACCP)
        .meterRegistry(registry).build();

    assertThat(rowSeal.cryptoProvider()).isEqualTo(CryptoProvider.ACCP);
    assertThat(registry.get("rowseal.crypto.provider").tag("provider", "accp").gauge().value()).isEqualTo(1.0);
    assertThat(rowSeal.toString()).contains("crypto=accp");
  }
}
