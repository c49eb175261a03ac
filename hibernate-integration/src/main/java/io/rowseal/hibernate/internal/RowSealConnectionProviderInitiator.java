package io.rowseal.hibernate.internal;

import java.util.Map;
import org.hibernate.boot.registry.StandardServiceInitiator;
import org.hibernate.engine.jdbc.connections.internal.ConnectionProviderInitiator;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.service.spi.ServiceRegistryImplementor;
import org.jspecify.annotations.Nullable;

/**
 * Builds the connection provider Hibernate would have built (same settings, same choice of pool or
 * DataSource, through Hibernate's own {@link ConnectionProviderInitiator}) and wraps it in a
 * {@link RowSealConnectionProvider}.
 */
final class RowSealConnectionProviderInitiator implements StandardServiceInitiator<ConnectionProvider> {
  static final RowSealConnectionProviderInitiator INSTANCE = new RowSealConnectionProviderInitiator();

  @Override
  public Class<ConnectionProvider> getServiceInitiated() {
    return ConnectionProvider.class;
  }

  @Override
  public @Nullable ConnectionProvider initiateService(Map<String, Object> configurationValues,
      ServiceRegistryImplementor registry) {
    ConnectionProvider standard = ConnectionProviderInitiator.INSTANCE.initiateService(configurationValues, registry);
    if (standard == null) {
      return null;
    }
    EngineBinding binding = registry.getService(EngineBinding.class);
    if (binding == null) {
      throw new IllegalStateException("RowSeal's EngineBinding service is missing from the service registry");
    }
    return new RowSealConnectionProvider(standard, binding);
  }
}
