package io.rowseal.spring;

import io.rowseal.RowSeal;
import io.rowseal.jdbc.RowSealDataSource;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Wraps every {@link DataSource} bean in a {@link RowSealDataSource} once, after it is initialised, so that
 * everything the application builds on the bean (JPA/Hibernate, {@code JdbcTemplate}, {@code JdbcClient}, jOOQ,
 * MyBatis, Flyway) goes through one engine and one plan cache. A bean that already is, or unwraps to, a
 * {@code RowSealDataSource} is left as it is. Runs last ({@link Ordered#LOWEST_PRECEDENCE}), so RowSeal is the
 * outermost layer and decorators registered before it (SQL loggers, tracing) see only ciphertext.
 *
 * <p>Keeps the undecorated pool under each wrapped bean: {@link #undecorated(String)} is the explicit way past
 * RowSeal (key status reads the companion columns through it). Thread-safe.
 */
public final class RowSealDataSourceWrapper implements BeanPostProcessor, Ordered {
  private static final Logger LOG = LoggerFactory.getLogger(RowSealDataSourceWrapper.class);

  private final ObjectProvider<RowSeal> rowSeal;
  private final Map<String, DataSource> undecorated = Collections.synchronizedMap(new LinkedHashMap<>());

  RowSealDataSourceWrapper(ObjectProvider<RowSeal> rowSeal) {
    this.rowSeal = rowSeal;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof DataSource) || isWrapped((DataSource) bean)) {
      return bean;
    }
    DataSource raw = (DataSource) bean;
    RowSealDataSource wrapped = RowSealDataSource.wrap(raw, rowSeal.getObject());
    undecorated.put(beanName, raw);
    LOG.info("RowSeal - DataSource bean '{}' ({}) wrapped: {} encrypted table(s)", beanName,
        raw.getClass().getName(), wrapped.rowSeal().tables().size());
    return wrapped;
  }

  private static boolean isWrapped(DataSource dataSource) {
    if (dataSource instanceof RowSealDataSource) {
      return true;
    }
    try {
      return dataSource.isWrapperFor(RowSealDataSource.class);
    } catch (SQLException | RuntimeException e) {
      return false; // a DataSource that cannot answer has no RowSeal layer we could find
    }
  }

  /**
   * The pool under the wrapped bean {@code beanName}, which bypasses RowSeal: reads return ciphertext and writes
   * would store plaintext. Null if RowSeal did not wrap that bean.
   */
  public @Nullable DataSource undecorated(String beanName) {
    return undecorated.get(beanName);
  }

  /** Names of the beans this post-processor wrapped, in the order they were wrapped. */
  public List<String> wrappedBeanNames() {
    synchronized (undecorated) {
      return List.copyOf(undecorated.keySet());
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
