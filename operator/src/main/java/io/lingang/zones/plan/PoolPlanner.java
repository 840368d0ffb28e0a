package io.lingang.zones.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.EdgePoolStatus;
import io.lingang.zones.capacity.EdgeCapacity;
import io.lingang.zones.capacity.InvalidQuantityException;
import io.lingang.zones.capacity.ResourceList;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An edge pool against its real nodes: which match, are Ready and schedulable, what they can give,
 * what active allocations hold, and whether a taint keeps every other pod off them ({@link ReservedNodes}).
 */
public final class PoolPlanner {
  private PoolPlanner() {}

  public static EdgePoolStatus status(EdgePool pool, Collection<Node> nodes, List<EdgeAllocation> members, Clock clock) {
    EdgePoolStatus status = new EdgePoolStatus();
    Long generation = pool.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    Conditions conditions = Conditions.after(pool.getStatus(), generation, clock);
    try {
      EdgeCapacity.PoolCapacity capacity = EdgeCapacity.of(pool, nodes);
      // The allocation reconciler decides admission; the pool counts what it granted.
      ResourceList allocated = members.stream().filter(EdgeAllocation::isActive)
          .map(a -> readable(a.getSpec().getResources())).reduce(ResourceList.EMPTY, ResourceList::plus);
      ResourceList none = capacity.capacity().minus(capacity.capacity());
      ResourceList available = capacity.capacity().minus(allocated).only(capacity.capacity().names());
      boolean over = !available.isNonNegative() || !capacity.capacity().covers(allocated);
      status.setNodes(capacity.nodes());
      status.setCapacity(capacity.capacity().isEmpty() ? null : capacity.capacity().toQuantities());
      status.setAllocated(none.plus(allocated).isEmpty() ? null : none.plus(allocated).toQuantities());
      status.setAvailable(available.isEmpty() ? null : available.toQuantities());
      conditions.set(EdgePool.COND_OVER_COMMITTED, over, over ? "CapacityBelowAllocated" : "WithinCapacity",
          over ? "active allocations hold more than the pool has; nothing is revoked" : "active allocations fit the pool");
      boolean fixed = pool.getSpec().getCapacity() != null && !pool.getSpec().getCapacity().isEmpty();
      List<String> unprotected = ReservedNodes.unprotected(nodes, pool.getSpec().getNodeSelector(), pool.getSpec().getTolerations());
      conditions.health(ReservedNodes.health(unprotected, "spec").orElse(capacity.nodes() > 0 || fixed
          ? Health.ready("NodesAvailable", capacity.nodes() + " Ready, schedulable nodes match the selector")
          : Health.progressing("NoNodes", "no Ready, schedulable node matches spec.nodeSelector "
              + pool.getSpec().getNodeSelector() + " yet")));
    } catch (InvalidQuantityException e) {
      conditions.set(EdgePool.COND_OVER_COMMITTED, false, "Unknown", "the capacity cannot be read");
      conditions.health(Health.stalled("InvalidCapacity", "spec.capacity." + e.getMessage()));
    }
    status.setConditions(conditions.build());
    return status;
  }

  private static ResourceList readable(Map<String, io.fabric8.kubernetes.api.model.Quantity> resources) {
    try {
      return ResourceList.of(resources);
    } catch (InvalidQuantityException e) {
      return ResourceList.EMPTY;
    }
  }

  public static List<Announcement> announcements(EdgePoolStatus before, EdgePoolStatus now) {
    return Transitions.between(before, now, Map.of(EdgePool.COND_OVER_COMMITTED, Transitions.warnWhenTrue()));
  }
}
