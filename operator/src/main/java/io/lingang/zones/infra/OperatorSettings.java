package io.lingang.zones.infra;

import java.util.Map;
import java.util.Optional;

/**
 * Process-wide settings, read from environment variables so the Helm chart and a developer's
 * shell configure the operator the same way.
 *
 * @param healthPort port of the /healthz, /readyz and /metrics endpoints (LINGANG_HEALTH_PORT); 0 picks a free one
 * @param reconcileThreads concurrent reconciliations (LINGANG_RECONCILE_THREADS)
 * @param leaseNamespace where the leader-election Lease lives (LINGANG_LEASE_NAMESPACE); unset, the
 *     process reconciles on its own without electing a leader, as `make run` does
 * @param leaseName the Lease's name (LINGANG_LEASE_NAME)
 */
public record OperatorSettings(int healthPort, int reconcileThreads, String leaseNamespace, String leaseName) {
  public static final String DEFAULT_LEASE_NAME = "lingang-zone-operator";

  public static OperatorSettings defaults() {
    return fromEnvironment(Map.of());
  }

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    return new OperatorSettings(
        intValue(env, "LINGANG_HEALTH_PORT", 8080),
        intValue(env, "LINGANG_RECONCILE_THREADS", 20),
        text(env, "LINGANG_LEASE_NAMESPACE").orElse(null),
        text(env, "LINGANG_LEASE_NAME").orElse(DEFAULT_LEASE_NAME));
  }

  public OperatorSettings withHealthPort(int port) {
    return new OperatorSettings(port, reconcileThreads, leaseNamespace, leaseName);
  }

  public boolean leaderElection() {
    return leaseNamespace != null;
  }

  private static Optional<String> text(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static int intValue(Map<String, String> env, String name, int fallback) {
    Optional<String> value = text(env, name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value.get() + "'", e);
    }
  }
}
