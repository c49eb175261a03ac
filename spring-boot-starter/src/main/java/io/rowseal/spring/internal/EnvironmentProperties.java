package io.rowseal.spring.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The {@code rowseal.*} subtree of a Spring {@link ConfigurableEnvironment} as the flat {@link Properties} that
 * {@link io.rowseal.config.RowSealConfiguration#fromProperties} reads: the same keys as a RowSeal configuration
 * file, spelled exactly as written (table and column names keep their case and underscores, which Spring's
 * relaxed binding would not). Each value is resolved through the environment, so placeholders and overrides by
 * higher-precedence sources (system properties, environment variables) apply. YAML lists
 * ({@code keys: [a, b]}) become comma-separated values. Keys only this starter reads ({@link #STARTER_KEYS}) are
 * left out. Stateless.
 */
public final class EnvironmentProperties {
  /** Keys that configure the starter, not the engine. */
  public static final List<String> STARTER_KEYS = List.of("rowseal.enabled");

  private static final String PREFIX = "rowseal.";
  private static final Pattern INDEXED = Pattern.compile("(.+)\\[(\\d+)]");
  /** Spring Boot's view of every other source under relaxed names: enumerating it would repeat them. */
  private static final String ATTACHED = "configurationProperties";

  private EnvironmentProperties() {}

  public static Properties rowsealSubtree(ConfigurableEnvironment environment) {
    Map<String, String> values = new TreeMap<>();
    Map<String, TreeMap<Integer, String>> lists = new LinkedHashMap<>();
    Map<String, String> listSource = new LinkedHashMap<>();
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (!(source instanceof EnumerablePropertySource) || ATTACHED.equals(source.getName())) {
        continue;
      }
      for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
        if (!name.startsWith(PREFIX) || STARTER_KEYS.contains(name)) {
          continue;
        }
        Matcher indexed = INDEXED.matcher(name);
        if (indexed.matches()) {
          String base = indexed.group(1);
          // Sources come highest precedence first: the first one that lists a key owns the whole list.
          if (listSource.putIfAbsent(base, source.getName()) == null || listSource.get(base).equals(source.getName())) {
            lists.computeIfAbsent(base, k -> new TreeMap<>())
                .put(Integer.parseInt(indexed.group(2)), resolve(environment, name, source));
          }
        } else if (!values.containsKey(name)) {
          values.put(name, resolve(environment, name, source));
        }
      }
    }
    lists.forEach((base, items) -> values.putIfAbsent(base, String.join(",", items.values())));
    Properties properties = new Properties();
    values.forEach(properties::setProperty);
    return properties;
  }

  private static String resolve(ConfigurableEnvironment environment, String name, PropertySource<?> source) {
    String value = environment.getProperty(name);
    if (value == null) {
      Object raw = source.getProperty(name);
      value = raw == null ? "" : environment.resolveRequiredPlaceholders(raw.toString());
    }
    return value;
  }
}
