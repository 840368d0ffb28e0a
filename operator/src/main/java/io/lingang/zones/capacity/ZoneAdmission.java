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
      return totals().available();
    }

    public boolean overCommitted() {
      return totals().overCommitted();
    }

    public Totals totals() {
      return new Totals(capacity, allocated, admitted, capacityError);
    }
  }

  /**
   * What a zone's admitted tenants hold against its capacity.
   *
   * @param capacityError why the zone's capacity cannot be read, or null
   */
  public record Totals(ResourceList capacity, ResourceList allocated, int admitted, String capacityError) {
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
    Terms terms = Terms.of(zone);
    List<Member> byAge = new ArrayList<>();
    for (ZoneTenant t : tenants) {
      if (t.getMetadata().getDeletionTimestamp() == null) {
        byAge.add(Member.of(terms, t));
      }
    }
    byAge.sort(Member.BY_AGE);
    Pass pass = Pass.over(terms, byAge);
    return new Result(pass.decisions, terms.capacity, pass.allocated, pass.admitted, terms.capacityError);
  }

  /** What a zone's spec says, read once: its capacity, tenant defaults, mode and whether it is going. */
  public record Terms(String zoneName, ResourceList capacity, String capacityError, Requested defaults, boolean dedicated,
      boolean terminating) {
    public static Terms of(BusinessZone zone) {
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
      return new Terms(zoneName, capacity, capacityError, ZoneAdmission.defaults(spec), spec.getMode() == BusinessZoneSpec.Mode.Dedicated,
          zone.getMetadata().getDeletionTimestamp() != null);
    }
  }

  /**
   * One tenant as admission sees it, parsed once: its age, what it asks for under the zone's
   * terms, and the grant its status records (null while it waits).
   */
  public record Member(String name, Instant created, ZoneTenant tenant, Requested requested, ResourceList previous) {
    /** Oldest first, then by name: the order in which waiting tenants are considered. */
    public static final java.util.Comparator<Member> BY_AGE =
        java.util.Comparator.comparing(Member::created).thenComparing(Member::name);

    public static Member of(Terms terms, ZoneTenant t) {
      return new Member(t.getMetadata().getName(), ZoneAdmission.created(t), t,
          ZoneAdmission.requested(t, terms.defaults, terms.capacity), previousGrant(t));
    }

    public boolean waiting() {
      return previous == null;
    }
  }

  /**
   * One pass over a zone's members, oldest first: those already admitted keep or change their
   * grant, then those waiting are admitted while they fit. {@link #admitWaiting} is the step for
   * one waiting member, so that a tenant newer than all others can be decided on its own.
   */
  public static final class Pass {
    private final Terms terms;
    private final Map<String, Decision> decisions = new LinkedHashMap<>();
    private ResourceList allocated = ResourceList.EMPTY;
    private int admitted;

    private Pass(Terms terms) {
      this.terms = terms;
    }

    public static Pass over(Terms terms, List<Member> byAge) {
      Pass pass = new Pass(terms);
      for (Member m : byAge) {
        if (!m.waiting()) {
          pass.allocated = pass.allocated.plus(m.previous);
        }
      }
      for (Member m : byAge) {
        if (!m.waiting()) {
          pass.keepOrChange(m);
        }
      }
      for (Member m : byAge) {
        if (m.waiting()) {
          pass.admitWaiting(m);
        }
      }
      return pass;
    }

    public Map<String, Decision> decisions() {
      return decisions;
    }

    public ResourceList allocated() {
      return allocated;
    }

    public int admitted() {
      return admitted;
    }

    public Terms terms() {
      return terms;
    }

    /** Forgets a member whose decision no one else's depends on (see ZoneLedger). */
    public void forget(String name) {
      Decision d = decisions.remove(name);
      if (d instanceof Admitted a) {
        allocated = allocated.minus(a.granted());
        admitted--;
      }
    }

    /** An admitted tenant keeps its grant, or gets its new quota if it shrinks or fits. */
    private void keepOrChange(Member m) {
      ResourceList previous = m.previous;
      admitted++;
      Requested requested = m.requested;
      String keep = terms.capacityError != null ? terms.capacityError
          : requested.refusal != null ? requested.refusal.message() : null;
      if (keep != null) {
        decisions.put(m.name, new Admitted(previous, split(m.tenant, previous), keep + "; the previous quota stays in force", false,
            List.of()));
        return;
      }
      ResourceList others = allocated.minus(previous);
      if (previous.covers(requested.quota) || terms.capacity.minus(others).covers(requested.quota)) {
        allocated = others.plus(requested.quota);
        decisions.put(m.name, new Admitted(requested.quota, requested.namespaceQuotas));
      } else {
        List<ResourceList.Shortfall> missing = terms.capacity.minus(others).shortfalls(requested.quota);
        decisions.put(m.name, new Admitted(previous, split(m.tenant, previous),
            "the larger quota does not fit the zone: " + describe(missing)
            + " (the zone's status.available says how much is); the previous quota stays in force", true, missing));
      }
    }

    /** A waiting tenant is admitted if it fits what is left after everyone before it. */
    public Decision admitWaiting(Member m) {
      Decision d = waitingDecision(m);
      decisions.put(m.name, d);
      if (d instanceof Admitted a) {
        allocated = allocated.plus(a.granted());
        admitted++;
      }
      return d;
    }

    private Decision waitingDecision(Member m) {
      String zoneName = terms.zoneName;
      if (terms.terminating) {
        return new Refused("ZoneTerminating", "zone " + zoneName + " is being deleted and admits no tenants");
      }
      if (terms.capacityError != null) {
        return new Refused("ZoneCapacityInvalid", terms.capacityError + "; nothing is admitted until it is fixed");
      }
      if (m.requested.refusal != null) {
        return m.requested.refusal;
      }
      if (terms.dedicated && admitted > 0) {
        // Which tenant holds the zone is that tenant's fact, not this one's to read.
        return new Refused("ZoneDedicated", "zone " + zoneName
            + " is Dedicated and already admits another tenant; choose a Shared zone or another Dedicated zone");
      }
      List<ResourceList.Shortfall> missing = terms.capacity.minus(allocated).shortfalls(m.requested.quota);
      if (missing.isEmpty()) {
        return new Admitted(m.requested.quota, m.requested.namespaceQuotas);
      }
      return new Refused("InsufficientCapacity", "zone " + zoneName
          + " cannot fit this tenant's quota: " + describe(missing)
          + " (the zone's status.available says how much is); lower spec.quota, raise the zone's capacity, or wait for another tenant to leave", missing);
    }
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

  /** What a tenant asks for, or why it cannot be considered. */
  public record Requested(ResourceList quota, Map<String, ResourceList> namespaceQuotas, Refused refusal) {
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
