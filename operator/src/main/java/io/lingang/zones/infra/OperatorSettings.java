package io.lingang.zones.infra;

import java.util.Map;

/**
 * Process-wide settings, read from environment variables so the Helm chart and a developer's
 * shell configure the operator the same way.
 *
 * @param healthPort port of the /healthz, /readyz and /metrics endpoints (LINGANG_HEALTH_PORT); 0 picks a free one
 * @param reconcileThreads concurrent reconciliations (LINGANG_RECONCILE_THREADS)
 */
public record OperatorSettings(int healthPort, int reconcileThreads) {

  public static OperatorSettings defaults() {
    return fromEnvironment(Map.of());
  }

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    return new OperatorSettings(
        intValue(env, "LINGANG_HEALTH_PORT", 8080),
        intValue(env, "LINGANG_RECONCILE_THREADS", 20));
  }

  public OperatorSettings withHealthPort(int port) {
    return new OperatorSettings(port, reconcileThreads);
  }

  private static int intValue(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'", e);
    }
  }
}
