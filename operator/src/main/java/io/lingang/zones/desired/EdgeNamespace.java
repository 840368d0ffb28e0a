package io.lingang.zones.desired;

import io.lingang.zones.api.v1alpha1.NodePlacement;
import io.lingang.zones.capacity.ResourceList;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One edge namespace of a tenant ({@code <tenant>-edge-<pool>}): where its pods must run, and the
 * node resources its active allocations on that pool add up to.
 *
 * @param pool the EdgePool whose nodes the namespace's pods are pinned to
 * @param placement where its pods run; null while the pool does not exist
 * @param closed no allocation on the pool is active (expired, refused, deleted, or the pool is
 *     gone): no new pods
 */
public record EdgeNamespace(String pool, NodePlacement placement, ResourceList granted, boolean closed) {

  /** Node resource names as ResourceQuota keys: requests and limits for cpu, memory and ephemeral storage. */
  private static final Map<String, List<String>> QUOTA_KEYS = Map.of(
      "cpu", List.of("requests.cpu", "limits.cpu"),
      "memory", List.of("requests.memory", "limits.memory"),
      "ephemeral-storage", List.of("requests.ephemeral-storage", "limits.ephemeral-storage"),
      "nvidia.com/gpu", List.of("requests.nvidia.com/gpu"),
      "pods", List.of("pods"));

  public ResourceList quota() {
    ResourceList quota = ResourceList.EMPTY;
    for (String resource : granted.names()) {
      BigDecimal amount = granted.amount(resource);
      for (String key : QUOTA_KEYS.getOrDefault(resource, List.of("requests." + resource))) {
        quota = quota.with(key, amount, granted.formatOf(resource));
      }
    }
    return quota;
  }
}
