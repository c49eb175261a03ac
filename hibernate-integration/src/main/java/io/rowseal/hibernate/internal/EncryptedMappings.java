package io.rowseal.hibernate.internal;

import io.rowseal.Encrypted;
import io.rowseal.EncryptedTable;
import io.rowseal.Searchable;
import io.rowseal.StorageForm;
import io.rowseal.format.ValueType;
import io.rowseal.search.BlindIndex;
import io.rowseal.SearchIndex;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.MappingException;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.engine.jdbc.Size;
import org.hibernate.dialect.Dialect;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.CheckConstraint;
import org.hibernate.mapping.Collection;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Component;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.Selectable;
import org.hibernate.mapping.SimpleValue;
import org.hibernate.mapping.Table;
import org.hibernate.mapping.ToOne;
import org.hibernate.mapping.Value;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.sql.spi.DdlTypeRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code @Encrypted} from Hibernate's boot model into RowSeal's table model, rejecting what RowSeal
 * cannot encrypt with a {@link MappingException} naming entity and field, and adjusts the boot model's
 * DDL (binary or long-enough text types, the companion column) before schema export runs.
 */
final class EncryptedMappings {
  /** Wrapped data keys: 3 header bytes, a key reference of up to 255 bytes and the provider's blob. */
  static final int COMPANION_LENGTH = 1024;
  /** Version byte, nonce and tag around the encoded plaintext (whose type tag is counted here too). */
  private static final int VALUE_OVERHEAD = 1 + 12 + 16 + 1;
  private static final long DEFAULT_LENGTH = 255;

  /** One encrypted table: the entities that map it, its columns and their boot-model columns. */
  static final class TableMapping {
    final Table table;
    final String entityName;
    final List<String> idColumns = new ArrayList<>();
    final Map<String, EncryptedField> fields = new LinkedHashMap<>();
    /** Every mapped property holding an encrypted column (several entities may share the table). */
    final List<Property> properties = new ArrayList<>();
    /** Entities of this table marked cacheable in the second-level cache. */
    final List<String> cachedEntities = new ArrayList<>();

    TableMapping(Table table, String entityName) {
      this.table = table;
      this.entityName = entityName;
    }

    EncryptedTable toEncryptedTable() {
      EncryptedTable.Builder b = EncryptedTable.builder(table.getName()).idColumns(idColumns.toArray(String[]::new));
      try {
        for (EncryptedField f : fields.values()) {
          if (f.annotation.logicalName().isEmpty()) {
            b.column(f.column.getName(), f.javaType, f.annotation.storage());
          } else {
            b.column(f.column.getName(), f.javaType, f.annotation.storage(), f.annotation.logicalName());
          }
          Searchable search = f.search();
          if (search != null) {
            b.search(f.column.getName(), searchIndex(f, search));
          }
        }
        return b.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new MappingException("RowSeal cannot encrypt entity " + entityName + ": " + e.getMessage(), e);
      }
    }
  }

  /** The table model's index for {@code @Searchable} on {@code f}. */
  private static SearchIndex searchIndex(EncryptedField f, Searchable search) {
    SearchIndex index = SearchIndex.in(search.column()).normalize(search.normalize()).bits(search.bits());
    if (!search.rotationColumn().isEmpty()) {
      index = index.rotationColumn(search.rotationColumn());
    }
    if (search.unique() && !index.isFullLength()) {
      throw new IllegalArgumentException("@Searchable(unique = true) on field " + f.fieldName + " needs a full-length"
          + " index (bits = 256): a truncated index gives different values the same index value");
    }
    return index;
  }

  static final class EncryptedField {
    final String entityName;
    final String fieldName;
    final Column column;
    final Class<?> javaType;
    final Encrypted annotation;

    EncryptedField(String entityName, String fieldName, Column column, Class<?> javaType, Encrypted annotation) {
      this.entityName = entityName;
      this.fieldName = fieldName;
      this.column = column;
      this.javaType = javaType;
      this.annotation = annotation;
    }

    /** The field's {@code @Searchable}, or null. */
    @Nullable Searchable search() {
      Searchable[] search = annotation.search();
      if (search.length > 1) {
        throw new MappingException("@Encrypted on entity " + entityName + ", field " + fieldName + ": at most one"
            + " @Searchable, found " + search.length);
      }
      return search.length == 0 ? null : search[0];
    }
  }

  private EncryptedMappings() {}

  /**
   * The encrypted tables of {@code metadata}'s entities, in mapping order.
   *
   * @throws MappingException naming entity and field for {@code @Encrypted} on an id or a field of an embedded
   *     id, on an association, a whole embeddable, a field of an embeddable in an element collection or a
   *     formula, on a type RowSeal cannot encode, or on a field outside the entity's table
   */
  static List<TableMapping> read(Metadata metadata) {
    Map<Table, TableMapping> byTable = new LinkedHashMap<>();
    for (PersistentClass entity : metadata.getEntityBindings()) {
      Class<?> type = entity.getMappedClass();
      if (type == null) {
        continue; // dynamic-map entities carry no annotations
      }
      String entityName = entity.getEntityName();
      rejectEncryptedId(entity, type, entityName);
      for (Property property : entity.getProperties()) {
        collect(entity, type, property, "", byTable);
      }
    }
    return new ArrayList<>(byTable.values());
  }

  /**
   * Registers {@code property} of {@code ownerType} (the entity class, or an embeddable class reached through
   * {@code prefix}) if it is {@code @Encrypted}, descending into embedded components: their columns live in
   * the entity's table, so their fields are encrypted like the entity's own.
   */
  private static void collect(PersistentClass entity, Class<?> ownerType, Property property, String prefix,
      Map<Table, TableMapping> byTable) {
    String entityName = entity.getEntityName();
    String path = prefix + property.getName();
    Member member = member(ownerType, property.getName());
    Value value = property.getValue();
    boolean annotated = member != null && member.annotation != null;
    if (value instanceof Component && !annotated) {
      Component component = (Component) value;
      Class<?> componentType = component.getComponentClass();
      if (componentType != null) {
        for (Property p : component.getProperties()) {
          collect(entity, componentType, p, path + ".", byTable);
        }
      }
      return;
    }
    if (value instanceof Collection && ((Collection) value).getElement() instanceof Component) {
      rejectNested((Component) ((Collection) value).getElement(), entityName + "." + path,
          "fields of embeddables in element collections (stored in a collection table) cannot be encrypted yet");
    }
    if (!annotated) {
      return;
    }
    String where = "entity " + entityName + ", field " + path;
    if (value instanceof ToOne || !(value instanceof SimpleValue) || value instanceof Component) {
      throw new MappingException("@Encrypted on " + where + ": only basic fields (a single column holding a"
          + " value) can be encrypted, not associations, collections or embeddables (annotate the embeddable's"
          + " fields instead)");
    }
    if (value.hasFormula() || value.getSelectables().size() != 1) {
      throw new MappingException("@Encrypted on " + where + ": the field must map exactly one column");
    }
    if (ValueType.forJavaType(member.type) == null) {
      throw new MappingException("@Encrypted on " + where + ": type " + member.type.getName()
          + " is not supported; supported: String, byte[], boolean, int, long, double, BigDecimal, BigInteger,"
          + " LocalDate, LocalTime, LocalDateTime, Instant, OffsetDateTime, UUID and enums");
    }
    if (value.getTable() != entity.getTable()) {
      throw new MappingException("@Encrypted on " + where + ": the field is stored in table "
          + value.getTable().getName() + ", not in the entity's table " + entity.getTable().getName()
          + "; secondary and joined-inheritance tables are not supported yet");
    }
    TableMapping mapping = byTable.computeIfAbsent(entity.getTable(), t -> newMapping(entity));
    if (entity.isCached() && !mapping.cachedEntities.contains(entityName)) {
      mapping.cachedEntities.add(entityName);
    }
    Selectable selectable = value.getSelectables().get(0);
    mapping.properties.add(property);
    mapping.fields.putIfAbsent(((Column) selectable).getName().toLowerCase(Locale.ROOT),
        new EncryptedField(entityName, path, (Column) selectable, member.type, member.annotation));
  }

  private static TableMapping newMapping(PersistentClass entity) {
    TableMapping m = new TableMapping(entity.getTable(), entity.getRootClass().getEntityName());
    for (Column c : entity.getKey().getColumns()) {
      m.idColumns.add(c.getName());
    }
    return m;
  }

  private static void rejectEncryptedId(PersistentClass entity, Class<?> type, String entityName) {
    if (entity.hasIdentifierProperty()) {
      Property id = entity.getIdentifierProperty();
      Member m = member(type, id.getName());
      if (m != null && m.annotation != null) {
        throw new MappingException("@Encrypted on entity " + entityName + ", field " + id.getName()
            + ": the id cannot be encrypted (RowSeal binds each value to the row id, so the id must stay readable)");
      }
      if (id.getValue() instanceof Component) {
        rejectNested((Component) id.getValue(), entityName + "." + id.getName(),
            "fields of embedded ids cannot be encrypted (RowSeal binds each value to the row id)");
      }
    }
    Component idMapper = entity.getIdentifierMapper();
    if (idMapper != null) {
      for (Property p : idMapper.getProperties()) {
        Member m = member(type, p.getName());
        if (m != null && m.annotation != null) {
          throw new MappingException("@Encrypted on entity " + entityName + ", field " + p.getName()
              + ": id fields cannot be encrypted (RowSeal binds each value to the row id)");
        }
      }
    }
  }

  /** Fails if an embeddable RowSeal cannot encrypt (for {@code reason}) has {@code @Encrypted} fields. */
  private static void rejectNested(Component component, String path, String reason) {
    Class<?> type = component.getComponentClass();
    for (Property p : component.getProperties()) {
      Member m = type == null ? null : member(type, p.getName());
      if (m != null && m.annotation != null) {
        throw new MappingException("@Encrypted on " + path + "." + p.getName() + " (embeddable "
            + type.getName() + "): " + reason);
      }
      if (p.getValue() instanceof Component) {
        rejectNested((Component) p.getValue(), path + "." + p.getName(), reason);
      }
    }
  }

  /**
   * Makes the boot model's DDL fit RowSeal: encrypted columns become binary (BINARY storage) or text long
   * enough for Base64 (TEXT storage) unless the mapping gives an explicit column definition, and the
   * companion column is added to the table. Runs before Hibernate's schema export, which reads the same
   * boot model.
   */
  static void adjustDdl(Metadata metadata, TableMapping mapping, EncryptedTable table) {
    DdlTypeRegistry ddl = metadata.getDatabase().getTypeConfiguration().getDdlTypeRegistry();
    for (EncryptedField f : mapping.fields.values()) {
      Column c = f.column;
      if (c.getSqlType() != null) {
        continue; // an explicit columnDefinition is the user's choice
      }
      long binary = VALUE_OVERHEAD + plaintextLength(f.javaType, c.getLength());
      // Only the DDL type name changes: the column's JDBC type code must stay the field's own (Hibernate
      // binds plaintext of that type, and the JDBC wrapper turns it into ciphertext).
      if (f.annotation.storage() == StorageForm.BINARY) {
        c.setSqlType(ddl.getTypeName(SqlTypes.VARBINARY, Size.length(binary)));
      } else {
        long text = 4 + 4 * ((binary + 2) / 3); // "rs1:" + padded Base64
        c.setSqlType(ddl.getTypeName(SqlTypes.VARCHAR, Size.length(text)));
      }
    }
    Table t = mapping.table;
    Column existing = t.getColumn(Identifier.toIdentifier(table.companionColumn()));
    if (existing != null) {
      throw new MappingException("entity " + mapping.entityName + " maps column " + table.companionColumn()
          + " of table " + t.getName() + ": that is RowSeal's companion column, which RowSeal manages itself;"
          + " remove the mapped field");
    }
    SimpleValue template = (SimpleValue) mapping.fields.values().iterator().next().column.getValue();
    addBinaryColumn(t, template, ddl, table.companionColumn(), COMPANION_LENGTH, false);
    // The blind-index columns of searchable fields, like the companion: unmapped, written and hidden by the
    // JDBC wrapper. The rotation column is created too, so an index-key rotation needs no DDL.
    for (EncryptedField f : mapping.fields.values()) {
      Searchable search = f.search();
      if (search == null) {
        continue;
      }
      SearchIndex index = table.column(f.column.getName()).searchIndex();
      int length = BlindIndex.HEADER + (index.bits() + 7) / 8;
      for (String name : List.of(index.column(), index.rotationColumn())) {
        if (t.getColumn(Identifier.toIdentifier(name)) != null) {
          throw new MappingException("entity " + mapping.entityName + " maps column " + name + " of table "
              + t.getName() + ": that is the blind index of field " + f.fieldName + ", which RowSeal manages"
              + " itself; remove the mapped field");
        }
        addBinaryColumn(t, template, ddl, name, length, search.unique());
      }
    }
  }

  /**
   * Adds an unmapped, nullable binary column. It still needs a typed value: schema tooling (column ordering,
   * validation) reads the column's size and type code through it. No property refers to it, so Hibernate never
   * reads or writes it; the JDBC wrapper adds it to inserts (and the companion to projections).
   */
  private static void addBinaryColumn(Table t, SimpleValue template, DdlTypeRegistry ddl, String name, int length,
      boolean unique) {
    Column column = new Column(name);
    column.setLength((long) length);
    column.setNullable(true);
    column.setUnique(unique);
    BasicValue value = new BasicValue(template.getBuildingContext(), t);
    value.setImplicitJavaTypeAccess(typeConfiguration -> byte[].class);
    value.setExplicitJdbcTypeCode(SqlTypes.VARBINARY);
    value.addColumn(column);
    value.resolve();
    column.setSqlType(ddl.getTypeName(SqlTypes.VARBINARY, Size.length((long) length)));
    t.addColumn(column);
  }

  /**
   * Gives every encrypted property an {@link EncryptedJdbcType} wrapping the JDBC type Hibernate resolved
   * for it. The boot model's values are resolved while the mapping is built, before any extension point
   * that can see {@code @Encrypted} fields in context, so each value is replaced by a copy (the public
   * {@link BasicValue#copy()}, which does not carry the resolution) with an explicit JDBC type, resolved
   * again. This runs before the runtime metamodel is built from the boot model, so entity persisters,
   * loaders and query parameters all use the new type. Check constraints the plain type added (an enum's
   * ordinal range, a boolean's values) are not added again.
   */
  static void useEncryptedJdbcTypes(Metadata metadata, TableMapping mapping) {
    Dialect dialect = metadata.getDatabase().getDialect();
    for (Property property : mapping.properties) {
      if (!(property.getValue() instanceof BasicValue)) {
        throw new MappingException("@Encrypted on entity " + mapping.entityName + ", field " + property.getName()
            + ": RowSeal expected a basic value, found " + property.getValue().getClass().getName());
      }
      BasicValue original = (BasicValue) property.getValue();
      if (original.getResolution() != null
          && original.getResolution().getJdbcType() instanceof EncryptedJdbcType) {
        continue;
      }
      BasicValue.Resolution<?> plainResolution = original.resolve();
      JdbcType plain = plainResolution.getJdbcType();
      BasicValue encrypted = original.copy();
      EncryptedJdbcType type = new EncryptedJdbcType(plain);
      encrypted.setExplicitJdbcTypeAccess(typeConfiguration -> type);
      encrypted.resolve();
      property.setValue(encrypted);
      for (Selectable s : encrypted.getSelectables()) {
        if (s instanceof Column) {
          Column column = (Column) s;
          column.setValue(encrypted);
          String typeCheck = plainResolution.getLegacyResolvedBasicType()
              .getCheckCondition(column.getQuotedName(dialect), dialect);
          if (typeCheck != null) {
            dropCheckConstraint(column, typeCheck);
          }
        }
      }
    }
  }

  /**
   * Removes the check constraint Hibernate derived from the plain type (an enum's ordinal range such as
   * {@code between 0 and 2}, a boolean's values), which a binary or text column of ciphertext can never
   * satisfy (H2 even refuses the DDL). {@link Column} offers no way to remove one, so its list is reached by
   * reflection, at boot only; if that field is missing (another Hibernate version), the constraint is made
   * always true instead. Explicit {@code @Check} constraints of the user are left alone.
   */
  private static void dropCheckConstraint(Column column, String condition) {
    try {
      Field f = Column.class.getDeclaredField("checkConstraints");
      f.setAccessible(true);
      ((List<?>) f.get(column)).removeIf(c -> c instanceof CheckConstraint
          && ((CheckConstraint) c).isAnonymous() && condition.equals(((CheckConstraint) c).getConstraint()));
    } catch (ReflectiveOperationException | RuntimeException e) {
      for (CheckConstraint c : column.getCheckConstraints()) {
        if (c.isAnonymous() && condition.equals(c.getConstraint())) {
          c.setConstraint("1 = 1");
        }
      }
    }
  }

  /** An upper bound of the encoded plaintext's length in bytes (type tag excluded). */
  private static long plaintextLength(Class<?> javaType, @Nullable Long columnLength) {
    long length = columnLength != null && columnLength > 0 ? columnLength : DEFAULT_LENGTH;
    if (javaType == String.class || javaType.isEnum()) {
      return 3 * length; // UTF-8: at most 3 bytes per UTF-16 unit
    }
    if (javaType == byte[].class) {
      return length;
    }
    return 64; // numbers, dates, UUIDs: a few bytes; BigDecimal/BigInteger of up to ~100 digits
  }

  private static final class Member {
    final Class<?> type;
    final @Nullable Encrypted annotation;

    Member(Class<?> type, @Nullable Encrypted annotation) {
      this.type = type;
      this.annotation = annotation;
    }
  }

  /** The field (or JavaBean getter) named {@code name} in {@code type} or a superclass. */
  private static @Nullable Member member(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        Encrypted a = f.getAnnotation(Encrypted.class);
        if (a == null) {
          Member getter = getter(c, name);
          if (getter != null && getter.annotation != null) {
            return getter;
          }
        }
        return new Member(f.getType(), a);
      } catch (NoSuchFieldException e) {
        Member getter = getter(c, name);
        if (getter != null) {
          return getter;
        }
      }
    }
    return null;
  }

  private static @Nullable Member getter(Class<?> c, String name) {
    String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (String prefix : new String[] {"get", "is"}) {
      try {
        Method m = c.getDeclaredMethod(prefix + cap);
        return new Member(m.getReturnType(), m.getAnnotation(Encrypted.class));
      } catch (NoSuchMethodException e) {
        // try the next form
      }
    }
    return null;
  }
}
