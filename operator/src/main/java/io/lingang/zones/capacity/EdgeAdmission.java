package io.lingang.zones.capacity;

import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides, for one edge pool, which allocations hold capacity now. Pure, like
 * {@link ZoneAdmission}: an allocation is considered only inside its window; admitted ones keep
 * their grant even when the pool shrinks; waiting ones are admitted oldest first (creation time,
 * then name) while they fit.
 */
public final class EdgeAdmission {
  private EdgeAdmission() {}

  public enum State {
    /** Before startsAt: nothing is granted yet. */
    Pending,
    /** Holds its resources now. */
    Active,
    /** Does not fit, or its tenant is not admitted. */
    Refused,
    /** After endsAt: capacity has returned to the pool. */
    Expired
  }

  /** @param shortfalls what the pool lacks, resource by resource (empty unless InsufficientCapacity) */
  public record Decision(State state, String reason, String message, List<ResourceList.Shortfall> shortfalls) {
    public Decision(State state, String reason, String message) {
      this(state, reason, message, List.of());
    }
  }

  public record Result(Map<String, Decision> decisions, ResourceList capacity, ResourceList allocated) {
    public Decision of(String allocation) {
      return decisions.get(allocation);
    }
  }

  /**
   * @param capacity what the pool can hand out now
   * @param allocations the pool's allocations
   * @param admittedTenants tenants that exist and are admitted to a zone
   * @param wasActive whether an allocation held its grant before (its status says Admitted)
   */
  public static Result decide(String pool, ResourceList capacity, Collection<EdgeAllocation> allocations,
      Set<String> admittedTenants, Predicate<EdgeAllocation> wasActive, Instant now) {
    List<EdgeAllocation> ordered = allocations.stream()
        .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing((EdgeAllocation a) -> created(a)).thenComparing(a -> a.getMetadata().getName()))
        .toList();
    Map<String, Decision> decisions = new LinkedHashMap<>();
    ResourceList allocated = ResourceList.EMPTY;
    List<EdgeAllocation> waiting = new ArrayList<>();
    Map<String, ResourceList> requested = new LinkedHashMap<>();

    for (EdgeAllocation a : ordered) {
      String name = a.getMetadata().getName();
      Instant start;
      Instant end;
      try {
        start = Timestamps.parse("spec.window.startsAt", a.getSpec().getWindow() == null ? null : a.getSpec().getWindow().getStartsAt());
        end = Timestamps.parse("spec.window.endsAt", a.getSpec().getWindow() == null ? null : a.getSpec().getWindow().getEndsAt());
      } catch (Timestamps.InvalidTimeException e) {
        // One allocation's bad date refuses that allocation alone, never its peers.
        decisions.put(name, new Decision(State.Refused, "InvalidWindow", e.getMessage() + "; fix spec.window"));
        continue;
      }
      if (end != null && !now.isBefore(end)) {
        decisions.put(name, new Decision(State.Expired, "WindowEnded", "the window ended at " + end + "; capacity returned to pool " + pool));
        continue;
      }
      if (start != null && now.isBefore(start)) {
        decisions.put(name, new Decision(State.Pending, "WindowNotStarted", "nothing is granted before " + start));
        continue;
      }
      if (!admittedTenants.contains(a.getSpec().getTenant())) {
        decisions.put(name, new Decision(State.Refused, "TenantNotAdmitted",
            "ZoneTenant " + a.getSpec().getTenant() + " does not exist or is not admitted to a zone"));
        continue;
      }
      ResourceList wants;
      try {
        wants = ResourceList.of(a.getSpec().getResources());
      } catch (InvalidQuantityException e) {
        decisions.put(name, new Decision(State.Refused, "InvalidQuantity", "spec.resources." + e.getMessage()));
        continue;
      }
      requested.put(name, wants);
      if (wasActive.test(a)) {
        allocated = allocated.plus(wants);
        decisions.put(name, active(pool));
      } else {
        waiting.add(a);
      }
    }
    for (EdgeAllocation a : waiting) {
      String name = a.getMetadata().getName();
      ResourceList wants = requested.get(name);
      List<ResourceList.Shortfall> missing = capacity.minus(allocated).shortfalls(wants);
      if (missing.isEmpty()) {
        allocated = allocated.plus(wants);
        decisions.put(name, active(pool));
      } else {
        decisions.put(name, new Decision(State.Refused, "InsufficientCapacity", "pool " + pool + " is short: "
            + ZoneAdmission.describe(missing) + " (the pool's status.available says how much is); it is admitted by itself"
            + " once capacity frees up", missing));
      }
    }
    return new Result(decisions, capacity, allocated);
  }

  private static Decision active(String pool) {
    return new Decision(State.Active, "Admitted", "granted from pool " + pool);
  }

  private static Instant created(EdgeAllocation a) {
    String ts = a.getMetadata().getCreationTimestamp();
    return ts == null ? Instant.MAX : Instant.parse(ts);
  }
}
