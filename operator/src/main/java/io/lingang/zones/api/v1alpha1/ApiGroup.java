package io.lingang.zones.api.v1alpha1;

/** Names fixed by the product specification: the group, its version, and the label keys. */
public final class ApiGroup {
  public static final String GROUP = "zones.lingang.io";
  public static final String VERSION = "v1alpha1";
  public static final String CATEGORY = "lingang";

  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "lingang-zone-operator";
  public static final String LABEL_ZONE = GROUP + "/zone";
  public static final String LABEL_TENANT = GROUP + "/tenant";
  /** Replaces the tenant label on what a deleted tenant (deletionPolicy Retain) leaves behind. */
  public static final String LABEL_RETAINED_FROM = GROUP + "/retained-from";
  /** On an edge namespace: the EdgePool whose nodes its pods are pinned to. */
  public static final String LABEL_EDGE_POOL = GROUP + "/edge-pool";
  /** On a tenant namespace: the Service types its zone allows, comma-separated (read by the chart's admission policy). */
  public static final String ANNOTATION_SERVICE_TYPES = GROUP + "/service-types";

  private ApiGroup() {}
}
