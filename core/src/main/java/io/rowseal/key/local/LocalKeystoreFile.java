package io.rowseal.key.local;

import io.rowseal.errors.KeyUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.KeyGenerator;

/*
 * Why every change goes through a temporary file.
 *
 * A keystore holds the only copy of master keys; a half-written file would make every row under them
 * unreadable. So a change loads the current file, changes it in memory, writes the whole store to a
 * temporary file in the same directory, forces it to disk, renames it over the original atomically and
 * forces the directory: a crash leaves either the old file or the new one. A sidecar lock file
 * (<name>.lock, FileChannel.lock) serialises changes by several processes on one machine; the store is
 * re-read under the lock so no change is lost.
 */

/**
 * Creates and changes a local PKCS#12 keystore file of 256-bit AES master keys (the files
 * {@link LocalKeystore} reads): create with a first key, add a random key, remove a key, list entries
 * with their creation dates. Every change is atomic (temporary file, fsync, atomic rename). Key bytes
 * never leave this class; {@code toString()} shows the path only. Holds a copy of the store password
 * until {@link #close()}, which zeroes it. Thread-safe for changes; one instance per file.
 */
public final class LocalKeystoreFile implements AutoCloseable {
  private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final Path path;
  private final char[] password;

  private LocalKeystoreFile(Path path, char[] password) {
    this.path = path;
    this.password = password;
  }

  /** An entry's alias and when it was created (as recorded in the file). Immutable. */
  public static final class Entry {
    private final String alias;
    private final Instant created;

    Entry(String alias, Instant created) {
      this.alias = alias;
      this.created = created;
    }

    /** The alias (lower-case); the key reference is {@code local:<alias>}. */
    public String alias() {
      return alias;
    }

    public Instant created() {
      return created;
    }

    @Override
    public String toString() {
      return alias + " (created " + created + ")";
    }
  }

  /**
   * Creates a new keystore file holding one random AES-256 key named {@code firstAlias}. The password is
   * copied; the caller may zero its array.
   *
   * @throws IllegalStateException if the file exists (never overwritten)
   * @throws IllegalArgumentException if the alias is not lower-case letters, digits, '.', '_' or '-'
   */
  public static LocalKeystoreFile create(Path path, char[] password, String firstAlias) {
    String alias = checkAlias(firstAlias);
    if (password.length == 0) {
      throw new IllegalArgumentException("a keystore password must not be empty");
    }
    LocalKeystoreFile file = new LocalKeystoreFile(path.toAbsolutePath(), password.clone());
    if (Files.exists(file.path)) {
      file.close();
      throw new IllegalStateException("keystore " + path + " exists already; it is never overwritten");
    }
    try {
      file.change(store -> {
        if (Files.exists(file.path)) {
          throw new IllegalStateException("keystore " + path + " exists already; it is never overwritten");
        }
        addRandomKey(store, alias, file.password);
      }, true);
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
    return file;
  }

  /**
   * Opens an existing keystore file for changes, checking the password. The password is copied.
   *
   * @throws KeyUnavailableException if the file is missing, unreadable or the password is wrong
   */
  public static LocalKeystoreFile open(Path path, char[] password) {
    LocalKeystoreFile file = new LocalKeystoreFile(path.toAbsolutePath(), password.clone());
    try {
      file.load();
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
    return file;
  }

  public Path path() {
    return path;
  }

  /** The entries, sorted by creation date then alias. */
  public List<Entry> entries() {
    KeyStore store = load();
    List<Entry> entries = new ArrayList<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        Date created = store.getCreationDate(alias);
        entries.add(new Entry(alias, created == null ? Instant.EPOCH : created.toInstant()));
      }
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException("Keystore " + path + " cannot list its entries (" + e.getClass().getSimpleName() + ")");
    }
    entries.sort((a, b) -> a.created.equals(b.created) ? a.alias.compareTo(b.alias) : a.created.compareTo(b.created));
    return List.copyOf(entries);
  }

  /**
   * Adds a new random AES-256 key (from {@link SecureRandom}) named {@code alias}.
   *
   * @throws IllegalStateException if the alias exists
   * @throws IllegalArgumentException if the alias is not lower-case letters, digits, '.', '_' or '-'
   */
  public void addKey(String alias) {
    String checked = checkAlias(alias);
    change(store -> {
      if (store.containsAlias(checked)) {
        throw new IllegalStateException("keystore " + path + " already has an entry '" + checked + "'");
      }
      addRandomKey(store, checked, password);
    }, false);
  }

  /**
   * Deletes entry {@code alias}. Callers decide whether that is safe: {@link KeyRetirement} checks
   * that no row needs the key first.
   *
   * @throws IllegalArgumentException if there is no such entry
   * @throws IllegalStateException if it is the last entry (a keystore without keys cannot be opened)
   */
  public void removeKey(String alias) {
    String lower = alias.toLowerCase(Locale.ROOT);
    change(store -> {
      if (!store.containsAlias(lower)) {
        throw new IllegalArgumentException("keystore " + path + " has no entry '" + alias + "'");
      }
      if (store.size() == 1) {
        throw new IllegalStateException("'" + lower + "' is the last key of keystore " + path + "; it is not removed");
      }
      store.deleteEntry(lower);
    }, false);
  }

  /** Zeroes the copy of the password. */
  @Override
  public void close() {
    synchronized (this) {
      Arrays.fill(password, '\0');
    }
  }

  @Override
  public String toString() {
    return "LocalKeystoreFile[" + path + "]";
  }

  @FunctionalInterface
  private interface Change {
    void apply(KeyStore store) throws GeneralSecurityException;
  }

  private synchronized void change(Change change, boolean creating) {
    Path lockFile = path.resolveSibling(path.getFileName() + ".lock");
    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.lock()) {
      KeyStore store;
      if (creating) {
        store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
      } else {
        store = load();
      }
      change.apply(store);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      store.store(bytes, password);
      writeAtomically(bytes.toByteArray(), creating);
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyUnavailableException("Keystore " + path + " cannot be written (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + "); the file is unchanged", e);
    }
  }

  private void writeAtomically(byte[] content, boolean creating) throws IOException {
    Path dir = path.getParent();
    Path temp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's permissions apply
      }
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      if (creating && Files.exists(path)) {
        throw new FileAlreadyExistsException(path.toString());
      }
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename atomically in " + dir, e);
      }
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some platforms (Windows) cannot open a directory; the rename itself is still atomic there
    }
  }

  private KeyStore load() {
    try {
      byte[] content = Files.readAllBytes(path);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(content), password);
      return store;
    } catch (NoSuchFileException e) {
      throw new KeyUnavailableException("Keystore " + path + " does not exist");
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new KeyUnavailableException("Keystore " + path + " cannot be opened: the password is wrong");
      }
      throw new KeyUnavailableException("Keystore " + path + " cannot be read as PKCS#12 (" + e.getClass().getSimpleName() + ")");
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException("Keystore " + path + " cannot be read as PKCS#12 (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static void addRandomKey(KeyStore store, String alias, char[] password) throws GeneralSecurityException {
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256, new SecureRandom());
    store.setEntry(alias, new KeyStore.SecretKeyEntry(generator.generateKey()), new KeyStore.PasswordProtection(password));
  }

  private static String checkAlias(String alias) {
    Objects.requireNonNull(alias, "alias");
    if (!ALIAS.matcher(alias).matches()) {
      throw new IllegalArgumentException("alias '" + alias + "' must be 1 to 64 lower-case letters, digits, '.', '_' or '-'"
          + " (the key reference is local:<alias>)");
    }
    return alias;
  }
}
