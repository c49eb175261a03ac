package io.rowseal.spring;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;

/** PKCS#12 keystores with random AES-256 entries, as {@code keytool -genseckey} makes them. */
final class Keystores {
  static final String PASSWORD = "changeit-for-tests";

  private Keystores() {}

  /** Writes a keystore at {@code file} with one AES-256 key per alias; returns the first key's bytes. */
  static byte[] create(Path file, String... aliases) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    byte[] first = null;
    SecureRandom random = new SecureRandom();
    for (String alias : aliases) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      first = first == null ? key : first;
      ks.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(key, "AES")),
          new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, PASSWORD.toCharArray());
    }
    return first;
  }
}
