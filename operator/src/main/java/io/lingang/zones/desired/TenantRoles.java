package io.lingang.zones.desired;

import java.util.Set;

/** Names of the cluster roles that tenant RoleBindings refer to, installed with the chart. */
public final class TenantRoles {
  /** Manage workloads; read, never change, quota, limits, network policies and bindings. */
  public static final String ADMIN = "lingang-zones-tenant-admin";
  /** Read the tenant's namespaces. */
  public static final String VIEWER = "lingang-zones-tenant-viewer";
  /** Aggregated into view/edit/admin: whoever reads a namespace reads its TenantStatus. */
  public static final String TENANTSTATUS_READER = "lingang-zones-tenantstatus-reader";

  /** Cluster-scoped names the chart fixes; no tenant's object may ever carry one of them. */
  public static final Set<String> CHART_NAMES = Set.of(ADMIN, VIEWER, TENANTSTATUS_READER);

  public static final String ADMINS_BINDING = "lingang-tenant-admins";
  public static final String VIEWERS_BINDING = "lingang-tenant-viewers";

  private static final String READ_ACCESS_PREFIX = "lingang-zones:tenant:";
  /** How versions up to 0.1 named it: {@code lingang-zones-tenant-admin} for a tenant named "admin". */
  private static final String LEGACY_READ_ACCESS_PREFIX = "lingang-zones-tenant-";

  private TenantRoles() {}

  /**
   * The per-tenant ClusterRole (and its binding) that lets a tenant read its own cluster-scoped
   * objects. A tenant name is a DNS label and never holds ':', so no tenant name can make this
   * equal a name the chart or another tenant uses.
   */
  public static String readAccess(String tenant) {
    return READ_ACCESS_PREFIX + tenant;
  }

  /** The name an earlier version gave the same role; such objects are replaced on upgrade. */
  public static String legacyReadAccess(String tenant) {
    return LEGACY_READ_ACCESS_PREFIX + tenant;
  }
}
