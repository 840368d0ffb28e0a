package io.lingang.zones.capacity;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.EdgeResources;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** What an edge pool can hand out: its spec.capacity, or the sum of its usable nodes. */
public final class EdgeCapacity {
  private EdgeCapacity() {}

  public record PoolCapacity(int nodes, ResourceList capacity) {}

  public static PoolCapacity of(EdgePool pool, Collection<Node> allNodes) {
    List<Node> usable = allNodes.stream().filter(n -> matches(pool, n) && usable(n)).toList();
    if (pool.getSpec().getCapacity() != null && !pool.getSpec().getCapacity().isEmpty()) {
      return new PoolCapacity(usable.size(), ResourceList.of(pool.getSpec().getCapacity()));
    }
    ResourceList sum = ResourceList.EMPTY;
    for (Node node : usable) {
      Map<String, Quantity> allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
      if (allocatable != null) {
        sum = sum.plus(ResourceList.of(allocatable).only(EdgeResources.NAMES));
      }
    }
    return new PoolCapacity(usable.size(), sum);
  }

  /**
   * What of a node a pool reads: its labels, taints (ReservedNodes), schedulability, readiness and allocatable.
   * A change elsewhere (heartbeats, images, usage) recounts nothing.
   */
  public static List<Object> countedPart(Node node) {
    return java.util.Arrays.asList(node.getMetadata().getLabels(), node.getSpec() == null ? null : node.getSpec().getUnschedulable(),
        node.getSpec() == null ? null : node.getSpec().getTaints(), usable(node),
        node.getStatus() == null ? null : node.getStatus().getAllocatable());
  }

  public static boolean matches(EdgePool pool, Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null && labels.entrySet().containsAll(pool.getSpec().getNodeSelector().entrySet());
  }

  /** Ready, and not cordoned. */
  static boolean usable(Node node) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    return node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
