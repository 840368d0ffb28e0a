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
import io.lingang.zones.capacity.EdgeCapacity;
import io.lingang.zones.infra.CompactItemStore;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.plan.PoolPlanner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Accounts an edge pool against its real nodes ({@link PoolPlanner}). Node changes are watched,
 * not polled.
 */
@ControllerConfiguration(name = "edgepool")
public class EdgePoolReconciler implements Reconciler<EdgePool> {
  private static final String BY_POOL = "allocations-by-pool";

  private final Clock clock;
  private final StatusRecorder recorder;
  private IndexerResourceCache<EdgePool> pools;
  private InformerEventSource<Node, EdgePool> nodes;
  private InformerEventSource<EdgeAllocation, EdgePool> allocations;

  public EdgePoolReconciler(EventRecorder events) {
    this(events, Clock.systemUTC());
  }

  EdgePoolReconciler(EventRecorder events, Clock clock) {
    this.recorder = new StatusRecorder(events);
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
        .withItemStore(new CompactItemStore<>())
        .withSecondaryToPrimaryMapper(node -> pools.list().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper(pool -> Set.of())
        // Heartbeats and usage change nothing a pool counts: labels, taints, schedulability,
        // readiness and allocatable do.
        .withOnUpdateFilter((next, prev) -> !EdgeCapacity.countedPart(next).equals(EdgeCapacity.countedPart(prev)))
        .build(), context);
    allocations = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgeAllocation.class, EdgePool.class)
        .withName("allocations")
        .withSecondaryToPrimaryMapper(a -> Set.of(new ResourceID(a.getSpec().getPool())))
        .build(), context);
    allocations.addIndexers(Map.of(BY_POOL, a -> List.of(a.getSpec().getPool())));
    return List.of(nodes, allocations);
  }

  @Override
  public UpdateControl<EdgePool> reconcile(EdgePool pool, Context<EdgePool> context) {
    var status = PoolPlanner.status(pool, nodes.list().toList(), allocations.byIndex(BY_POOL, pool.getMetadata().getName()), clock);
    recorder.write(pool, status, EdgePool::new, context);
    recorder.announce(pool, PoolPlanner.announcements(pool.getStatus(), status), List.of());
    return UpdateControl.noUpdate();
  }
}
