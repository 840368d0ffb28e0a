package io.lingang.zones.plan;

import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgeAllocationStatus;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.Timestamps;
import io.lingang.zones.capacity.EdgeAdmission;
import io.lingang.zones.capacity.InvalidQuantityException;
import io.lingang.zones.capacity.ResourceList;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** An edge allocation's admission against its pool, its status and its events: pure. */
public final class AllocationPlanner {
  /** Refusals that end by themselves: capacity frees up, the tenant is admitted, the pool is created. */
  private static final Set<String> WAITING = Set.of("InsufficientCapacity", "TenantNotAdmitted", "PoolNotFound");

  private AllocationPlanner() {}

  /**
   * @param pool the allocation's pool, or null when it does not exist
   * @param members every allocation of that pool, this one included
   * @param admittedTenants the names of the tenants that exist and are admitted
   */
  public static EdgeAdmission.Decision decide(EdgeAllocation allocation, EdgePool pool, List<EdgeAllocation> members,
      Set<String> admittedTenants, Instant now) {
    if (pool == null) {
      return new EdgeAdmission.Decision(EdgeAdmission.State.Refused, "PoolNotFound",
          "EdgePool " + allocation.getSpec().getPool() + " does not exist yet; create it, or recreate the allocation with another pool");
    }
    ResourceList capacity;
    try {
      capacity = pool.getStatus() == null || pool.getStatus().getCapacity() == null ? ResourceList.EMPTY
          : ResourceList.of(pool.getStatus().getCapacity());
    } catch (InvalidQuantityException e) {
      return new EdgeAdmission.Decision(EdgeAdmission.State.Refused, "PoolCapacityInvalid", "the pool's capacity." + e.getMessage());
    }
    List<EdgeAllocation> all = new ArrayList<>(members.stream()
        .filter(a -> !a.getMetadata().getName().equals(allocation.getMetadata().getName())).toList());
    all.add(allocation);
    return EdgeAdmission.decide(pool.getMetadata().getName(), capacity, all, admittedTenants, EdgeAllocation::isActive, now)
        .of(allocation.getMetadata().getName());
  }

  public static EdgeAllocationStatus status(EdgeAllocation allocation, EdgeAdmission.Decision decision, Clock clock) {
    EdgeAllocationStatus status = new EdgeAllocationStatus();
    Long generation = allocation.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    boolean active = decision.state() == EdgeAdmission.State.Active;
    boolean expired = decision.state() == EdgeAdmission.State.Expired;
    String namespace = EdgeAllocation.namespaceOf(allocation);
    Conditions conditions = Conditions.after(allocation.getStatus(), generation, clock)
        .set(EdgeAllocation.COND_ADMITTED, active, decision.reason(), decision.message());
    conditions.set(EdgeAllocation.COND_EXPIRED, expired, expired ? "WindowEnded" : "WindowOpen",
        expired ? decision.message() : "the allocation has not expired");
    conditions.health(switch (decision.state()) {
      case Active -> Health.ready("Granted", "granted in namespace " + namespace);
      case Pending -> Health.progressing(decision.reason(), decision.message());
      // Nothing left to do: kstatus reads it Current, and Expired=True says what happened.
      case Expired -> Health.ready(decision.reason(), decision.message());
      case Refused -> WAITING.contains(decision.reason())
          ? Health.progressing(decision.reason(), decision.message())
          : Health.stalled(decision.reason(), decision.message());
    });
    status.setConditions(conditions.build());
    if (active || expired) {
      status.setNamespace(namespace);
    }
    return status;
  }

  /** The next window start or end still ahead: the reconcile acts then without waiting for an event. */
  public static Optional<Instant> nextBoundary(EdgeAllocation allocation, Instant now) {
    var window = allocation.getSpec().getWindow();
    if (window == null) {
      return Optional.empty();
    }
    try {
      return Stream.of(Timestamps.parse("startsAt", window.getStartsAt()), Timestamps.parse("endsAt", window.getEndsAt()))
          .filter(Objects::nonNull).filter(now::isBefore).min(Instant::compareTo);
    } catch (Timestamps.InvalidTimeException e) {
      return Optional.empty();
    }
  }

  /** One event per change of the Admitted condition's reason: the decision changed. */
  public static List<Announcement> announcements(EdgeAllocationStatus before, EdgeAllocationStatus now) {
    return Transitions.between(before, now, Map.of(EdgeAllocation.COND_ADMITTED, (was, c) -> Optional.of(
        "True".equals(c.getStatus()) ? Announcement.normal("Admitted", c.getMessage())
            : "WindowNotStarted".equals(c.getReason()) || "WindowEnded".equals(c.getReason())
                ? Announcement.normal(c.getReason(), c.getMessage())
                : Announcement.warning(c.getReason(), c.getMessage()))));
  }
}
