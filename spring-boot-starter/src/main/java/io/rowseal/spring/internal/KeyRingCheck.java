package io.rowseal.spring.internal;

import io.rowseal.RowSeal;
import io.rowseal.config.RowSealConfiguration;
import io.rowseal.key.KeyRef;
import io.rowseal.key.local.LocalKeystore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Whether every master key of a key ring can be reached now. {@code local:} keys: the keystore file is opened
 * again with the configured password source and must still hold each alias (the keys in memory keep working, but
 * the application could not restart). {@code aws-kms:} keys: one KMS {@code DescribeKey} each, which must answer
 * {@code Enabled}. Results name key references, states and error messages, never key bytes. Thread-safe.
 */
public final class KeyRingCheck {
  /** A key's status: {@code available}, or what is wrong with it. */
  public record KeyResult(String ref, boolean up, String status) {}

  private static final String KEYSTORE = "rowseal.keystore.";
  private static final String PLACEHOLDER_TABLE = "rowseal_health_check";

  private KeyRingCheck() {}

  /**
   * @param configured the {@code rowseal.*} properties the engine was built from, or null if it was built in code
   *     (then keystore keys are in memory only and reported as such)
   */
  public static List<KeyResult> check(RowSeal rowSeal, @Nullable Properties configured, Path baseDirectory) {
    List<KeyRef> local = new ArrayList<>();
    Map<KeyRef, KeyResult> results = new LinkedHashMap<>();
    for (KeyRef ref : rowSeal.keyRing().refs()) {
      if (ref.scheme().equals(LocalKeystore.SCHEME)) {
        local.add(ref);
      } else if (ref.scheme().equals("aws-kms")) {
        results.put(ref, KmsKeyCheck.check(rowSeal, ref));
      } else {
        results.put(ref, new KeyResult(ref.toString(), true, "in memory"));
      }
    }
    if (!local.isEmpty()) {
      checkKeystore(local, configured, baseDirectory).forEach(r -> results.put(KeyRef.of(r.ref()), r));
    }
    List<KeyResult> ordered = new ArrayList<>();
    for (KeyRef ref : rowSeal.keyRing().refs()) {
      ordered.add(results.get(ref));
    }
    return ordered;
  }

  private static List<KeyResult> checkKeystore(List<KeyRef> local, @Nullable Properties configured, Path base) {
    List<KeyResult> out = new ArrayList<>();
    if (configured == null || configured.stringPropertyNames().stream().noneMatch(k -> k.startsWith(KEYSTORE))) {
      local.forEach(ref -> out.add(new KeyResult(ref.toString(), true, "in memory")));
      return out;
    }
    // Only the keystore settings, through the same loader the application used; a placeholder table satisfies
    // the loader, and the active alias defaults to one the ring holds (the running ring may make a KMS key active).
    Properties p = new Properties();
    configured.stringPropertyNames().stream().filter(k -> k.startsWith(KEYSTORE))
        .forEach(k -> p.setProperty(k, configured.getProperty(k)));
    if (p.getProperty(KEYSTORE + "active", "").isBlank()) {
      p.setProperty(KEYSTORE + "active", alias(local.get(0)));
    }
    p.setProperty("rowseal.tables." + PLACEHOLDER_TABLE + ".id", "id");
    p.setProperty("rowseal.tables." + PLACEHOLDER_TABLE + ".columns.value", "string");
    RowSeal reopened;
    try {
      reopened = RowSealConfiguration.fromProperties(p, base);
    } catch (RuntimeException e) {
      local.forEach(ref -> out.add(new KeyResult(ref.toString(), false, String.valueOf(e.getMessage()))));
      return out;
    }
    for (KeyRef ref : local) {
      out.add(reopened.keyRing().contains(ref) ? new KeyResult(ref.toString(), true, "available")
          : new KeyResult(ref.toString(), false, "no longer in the keystore (entry '" + alias(ref) + "' missing)"));
    }
    return out;
  }

  private static String alias(KeyRef ref) {
    return ref.toString().substring(LocalKeystore.SCHEME.length() + 1);
  }
}
