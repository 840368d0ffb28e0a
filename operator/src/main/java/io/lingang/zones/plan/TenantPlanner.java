package io.lingang.zones.plan;

import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.NodePlacement;
import io.lingang.zones.api.v1alpha1.Timestamps;
import io.lingang.zones.capacity.InvalidQuantityException;
import io.lingang.zones.capacity.ResourceList;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.desired.EdgeNamespace;
import io.lingang.zones.desired.TenantInputs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Decides, from a snapshot alone, what a ZoneTenant should have: a pure function, unit-tested. */
public final class TenantPlanner {
  private TenantPlanner() {}

  public static TenantPlan plan(TenantSnapshot s) {
    List<String> allocationNames = s.allocations().stream().map(a -> a.getMetadata().getName()).sorted().toList();
    if (s.zone() == null) {
      return new TenantPlan(new ZoneAdmission.Refused("ZoneNotFound", "BusinessZone " + s.tenant().getSpec().getZone()
          + " does not exist yet; create it, or fix spec.zone by recreating the tenant"), null,
          new TenantPlan.Suspension(false, false, null), allocationNames, Optional.empty());
    }
    Instant trialEnd = trialEnd(s.zone());
    boolean expired = trialEnd != null && !s.now().isBefore(trialEnd);
    var suspension = new TenantPlan.Suspension(Boolean.TRUE.equals(s.tenant().getSpec().getSuspended()), expired, trialEnd);
    Optional<Instant> wakeUp = trialEnd != null && !expired ? Optional.of(trialEnd) : Optional.empty();
    if (!(s.admission() instanceof ZoneAdmission.Admitted admitted)) {
      return new TenantPlan(s.admission(), null, suspension, allocationNames, wakeUp);
    }
    TenantInputs inputs = new TenantInputs(s.tenant(), s.zone(), admitted.namespaceQuotas(), s.links(),
        suspension.suspended(), edgeNamespaces(s), allocationNames);
    return new TenantPlan(admitted, inputs, suspension, allocationNames, wakeUp);
  }

  /** The zone's trial end; a time that does not parse is the zone's to report, and means no trial here. */
  static Instant trialEnd(BusinessZone zone) {
    var trial = zone.getSpec().getTrial();
    try {
      return trial == null ? null : Timestamps.parse("spec.trial.endsAt", trial.getEndsAt());
    } catch (Timestamps.InvalidTimeException e) {
      return null;
    }
  }

  /**
   * One edge namespace per pool where an allocation of the tenant is active. Once made, it stays
   * as long as the tenant does, closed to new pods while no allocation on the pool is active (all
   * expired, refused or deleted), its data kept: it goes with the tenant, by its deletionPolicy.
   * A restore brings the tenant back before its allocations and pools, or after: either way the
   * namespace is taken back, never let go of meanwhile. Without its pool it is not pinned (it
   * takes no new pods).
   */
  static Map<String, EdgeNamespace> edgeNamespaces(TenantSnapshot s) {
    Map<String, List<EdgeAllocation>> byPool = s.allocations().stream()
        .collect(Collectors.groupingBy(a -> a.getSpec().getPool(), TreeMap::new, Collectors.toList()));
    s.namespaces().forEach(ns -> EdgeAllocation.poolOfNamespace(s.name(), ns)
        .ifPresent(pool -> byPool.putIfAbsent(pool, List.of())));
    Map<String, EdgeNamespace> result = new TreeMap<>();
    byPool.forEach((poolName, list) -> {
      EdgePool pool = s.pools().get(poolName);
      List<EdgeAllocation> active = list.stream().filter(EdgeAllocation::isActive).toList();
      boolean expired = list.stream().anyMatch(EdgeAllocation::isExpired);
      String name = EdgeAllocation.namespaceOf(s.name(), poolName);
      boolean exists = s.namespaces().contains(name);
      if (!exists && (pool == null || (active.isEmpty() && !expired))) {
        return;
      }
      ResourceList granted = pool == null ? ResourceList.EMPTY : active.stream().map(a -> readable(a.getSpec().getResources()))
          .reduce(ResourceList.EMPTY, ResourceList::plus);
      NodePlacement placement = null;
      if (pool != null) {
        placement = new NodePlacement();
        placement.setNodeSelector(pool.getSpec().getNodeSelector());
        placement.setTolerations(pool.getSpec().getTolerations());
      }
      result.put(name, new EdgeNamespace(poolName, placement, granted, pool == null || active.isEmpty()));
    });
    return result;
  }

  /** An admitted allocation's resources were read when it was admitted; unreadable now grants nothing. */
  private static ResourceList readable(Map<String, io.fabric8.kubernetes.api.model.Quantity> resources) {
    try {
      return ResourceList.of(resources);
    } catch (InvalidQuantityException e) {
      return ResourceList.EMPTY;
    }
  }
}
