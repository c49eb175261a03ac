package io.rowseal.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.format.PlaintextCodec;
import io.rowseal.internal.ContextEncoding;
import io.rowseal.key.DataKey;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** BlindIndex keeps one Mac per thread initialised with the last key: it must never answer under another key. */
class BlindIndexMacReuseTest {
  private static byte[] independent(byte[] key, String table, String column, byte[] encoded) throws Exception {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(key, "HmacSHA256"));
    m.update(ContextEncoding.encode(BlindIndex.DOMAIN, table, column));
    byte[] mac = m.doFinal(encoded);
    byte[] out = new byte[BlindIndex.HEADER + 32];
    out[0] = 1;
    out[4] = 1;
    System.arraycopy(mac, 0, out, BlindIndex.HEADER, 32);
    return out;
  }

  @Test
  void compute_keysInterleavedOnOneThread_eachValueUnderItsOwnKey() throws Exception {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) 7);
    DataKey ka = DataKey.copyOf(a);
    DataKey kb = DataKey.copyOf(b);
    DataKey ka2 = DataKey.copyOf(a);
    byte[] x = PlaintextCodec.encode("x@example.com");
    byte[] y = PlaintextCodec.encode("y@example.com");
    assertThat(BlindIndex.compute(ka, 1, "t", "c", 256, x)).isEqualTo(independent(a, "t", "c", x));
    assertThat(BlindIndex.compute(ka, 1, "t", "c", 256, y)).isEqualTo(independent(a, "t", "c", y));
    assertThat(BlindIndex.compute(kb, 1, "t", "c", 256, x)).isEqualTo(independent(b, "t", "c", x));
    assertThat(BlindIndex.compute(ka2, 1, "t", "d", 256, x)).isEqualTo(independent(a, "t", "d", x));
    assertThat(BlindIndex.compute(ka, 1, "t", "c", 256, x)).isEqualTo(independent(a, "t", "c", x));
  }

  @Test
  void compute_destroyedKey_failsEvenRightAfterAUse() {
    DataKey k = DataKey.copyOf(new byte[32]);
    BlindIndex.compute(k, 1, "t", "c", 256, PlaintextCodec.encode("x"));
    k.destroy();
    assertThatThrownBy(() -> BlindIndex.compute(k, 1, "t", "c", 256, PlaintextCodec.encode("x")))
        .isInstanceOf(IllegalStateException.class);
  }
}
