package io.rowseal.spring;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@code rowseal.*} properties of the Spring environment, as a RowSeal configuration file would hold them, and
 * the directory relative paths resolve against. Present only when the starter built the {@link io.rowseal.RowSeal}
 * bean. Immutable: {@link #properties()} returns a copy. May hold a keystore password: never log it.
 */
public final class RowSealProperties {
  private final Properties properties;
  private final Path baseDirectory;

  RowSealProperties(Properties properties, Path baseDirectory) {
    this.properties = copy(properties);
    this.baseDirectory = baseDirectory;
  }

  /** A copy of the properties. */
  public Properties properties() {
    return copy(properties);
  }

  public Path baseDirectory() {
    return baseDirectory;
  }

  private static Properties copy(Properties p) {
    Properties c = new Properties();
    p.stringPropertyNames().forEach(k -> c.setProperty(k, p.getProperty(k)));
    return c;
  }

  @Override
  public String toString() {
    return "RowSealProperties[" + properties.stringPropertyNames().size() + " keys, base=" + baseDirectory + "]";
  }
}
