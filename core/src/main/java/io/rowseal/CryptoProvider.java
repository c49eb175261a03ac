package io.rowseal;

/**
 * Which implementation of AES-256-GCM RowSeal seals and opens values and data keys with. Chosen per
 * {@link RowSeal} engine ({@link RowSeal.Builder#cryptoProvider}, property {@code rowseal.crypto.provider});
 * the bytes are the same whichever runs, so data written under one is read under the other.
 */
public enum CryptoProvider {
  /**
   * ACCP where it is faster and loads, otherwise the JDK's: on JDK 20 and older ACCP when its native
   * library loads on this platform (measured about twice as fast per row on JDK 17), on JDK 21 and later the
   * JDK's own provider (as fast or faster on JDK 25). Never fails: a missing or broken ACCP means the JDK's.
   */
  AUTO,
  /** The JCA's default {@code AES/GCM/NoPadding} (the JDK's SunJCE unless the application installed another). */
  JDK,
  /**
   * The Amazon Corretto Crypto Provider (AWS-LC), used through its provider object and never installed
   * as a JCA provider. Needs {@code software.amazon.cryptools:AmazonCorrettoCryptoProvider} (classifier
   * {@code linux-x86_64} or {@code linux-aarch64}) on the class path; building an engine fails if it is
   * absent or its native library cannot load.
   */
  ACCP
}
