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

  private ApiGroup() {}
}
