package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.EdgePoolStatus;
import io.lingang.zones.capacity.EdgeCapacity;
import io.lingang.zones.capacity.InvalidQuantityException;
import io.lingang.zones.capacity.ResourceList;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Accounts an edge pool against its real nodes: which match, are Ready and schedulable, what they
 * can give, and what active allocations hold. Node changes are watched, not polled.
 */
@ControllerConfiguration(name = "edgepool")
public class EdgePoolReconciler implements Reconciler<EdgePool> {
  static final String BY_POOL = "allocations-by-pool";

  private final Clock clock;
  private IndexerResourceCache<EdgePool> pools;
  private InformerEventSource<Node, EdgePool> nodes;
  private InformerEventSource<EdgeAllocation, EdgePool> allocations;

  public EdgePoolReconciler() {
    this(Clock.systemUTC());
  }

  EdgePoolReconciler(Clock clock) {
    this.clock = clock;
  }

  /** Every EdgePool in the cache (empty before the operator starts). */
  public Stream<EdgePool> cached() {
    return pools == null ? Stream.empty() : pools.list();
  }

  @Override
  public List<EventSource<?, EdgePool>> prepareEventSources(EventSourceContext<EdgePool> context) {
    pools = context.getPrimaryCache();
    // Nodes carry no label of ours; pools are few, so any node change re-counts every pool (a
    // relabelled node may have left one pool for another).
    nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, EdgePool.class)
        .withName("nodes")
        .withSecondaryToPrimaryMapper(node -> allPools())
        .build(), context);
    allocations = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgeAllocation.class, EdgePool.class)
        .withName("allocations")
        .withSecondaryToPrimaryMapper(a -> Set.of(new ResourceID(a.getSpec().getPool())))
        .build(), context);
    allocations.addIndexers(Map.of(BY_POOL, a -> List.of(a.getSpec().getPool())));
    return List.of(nodes, allocations);
  }

  private Set<ResourceID> allPools() {
    return pools.list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<EdgePool> reconcile(EdgePool pool, Context<EdgePool> context) {
    EdgePoolStatus status = new EdgePoolStatus();
    Long generation = pool.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    Conditions conditions = Conditions.after(pool.getStatus(), generation, clock);
    try {
      EdgeCapacity.PoolCapacity capacity = EdgeCapacity.of(pool, nodes.list().toList());
      List<EdgeAllocation> members = allocations.byIndex(BY_POOL, pool.getMetadata().getName());
      // The allocation reconciler decides admission; the pool counts what it granted.
      ResourceList allocated = members.stream()
          .filter(EdgeAllocationReconciler::isActive)
          .map(a -> ResourceList.of(a.getSpec().getResources()))
          .reduce(ResourceList.EMPTY, ResourceList::plus);
      ResourceList none = capacity.capacity().minus(capacity.capacity());
      ResourceList available = capacity.capacity().minus(allocated).only(capacity.capacity().names());
      boolean over = !available.isNonNegative() || !capacity.capacity().covers(allocated);
      status.setNodes(capacity.nodes());
      status.setCapacity(capacity.capacity().isEmpty() ? null : capacity.capacity().toQuantities());
      status.setAllocated(none.plus(allocated).isEmpty() ? null : none.plus(allocated).toQuantities());
      status.setAvailable(available.isEmpty() ? null : available.toQuantities());
      boolean ready = capacity.nodes() > 0 || pool.getSpec().getCapacity() != null;
      conditions.set(Conditions.READY, ready, ready ? "NodesAvailable" : "NoNodes",
          ready ? capacity.nodes() + " Ready, schedulable nodes match the selector"
              : "no Ready, schedulable node matches spec.nodeSelector " + pool.getSpec().getNodeSelector());
      conditions.set(EdgePool.COND_OVER_COMMITTED, over, over ? "CapacityBelowAllocated" : "WithinCapacity",
          over ? "active allocations hold more than the pool has; nothing is revoked" : "active allocations fit the pool");
    } catch (InvalidQuantityException e) {
      conditions.set(Conditions.READY, false, "InvalidCapacity", e.getMessage());
      conditions.set(Conditions.STALLED, true, "InvalidCapacity", e.getMessage());
    }
    status.setConditions(conditions.build());
    return StatusPatches.patchIfChanged(pool, status, EdgePool::new);
  }

  /** Used by EdgeAdmission callers: the allocation reconciler reads capacity from the pool's status. */
  static ResourceList capacityOf(EdgePool pool) {
    return pool.getStatus() == null || pool.getStatus().getCapacity() == null ? ResourceList.EMPTY
        : ResourceList.of(pool.getStatus().getCapacity());
  }
}
