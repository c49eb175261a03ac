package io.rowseal.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * One resolved implementation of {@code AES/GCM/NoPadding}: the JCA's default or the Amazon Corretto
 * Crypto Provider (ACCP). ACCP is reached through its provider object only, never installed as a JCA
 * provider, and loaded by reflection so that it stays an optional dependency. Immutable, thread-safe.
 */
public final class GcmProvider {
  /** Which implementation: mirrors the API's {@code io.rowseal.CryptoProvider} (this package is a leaf). */
  public enum Kind {
    /** ACCP where it is faster and loads, else the JDK's. */
    AUTO,
    /** The JCA's default AES/GCM. */
    JDK,
    /** The Amazon Corretto Crypto Provider. */
    ACCP
  }

  private static final String ALGORITHM = "AES/GCM/NoPadding";
  private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
  private static final GcmProvider JDK = new GcmProvider(Kind.JDK, null, 0);

  private final Kind kind;
  private final @Nullable Provider provider;
  /** Index of this provider's ciphers in each thread's cipher table (see {@link AesGcm}). */
  final int slot;

  private GcmProvider(Kind kind, @Nullable Provider provider, int slot) {
    this.kind = kind;
    this.provider = provider;
    this.slot = slot;
  }

  /** The JCA's default AES-GCM. */
  public static GcmProvider jdk() {
    return JDK;
  }

  /**
   * The provider for {@code requested}: {@link Kind#AUTO} picks ACCP on JDK 20 and older when
   * it loads and passes a known-answer check, else the JDK's; {@link Kind#ACCP} insists on it.
   *
   * @throws IllegalStateException if ACCP was requested and is absent or cannot load its native library
   */
  public static GcmProvider resolve(Kind requested) {
    return resolve(requested, GcmProvider::loadAccp, Runtime.version().feature());
  }

  static GcmProvider resolve(Kind requested, Supplier<Provider> accpLoader, int javaFeatureVersion) {
    switch (requested) {
      case JDK:
        return JDK;
      case ACCP:
        return accp(accpLoader);
      case AUTO:
        if (javaFeatureVersion >= 21) {
          return JDK; // the JDK's own AES-GCM was as fast or faster than ACCP on JDK 25 (benchmarks/README.md)
        }
        try {
          return accp(accpLoader);
        } catch (IllegalStateException unavailable) {
          return JDK;
        }
      default:
        throw new IllegalArgumentException("unknown crypto provider " + requested);
    }
  }

  private static GcmProvider accp(Supplier<Provider> loader) {
    Provider p;
    try {
      p = loader.get();
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException("rowseal.crypto.provider = accp, but the Amazon Corretto Crypto Provider"
          + " cannot be used: " + e.getMessage() + ". Add software.amazon.cryptools:AmazonCorrettoCryptoProvider"
          + " with the classifier of this platform (linux-x86_64 or linux-aarch64), or choose jdk or auto", e);
    }
    GcmProvider accp = new GcmProvider(Kind.ACCP, p, 1);
    try {
      accp.selfTest();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("rowseal.crypto.provider = accp, but the Amazon Corretto Crypto Provider "
          + p.getName() + " " + p.getVersionStr() + " failed RowSeal's AES-GCM known-answer check; choose jdk or auto", e);
    }
    return accp;
  }

  /** ACCP's provider object, once its native library is known to have loaded. */
  private static Provider loadAccp() {
    try {
      Class<?> c = Class.forName(ACCP_CLASS);
      Provider p = (Provider) c.getField("INSTANCE").get(null);
      Object error = c.getMethod("getLoadingError").invoke(p);
      if (error != null) {
        throw new IllegalStateException("its native library did not load (" + error + ")");
      }
      return p;
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("it is not on the class path", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this version of it is not supported (" + e + ")", e);
    }
  }

  // NIST SP 800-38D test case 14 (AES-256, 96-bit IV, zero key, zero plaintext block, no AAD).
  private void selfTest() throws GeneralSecurityException {
    byte[] expected = Hex.decode("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
    Cipher c = newCipher();
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new GCMParameterSpec(128, new byte[12]));
    byte[] out = c.doFinal(new byte[16]);
    if (!MessageDigest.isEqual(out, expected)) {
      throw new GeneralSecurityException("AES-256-GCM known-answer mismatch");
    }
  }

  /** A new cipher of this provider. */
  Cipher newCipher() {
    try {
      return provider == null ? Cipher.getInstance(ALGORITHM) : Cipher.getInstance(ALGORITHM, provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM has no " + ALGORITHM + " cipher in " + this, e);
    }
  }

  /** {@link Kind#JDK} or {@link Kind#ACCP}, never {@code AUTO}. */
  public Kind kind() {
    return kind;
  }

  /** The JCA provider's name and version, as in the startup log line ("SunJCE 17", "AmazonCorrettoCryptoProvider 2.5.0"). */
  public String implementation() {
    Provider p = provider != null ? provider : newCipher().getProvider();
    return p.getName() + " " + p.getVersionStr();
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
