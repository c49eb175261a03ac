package io.rowseal.hibernate.internal;

import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.service.spi.ServiceContributor;

/**
 * Service-loaded: replaces Hibernate's connection provider initiator with one that wraps the standard
 * provider, and registers the registry's {@link EngineBinding}.
 */
public final class RowSealServiceContributor implements ServiceContributor {
  @Override
  public void contribute(StandardServiceRegistryBuilder serviceRegistryBuilder) {
    serviceRegistryBuilder.addService(EngineBinding.class, new EngineBinding());
    serviceRegistryBuilder.addInitiator(RowSealConnectionProviderInitiator.INSTANCE);
  }
}
