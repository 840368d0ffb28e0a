package io.lingang.zones.plan;

import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.ZoneAdmission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one reconcile of a ZoneTenant read from the caches, once, before deciding anything.
 *
 * @param zone the tenant's zone, or null when it does not exist
 * @param admission the zone's decision about this tenant (null when there is no zone)
 * @param links the DataLinks the tenant names that exist, by name
 * @param allocations the tenant's EdgeAllocations, by name
 * @param pools the EdgePools of those allocations that exist, by name
 * @param namespaces the names of the namespaces the operator made for this tenant (cached)
 * @param now the time the decisions are made for
 */
public record TenantSnapshot(
    ZoneTenant tenant,
    BusinessZone zone,
    ZoneAdmission.Decision admission,
    Map<String, DataLink> links,
    List<EdgeAllocation> allocations,
    Map<String, EdgePool> pools,
    Set<String> namespaces,
    Instant now) {

  public String name() {
    return tenant.getMetadata().getName();
  }
}
