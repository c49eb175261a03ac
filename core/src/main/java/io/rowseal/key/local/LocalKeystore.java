package io.rowseal.key.local;

import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.SecretKey;

/**
 * The 256-bit AES master keys of a PKCS#12 keystore, as written by
 * {@code keytool -genseckey -keyalg AES -keysize 256 -storetype PKCS12 -alias k1 -keystore rowseal.p12}.
 * Each entry becomes a master key named {@code local:<alias>} (PKCS#12 aliases are case-insensitive and
 * the JDK lower-cases them). Everything is checked when the keystore is opened, so a missing file, a wrong
 * password or an entry that is not a 256-bit AES key fails at start, not at the first row. Entry
 * passwords are the store password, as keytool writes them. Immutable and thread-safe.
 */
public final class LocalKeystore {
  /** The key reference scheme of keystore entries. */
  public static final String SCHEME = "local";

  private final Path path;
  private final Map<String, MasterKey> keysByAlias;

  private LocalKeystore(Path path, Map<String, MasterKey> keysByAlias) {
    this.path = path;
    this.keysByAlias = keysByAlias;
  }

  /**
   * Opens and validates a keystore.
   *
   * @throws KeyUnavailableException if the file is missing or unreadable, is not PKCS#12, the password
   *     is wrong, an entry is not a 256-bit AES secret key, or the store holds no key
   * @throws IllegalStateException if the password cannot be read from its source
   */
  public static LocalKeystore open(Path path, KeystorePassword password) {
    return open(path, password, System.getenv());
  }

  static LocalKeystore open(Path path, KeystorePassword password, Map<String, String> environment) {
    char[] pw = password.resolve(environment);
    try {
      KeyStore store = load(path, pw);
      Map<String, MasterKey> keys = new TreeMap<>();
      for (String alias : aliases(path, store)) {
        keys.put(alias, readEntry(path, store, alias, pw));
      }
      if (keys.isEmpty()) {
        throw new KeyUnavailableException("Keystore " + path + " holds no key; add one with: keytool -genseckey"
            + " -keyalg AES -keysize 256 -storetype PKCS12 -keystore " + path + " -alias <alias>");
      }
      return new LocalKeystore(path, Collections.unmodifiableMap(keys));
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  private static KeyStore load(Path path, char[] pw) {
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, pw);
      return store;
    } catch (NoSuchFileException e) {
      throw new KeyUnavailableException("Keystore " + path + " does not exist; create it with keytool -genseckey"
          + " -keyalg AES -keysize 256 -storetype PKCS12, or fix the configured path");
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new KeyUnavailableException("Keystore " + path + " cannot be opened: the password (from the "
            + "configured source) is wrong");
      }
      throw new KeyUnavailableException("Keystore " + path + " cannot be read as PKCS#12 (" + e.getClass().getSimpleName()
          + "); RowSeal reads keystores written by keytool -storetype PKCS12", e);
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException("Keystore " + path + " cannot be read as PKCS#12 (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static List<String> aliases(Path path, KeyStore store) {
    try {
      return Collections.list(store.aliases());
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException("Keystore " + path + " cannot list its entries (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static MasterKey readEntry(Path path, KeyStore store, String alias, char[] pw) {
    Key key;
    try {
      if (!store.isKeyEntry(alias)) {
        throw new KeyUnavailableException("Keystore " + path + " entry '" + alias + "' is not a secret key entry;"
            + " RowSeal keystores hold only 256-bit AES keys");
      }
      key = store.getKey(alias, pw);
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException("Keystore " + path + " entry '" + alias + "' cannot be read with the store"
          + " password (" + e.getClass().getSimpleName() + ")", e);
    }
    if (!(key instanceof SecretKey) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
      throw new KeyUnavailableException("Keystore " + path + " entry '" + alias + "' is a "
          + (key == null ? "missing key" : key.getAlgorithm() + " key")
          + ", not an AES key; RowSeal keystores hold only 256-bit AES keys");
    }
    byte[] bytes = key.getEncoded();
    try {
      if (bytes == null || bytes.length != 32) {
        throw new KeyUnavailableException("Keystore " + path + " entry '" + alias + "' is a "
            + (bytes == null ? "non-exportable" : (bytes.length * 8) + "-bit")
            + " AES key; RowSeal needs 256-bit keys (keytool -keysize 256)");
      }
      KeyRef ref = KeyRef.of(SCHEME + ":" + alias);
      return AesGcmMasterKey.of(ref, bytes);
    } finally {
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }

  /** The keystore's aliases, sorted. */
  public List<String> aliases() {
    return new ArrayList<>(keysByAlias.keySet());
  }

  /**
   * The master key of entry {@code alias} (case-insensitive).
   *
   * @throws IllegalArgumentException if there is no such entry
   */
  public MasterKey masterKey(String alias) {
    MasterKey key = keysByAlias.get(alias.toLowerCase(java.util.Locale.ROOT));
    if (key == null) {
      throw new IllegalArgumentException("alias '" + alias + "' is not in keystore " + path + "; it holds "
          + keysByAlias.keySet());
    }
    return key;
  }

  /**
   * A key ring of every key in this keystore, with {@code activeAlias} wrapping new data keys.
   *
   * @throws IllegalArgumentException if there is no entry {@code activeAlias}
   */
  public KeyRing keyRing(String activeAlias) {
    return KeyRing.of(masterKey(activeAlias), keysByAlias.values());
  }

  @Override
  public String toString() {
    return "LocalKeystore[" + path + ", aliases=" + keysByAlias.keySet() + "]";
  }
}
