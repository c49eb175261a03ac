package io.rowseal.spring;

import io.rowseal.RowSeal;
import io.rowseal.spring.internal.KeyRingCheck;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health indicator {@code rowseal}: UP when every master key of the key ring can be reached now (the keystore
 * file opens with the configured password and holds each {@code local:} key; each {@code aws-kms:} key is
 * {@code Enabled} in KMS, one {@code DescribeKey} per key and check), DOWN otherwise. Details: the active key
 * reference, and per key reference {@code available} or what is wrong; never key bytes or passwords.
 * Thread-safe.
 */
public final class RowSealHealthIndicator extends AbstractHealthIndicator {
  private final RowSeal rowSeal;
  private final @Nullable RowSealProperties properties;

  RowSealHealthIndicator(RowSeal rowSeal, @Nullable RowSealProperties properties) {
    super("RowSeal key ring check failed");
    this.rowSeal = rowSeal;
    this.properties = properties;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    List<KeyRingCheck.KeyResult> results = KeyRingCheck.check(rowSeal,
        properties == null ? null : properties.properties(),
        properties == null ? Path.of("").toAbsolutePath() : properties.baseDirectory());
    Map<String, String> keys = new LinkedHashMap<>();
    boolean up = true;
    for (KeyRingCheck.KeyResult r : results) {
      keys.put(r.ref(), r.status());
      up &= r.up();
    }
    (up ? builder.up() : builder.down())
        .withDetail("activeKey", rowSeal.keyRing().active().ref().toString())
        .withDetail("keys", keys)
        .withDetail("cryptoProvider", rowSeal.cryptoProvider().name().toLowerCase(java.util.Locale.ROOT));
  }
}
