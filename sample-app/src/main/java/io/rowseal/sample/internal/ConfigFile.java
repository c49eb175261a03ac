package io.rowseal.sample.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The keystore settings of a RowSeal {@code .properties} configuration file, read the way
 * {@code RowSealConfiguration} reads them ({@code rowseal.keystore.path} relative to the file; exactly one
 * of {@code password-env}, {@code password-file}, {@code password}), and the one edit the key commands
 * make: setting {@code rowseal.keystore.active}, in place, keeping every other line and comment, written
 * atomically. Passwords are returned as arrays the caller zeroes; {@code toString()} shows the path only.
 */
public final class ConfigFile {
  /** The setting that names the active key: what the application and every command wrap new rows with. */
  public static final String ACTIVE = "rowseal.keystore.active";
  private static final Pattern ACTIVE_LINE = Pattern.compile("^\\s*rowseal\\.keystore\\.active\\s*[=:].*$");

  private final Path file;
  private final Properties properties;

  private ConfigFile(Path file, Properties properties) {
    this.file = file;
    this.properties = properties;
  }

  /**
   * Reads a {@code .properties} configuration file.
   *
   * @throws IllegalArgumentException if it is missing, unreadable or YAML (key commands edit
   *     {@code .properties} files only)
   */
  public static ConfigFile read(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yml") || name.endsWith(".yaml")) {
      throw new IllegalArgumentException("the key commands read and edit .properties configuration files; " + file
          + " is YAML: keep the keystore settings in a .properties file");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("configuration file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getClass().getSimpleName());
    }
    return new ConfigFile(file, p);
  }

  public Path file() {
    return file;
  }

  /** {@code rowseal.keystore.path}, resolved against the file's directory. */
  public Path keystorePath() {
    return base().resolve(required("rowseal.keystore.path"));
  }

  /** {@code rowseal.keystore.active}, or null when the file names no active key. */
  public @Nullable String active() {
    String v = get(ACTIVE);
    return v == null || v.isEmpty() ? null : v;
  }

  /**
   * The keystore password from its configured source; the caller zeroes the array.
   *
   * @throws IllegalArgumentException if not exactly one source is set, or the source is empty or missing
   */
  public char[] keystorePassword() {
    return keystorePassword(System.getenv());
  }

  char[] keystorePassword(Map<String, String> environment) {
    String env = get("rowseal.keystore.password-env");
    String pwFile = get("rowseal.keystore.password-file");
    String literal = get("rowseal.keystore.password");
    int given = (env != null ? 1 : 0) + (pwFile != null ? 1 : 0) + (literal != null ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException(file + ": set exactly one of rowseal.keystore.password-env, password-file or"
          + " password (found " + given + ")");
    }
    if (env != null) {
      String value = environment.get(env);
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("keystore password environment variable " + env + " is not set");
      }
      return value.toCharArray();
    }
    if (pwFile != null) {
      return readPasswordFile(base().resolve(pwFile));
    }
    return literal.toCharArray();
  }

  /** The first line of a password file (a trailing newline is ignored); the caller zeroes the array. */
  public static char[] readPasswordFile(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new IllegalArgumentException("keystore password file " + path + " cannot be read: " + e.getClass().getSimpleName());
    }
    try {
      int end = 0;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      if (out.length == 0) {
        throw new IllegalArgumentException("keystore password file " + path + " is empty");
      }
      return out;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Sets {@code rowseal.keystore.active} in the file: the line is replaced in place, or appended. */
  public void setActive(String alias) {
    List<String> lines;
    try {
      lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getClass().getSimpleName());
    }
    boolean replaced = false;
    for (int i = 0; i < lines.size(); i++) {
      if (ACTIVE_LINE.matcher(lines.get(i)).matches()) {
        if (!replaced) {
          lines.set(i, ACTIVE + " = " + alias);
          replaced = true;
        } else {
          lines.remove(i--); // a later duplicate would win when the file is loaded
        }
      }
    }
    if (!replaced) {
      lines.add(ACTIVE + " = " + alias);
    }
    write(file, String.join(System.lineSeparator(), lines) + System.lineSeparator());
    properties.setProperty(ACTIVE, alias);
  }

  /** Writes a whole file atomically (temporary file in the same directory, fsync, rename). */
  public static void write(Path target, String content) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      try {
        try (var out = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
          ByteBuffer buffer = StandardCharsets.UTF_8.encode(content);
          while (buffer.hasRemaining()) {
            out.write(buffer);
          }
          out.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + target + ": " + e.getClass().getSimpleName() + "; it is unchanged");
    }
  }

  private Path base() {
    return file.toAbsolutePath().getParent();
  }

  private @Nullable String get(String key) {
    String v = properties.getProperty(key);
    return v == null ? null : v.trim();
  }

  private String required(String key) {
    String v = get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(file + ": " + key + " is required");
    }
    return v;
  }

  @Override
  public String toString() {
    return "ConfigFile[" + file + "]";
  }
}
