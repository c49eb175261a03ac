package io.rowseal.hibernate.internal;

import io.rowseal.jdbc.RowSealConnections;
import java.util.concurrent.atomic.AtomicReference;
import org.hibernate.service.Service;
import org.jspecify.annotations.Nullable;

/**
 * Holds the RowSeal connection wrapper (the JDBC wrapper's engine) for one service registry. The connection
 * provider is created before the metamodel exists, so it cannot know the encrypted tables; the integrator
 * binds the engine once it has read {@code @Encrypted} from the metamodel, before the SessionFactory runs any entity SQL. Until then
 * (dialect detection, sequence metadata) connections are handed out unwrapped. Thread-safe.
 */
final class EngineBinding implements Service {
  private final AtomicReference<@Nullable RowSealConnections> engine = new AtomicReference<>();

  @Nullable RowSealConnections engine() {
    return engine.get();
  }

  void bind(RowSealConnections newEngine) {
    if (!engine.compareAndSet(null, newEngine)) {
      throw new IllegalStateException("RowSeal is already bound to a SessionFactory built from this service"
          + " registry; build one SessionFactory per StandardServiceRegistry when entities have @Encrypted fields");
    }
  }

  void unbind() {
    engine.set(null);
  }
}
