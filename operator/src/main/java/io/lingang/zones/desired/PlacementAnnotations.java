package io.lingang.zones.desired;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Toleration;
import io.lingang.zones.api.v1alpha1.NodePlacement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Namespace annotations read by the PodNodeSelector and PodTolerationRestriction admission
 * plugins: every pod in the namespace gets the node selector and default tolerations.
 */
public final class PlacementAnnotations {
  public static final String NODE_SELECTOR = "scheduler.alpha.kubernetes.io/node-selector";
  public static final String DEFAULT_TOLERATIONS = "scheduler.alpha.kubernetes.io/defaultTolerations";
  public static final String TOLERATIONS_WHITELIST = "scheduler.alpha.kubernetes.io/tolerationsWhitelist";

  /** Every placement annotation the operator may write: one it no longer wants is removed, whoever set it. */
  public static final List<String> KEYS = List.of(NODE_SELECTOR, DEFAULT_TOLERATIONS, TOLERATIONS_WHITELIST);

  private static final ObjectMapper JSON = new ObjectMapper();

  private PlacementAnnotations() {}

  public static Map<String, String> of(NodePlacement placement) {
    Map<String, String> annotations = new TreeMap<>();
    if (placement.getNodeSelector() != null && !placement.getNodeSelector().isEmpty()) {
      annotations.put(NODE_SELECTOR, new TreeMap<>(placement.getNodeSelector()).entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(",")));
    }
    if (placement.getTolerations() != null && !placement.getTolerations().isEmpty()) {
      annotations.put(DEFAULT_TOLERATIONS, json(placement.getTolerations()));
    }
    return annotations;
  }

  /**
   * The tolerations pods may have: the placement's own, plus those the API server itself adds,
   * or no pod would be admitted: not-ready/unreachable (DefaultTolerationSeconds, every pod) and
   * memory-pressure (PodTolerationRestriction, every pod that is not BestEffort).
   */
  static String whitelist(NodePlacement placement) {
    List<Toleration> allowed = new java.util.ArrayList<>();
    if (placement.getTolerations() != null) {
      allowed.addAll(placement.getTolerations());
    }
    for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
      allowed.add(new io.fabric8.kubernetes.api.model.TolerationBuilder()
          .withKey(key).withOperator("Exists").withEffect("NoExecute").build());
    }
    allowed.add(new io.fabric8.kubernetes.api.model.TolerationBuilder()
        .withKey("node.kubernetes.io/memory-pressure").withOperator("Exists").withEffect("NoSchedule").build());
    return json(allowed);
  }

  static String json(List<Toleration> tolerations) {
    try {
      return JSON.writeValueAsString(tolerations);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
