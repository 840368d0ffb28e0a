package io.lingang.zones.audit;

import java.util.List;
import java.util.Set;

/**
 * What SPEC.md says a tenant's admin or viewer may do, written from the specification, not from
 * the roles the chart ships: the access matrix holds every answer of the real API server against
 * this. Where SPEC.md is silent the line says which convention decides.
 */
final class SpecAccess {
  static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "bind", "escalate", "impersonate");

  /** A resource as a SubjectAccessReview names it. */
  record Resource(String group, String resource, String subresource, boolean namespaced) {
    static Resource ns(String group, String resource) {
      return new Resource(group, resource, null, true);
    }

    static Resource cluster(String group, String resource) {
      return new Resource(group, resource, null, false);
    }

    String id() {
      return (group.isEmpty() ? "" : group + "/") + resource + (subresource == null ? "" : "/" + subresource);
    }
  }

  static final String ZONES = "zones.lingang.io";
  static final List<Resource> RESOURCES = List.of(
      Resource.ns("", "pods"), new Resource("", "pods", "exec", true), Resource.ns("apps", "deployments"),
      Resource.ns("", "services"), Resource.ns("", "endpoints"), Resource.ns("", "secrets"), Resource.ns("", "configmaps"),
      Resource.ns("", "serviceaccounts"), new Resource("", "serviceaccounts", "token", true),
      Resource.ns("networking.k8s.io", "networkpolicies"), Resource.ns("", "resourcequotas"), Resource.ns("", "limitranges"),
      Resource.ns("rbac.authorization.k8s.io", "roles"), Resource.ns("rbac.authorization.k8s.io", "rolebindings"),
      Resource.ns("", "events"), Resource.ns(ZONES, "tenantstatuses"), Resource.ns("", "namespaces"),
      Resource.cluster("", "nodes"), Resource.cluster("rbac.authorization.k8s.io", "clusterroles"),
      Resource.cluster("rbac.authorization.k8s.io", "clusterrolebindings"), Resource.cluster("", "persistentvolumes"),
      Resource.cluster(ZONES, "businesszones"), Resource.cluster(ZONES, "zonetenants"), Resource.cluster(ZONES, "datalinks"),
      Resource.cluster(ZONES, "edgepools"), Resource.cluster(ZONES, "edgeallocations"));

  /** The workloads an admin manages (SPEC: "Admins may manage workloads in the tenant's namespaces"). */
  private static final Set<String> WORKLOADS = Set.of("pods", "pods/exec", "apps/deployments", "services", "secrets", "configmaps",
      "serviceaccounts");
  /**
   * What admins and viewers may read but never change (SPEC: "never its ResourceQuota, LimitRange,
   * NetworkPolicies or the operator's RoleBindings; admins and viewers may read all of those"; a
   * TenantStatus is "written only by the operator"). Roles, Events and Endpoints: read-only by the
   * same rule (nothing in SPEC lets a tenant grant rights, and Events about a tenant are the
   * operator's; hand-written Endpoints are ruled out by the Service exposure issue).
   */
  private static final Set<String> READ_ONLY = Set.of("resourcequotas", "limitranges", "networking.k8s.io/networkpolicies",
      "rbac.authorization.k8s.io/rolebindings", "rbac.authorization.k8s.io/roles", ZONES + "/tenantstatuses", "events", "endpoints");

  /** One subject of a tenant, and what it is. */
  record Who(String label, String user, List<String> groups, String tenant, boolean admin, boolean tenantExists,
      Set<String> ownNamespaces, Set<String> ownAllocations) {}

  private SpecAccess() {}

  /**
   * @param ns the namespace asked about ("" for a cluster-scoped resource)
   * @param name the object's name, or null for any
   */
  static boolean allowed(Who who, String ns, Resource r, String verb, String name) {
    // SPEC: a tenant admin can never widen its own bindings or act as another identity.
    if (Set.of("bind", "escalate", "impersonate").contains(verb)) {
      return false;
    }
    boolean read = Set.of("get", "list", "watch").contains(verb);
    if (!r.namespaced()) {
      // SPEC: "Admins and viewers may read their own ZoneTenant (refused or not) and EdgeAllocations,
      // and no other tenant's." Nothing else cluster-wide.
      return who.tenantExists() && "get".equals(verb) && name != null
          && (r.id().equals(ZONES + "/zonetenants") && name.equals(who.tenant())
              || r.id().equals(ZONES + "/edgeallocations") && who.ownAllocations().contains(name));
    }
    // SPEC: two tenants never reach each other; a retained namespace keeps none of the tenant's bindings.
    if (!who.ownNamespaces().contains(ns)) {
      return false;
    }
    String id = r.id();
    if (READ_ONLY.contains(id)) {
      return read;
    }
    if ("serviceaccounts/token".equals(id) || "namespaces".equals(id)) {
      return false; // SPEC: tenants cannot edit namespaces; tokens only as the workloads' own (no TokenRequest right)
    }
    if (WORKLOADS.contains(id)) {
      if (who.admin()) {
        return true;
      }
      // A viewer reads (Kubernetes' view convention: no Secrets, no exec).
      return read && !"secrets".equals(id) && !"pods/exec".equals(id);
    }
    throw new IllegalArgumentException("no expectation written for " + id);
  }
}
