package io.lingang.zones.desired;

import io.lingang.zones.api.v1alpha1.ApiGroup;
import java.util.Map;

/**
 * The labels on everything the operator generates. They are the operator's own: a custom
 * resource's labels and annotations (Argo CD and Flux tracking marks) are never copied.
 */
public final class ManagedLabels {
  /** Selects what the operator caches and watches: only its own objects. */
  public static final String SELECTOR = ApiGroup.LABEL_MANAGED_BY + "=" + ApiGroup.MANAGED_BY_VALUE;

  private ManagedLabels() {}

  public static Map<String, String> of(String zone, String tenant) {
    return Map.of(
        ApiGroup.LABEL_MANAGED_BY, ApiGroup.MANAGED_BY_VALUE,
        ApiGroup.LABEL_ZONE, zone,
        ApiGroup.LABEL_TENANT, tenant);
  }

  public static String tenantOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(ApiGroup.LABEL_TENANT);
  }
}
