package io.rowseal.hibernate.internal;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import org.jspecify.annotations.Nullable;
import javax.sql.DataSource;
import io.rowseal.hibernate.RowSealSettings;
import io.rowseal.jdbc.RowSealConnections;
import io.rowseal.jdbc.internal.SchemaValidator;
import io.rowseal.key.KeyRing;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.HibernateException;
import org.hibernate.MappingException;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;
import org.hibernate.tool.schema.spi.SchemaManagementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service-loaded. Runs in the SessionFactory's constructor, after the boot model is complete and before
 * Hibernate exports the schema (an observer of the finished SessionFactory) or opens any session: reads
 * {@code @Encrypted} into RowSeal's table model, validates it, fixes the DDL and binds the JDBC engine that
 * {@link RowSealConnectionProvider} wraps Hibernate's connections with. Schema validation
 * ({@link RowSealSettings#SCHEMA_VALIDATION}) runs in an observer of the finished SessionFactory, after schema
 * export and before the factory is returned, and fails the build with a {@link SchemaManagementException}.
 */
public final class RowSealIntegrator implements Integrator {
  private static final Logger LOG = LoggerFactory.getLogger(RowSealIntegrator.class);

  @Override
  public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
    List<EncryptedMappings.TableMapping> mappings = EncryptedMappings.read(metadata);
    ServiceRegistry registry = bootstrapContext.getServiceRegistry();
    Map<String, Object> settings = registry.requireService(ConfigurationService.class).getSettings();
    if (mappings.isEmpty() && settings.get(RowSealSettings.KEY_RING) == null
        && settings.get(RowSealSettings.CONFIG) == null) {
      return; // RowSeal is on the class path but not used by this persistence unit
    }
    String entities = mappings.isEmpty() ? "(none)" : entityNames(mappings);
    ConnectionProvider provider = registry.getService(ConnectionProvider.class);
    EngineBinding binding = registry.getService(EngineBinding.class);
    if (!(provider instanceof RowSealConnectionProvider) || binding == null) {
      throw new HibernateException("RowSeal is configured (entities with @Encrypted fields: " + entities
          + "), but Hibernate's connections do not go through RowSeal (connection provider: " + provider + "). RowSeal supports connections from"
          + " Hibernate's ConnectionProvider (a DataSource, a pool or JDBC settings); connections supplied per"
          + " session and multi-tenant connection providers are not supported yet");
    }
    if (sessionFactory.getSessionFactoryOptions().isSecondLevelCacheEnabled()) {
      for (EncryptedMappings.TableMapping m : mappings) {
        if (!m.cachedEntities.isEmpty()) {
          // Hibernate caches the state it read, which the wrapper has already decrypted.
          throw new MappingException("Entity " + m.cachedEntities.get(0) + " has @Encrypted fields and is cacheable,"
              + " but the second-level cache would hold their plaintext; remove @Cacheable/@Cache from it");
        }
      }
    }
    if (!mappings.isEmpty() && sessionFactory.getSessionFactoryOptions().isQueryCacheEnabled()) {
      // A cached query stores scalar results as values and, in the FULL layout (Hibernate's default for entities
      // that are not cacheable), whole entity states: plaintext of encrypted attributes either way.
      throw new MappingException("Entities " + entities + " have @Encrypted fields, but the query cache is on"
          + " (hibernate.cache.use_query_cache) and would hold their plaintext for any cacheable query that returns"
          + " them; turn the query cache off");
    }
    Optional<RowSeal> upstream = upstream((RowSealConnectionProvider) provider);
    if (upstream.isPresent()) {
      useWrappedPool(metadata, mappings, settings, upstream.get(), entities);
      return;
    }
    RowSeal configured = configured(settings, entities);
    Map<String, EncryptedTable> tables = new LinkedHashMap<>();
    Map<String, String> entityByTable = new HashMap<>();
    for (EncryptedMappings.TableMapping m : mappings) {
      EncryptedTable table = m.toEncryptedTable();
      EncryptedMappings.adjustDdl(metadata, m, table);
      EncryptedMappings.useEncryptedJdbcTypes(metadata, m);
      tables.put(table.name().toLowerCase(Locale.ROOT), table);
      entityByTable.put(table.name().toLowerCase(Locale.ROOT), m.entityName);
    }
    RowSeal rowSeal = engineConfiguration(withSchemaSettings(configured, settings), tables, entityByTable);
    binding.bind(RowSealConnections.builder(rowSeal)
        .indexKeysIn(indexKeyData(rowSeal, (RowSealConnectionProvider) provider)).build());
    if (rowSeal.schemaValidation()) {
      // An observer added now runs after Hibernate's schema export (itself an observer added before the
      // integrators ran) and before the SessionFactory is handed out, so no entity SQL has run yet; what it
      // throws fails the build.
      SchemaValidator validator = new SchemaValidator(rowSeal, true, rowSeal.unmanagedTables());
      ConnectionProvider raw = ((RowSealConnectionProvider) provider).delegate();
      sessionFactory.addObserver(new SessionFactoryObserver() {
        @Override
        public void sessionFactoryCreated(SessionFactory factory) {
          validateSchema(raw, validator, entityByTable);
        }
      });
    }
    LOG.info("RowSeal - encrypting {} table(s) for entities {}", rowSeal.tables().size(), entities);
  }

  private static Optional<RowSeal> upstream(RowSealConnectionProvider provider) {
    try {
      return provider.upstream();
    } catch (SQLException e) {
      throw new HibernateException("RowSeal could not check whether Hibernate's DataSource is already wrapped by RowSeal", e);
    }
  }

  /**
   * The pool is already wrapped (a {@code RowSealDataSource}, for example the Spring Boot starter's): its engine
   * encrypts every connection, Hibernate's included, so nothing is wrapped again. Each entity table must be one
   * that engine encrypts, defined as the entity maps it; the DDL and JDBC types are adjusted as usual.
   */
  private static void useWrappedPool(Metadata metadata, List<EncryptedMappings.TableMapping> mappings,
      Map<String, Object> settings, RowSeal rowSeal, String entities) {
    for (String key : new String[] {RowSealSettings.KEY_RING, RowSealSettings.CONFIG}) {
      if (settings.get(key) != null) {
        throw new HibernateException("Hibernate's DataSource is already wrapped by RowSeal, whose configuration"
            + " encrypts every connection, Hibernate's included; remove " + key + " from the Hibernate settings"
            + " (configure keys and tables where the DataSource is wrapped)");
      }
    }
    for (EncryptedMappings.TableMapping m : mappings) {
      EncryptedTable fromEntity = m.toEncryptedTable();
      EncryptedTable wrapped = rowSeal.tables().stream()
          .filter(t -> t.name().equalsIgnoreCase(fromEntity.name())).findFirst().orElse(null);
      if (wrapped == null) {
        throw new MappingException("Entity " + m.entityName + " has @Encrypted fields in table " + fromEntity.name()
            + ", but the RowSeal that wraps Hibernate's DataSource does not encrypt that table (it encrypts "
            + tableNames(rowSeal) + "); configure it there, for example: " + ExpectedConfiguration.of(fromEntity));
      }
      if (!ConfigFiles.sameDefinition(wrapped, fromEntity)) {
        throw new MappingException("Table " + fromEntity.name() + " is mapped by entity " + m.entityName + " as "
            + fromEntity + " but the RowSeal that wraps Hibernate's DataSource defines it as " + wrapped
            + "; make them agree, for example: " + ExpectedConfiguration.of(fromEntity));
      }
      EncryptedMappings.adjustDdl(metadata, m, fromEntity);
      EncryptedMappings.useEncryptedJdbcTypes(metadata, m);
    }
    // The companion-column check reads DatabaseMetaData, which the wrapper answers without the companion column;
    // the wrapped DataSource's own start-up checks are where a missing companion column is found.
    LOG.info("RowSeal - Hibernate's DataSource is already wrapped by RowSeal: connections used as they are;"
        + " entities {} validated against its {} table(s)", entities, rowSeal.tables().size());
  }

  private static String tableNames(RowSeal rowSeal) {
    List<String> names = new ArrayList<>();
    rowSeal.tables().forEach(t -> names.add(t.name()));
    return names.isEmpty() ? "no table" : String.join(", ", names);
  }

  @Override
  public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
    EngineBinding binding = serviceRegistry.getService(EngineBinding.class);
    if (binding != null) {
      binding.unbind();
    }
  }

  /**
   * The configured RowSeal: its key ring, and (from a configuration file) tables that no entity maps,
   * which native SQL may still touch, so they stay encrypted.
   */
  private static RowSeal configured(Map<String, Object> settings, String entities) {
    Object ring = settings.get(RowSealSettings.KEY_RING);
    Object config = settings.get(RowSealSettings.CONFIG);
    if (ring != null && config != null) {
      throw new HibernateException("Set only one of " + RowSealSettings.KEY_RING + " and " + RowSealSettings.CONFIG);
    }
    if (ring instanceof KeyRing) {
      return RowSeal.builder().keyRing((KeyRing) ring).build();
    }
    if (ring instanceof RowSeal) {
      return (RowSeal) ring;
    }
    if (ring != null) {
      throw new HibernateException(RowSealSettings.KEY_RING + " must be an io.rowseal.key.KeyRing or an"
          + " io.rowseal.RowSeal object, was " + ring.getClass().getName());
    }
    if (config != null) {
      String path = config.toString().trim();
      if (path.isEmpty()) {
        throw new HibernateException(RowSealSettings.CONFIG + " is empty; give the path of a RowSeal configuration file");
      }
      return ConfigFiles.load(Path.of(path));
    }
    throw new HibernateException("Entities " + entities + " have @Encrypted fields but no key ring is configured:"
        + " set " + RowSealSettings.KEY_RING + " (a KeyRing object) or " + RowSealSettings.CONFIG
        + " (the path of a RowSeal configuration file)");
  }

  /** The entities' tables plus the configuration file's other tables; a table defined both ways must agree. */
  private static RowSeal engineConfiguration(RowSeal configured, Map<String, EncryptedTable> fromEntities,
      Map<String, String> entityByTable) {
    RowSeal.Builder builder = configured.toBuilder(); // keeps the mode, caches and metrics
    Map<String, EncryptedTable> fromFile = new HashMap<>();
    for (EncryptedTable t : configured.tables()) {
      fromFile.put(t.name().toLowerCase(Locale.ROOT), t);
    }
    for (Map.Entry<String, EncryptedTable> e : fromEntities.entrySet()) {
      EncryptedTable file = fromFile.remove(e.getKey());
      if (file != null && !ConfigFiles.sameDefinition(file, e.getValue())) {
        throw new MappingException("Table " + e.getValue().name() + " is mapped by entity " + entityByTable.get(e.getKey())
            + " as " + e.getValue() + " but configured in " + RowSealSettings.CONFIG + " as " + file
            + "; make them agree (same id, companion and encrypted columns with the same types, storage and"
            + " logical names) or remove the table from the file");
      }
      builder.table(e.getValue());
    }
    fromFile.values().forEach(builder::table);
    return builder.build();
  }

  /**
   * Hibernate's database, where the index keys of searchable columns live (table {@code rowseal_index_key},
   * created by RowSeal's migrations); null when no table is searchable.
   */
  private static @Nullable DataSource indexKeyData(RowSeal rowSeal, RowSealConnectionProvider provider) {
    if (rowSeal.tables().stream().allMatch(t -> t.searchableColumns().isEmpty())) {
      return null;
    }
    if (!provider.delegate().isUnwrappableAs(DataSource.class)) {
      throw new HibernateException("Entities have @Searchable fields, whose index keys live in the table"
          + " rowseal_index_key, but Hibernate's connection provider is not a DataSource RowSeal can use for it;"
          + " configure Hibernate with a DataSource");
    }
    return provider.delegate().unwrap(DataSource.class);
  }

  /** {@code configured} with the Hibernate settings for schema validation applied over its own. */
  private static RowSeal withSchemaSettings(RowSeal configured, Map<String, Object> settings) {
    Object validation = settings.get(RowSealSettings.SCHEMA_VALIDATION);
    Object unmanaged = settings.get(RowSealSettings.UNMANAGED_TABLES);
    if (validation == null && unmanaged == null) {
      return configured;
    }
    RowSeal.Builder b = configured.toBuilder();
    configured.tables().forEach(b::table);
    if (validation != null) {
      String v = validation.toString().trim().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new HibernateException(RowSealSettings.SCHEMA_VALIDATION + " must be true or false, was '" + validation + "'");
      }
      b.schemaValidation(v.equals("true"));
    }
    if (unmanaged != null) {
      List<String> names = new ArrayList<>();
      if (unmanaged instanceof Collection) {
        ((Collection<?>) unmanaged).forEach(n -> names.add(String.valueOf(n).trim()));
      } else if (!unmanaged.toString().isBlank()) {
        names.addAll(List.of(unmanaged.toString().trim().split("\\s*,\\s*")));
      }
      try {
        b.unmanagedTables(names);
      } catch (IllegalArgumentException e) {
        throw new HibernateException(RowSealSettings.UNMANAGED_TABLES + ": " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /**
   * Checks the schema through one of the wrapped provider's own connections (RowSeal's would hide the companion
   * column), naming the entity that maps each table with a problem.
   */
  private static void validateSchema(ConnectionProvider raw, SchemaValidator validator,
      Map<String, String> entityByTable) {
    List<SchemaValidator.Problem> problems;
    try {
      Connection c = raw.getConnection();
      try {
        problems = validator.check(c);
      } finally {
        raw.closeConnection(c);
      }
    } catch (SQLException e) {
      throw new HibernateException("RowSeal could not read the database metadata to validate the schema ("
          + RowSealSettings.SCHEMA_VALIDATION + ")", e);
    }
    if (problems.isEmpty()) {
      return;
    }
    List<SchemaValidator.Problem> named = new ArrayList<>();
    for (SchemaValidator.Problem p : problems) {
      String entity = entityByTable.get(p.table().toLowerCase(Locale.ROOT));
      named.add(entity == null ? p : SchemaValidator.Problem.of(p.table(), "Entity " + entity + ": " + p.message()));
    }
    String message = SchemaValidator.describe(named).replace("rowseal.schema-validation = false",
        RowSealSettings.SCHEMA_VALIDATION + " = false");
    throw new SchemaManagementException(message, new IllegalStateException(message));
  }

  private static String entityNames(List<EncryptedMappings.TableMapping> mappings) {
    StringBuilder sb = new StringBuilder();
    for (EncryptedMappings.TableMapping m : mappings) {
      sb.append(sb.length() == 0 ? "" : ", ").append(m.entityName);
    }
    return sb.toString();
  }

}
