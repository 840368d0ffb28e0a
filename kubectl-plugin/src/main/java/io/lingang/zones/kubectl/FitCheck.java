package io.lingang.zones.kubectl;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.EdgeAdmission;
import io.lingang.zones.capacity.ResourceList;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.plan.AllocationPlanner;
import io.lingang.zones.plan.TenantPlanner;
import io.lingang.zones.plan.TenantSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Would these objects be admitted if applied now? Asked of the operator's own code, never a copy:
 * a tenant goes through {@link ZoneAdmission#decide} and {@link TenantPlanner#plan} with its zone's
 * other tenants, exactly as {@code TenantWatches.observe} hands them over; an allocation through
 * {@link AllocationPlanner#decide} with its pool's other allocations. Pure: the caller reads the
 * cluster.
 */
final class FitCheck {
  private FitCheck() {}

  record Shortfall(String resource, String wanted, String available) {
    static Shortfall of(ResourceList.Shortfall s) {
      return new Shortfall(s.resource(), s.wanted(), s.offered() ? s.available() : "not offered");
    }
  }

  /**
   * @param target "zone NAME" or "pool NAME"
   * @param granted what it would hold (admitted only)
   * @param left what its zone would have left after it (admitted tenants only)
   */
  record Verdict(String kind, String name, String target, boolean admitted, String reason, String message,
      List<Shortfall> shortfalls, Map<String, String> granted, Map<String, String> left) {}

  /** What the cluster holds now, as the operator's caches would. */
  record World(Map<String, BusinessZone> zones, List<ZoneTenant> tenants, Map<String, EdgePool> pools,
      List<EdgeAllocation> allocations, Instant now) {}

  /** Tenants first (an allocation in the same file may depend on its tenant's admission), then allocations. */
  static List<Verdict> check(List<ZoneTenant> candidateTenants, List<EdgeAllocation> candidateAllocations, World world) {
    List<Verdict> verdicts = new ArrayList<>();
    Set<String> admittedTenants = new HashSet<>();
    world.tenants().stream().filter(ZoneTenant::isAdmitted).forEach(t -> admittedTenants.add(t.getMetadata().getName()));
    for (ZoneTenant candidate : candidateTenants) {
      TenantDecision d = tenant(candidate, candidateTenants, world);
      verdicts.add(d.verdict());
      if (d.decision() instanceof ZoneAdmission.Admitted) {
        admittedTenants.add(candidate.getMetadata().getName());
      }
    }
    for (EdgeAllocation candidate : candidateAllocations) {
      verdicts.add(allocation(candidate, candidateAllocations, admittedTenants, world));
    }
    return verdicts;
  }

  private record TenantDecision(ZoneAdmission.Decision decision, Verdict verdict) {}

  private static TenantDecision tenant(ZoneTenant file, List<ZoneTenant> candidates, World world) {
    String name = file.getMetadata().getName();
    String zoneName = file.getSpec().getZone();
    BusinessZone zone = world.zones().get(zoneName);
    ZoneTenant applied = asApplied(file, existing(world.tenants(), name));
    ZoneAdmission.Result result = null;
    ZoneAdmission.Decision admission = null;
    if (zone != null) {
      // The zone's tenants once the file is applied: every candidate of this zone replaces its namesake.
      Set<String> candidateNames = new HashSet<>();
      List<ZoneTenant> members = new ArrayList<>();
      for (ZoneTenant c : candidates) {
        if (zoneName.equals(c.getSpec().getZone())) {
          candidateNames.add(c.getMetadata().getName());
          members.add(asApplied(c, existing(world.tenants(), c.getMetadata().getName())));
        }
      }
      world.tenants().stream().filter(t -> zoneName.equals(t.getSpec().getZone()))
          .filter(t -> !candidateNames.contains(t.getMetadata().getName())).forEach(members::add);
      result = ZoneAdmission.decide(zone, members);
      admission = result.of(name);
    }
    // The planner adds what admission alone does not say (a zone that does not exist).
    ZoneAdmission.Decision decision = TenantPlanner.plan(new TenantSnapshot(applied, zone, admission, Map.of(), List.of(), Map.of(),
        Set.of(), world.now())).admission();
    String target = "zone " + zoneName;
    Verdict verdict;
    if (decision instanceof ZoneAdmission.Refused r) {
      verdict = new Verdict("ZoneTenant", name, target, false, r.reason(), r.message(), shortfalls(r.shortfalls()), Map.of(), Map.of());
    } else {
      ZoneAdmission.Admitted a = (ZoneAdmission.Admitted) decision;
      if (a.increaseRefused() != null) {
        verdict = new Verdict("ZoneTenant", name, target, false, "QuotaIncreaseRefused", a.increaseRefused(),
            shortfalls(a.increaseShortfalls()), text(a.granted()), text(result.available()));
      } else {
        verdict = new Verdict("ZoneTenant", name, target, true, "Admitted",
            (ZoneTenant.isAdmitted(applied) ? "already admitted; " : "") + "zone " + zoneName + " grants the quota",
            List.of(), text(a.granted()), text(result.available()));
      }
    }
    return new TenantDecision(decision, verdict);
  }

  private static Verdict allocation(EdgeAllocation file, List<EdgeAllocation> candidates, Set<String> admittedTenants, World world) {
    String name = file.getMetadata().getName();
    String poolName = file.getSpec().getPool();
    EdgeAllocation applied = asApplied(file, existing(world.allocations(), name));
    Set<String> candidateNames = new HashSet<>();
    List<EdgeAllocation> members = new ArrayList<>();
    for (EdgeAllocation c : candidates) {
      if (poolName.equals(c.getSpec().getPool())) {
        candidateNames.add(c.getMetadata().getName());
        members.add(asApplied(c, existing(world.allocations(), c.getMetadata().getName())));
      }
    }
    world.allocations().stream().filter(a -> poolName.equals(a.getSpec().getPool()))
        .filter(a -> !candidateNames.contains(a.getMetadata().getName())).forEach(members::add);
    EdgeAdmission.Decision d = AllocationPlanner.decide(applied, world.pools().get(poolName), members, admittedTenants, world.now());
    boolean active = d.state() == EdgeAdmission.State.Active;
    return new Verdict("EdgeAllocation", name, "pool " + poolName, active, active ? "Admitted" : d.reason(), d.message(),
        shortfalls(d.shortfalls()), active ? sorted(file.getSpec().getResources()) : Map.of(), Map.of());
  }

  /** The object as the operator would see it after an apply: the file's spec on the existing object's metadata and status. */
  static ZoneTenant asApplied(ZoneTenant file, ZoneTenant existing) {
    ZoneTenant t = new ZoneTenant();
    t.setMetadata(existing != null ? existing.getMetadata() : newObject(file.getMetadata()));
    t.setSpec(file.getSpec());
    t.setStatus(existing != null ? existing.getStatus() : null);
    return t;
  }

  static EdgeAllocation asApplied(EdgeAllocation file, EdgeAllocation existing) {
    EdgeAllocation a = new EdgeAllocation();
    a.setMetadata(existing != null ? existing.getMetadata() : newObject(file.getMetadata()));
    a.setSpec(file.getSpec());
    a.setStatus(existing != null ? existing.getStatus() : null);
    return a;
  }

  /** A new object has no creation time yet: it is the youngest, and waits behind every older one. */
  private static ObjectMeta newObject(ObjectMeta fromFile) {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(fromFile.getName());
    meta.setLabels(fromFile.getLabels());
    return meta;
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T existing(List<T> list, String name) {
    return list.stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst().orElse(null);
  }

  private static List<Shortfall> shortfalls(List<ResourceList.Shortfall> list) {
    return list.stream().map(Shortfall::of).toList();
  }

  private static Map<String, String> text(ResourceList list) {
    Map<String, String> out = new LinkedHashMap<>();
    list.toQuantities().forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  private static Map<String, String> sorted(Map<String, Quantity> map) {
    Map<String, String> out = new TreeMap<>();
    if (map != null) {
      map.forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    return out;
  }
}
