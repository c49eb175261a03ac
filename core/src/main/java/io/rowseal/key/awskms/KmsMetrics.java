package io.rowseal.key.awskms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The KMS meters of one key: attempts, failures by code and per-attempt latency, tagged with the
 * operation and the key (its ARN, or the id it was configured with before that is resolved). Does nothing
 * without a registry. Tag values are operation names, KMS error codes and key ids: never key material.
 * Thread-safe.
 */
final class KmsMetrics {
  static final String CALLS = "rowseal.kms.calls";
  static final String FAILURES = "rowseal.kms.failures";
  static final String LATENCY = "rowseal.kms.latency";

  private final @Nullable MeterRegistry registry;
  private final String key;

  private KmsMetrics(@Nullable MeterRegistry registry, String key) {
    this.registry = registry;
    this.key = key;
  }

  static KmsMetrics of(@Nullable MeterRegistry registry, String key) {
    return new KmsMetrics(registry, key);
  }

  KmsMetrics forKey(String keyArn) {
    return new KmsMetrics(registry, keyArn);
  }

  void attempt(String operation) {
    if (registry != null) {
      Counter.builder(CALLS).description("KMS requests sent by RowSeal (every attempt)")
          .tag("operation", operation).tag("key", key).register(registry).increment();
    }
  }

  void failure(String operation, String code) {
    if (registry != null) {
      Counter.builder(FAILURES).description("KMS requests that failed, by error code")
          .tag("operation", operation).tag("code", code).tag("key", key).register(registry).increment();
    }
  }

  void latency(String operation, long nanos) {
    if (registry != null) {
      Timer.builder(LATENCY).description("Time of one KMS request attempt")
          .tag("operation", operation).tag("key", key).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
