package io.rowseal;

import io.rowseal.format.ValueFormat;
import io.rowseal.format.ValueType;
import org.jspecify.annotations.Nullable;

/**
 * One encrypted column of an {@link EncryptedTable}: its physical name, its logical name (bound into
 * each value's AAD), the Java type its values have and the storage form. Created only by
 * {@link EncryptedTable.Builder}; immutable.
 */
public final class EncryptedColumn {
  private final EncryptedTable table;
  private final String name;
  private final String logicalName;
  private final Class<?> javaType;
  private final ValueType valueType;
  /** The class every value must be an instance of: the enum class for enums, else the type tag's Java type. */
  private final Class<?> valueClass;
  private final StorageForm storage;
  private final byte[] aadPrefix;
  private final @Nullable SearchIndex searchIndex;

  EncryptedColumn(EncryptedTable table, String name, String logicalName, Class<?> javaType,
      ValueType valueType, StorageForm storage, @Nullable SearchIndex searchIndex) {
    this.searchIndex = searchIndex;
    this.table = table;
    this.name = name;
    this.logicalName = logicalName;
    this.javaType = javaType;
    this.valueType = valueType;
    this.valueClass = valueType == ValueType.ENUM ? javaType : valueType.javaType();
    this.storage = storage;
    this.aadPrefix = ValueFormat.aadPrefix(table.logicalName(), logicalName);
  }

  public EncryptedTable table() {
    return table;
  }

  /** The physical column name as configured. */
  public String name() {
    return name;
  }

  /** The name bound into the AAD: by default the physical name lower-cased. */
  public String logicalName() {
    return logicalName;
  }

  /** The Java type of the column's values (an enum class for enums). */
  public Class<?> javaType() {
    return javaType;
  }

  /** The type tag its values are encoded with. */
  public ValueType valueType() {
    return valueType;
  }

  public StorageForm storage() {
    return storage;
  }

  /** The column's blind index, or null if it is not searchable. */
  public @Nullable SearchIndex searchIndex() {
    return searchIndex;
  }

  Class<?> valueClass() {
    return valueClass;
  }

  byte[] aadPrefix() {
    return aadPrefix;
  }

  @Override
  public String toString() {
    return table.name() + "." + name + " (" + javaType.getSimpleName() + ", " + storage.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}
