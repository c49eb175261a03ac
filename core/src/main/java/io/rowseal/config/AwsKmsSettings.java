package io.rowseal.config;

import io.rowseal.key.MasterKey;
import io.rowseal.key.awskms.AwsKmsMasterKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * The {@code rowseal.kms.*} settings. A class of its own so that the AWS SDK (an optional dependency) is
 * loaded only when a configuration names KMS keys. Credentials come from the SDK's default chain
 * (environment, profile, instance role); one client per region.
 */
final class AwsKmsSettings {
  private AwsKmsSettings() {}

  static List<MasterKey> keys(Map<String, String> c, String prefix,
      io.micrometer.core.instrument.@org.jspecify.annotations.Nullable MeterRegistry registry) {
    try {
      return load(c, prefix, registry);
    } catch (NoClassDefFoundError e) {
      throw new IllegalArgumentException(prefix + "kms.keys needs the AWS SDK for Java v2 KMS client on the class"
          + " path: add software.amazon.awssdk:kms");
    }
  }

  private static List<MasterKey> load(Map<String, String> c, String prefix,
      io.micrometer.core.instrument.@org.jspecify.annotations.Nullable MeterRegistry registry) {
    String region = c.get(prefix + "kms.region");
    String endpoint = c.get(prefix + "kms.endpoint");
    String budget = c.get(prefix + "kms.retry-budget");
    String timeout = c.get(prefix + "kms.call-timeout");
    Map<String, KmsClient> clients = new HashMap<>();
    List<MasterKey> keys = new ArrayList<>();
    for (String id : c.get(prefix + "kms.keys").split("\\s*,\\s*")) {
      if (id.isEmpty()) {
        throw new IllegalArgumentException(prefix + "kms.keys must list key ARNs, key ids or aliases, separated by commas");
      }
      String keyRegion = region != null ? region : regionOf(id);
      KmsClient client = clients.computeIfAbsent(keyRegion == null ? "" : keyRegion, r -> {
        KmsClientBuilder b = KmsClient.builder();
        if (!r.isEmpty()) {
          b.region(Region.of(r));
        }
        if (endpoint != null) {
          b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
      });
      AwsKmsMasterKey.Builder b = AwsKmsMasterKey.builder(client, id);
      if (budget != null) {
        b.retryBudget(Durations.parse(prefix + "kms.retry-budget", budget));
      }
      if (timeout != null) {
        b.callTimeout(Durations.parse(prefix + "kms.call-timeout", timeout));
      }
      if (registry != null) {
        b.meterRegistry(registry);
      }
      keys.add(b.build());
    }
    return keys;
  }

  /** The region of a key or alias ARN ({@code arn:aws:kms:<region>:…}), else null. */
  private static String regionOf(String id) {
    String[] parts = id.split(":");
    return parts.length > 4 && parts[0].equals("arn") && parts[2].equals("kms") ? parts[3] : null;
  }
}
