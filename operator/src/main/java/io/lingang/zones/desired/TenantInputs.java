package io.lingang.zones.desired;

import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.ResourceList;
import java.util.Map;

/**
 * Everything a tenant's desired objects depend on, read from caches by the reconciler.
 *
 * @param namespaceQuotas the admitted quota per namespace name, in declaration order
 * @param links the DataLinks that exist, by name (only those the tenant names matter)
 * @param suspended whether no new pods may start (spec.suspended or an expired trial)
 * @param edgeNamespaces the tenant's edge namespaces by name, from its granted allocations
 * @param allocationNames the tenant's EdgeAllocations, which its admins and viewers may read
 */
public record TenantInputs(
    ZoneTenant tenant,
    BusinessZone zone,
    Map<String, ResourceList> namespaceQuotas,
    Map<String, DataLink> links,
    boolean suspended,
    Map<String, EdgeNamespace> edgeNamespaces,
    java.util.List<String> allocationNames) {

  public String tenantName() {
    return tenant.getMetadata().getName();
  }

  public String zoneName() {
    return zone.getMetadata().getName();
  }
}
