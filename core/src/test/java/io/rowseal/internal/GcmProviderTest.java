package io.rowseal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The choice of AES-GCM implementation: what {@code auto}, {@code jdk} and {@code accp} resolve to with and
 * without a usable ACCP, that the chosen one is the one that runs, and that the JDK's and ACCP's bytes are
 * interchangeable (sealed by one, opened by the other) with tampering rejected by both.
 */
class GcmProviderTest {
  private static final Supplier<Provider> NO_ACCP = () -> {
    throw new IllegalStateException("it is not on the class path");
  };

  @Test
  void resolve_jdk_isJdk() {
    assertThat(GcmProvider.resolve(GcmProvider.Kind.JDK).kind()).isEqualTo(GcmProvider.Kind.JDK);
  }

  @Test
  void resolve_accpOnClassPath_isAccp() {
    GcmProvider accp = GcmProvider.resolve(GcmProvider.Kind.ACCP);
    assertThat(accp.kind()).isEqualTo(GcmProvider.Kind.ACCP);
    assertThat(accp.implementation()).startsWith("AmazonCorrettoCryptoProvider ");
  }

  @Test
  void resolve_autoOnJdk17WithAccp_isAccp() {
    assertThat(GcmProvider.resolve(GcmProvider.Kind.AUTO, GcmProviderTest::realAccp, 17).kind())
        .isEqualTo(GcmProvider.Kind.ACCP);
  }

  @Test
  void resolve_autoOnJdk25WithAccp_isJdk() {
    assertThat(GcmProvider.resolve(GcmProvider.Kind.AUTO, GcmProviderTest::realAccp, 25).kind())
        .isEqualTo(GcmProvider.Kind.JDK);
  }

  @Test
  void resolve_autoWithoutAccp_fallsBackToJdk() {
    assertThat(GcmProvider.resolve(GcmProvider.Kind.AUTO, NO_ACCP, 17).kind()).isEqualTo(GcmProvider.Kind.JDK);
  }

  @Test
  void resolve_autoWithBrokenNativeLibrary_fallsBackToJdk() {
    Supplier<Provider> broken = () -> {
      throw new UnsatisfiedLinkError("no amazonCorrettoCryptoProvider in java.library.path");
    };
    assertThat(GcmProvider.resolve(GcmProvider.Kind.AUTO, broken, 17).kind()).isEqualTo(GcmProvider.Kind.JDK);
  }

  @Test
  void resolve_accpRequestedWithoutAccp_failsNamingDependencyAndWayOut() {
    assertThatThrownBy(() -> GcmProvider.resolve(GcmProvider.Kind.ACCP, NO_ACCP, 17))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rowseal.crypto.provider = accp")
        .hasMessageContaining("not on the class path")
        .hasMessageContaining("software.amazon.cryptools:AmazonCorrettoCryptoProvider")
        .hasMessageContaining("choose jdk or auto");
  }

  @Test
  void resolve_accpWithoutWorkingAesGcm_failsAtStartup() {
    Supplier<Provider> empty = () -> new Provider("Empty", "1", "no algorithms") {};
    assertThatThrownBy(() -> GcmProvider.resolve(GcmProvider.Kind.ACCP, empty, 17))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rowseal.crypto.provider = accp");
  }

  @Test
  void use_switchesThisThreadsCiphers_andRestores() {
    GcmProvider accp = GcmProvider.resolve(GcmProvider.Kind.ACCP);
    GcmProvider previous = AesGcm.use(accp);
    try {
      assertThat(AesGcm.currentCipherProvider(AesGcm.Role.DATA).getName()).isEqualTo("AmazonCorrettoCryptoProvider");
      assertThat(AesGcm.currentCipherProvider(AesGcm.Role.KEY_WRAPPING).getName())
          .isEqualTo("AmazonCorrettoCryptoProvider");
    } finally {
      AesGcm.use(previous);
    }
    assertThat(AesGcm.currentCipherProvider(AesGcm.Role.DATA).getName()).isNotEqualTo("AmazonCorrettoCryptoProvider");
  }

  @Test
  void sealAndOpen_acrossProviders_giveTheSameBytes() throws AEADBadTagException {
    GcmProvider jdk = GcmProvider.jdk();
    GcmProvider accp = GcmProvider.resolve(GcmProvider.Kind.ACCP);
    Random random = new Random(13);
    List<String> failures = new ArrayList<>();
    for (int length = 0; length <= 300; length += (length < 40 ? 1 : 37)) {
      byte[] keyBytes = new byte[32];
      byte[] nonce = new byte[12];
      byte[] plaintext = new byte[length];
      byte[] aad1 = new byte[random.nextInt(40)];
      byte[] aad2 = new byte[random.nextInt(10)];
      random.nextBytes(keyBytes);
      random.nextBytes(nonce);
      random.nextBytes(plaintext);
      random.nextBytes(aad1);
      random.nextBytes(aad2);
      SecretKey key = new SecretKeySpec(keyBytes, "AES");
      byte[] byJdk = seal(jdk, key, nonce, aad1, aad2, plaintext);
      byte[] byAccp = seal(accp, key, nonce, aad1, aad2, plaintext);
      if (!java.util.Arrays.equals(byJdk, byAccp)) {
        failures.add("length " + length + ": ciphertexts differ");
      }
      for (GcmProvider opener : List.of(jdk, accp)) {
        if (!java.util.Arrays.equals(open(opener, key, nonce, aad1, aad2, byJdk), plaintext)) {
          failures.add("length " + length + ": " + opener + " opened other bytes");
        }
        byte[] tampered = byJdk.clone();
        tampered[random.nextInt(tampered.length)] ^= 1;
        try {
          open(opener, key, nonce, aad1, aad2, tampered);
          failures.add("length " + length + ": " + opener + " accepted a flipped bit");
        } catch (AEADBadTagException expected) {
          // rejected
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  private static byte[] seal(GcmProvider p, SecretKey key, byte[] nonce, byte[] aad1, byte[] aad2, byte[] plaintext) {
    GcmProvider previous = AesGcm.use(p);
    try {
      byte[] out = new byte[plaintext.length + AesGcm.TAG_LENGTH];
      AesGcm.seal(key, nonce, 0, aad1, aad2, plaintext, 0, plaintext.length, out, 0);
      return out;
    } finally {
      AesGcm.use(previous);
    }
  }

  private static byte[] open(GcmProvider p, SecretKey key, byte[] nonce, byte[] aad1, byte[] aad2, byte[] in)
      throws AEADBadTagException {
    GcmProvider previous = AesGcm.use(p);
    try {
      return AesGcm.open(key, nonce, 0, aad1, aad2, in, 0, in.length);
    } finally {
      AesGcm.use(previous);
    }
  }

  private static Provider realAccp() {
    try {
      return (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
          .getField("INSTANCE").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
