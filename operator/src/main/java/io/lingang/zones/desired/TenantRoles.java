package io.lingang.zones.desired;

/** Names of the cluster roles that tenant RoleBindings refer to, installed with the chart. */
public final class TenantRoles {
  /** Manage workloads; read, never change, quota, limits, network policies and bindings. */
  public static final String ADMIN = "lingang-zones-tenant-admin";
  /** Read the tenant's namespaces. */
  public static final String VIEWER = "lingang-zones-tenant-viewer";

  public static final String ADMINS_BINDING = "lingang-tenant-admins";
  public static final String VIEWERS_BINDING = "lingang-tenant-viewers";

  private TenantRoles() {}

  /** The per-tenant ClusterRole (and its binding) that lets a tenant read its own cluster-scoped objects. */
  public static String ownObjectsRole(String tenant) {
    return "lingang-zones-tenant-" + tenant;
  }
}
