package io.lingang.zones.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The nodes a Dedicated zone or an edge pool reserves (those its nodeSelector matches), and which
 * of them nothing keeps other pods off. The admission policies refuse every pod of another
 * namespace that targets reserved nodes (by selector, affinity, name or toleration), but a pod that
 * targets nothing goes wherever the scheduler finds room: only a taint keeps it off, one that the
 * zone's or pool's tolerations name, since no other namespace may tolerate those. A reserved node
 * without such a taint is a hole in the isolation we sell, and only the platform can close it.
 */
public final class ReservedNodes {
  static final String REASON = "NodesNotReserved";
  private static final int NAMED = 5;

  private ReservedNodes() {}

  /** Names of the nodes {@code selector} matches that carry no NoSchedule or NoExecute taint one of {@code tolerations} tolerates. */
  public static List<String> unprotected(Collection<Node> nodes, Map<String, String> selector, List<Toleration> tolerations) {
    if (selector == null || selector.isEmpty()) {
      return List.of();
    }
    List<Toleration> keyed = tolerations == null ? List.of()
        : tolerations.stream().filter(t -> t.getKey() != null && !t.getKey().isEmpty()).toList();
    return nodes.stream()
        .filter(n -> matches(n, selector))
        .filter(n -> taints(n).stream().noneMatch(taint -> reserves(taint) && keyed.stream().anyMatch(t -> tolerates(t, taint))))
        .map(n -> n.getMetadata().getName())
        .sorted()
        .toList();
  }

  /**
   * Stalled, naming the nodes and what to do, when some reserved node is not kept from other pods.
   *
   * @param fields where the owner's selector and tolerations are ("spec.dedicatedNodes", "spec")
   */
  public static Optional<Health> health(List<String> unprotected, String fields) {
    if (unprotected.isEmpty()) {
      return Optional.empty();
    }
    String names = String.join(", ", unprotected.subList(0, Math.min(NAMED, unprotected.size())))
        + (unprotected.size() > NAMED ? " and " + (unprotected.size() - NAMED) + " more" : "");
    boolean one = unprotected.size() == 1;
    return Optional.of(Health.stalled(REASON, (one ? "node " : "nodes ") + names + (one ? " matches " : " match ")
        + fields + ".nodeSelector but " + (one ? "carries" : "carry") + " no NoSchedule or NoExecute taint that "
        + fields + ".tolerations names: "
        + "a pod of any namespace may be scheduled there; taint " + (one ? "it" : "them")
        + " (kubectl taint nodes " + unprotected.get(0) + " KEY=VALUE:NoSchedule) and name the taint in "
        + fields + ".tolerations"));
  }

  private static boolean matches(Node node, Map<String, String> selector) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private static List<Taint> taints(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
  }

  private static boolean reserves(Taint taint) {
    return "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
  }

  /** The scheduler's rule: keys equal; values equal unless the toleration says Exists; effects equal unless it leaves it empty. */
  static boolean tolerates(Toleration t, Taint taint) {
    boolean value = "Exists".equals(t.getOperator())
        || Objects.equals(t.getValue() == null ? "" : t.getValue(), taint.getValue() == null ? "" : taint.getValue());
    boolean effect = t.getEffect() == null || t.getEffect().isEmpty() || t.getEffect().equals(taint.getEffect());
    return t.getKey().equals(taint.getKey()) && value && effect;
  }
}
