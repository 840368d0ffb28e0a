package io.lingang.zones.capacity;

import io.fabric8.kubernetes.api.model.Quantity;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides, for one zone, which tenants are admitted and what each is granted. A pure function of
 * the zone and its tenants, so every reconciler that asks gets the same answer from the same cache:
 *
 * <ul>
 *   <li>Admitted tenants stay admitted, whatever happens to the zone's capacity (OverCommitted,
 *       or even unreadable).
 *   <li>A quota change of an admitted tenant is granted if it shrinks or fits; otherwise the
 *       previous grant stays in force.
 *   <li>Waiting tenants are considered oldest first (creation time, then name); each that fits
 *       what is left is admitted. A Dedicated zone admits one tenant; a zone being deleted none.
 * </ul>
 */
public final class ZoneAdmission {
  private ZoneAdmission() {}

  /** What one tenant was told. */
  public sealed interface Decision permits Admitted, Refused {}

  /**
   * @param granted the quota in force (counts against the zone)
   * @param namespaceQuotas that quota split over the tenant's namespaces
   * @param increaseRefused why the spec's quota is not granted (so {@code granted} is the previous
   *     one), or null
   * @param waitsForCapacity the spec's quota is fine but does not fit yet: it may later by itself
   * @param increaseShortfalls what the zone lacks for the larger quota (empty unless it waits for capacity)
   */
  public record Admitted(ResourceList granted, Map<String, ResourceList> namespaceQuotas, String increaseRefused,
      boolean waitsForCapacity, List<ResourceList.Shortfall> increaseShortfalls) implements Decision {
    Admitted(ResourceList granted, Map<String, ResourceList> namespaceQuotas) {
      this(granted, namespaceQuotas, null, false, List.of());
    }
  }

  /** @param shortfalls what the zone lacks, resource by resource (empty unless InsufficientCapacity) */
  public record Refused(String reason, String message, List<ResourceList.Shortfall> shortfalls) implements Decision {
    public Refused(String reason, String message) {
      this(reason, message, List.of());
    }
  }

  /**
   * @param capacityError why the zone's capacity cannot be read, or null
   */
  public record Result(
      Map<String, Decision> decisions, ResourceList capacity, ResourceList allocated, int admitted, String capacityError) {
    public Decision of(String tenant) {
      return decisions.get(tenant);
    }

    public ResourceList available() {
      return capacity.minus(allocated).only(capacity.names());
    }

    public boolean overCommitted() {
      return !available().isNonNegative();
    }
  }

  /**
   * Never throws for what a zone or tenant says: an unreadable capacity or quota becomes a refusal
   * with a reason, and a tenant already admitted keeps its grant whatever the zone now says.
   */
  public static Result decide(BusinessZone zone, Collection<ZoneTenant> tenants) {
    BusinessZoneSpec spec = zone.getSpec();
    String zoneName = zone.getMetadata().getName();
    ResourceList capacity;
    String capacityError = null;
    try {
      capacity = ResourceList.of(spec.getCapacity());
    } catch (InvalidQuantityException e) {
      capacity = ResourceList.EMPTY;
      capacityError = "zone " + zoneName + " has an invalid capacity: spec.capacity." + e.getMessage();
    }
    Requested defaults = defaults(spec);
    boolean dedicated = spec.getMode() == BusinessZoneSpec.Mode.Dedicated;
    boolean terminating = zone.getMetadata().getDeletionTimestamp() != null;

    // Each tenant's creation time is parsed once; the order is oldest first, then by name.
    List<Map.Entry<Instant, ZoneTenant>> byAge = new ArrayList<>();
    for (ZoneTenant t : tenants) {
      if (t.getMetadata().getDeletionTimestamp() == null) {
        byAge.add(Map.entry(created(t), t));
      }
    }
    byAge.sort(Map.Entry.<Instant, ZoneTenant>comparingByKey().thenComparing(e -> e.getValue().getMetadata().getName()));

    Map<String, Decision> decisions = new LinkedHashMap<>();
    ResourceList allocated = ResourceList.EMPTY;
    List<ZoneTenant> waiting = new ArrayList<>();
    List<String> admittedNames = new ArrayList<>();
    // Tenants already admitted keep their grant; they are counted first.
    Map<String, ResourceList> previousGrants = new LinkedHashMap<>();
    for (Map.Entry<Instant, ZoneTenant> e : byAge) {
      ZoneTenant t = e.getValue();
      ResourceList previous = previousGrant(t);
      if (previous != null) {
        previousGrants.put(t.getMetadata().getName(), previous);
        allocated = allocated.plus(previous);
      } else {
        waiting.add(t);
      }
    }
    for (Map.Entry<Instant, ZoneTenant> e : byAge) {
      ZoneTenant t = e.getValue();
      String name = t.getMetadata().getName();
      ResourceList previous = previousGrants.get(name);
      if (previous == null) {
        continue;
      }
      admittedNames.add(name);
      Requested requested = requested(t, defaults, capacity);
      String keep = capacityError != null ? capacityError
          : requested.refusal != null ? requested.refusal.message() : null;
      if (keep != null) {
        decisions.put(name, new Admitted(previous, split(t, previous), keep + "; the previous quota stays in force", false, List.of()));
        continue;
      }
      ResourceList others = allocated.minus(previous);
      boolean shrinks = previous.covers(requested.quota);
      if (shrinks || capacity.minus(others).covers(requested.quota)) {
        allocated = others.plus(requested.quota);
        decisions.put(name, new Admitted(requested.quota, requested.namespaceQuotas));
      } else {
        List<ResourceList.Shortfall> missing = capacity.minus(others).shortfalls(requested.quota);
        decisions.put(name, new Admitted(previous, split(t, previous),
            "the larger quota does not fit the zone: " + describe(missing) + "; the previous quota stays in force", true, missing));
      }
    }

    for (ZoneTenant t : waiting) {
      String name = t.getMetadata().getName();
      if (terminating) {
        decisions.put(name, new Refused("ZoneTerminating", "zone " + zoneName + " is being deleted and admits no tenants"));
        continue;
      }
      if (capacityError != null) {
        decisions.put(name, new Refused("ZoneCapacityInvalid", capacityError + "; nothing is admitted until it is fixed"));
        continue;
      }
      Requested requested = requested(t, defaults, capacity);
      if (requested.refusal != null) {
        decisions.put(name, requested.refusal);
        continue;
      }
      if (dedicated && !admittedNames.isEmpty()) {
        // Which tenant holds the zone is that tenant's fact, not this one's to read.
        decisions.put(name, new Refused("ZoneDedicated", "zone " + zoneName
            + " is Dedicated and already admits another tenant; choose a Shared zone or another Dedicated zone"));
        continue;
      }
      List<ResourceList.Shortfall> missing = capacity.minus(allocated).shortfalls(requested.quota);
      if (missing.isEmpty()) {
        allocated = allocated.plus(requested.quota);
        admittedNames.add(name);
        decisions.put(name, new Admitted(requested.quota, requested.namespaceQuotas));
      } else {
        decisions.put(name, new Refused("InsufficientCapacity", "zone " + zoneName
            + " cannot fit this tenant's quota: " + describe(missing)
            + "; lower spec.quota, raise the zone's capacity, or wait for another tenant to leave", missing));
      }
    }
    return new Result(decisions, capacity, allocated, admittedNames.size(), capacityError);
  }

  /** The zone's tenantDefaults.quota, or the refusal every tenant relying on it gets. */
  private static Requested defaults(BusinessZoneSpec spec) {
    try {
      return new Requested(spec.getTenantDefaults() == null ? ResourceList.EMPTY
          : ResourceList.of(spec.getTenantDefaults().getQuota()), null, null);
    } catch (InvalidQuantityException e) {
      return Requested.refused("InvalidQuantity", "the zone's tenantDefaults.quota." + e.getMessage());
    }
  }

  private record Requested(ResourceList quota, Map<String, ResourceList> namespaceQuotas, Refused refusal) {
    static Requested refused(String reason, String message) {
      return new Requested(null, null, new Refused(reason, message));
    }
  }

  private static Requested requested(ZoneTenant t, Requested defaults, ResourceList capacity) {
    Map<String, Quantity> own = t.getSpec().getQuota();
    ResourceList quota;
    if (own == null || own.isEmpty()) {
      if (defaults.refusal != null) {
        return defaults;
      }
      quota = defaults.quota;
    } else {
      try {
        quota = ResourceList.of(own);
      } catch (InvalidQuantityException e) {
        return Requested.refused("InvalidQuantity", "spec.quota." + e.getMessage());
      }
    }
    if (quota.isEmpty()) {
      return Requested.refused("NoQuota", "the tenant has no quota: set spec.quota, or tenantDefaults.quota on the zone");
    }
    List<String> uncapped = capacity.names().stream().filter(r -> !quota.has(r)).toList();
    if (!uncapped.isEmpty()) {
      return Requested.refused("QuotaIncomplete", "the quota must set every resource the zone's capacity caps; missing: "
          + String.join(", ", uncapped));
    }
    try {
      return new Requested(quota, NamespaceQuotas.split(t.getMetadata().getName(), t.getSpec().getNamespaces(), quota), null);
    } catch (InvalidQuantityException e) {
      return Requested.refused("InvalidQuantity", "spec." + e.getMessage());
    } catch (NamespaceQuotas.QuotaSplitException e) {
      return Requested.refused("NamespaceQuotaExceedsTenant", e.getMessage());
    }
  }

  private static Map<String, ResourceList> split(ZoneTenant t, ResourceList grant) {
    try {
      return NamespaceQuotas.split(t.getMetadata().getName(), t.getSpec().getNamespaces(), grant);
    } catch (IllegalArgumentException e) {
      // The namespaces' own quotas no longer fit the previous grant: share it evenly instead.
      return NamespaceQuotas.split(t.getMetadata().getName(), t.getSpec().getNamespaces().stream()
          .map(ns -> new io.lingang.zones.api.v1alpha1.TenantNamespace(ns.getName(), null)).toList(), grant);
    }
  }

  /** The grant recorded in the tenant's status when it is admitted, else null. */
  private static ResourceList previousGrant(ZoneTenant t) {
    if (t.getStatus() == null || !t.getStatus().isTrue(ZoneTenant.COND_ADMITTED) || t.getStatus().getGrantedQuota() == null) {
      return null;
    }
    try {
      return ResourceList.of(t.getStatus().getGrantedQuota());
    } catch (InvalidQuantityException e) {
      return null;
    }
  }

  private static Instant created(ZoneTenant t) {
    String ts = t.getMetadata().getCreationTimestamp();
    return ts == null ? Instant.MAX : Instant.parse(ts);
  }


  static String describe(List<ResourceList.Shortfall> missing) {
    return missing.stream().map(ResourceList.Shortfall::describe).collect(Collectors.joining("; "));
  }
}
