package io.rowseal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The per-thread buffer hands out every byte once: nonces (copied as a long and an int) and keys (copied and zeroed
 * as longs) drawn in a row's order, across many refills of the 1 KiB buffer, never share a byte run, and a slice
 * lands exactly where it was asked for.
 */
class RandomnessTest {

  @Test
  void slices_neverOverlap_acrossRefills() {
    Randomness r = AesGcm.worker().random();
    List<byte[]> drawn = new ArrayList<>();
    for (int row = 0; row < 2_000; row++) { // a row's draws: key, wrap nonce, three value nonces; ~80 rows a refill
      drawn.add(r.next(AesGcm.KEY_LENGTH));
      for (int n = 0; n < 4; n++) {
        byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
        r.nextNonce(nonce, 0, AesGcm.NONCE_LENGTH);
        drawn.add(nonce);
      }
      if (row % 97 == 0) {
        drawn.add(r.next(5)); // an odd length shifts the alignment of everything after it
      }
    }
    // Any 6-byte window of random output seen twice means a slice was handed out twice (chance: about 2^-20 here).
    Set<Long> windows = new HashSet<>();
    long count = 0;
    for (byte[] b : drawn) {
      for (int i = 0; i + 6 <= b.length; i += 6) {
        long w = 0;
        for (int k = 0; k < 6; k++) {
          w = w << 8 | (b[i + k] & 0xff);
        }
        count++;
        assertThat(windows.add(w)).as("window %d of a draw seen before", i).isTrue();
      }
    }
    assertThat(count).isGreaterThan(10_000);
  }

  @Test
  void nonce_isWrittenExactlyAtItsOffset() {
    Randomness r = AesGcm.worker().random();
    for (int off = 0; off < 9; off++) {
      byte[] out = new byte[off + AesGcm.NONCE_LENGTH + 3];
      java.util.Arrays.fill(out, (byte) 0x5a);
      r.nextNonce(out, off, AesGcm.NONCE_LENGTH);
      for (int i = 0; i < out.length; i++) {
        if (i < off || i >= off + AesGcm.NONCE_LENGTH) {
          assertThat(out[i]).as("byte %d outside the nonce at %d", i, off).isEqualTo((byte) 0x5a);
        }
      }
      assertThat(ByteBuffer.wrap(out, off, AesGcm.NONCE_LENGTH)).isNotEqualTo(ByteBuffer.wrap(new byte[12]));
    }
  }

  @Test
  void keys_areFreshAndFull() {
    Randomness r = AesGcm.worker().random();
    Set<ByteBuffer> keys = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      byte[] k = r.next(AesGcm.KEY_LENGTH);
      assertThat(k).hasSize(32);
      // a zeroed 8-byte lane would mean a copy read a slice already handed out (and zeroed)
      for (int lane = 0; lane < 32; lane += 8) {
        assertThat(ByteBuffer.wrap(k, lane, 8).getLong()).as("lane %d of key %d", lane, i).isNotZero();
      }
      assertThat(keys.add(ByteBuffer.wrap(k))).isTrue();
    }
  }
}
