package io.rowseal.config;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.kek.KekStore;
import io.rowseal.key.local.KeystorePassword;
import io.rowseal.key.local.LocalKeystore;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RowSeal} from a configuration file instead of code: a {@code .properties} file, or a
 * {@code .yml}/{@code .yaml} file with the same keys nested (needs SnakeYAML on the class path). Every
 * problem is reported when the file is loaded, naming the key:
 *
 * <pre>
 * rowseal.keystore.path = keys/rowseal.p12          # relative to the configuration file
 * rowseal.keystore.password-env = ROWSEAL_KEYSTORE_PASSWORD   # or password-file, or password
 * rowseal.keystore.active = k2                      # the alias that wraps new data keys
 *
 * rowseal.kms.keys = arn:aws:kms:eu-west-1:111122223333:key/…, alias/rowseal-old  # AWS KMS keys
 * rowseal.kms.region = eu-west-1                    # optional: else the ARN's region, else the SDK's default
 * rowseal.kms.endpoint = https://kms.eu-west-1.amazonaws.com  # optional: a KMS-compatible endpoint
 * rowseal.kms.retry-budget = 10s                    # optional: total time for one KMS operation
 * rowseal.kms.call-timeout = 2s                     # optional: per attempt
 * rowseal.active = aws-kms:arn:aws:kms:…            # which key wraps new data keys, when both kinds are
 *                                                   # configured (else keystore.active, or the first KMS key)
 * rowseal.cache.data-keys = 5m, 10000               # optional: time to live, size; or off
 * rowseal.mode = hierarchical                       # optional: direct (default) or hierarchical (KEKs in
 *                                                   # rowseal_kek: kek.jdbc-url, or load(file, dataSource))
 * rowseal.kek.max-age = 30d                         # optional, hierarchical mode
 * rowseal.kek.max-wraps = 1073741824                # optional, hierarchical mode: the soft limit (at most
 *                                                   # 2^31, KekStore.HARD_MAX_WRAPS, which bounds a KMS outage)
 * rowseal.kek.jdbc-url = jdbc:postgresql://db/app   # optional, hierarchical mode: rowseal_kek through two
 *                                                   # connections of its own (recommended), not load()'s DataSource
 * rowseal.kek.user = app                            # optional, with kek.jdbc-url
 * rowseal.kek.password-env = ROWSEAL_DB_PASSWORD    # optional, with kek.jdbc-url
 * rowseal.kek.cache = 10m, 1000                     # optional, hierarchical mode
 * rowseal.kek.migrate = true                        # optional: create rowseal_kek with Flyway before its
 *                                                   # first use
 * rowseal.schema-validation = true                  # optional (default true): check the schema before the
 *                                                   # first statement (JDBC wrapper, Hibernate integration)
 * rowseal.crypto.provider = auto                    # optional: auto (default), jdk or accp (AES-GCM implementation)
 * rowseal.jdbc.decrypt-parallelism = 4              # optional (default 1): threads decrypting large JDBC results
 * rowseal.unmanaged-tables = audit_copy, legacy     # optional: tables with a rowseal_dek-like column that are
 *                                                   # deliberately not encrypted (else validation refuses them)
 *
 * rowseal.tables.cards.id = id                      # comma-separated for a composite key
 * rowseal.tables.cards.companion = rowseal_dek      # optional; this is the default
 * rowseal.tables.cards.logical-name = cards         # optional
 * rowseal.tables.cards.adopting-plaintext = true    # optional (default false): read rows without a companion
 *                                                   # as plaintext while EncryptExistingJob migrates the table
 * rowseal.tables.cards.columns.card_number = string
 * rowseal.tables.cards.columns.cvv = string
 * rowseal.tables.cards.columns.holder = string, text           # storage form: binary (default) or text
 * rowseal.tables.cards.columns.expiry = date, binary, expiry_old  # third part: the logical name
 * rowseal.tables.customers.search.email.column = email_idx      # a blind index for equality search
 * rowseal.tables.customers.search.email.normalize = lowercase   # none (default) | lowercase | trim |
 *                                                               # lowercase-trim | digits
 * rowseal.tables.customers.search.email.bits = 64               # 8..256, default 256 (full length)
 * rowseal.tables.customers.search.email.rotation-column = email_idx_next  # optional; this is the default
 * rowseal.search.state-ttl = 30s                    # optional (default 30s): how long a process caches the
 *                                                   # index-key phases; the same in every process and in reindex
 * </pre>
 *
 * Types: {@code string, bytes, boolean, int, long, double, decimal, biginteger, date, time, datetime,
 * instant, offsetdatetime, uuid, enum:<fully.qualified.EnumClass>}. Stateless.
 */
public final class RowSealConfiguration {
  private static final String PREFIX = "rowseal.";

  private RowSealConfiguration() {}

  /**
   * Loads a {@code .properties}, {@code .yml} or {@code .yaml} file.
   *
   * @throws IllegalArgumentException naming the key, if the configuration is incomplete or wrong
   * @throws io.rowseal.errors.RowSealException if the keystore cannot be opened or lacks a configured key
   */
  public static RowSeal load(Path file) {
    return load(file, null);
  }

  /**
   * Loads a configuration file whose {@code rowseal.mode} may be {@code hierarchical}: the KEK table
   * {@code rowseal_kek} is read and written through {@code kekDataSource}.
   *
   * @throws IllegalArgumentException naming the key, if the configuration is incomplete or wrong
   * @throws io.rowseal.errors.RowSealException if a key cannot be opened or reached
   */
  public static RowSeal load(Path file, @Nullable DataSource kekDataSource) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, String> flat;
    try {
      if (name.endsWith(".yml") || name.endsWith(".yaml")) {
        flat = YamlFlattener.flatten(file);
      } else {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(r);
        }
        flat = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
          flat.put(k, p.getProperty(k));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read RowSeal configuration " + file + ": " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().getParent();
    return fromMap(flat, base, kekDataSource == null ? null : KekDatabase.of(kekDataSource), null);
  }

  /** Builds from already-loaded properties; relative keystore paths resolve against {@code baseDirectory}. */
  public static RowSeal fromProperties(Properties properties, Path baseDirectory) {
    return fromProperties(properties, baseDirectory, null);
  }

  /**
   * As {@link #fromProperties(Properties, Path)}, with RowSeal's meters (key caches, KMS calls) registered in
   * {@code registry} (a framework's application registry, for example).
   */
  public static RowSeal fromProperties(Properties properties, Path baseDirectory,
      io.micrometer.core.instrument.@Nullable MeterRegistry registry) {
    return fromProperties(properties, baseDirectory, registry, null);
  }

  /**
   * As {@link #fromProperties(Properties, Path, io.micrometer.core.instrument.MeterRegistry)}; in hierarchical
   * mode without {@code rowseal.kek.jdbc-url}, {@code rowseal_kek} is reached through {@code kekDatabase} (a
   * framework passes its own data source settings here).
   */
  public static RowSeal fromProperties(Properties properties, Path baseDirectory,
      io.micrometer.core.instrument.@Nullable MeterRegistry registry, @Nullable KekDatabase kekDatabase) {
    Map<String, String> flat = new TreeMap<>();
    for (String k : properties.stringPropertyNames()) {
      flat.put(k, properties.getProperty(k));
    }
    return fromMap(flat, baseDirectory, kekDatabase, registry);
  }

  static RowSeal fromMap(Map<String, String> config, Path baseDirectory, @Nullable DataSource kekDataSource) {
    return fromMap(config, baseDirectory, kekDataSource == null ? null : KekDatabase.of(kekDataSource), null);
  }

  static RowSeal fromMap(Map<String, String> config, Path baseDirectory, @Nullable KekDatabase kekDatabase,
      io.micrometer.core.instrument.@Nullable MeterRegistry registry) {
    Map<String, String> c = new TreeMap<>();
    config.forEach((k, v) -> c.put(k.trim(), v == null ? "" : v.trim()));
    RowSeal.Builder builder = RowSeal.builder();
    builder.keyRing(keyRing(c, baseDirectory, registry));
    if (registry != null) {
      builder.meterRegistry(registry);
    }
    String cache = c.get(PREFIX + "cache.data-keys");
    if (cache != null) {
      if (cache.equalsIgnoreCase("off")) {
        builder.noDataKeyCache();
      } else {
        String[] parts = pair(PREFIX + "cache.data-keys", cache);
        builder.dataKeyCache(Durations.parse(PREFIX + "cache.data-keys", parts[0]), positiveLong(PREFIX + "cache.data-keys", parts[1]));
      }
    }
    String mode = c.getOrDefault(PREFIX + "mode", "direct");
    if (mode.equals("hierarchical")) {
      if (kekDatabase == null && !c.containsKey(PREFIX + "kek.jdbc-url")) {
        throw new IllegalArgumentException(PREFIX + "mode = hierarchical needs the database that holds rowseal_kek:"
            + " set " + PREFIX + "kek.jdbc-url (recommended: KEK reads get connections of their own), or load the"
            + " file with RowSealConfiguration.load(file, dataSource)");
      }
      builder.hierarchical(kekStore(c, kekDatabase));
    } else if (!mode.equals("direct")) {
      throw new IllegalArgumentException(PREFIX + "mode: unknown mode '" + mode + "'; use direct or hierarchical");
    } else {
      for (String key : c.keySet()) {
        if (key.startsWith(PREFIX + "kek.")) {
          throw new IllegalArgumentException(key + " applies only with " + PREFIX + "mode = hierarchical");
        }
      }
    }

    List<String> tables = new ArrayList<>();
    for (String key : c.keySet()) {
      if (key.startsWith(PREFIX + "tables.")) {
        String rest = key.substring((PREFIX + "tables.").length());
        int dot = rest.indexOf('.');
        String table = dot < 0 ? rest : rest.substring(0, dot);
        if (!tables.contains(table)) {
          tables.add(table);
        }
      }
    }
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("no table configured: add rowseal.tables.<table>.id and"
          + " rowseal.tables.<table>.columns.<column> = <type>");
    }
    for (String table : tables) {
      builder.table(table(c, table));
    }
    String validation = c.get(PREFIX + "schema-validation");
    if (validation != null) {
      if (!validation.equals("true") && !validation.equals("false")) {
        throw new IllegalArgumentException(PREFIX + "schema-validation must be true or false, was '" + validation + "'");
      }
      builder.schemaValidation(validation.equals("true"));
    }
    String crypto = c.get(PREFIX + "crypto.provider");
    if (crypto != null) {
      switch (crypto) {
        case "auto" -> builder.cryptoProvider(io.rowseal.CryptoProvider.AUTO);
        case "jdk" -> builder.cryptoProvider(io.rowseal.CryptoProvider.JDK);
        case "accp" -> builder.cryptoProvider(io.rowseal.CryptoProvider.ACCP);
        default -> throw new IllegalArgumentException(PREFIX + "crypto.provider must be auto, jdk or accp, was '" + crypto + "'");
      }
    }
    String parallelism = c.get(PREFIX + "jdbc.decrypt-parallelism");
    if (parallelism != null) {
      long threads = positiveLong(PREFIX + "jdbc.decrypt-parallelism", parallelism);
      if (threads > RowSeal.MAX_DECRYPT_PARALLELISM) {
        throw new IllegalArgumentException(PREFIX + "jdbc.decrypt-parallelism must be 1.." + RowSeal.MAX_DECRYPT_PARALLELISM
            + ", was " + parallelism);
      }
      builder.decryptParallelism((int) threads);
    }
    String stateTtl = c.get(PREFIX + "search.state-ttl");
    if (stateTtl != null) {
      builder.searchStateTtl(Durations.parse(PREFIX + "search.state-ttl", stateTtl));
    }
    String unmanaged = c.get(PREFIX + "unmanaged-tables");
    if (unmanaged != null && !unmanaged.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (String n : unmanaged.split("\\s*,\\s*")) {
        if (n.isEmpty()) {
          throw new IllegalArgumentException(PREFIX + "unmanaged-tables has an empty name: '" + unmanaged + "'");
        }
        names.add(n);
      }
      builder.unmanagedTables(names);
    }
    for (String key : c.keySet()) {
      if (key.startsWith(PREFIX) && !KNOWN.contains(key) && !key.startsWith(PREFIX + "tables.")) {
        throw new IllegalArgumentException("unknown RowSeal setting " + key + "; known: " + KNOWN + ", rowseal.tables.*");
      }
    }
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage() + " (" + PREFIX + "unmanaged-tables)", e);
    }
  }

  /**
   * Every setting a configuration may hold besides the per-table ones ({@code rowseal.tables.*}), sorted; a
   * framework checks its own property metadata against it.
   */
  public static java.util.SortedSet<String> settings() {
    return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(KNOWN));
  }

  private static final java.util.Set<String> KNOWN = new java.util.TreeSet<>(List.of(
      "rowseal.keystore.path", "rowseal.keystore.password-env", "rowseal.keystore.password-file",
      "rowseal.keystore.password", "rowseal.keystore.active", "rowseal.kms.keys", "rowseal.kms.region",
      "rowseal.kms.endpoint", "rowseal.kms.retry-budget", "rowseal.kms.call-timeout", "rowseal.active",
      "rowseal.cache.data-keys", "rowseal.mode", "rowseal.kek.max-age", "rowseal.kek.max-wraps", "rowseal.kek.cache",
      "rowseal.kek.migrate", "rowseal.kek.jdbc-url", "rowseal.kek.user", "rowseal.kek.password-env",
      "rowseal.schema-validation", "rowseal.unmanaged-tables", "rowseal.crypto.provider",
      "rowseal.jdbc.decrypt-parallelism", "rowseal.search.state-ttl"));

  /** The keystore's keys and the KMS keys in one ring, with the configured active key. */
  private static KeyRing keyRing(Map<String, String> c, Path base,
      io.micrometer.core.instrument.@Nullable MeterRegistry registry) {
    boolean hasKeystore = c.keySet().stream().anyMatch(k -> k.startsWith(PREFIX + "keystore."));
    boolean hasKms = c.containsKey(PREFIX + "kms.keys");
    if (!hasKeystore && !hasKms) {
      throw new IllegalArgumentException("no master key configured: set rowseal.keystore.* (a local PKCS#12"
          + " keystore) or rowseal.kms.keys (AWS KMS keys)");
    }
    for (String key : c.keySet()) {
      if (key.startsWith(PREFIX + "kms.") && !hasKms) {
        throw new IllegalArgumentException(key + " is set but rowseal.kms.keys is not");
      }
    }
    List<MasterKey> keys = new ArrayList<>();
    String defaultActive = null;
    if (hasKeystore) {
      String alias = c.get(PREFIX + "keystore.active");
      if ((alias == null || alias.isEmpty()) && !c.containsKey(PREFIX + "active") && !hasKms) {
        throw new IllegalArgumentException(PREFIX + "keystore.active is required: the alias that wraps new data keys");
      }
      LocalKeystore keystore = keystore(c, base);
      for (String a : keystore.aliases()) {
        keys.add(keystore.masterKey(a));
      }
      if (alias != null && !alias.isEmpty()) {
        defaultActive = keystore.masterKey(alias).ref().toString();
      }
    }
    if (hasKms) {
      List<MasterKey> kms = AwsKmsSettings.keys(c, PREFIX, registry);
      if (!hasKeystore) {
        defaultActive = kms.get(0).ref().toString();
      }
      keys.addAll(kms);
    }
    String active = c.getOrDefault(PREFIX + "active", defaultActive);
    if (active == null || active.isEmpty()) {
      throw new IllegalArgumentException("both a keystore and KMS keys are configured: set " + PREFIX
          + "active to the reference of the key that wraps new data keys, one of " + refs(keys));
    }
    for (MasterKey k : keys) {
      if (k.ref().toString().equals(active)) {
        return KeyRing.of(k, keys);
      }
    }
    throw new IllegalArgumentException(PREFIX + "active = " + active + " names no configured key; configured: " + refs(keys));
  }

  private static List<String> refs(List<MasterKey> keys) {
    List<String> out = new ArrayList<>();
    keys.forEach(k -> out.add(k.ref().toString()));
    return out;
  }

  private static KekStore kekStore(Map<String, String> c, @Nullable KekDatabase database) {
    String url = c.get(PREFIX + "kek.jdbc-url");
    KekStore.Builder b;
    if (url != null) {
      java.util.Properties props = new java.util.Properties();
      String user = c.get(PREFIX + "kek.user");
      if (user != null) {
        props.setProperty("user", user);
      }
      String passwordEnv = c.get(PREFIX + "kek.password-env");
      if (passwordEnv != null) {
        String password = System.getenv(passwordEnv);
        if (password == null) {
          throw new IllegalArgumentException(PREFIX + "kek.password-env names the environment variable " + passwordEnv
              + ", which is not set");
        }
        props.setProperty("password", password);
      }
      b = KekStore.builder(url, props);
    } else {
      for (String key : new String[] {PREFIX + "kek.user", PREFIX + "kek.password-env"}) {
        if (c.containsKey(key)) {
          throw new IllegalArgumentException(key + " applies only with " + PREFIX + "kek.jdbc-url");
        }
      }
      b = java.util.Objects.requireNonNull(database, "kekDatabase").storeBuilder();
    }
    String maxAge = c.get(PREFIX + "kek.max-age");
    if (maxAge != null) {
      b.maxAge(Durations.parse(PREFIX + "kek.max-age", maxAge));
    }
    String maxWraps = c.get(PREFIX + "kek.max-wraps");
    if (maxWraps != null) {
      b.maxWraps(positiveLong(PREFIX + "kek.max-wraps", maxWraps));
    }
    String cache = c.get(PREFIX + "kek.cache");
    if (cache != null) {
      String[] parts = pair(PREFIX + "kek.cache", cache);
      b.cache(Durations.parse(PREFIX + "kek.cache", parts[0]), positiveLong(PREFIX + "kek.cache", parts[1]));
    }
    String migrate = c.getOrDefault(PREFIX + "kek.migrate", "false");
    if (migrate.equals("true")) {
      b.migrateOnFirstUse();
    } else if (!migrate.equals("false")) {
      throw new IllegalArgumentException(PREFIX + "kek.migrate must be true or false, was '" + migrate + "'");
    }
    return b.build();
  }

  private static String[] pair(String key, String value) {
    String[] parts = value.split("\\s*,\\s*");
    if (parts.length != 2) {
      throw new IllegalArgumentException(key + " must be '<time to live>, <maximum size>' (for example 5m, 10000), was '"
          + value + "'");
    }
    return parts;
  }

  static long positiveLong(String key, String value) {
    try {
      long n = Long.parseLong(value.replace("_", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a positive whole number, was '" + value + "'");
  }

  private static LocalKeystore keystore(Map<String, String> c, Path base) {
    Path path = base.resolve(required(c, "keystore.path"));
    String env = c.get(PREFIX + "keystore.password-env");
    String file = c.get(PREFIX + "keystore.password-file");
    String literal = c.get(PREFIX + "keystore.password");
    int given = (env != null ? 1 : 0) + (file != null ? 1 : 0) + (literal != null ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException("set exactly one of rowseal.keystore.password-env, password-file or"
          + " password (found " + given + ")");
    }
    KeystorePassword password = env != null ? KeystorePassword.fromEnvironment(env)
        : file != null ? KeystorePassword.fromFile(base.resolve(file))
        : KeystorePassword.of(literal.toCharArray());
    return LocalKeystore.open(path, password);
  }

  private static EncryptedTable table(Map<String, String> c, String table) {
    String p = PREFIX + "tables." + table + ".";
    EncryptedTable.Builder t = EncryptedTable.builder(table);
    String id = c.get(p + "id");
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(p + "id is required: the primary-key column(s) of " + table);
    }
    t.idColumns(id.split("\\s*,\\s*"));
    if (c.containsKey(p + "companion")) {
      t.companionColumn(c.get(p + "companion"));
    }
    if (c.containsKey(p + "logical-name")) {
      t.logicalName(c.get(p + "logical-name"));
    }
    String adopting = c.get(p + "adopting-plaintext");
    if (adopting != null) {
      if (!adopting.equals("true") && !adopting.equals("false")) {
        throw new IllegalArgumentException(p + "adopting-plaintext must be true or false, was '" + adopting + "'");
      }
      t.adoptingPlaintext(adopting.equals("true"));
    }
    boolean any = false;
    for (Map.Entry<String, String> e : c.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(p)) {
        continue;
      }
      String rest = key.substring(p.length());
      if (rest.equals("id") || rest.equals("companion") || rest.equals("logical-name")
          || rest.equals("adopting-plaintext")) {
        continue;
      }
      if (rest.startsWith("search.")) {
        continue;
      }
      if (!rest.startsWith("columns.")) {
        throw new IllegalArgumentException("unknown table setting " + key
            + "; known: id, companion, logical-name, adopting-plaintext, columns.<column>, search.<column>.*");
      }
      String column = rest.substring("columns.".length());
      String[] parts = e.getValue().split("\\s*,\\s*");
      Class<?> type = type(key, parts[0]);
      StorageForm storage = parts.length > 1 ? storage(key, parts[1]) : StorageForm.BINARY;
      if (parts.length > 2) {
        t.column(column, type, storage, parts[2]);
      } else {
        t.column(column, type, storage);
      }
      any = true;
    }
    if (!any) {
      throw new IllegalArgumentException(p + "columns.<column> = <type>: table " + table + " has no encrypted column");
    }
    searches(c, p, t);
    try {
      return t.build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage() + " (" + p + "...)", e);
    }
  }

  /** {@code <p>search.<column>.column|normalize|bits|rotation-column}. */
  private static void searches(Map<String, String> c, String p, EncryptedTable.Builder t) {
    Map<String, Map<String, String>> byColumn = new TreeMap<>();
    for (Map.Entry<String, String> e : c.entrySet()) {
      if (!e.getKey().startsWith(p + "search.")) {
        continue;
      }
      String rest = e.getKey().substring((p + "search.").length());
      int dot = rest.lastIndexOf('.');
      String setting = dot < 0 ? "" : rest.substring(dot + 1);
      if (dot <= 0 || !List.of("column", "normalize", "bits", "rotation-column").contains(setting)) {
        throw new IllegalArgumentException("unknown search setting " + e.getKey() + "; known: " + p
            + "search.<column>.column, .normalize, .bits, .rotation-column");
      }
      byColumn.computeIfAbsent(rest.substring(0, dot), k -> new TreeMap<>()).put(setting, e.getValue());
    }
    for (Map.Entry<String, Map<String, String>> e : byColumn.entrySet()) {
      String q = p + "search." + e.getKey() + ".";
      Map<String, String> s = e.getValue();
      String column = s.get("column");
      if (column == null || column.isEmpty()) {
        throw new IllegalArgumentException(q + "column is required: the binary column that holds the blind index");
      }
      io.rowseal.SearchIndex index;
      try {
        index = io.rowseal.SearchIndex.in(column);
        if (s.containsKey("normalize")) {
          index = index.normalize(io.rowseal.Normalization.parse(q + "normalize", s.get("normalize")));
        }
        if (s.containsKey("bits")) {
          int bits;
          try {
            bits = Integer.parseInt(s.get("bits"));
          } catch (NumberFormatException x) {
            throw new IllegalArgumentException("must be a whole number in 8..256, was '" + s.get("bits") + "'");
          }
          index = index.bits(bits);
        }
        if (s.containsKey("rotation-column")) {
          index = index.rotationColumn(s.get("rotation-column"));
        }
        t.search(e.getKey(), index);
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException(x.getMessage().startsWith(q) ? x.getMessage() : q + "*: " + x.getMessage(), x);
      }
    }
  }

  private static Class<?> type(String key, String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "string": return String.class;
      case "bytes": return byte[].class;
      case "boolean": return Boolean.class;
      case "int": return Integer.class;
      case "long": return Long.class;
      case "double": return Double.class;
      case "decimal": return BigDecimal.class;
      case "biginteger": return BigInteger.class;
      case "date": return LocalDate.class;
      case "time": return LocalTime.class;
      case "datetime": return LocalDateTime.class;
      case "instant": return Instant.class;
      case "offsetdatetime": return OffsetDateTime.class;
      case "uuid": return UUID.class;
      default:
        if (name.startsWith("enum:")) {
          try {
            Class<?> cls = Class.forName(name.substring(5), false, Thread.currentThread().getContextClassLoader());
            if (cls.isEnum()) {
              return cls;
            }
          } catch (ClassNotFoundException e) {
            // reported below
          }
          throw new IllegalArgumentException(key + ": " + name.substring(5) + " is not an enum class on the class path");
        }
        throw new IllegalArgumentException(key + ": unknown type '" + name + "'; use string, bytes, boolean, int, long,"
            + " double, decimal, biginteger, date, time, datetime, instant, offsetdatetime, uuid or enum:<class>");
    }
  }

  private static StorageForm storage(String key, String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "binary": return StorageForm.BINARY;
      case "text": return StorageForm.TEXT;
      default:
        throw new IllegalArgumentException(key + ": unknown storage form '" + name + "'; use binary or text");
    }
  }

  private static String required(Map<String, String> c, String key) {
    String v = c.get(PREFIX + key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(PREFIX + key + " is required");
    }
    return v;
  }

  /** Reads YAML through SnakeYAML (an optional dependency) into dotted keys. */
  private static final class YamlFlattener {
    static Map<String, String> flatten(Path file) throws IOException {
      Object root;
      try (InputStream in = Files.newInputStream(file)) {
        try {
          root = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
              new org.yaml.snakeyaml.LoaderOptions())).load(in);
        } catch (NoClassDefFoundError e) {
          throw new IllegalArgumentException("reading " + file + " needs SnakeYAML (org.yaml:snakeyaml) on the class"
              + " path; add it, or use a .properties file");
        }
      }
      Map<String, String> out = new TreeMap<>();
      walk("", root, out);
      return out;
    }

    private static void walk(String prefix, Object node, Map<String, String> out) {
      if (node instanceof Map) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
          walk(prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), e.getValue(), out);
        }
      } else if (node instanceof List) {
        List<String> parts = new ArrayList<>();
        for (Object o : (List<?>) node) {
          parts.add(String.valueOf(o));
        }
        out.put(prefix, String.join(",", parts));
      } else if (node != null) {
        out.put(prefix, String.valueOf(node));
      }
    }
  }
}
