package io.rowseal.key.local;

import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Where a keystore's password comes from: given in the configuration, an environment variable, or a
 * file (one line; a trailing newline is ignored). Read when the keystore is opened. {@code toString()}
 * says where the password comes from, never the password. Immutable and thread-safe.
 */
public final class KeystorePassword {
  private final String source;
  private final char[] given;
  private final String variable;
  private final Path file;

  private KeystorePassword(String source, char[] given, String variable, Path file) {
    this.source = source;
    this.given = given;
    this.variable = variable;
    this.file = file;
  }

  /** A password given directly (copied; the caller may zero its array). */
  public static KeystorePassword of(char[] password) {
    return new KeystorePassword("given in the configuration", password.clone(), null, null);
  }

  /** The value of the environment variable {@code name}, read when the keystore is opened. */
  public static KeystorePassword fromEnvironment(String name) {
    Objects.requireNonNull(name, "name");
    return new KeystorePassword("from environment variable " + name, null, name, null);
  }

  /** The first line of {@code file}, read when the keystore is opened. */
  public static KeystorePassword fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    return new KeystorePassword("from file " + file, null, null, file);
  }

  /** Resolves the password; the caller zeroes the returned array. */
  char[] resolve(Map<String, String> environment) {
    if (given != null) {
      return given.clone();
    }
    if (variable != null) {
      String value = environment.get(variable);
      if (value == null || value.isEmpty()) {
        throw new IllegalStateException("keystore password environment variable " + variable + " is not set");
      }
      return value.toCharArray();
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("keystore password file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalStateException("keystore password file " + file + " cannot be read: " + e.getClass().getSimpleName());
    }
    try {
      int end = 0;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, 0, end));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      if (out.length == 0) {
        throw new IllegalStateException("keystore password file " + file + " is empty");
      }
      return out;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "KeystorePassword[" + source + "]";
  }
}
