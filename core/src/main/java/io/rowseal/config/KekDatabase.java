package io.rowseal.config;

import io.rowseal.key.kek.KekStore;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Where hierarchical mode's table {@code rowseal_kek} lives when a configuration does not say so itself
 * ({@code rowseal.kek.jdbc-url}): a framework's own data source settings, or a {@link DataSource}. Immutable;
 * {@link #toString()} shows the URL without its parameters and never the connection properties.
 */
public final class KekDatabase {
  private final String description;
  private final java.util.function.Supplier<KekStore.Builder> builder;

  private KekDatabase(String description, java.util.function.Supplier<KekStore.Builder> builder) {
    this.description = description;
    this.builder = builder;
  }

  /**
   * Connections of the store's own, opened with {@code jdbcUrl} and the driver's {@code connectionProperties}
   * ({@code user}, {@code password}, ...): the recommended set-up, see {@link KekStore#builder(String, Properties)}.
   */
  public static KekDatabase connect(String jdbcUrl, Properties connectionProperties) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Properties copy = new Properties();
    copy.putAll(Objects.requireNonNull(connectionProperties, "connectionProperties"));
    int query = jdbcUrl.indexOf('?');
    String shown = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    return new KekDatabase("KekDatabase[" + shown + "]", () -> KekStore.builder(jdbcUrl, copy));
  }

  /** Through {@code dataSource} (for example the application's pool), see {@link KekStore#builder(DataSource)}. */
  public static KekDatabase of(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    return new KekDatabase("KekDatabase[data source]", () -> KekStore.builder(dataSource));
  }

  KekStore.Builder storeBuilder() {
    return builder.get();
  }

  @Override
  public String toString() {
    return description;
  }
}
