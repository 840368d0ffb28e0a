package io.lingang.zones.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.BusinessZoneStatus;
import io.lingang.zones.api.v1alpha1.Timestamps;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.ResourceList;
import io.lingang.zones.capacity.ZoneAdmission;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A zone's status: what its admitted tenants hold and what is left, whether it is over-committed,
 * whether its trial has ended, whether a Dedicated zone's nodes are kept from every other pod, and
 * while it is being deleted, that tenants still hold it.
 */
public final class ZonePlanner {
  private static final Map<String, Transitions.Rule> RULES = new LinkedHashMap<>();

  static {
    RULES.put(Conditions.READY, Transitions.warnWhenFalse());
    RULES.put(BusinessZone.COND_OVER_COMMITTED, Transitions.warnWhenTrue());
    RULES.put(BusinessZone.COND_EXPIRED, Transitions.warnWhenTrue());
  }

  private ZonePlanner() {}

  /**
   * @param members the zone's tenants, every one
   * @param result what its admitted tenants hold ({@link ZoneAdmission})
   * @param nodes the cluster's nodes: a Dedicated zone's must be kept from every other pod ({@link ReservedNodes})
   */
  public static BusinessZoneStatus status(BusinessZone zone, List<ZoneTenant> members, ZoneAdmission.Totals result,
      Collection<Node> nodes, Instant now, Clock clock) {
    BusinessZoneStatus status = new BusinessZoneStatus();
    Long generation = zone.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    Conditions conditions = Conditions.after(zone.getStatus(), generation, clock);
    status.setTenants(result.admitted());
    // Every resource the zone offers, 0 when nothing of it is allocated.
    ResourceList none = result.capacity().minus(result.capacity());
    status.setAllocated(none.plus(result.allocated()).only(result.capacity().names()).toQuantities());
    status.setAvailable(result.capacity().minus(result.allocated()).only(result.capacity().names()).toQuantities());
    boolean over = result.capacityError() == null && !result.capacity().minus(result.allocated()).isNonNegative();
    conditions.set(BusinessZone.COND_OVER_COMMITTED, over, over ? "CapacityBelowAllocated" : "WithinCapacity",
        over ? "admitted tenants hold more than the capacity; nothing is revoked, but no tenant is admitted until it fits"
            : "admitted tenants fit the capacity");
    Optional<String> trialProblem = Optional.empty();
    Instant trialEnd = null;
    try {
      trialEnd = zone.getSpec().getTrial() == null ? null : Timestamps.parse("spec.trial.endsAt", zone.getSpec().getTrial().getEndsAt());
    } catch (Timestamps.InvalidTimeException e) {
      trialProblem = Optional.of(e.getMessage());
    }
    boolean expired = trialEnd != null && !now.isBefore(trialEnd);
    conditions.set(BusinessZone.COND_EXPIRED, expired, expired ? "TrialEnded" : trialProblem.isPresent() ? "InvalidTrialEnd" : "TrialRunning",
        trialProblem.orElse(trialEnd == null ? "the zone has no trial end"
            : expired ? "the trial ended at " + trialEnd + "; every tenant is suspended" : "the trial ends at " + trialEnd));
    conditions.health(health(zone, members, result, trialProblem, unprotected(zone, nodes)));
    status.setConditions(conditions.build());
    return status;
  }

  /** A Dedicated zone's nodes that nothing keeps other pods off. */
  static List<String> unprotected(BusinessZone zone, Collection<Node> nodes) {
    var dedicated = zone.getSpec().getDedicatedNodes();
    return zone.getSpec().getMode() != BusinessZoneSpec.Mode.Dedicated || dedicated == null ? List.of()
        : ReservedNodes.unprotected(nodes, dedicated.getNodeSelector(), dedicated.getTolerations());
  }

  private static Health health(BusinessZone zone, List<ZoneTenant> members, ZoneAdmission.Totals result,
      Optional<String> trialProblem, List<String> unprotectedNodes) {
    if (zone.getMetadata().getDeletionTimestamp() != null && !members.isEmpty()) {
      List<String> names = members.stream().map(t -> t.getMetadata().getName()).sorted().toList();
      return Health.progressing("TenantsRemain", "zone is still used by tenants " + String.join(", ", names)
          + "; it is deleted once they are gone");
    }
    if (result.capacityError() != null) {
      return Health.stalled("InvalidCapacity", result.capacityError());
    }
    if (trialProblem.isPresent()) {
      return Health.stalled("InvalidTrialEnd", trialProblem.get() + "; the trial is not enforced until it is fixed");
    }
    Optional<Health> notReserved = ReservedNodes.health(unprotectedNodes, "spec.dedicatedNodes");
    if (notReserved.isPresent()) {
      return notReserved.get();
    }
    boolean over = !result.capacity().minus(result.allocated()).isNonNegative();
    return Health.ready("Available", result.admitted() + " of " + members.size() + " tenants admitted"
        + (over ? "; over-committed: admitted tenants hold more than the capacity" : ""));
  }

  /** The zone's trial end still ahead, when the reconcile should look again without any event. */
  public static Optional<Instant> wakeUp(BusinessZone zone, Instant now) {
    Instant end = TenantPlanner.trialEnd(zone);
    return end != null && now.isBefore(end) ? Optional.of(end) : Optional.empty();
  }

  public static List<Announcement> announcements(BusinessZoneStatus before, BusinessZoneStatus now) {
    return Transitions.between(before, now, RULES);
  }
}
