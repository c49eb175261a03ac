package io.rowseal.hibernate;

/**
 * The Hibernate configuration properties RowSeal reads (set them like any {@code hibernate.*} property,
 * in {@code persistence.xml}, {@code hibernate.properties} or the settings map).
 *
 * <p>Exactly one of {@link #KEY_RING} and {@link #CONFIG} must be set when any entity has
 * {@link io.rowseal.Encrypted} fields; with neither, the SessionFactory fails to start.
 */
public final class RowSealSettings {
  /**
   * A {@link io.rowseal.key.KeyRing}, or a {@link io.rowseal.RowSeal} (its key ring and its tables), passed
   * as an object in the settings map. Encrypted tables come from the entities; a {@code RowSeal}'s own
   * tables are added for native SQL, and one that an entity also maps must be defined the same way.
   */
  public static final String KEY_RING = "rowseal.key_ring";

  /**
   * The path of a RowSeal configuration file ({@code .properties} or {@code .yaml}, read by
   * {@link io.rowseal.config.RowSealConfiguration#load}): its key ring, and its tables as for a
   * {@code RowSeal} in {@link #KEY_RING}. A {@code .properties} file may omit tables altogether.
   */
  public static final String CONFIG = "rowseal.config";

  /**
   * {@code true} (the default) or {@code false}: whether RowSeal checks the database schema when the
   * SessionFactory starts (after Hibernate's own schema export, if any, and before the factory is returned):
   * each encrypted table, id, encrypted and companion column exists with a type that fits, and no table outside
   * RowSeal's configuration has a column named like a companion column. A mismatch fails the start with a
   * {@link org.hibernate.tool.schema.spi.SchemaManagementException} naming entity, table, column, the type found
   * and the DDL that fixes it. Overrides {@code rowseal.schema-validation} of a {@link #CONFIG} file or a
   * {@code RowSeal} passed as {@link #KEY_RING}.
   */
  public static final String SCHEMA_VALIDATION = "rowseal.schema_validation";

  /**
   * Tables that have a column named like a companion column but are deliberately not encrypted, so that schema
   * validation lets them pass: a comma-separated string or a collection of names. Replaces
   * {@code rowseal.unmanaged-tables} of a {@link #CONFIG} file or a {@code RowSeal} passed as {@link #KEY_RING}.
   */
  public static final String UNMANAGED_TABLES = "rowseal.unmanaged_tables";

  private RowSealSettings() {}
}
