package io.lingang.zones.reconciler;

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
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.capacity.EdgeAdmission;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.plan.AllocationPlanner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Admits edge allocations against their pool's capacity ({@link AllocationPlanner}) and records
 * the decision in the allocation's status. The tenant's reconciler provisions the edge namespace
 * from that decision.
 */
@ControllerConfiguration(name = "edgeallocation")
@GradualRetry(maxAttempts = 8, initialInterval = 500, intervalMultiplier = 2, maxInterval = 60_000)
public class EdgeAllocationReconciler implements Reconciler<EdgeAllocation> {
  private static final String BY_POOL = "allocations-by-pool";
  private static final String WAITING_BY_POOL = "waiting-allocations-by-pool";
  private static final String BY_TENANT = "allocations-by-tenant";

  private final Clock clock;
  private final StatusRecorder recorder;
  private IndexerResourceCache<EdgeAllocation> allocations;
  private InformerEventSource<EdgePool, EdgeAllocation> pools;
  private final TenantDirectory tenants;
  private InformerEventSource<EdgeAllocation, EdgeAllocation> peers;

  public EdgeAllocationReconciler(EventRecorder events, TenantDirectory tenants) {
    this(events, tenants, Clock.systemUTC());
  }

  EdgeAllocationReconciler(EventRecorder events, TenantDirectory tenants, Clock clock) {
    this.recorder = new StatusRecorder(events);
    this.tenants = tenants;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, EdgeAllocation>> prepareEventSources(EventSourceContext<EdgeAllocation> context) {
    allocations = context.getPrimaryCache();
    allocations.addIndexers(Map.of(
        BY_POOL, a -> List.of(a.getSpec().getPool()),
        WAITING_BY_POOL, a -> EdgeAllocation.isActive(a) ? List.of() : List.of(a.getSpec().getPool()),
        BY_TENANT, a -> List.of(a.getSpec().getTenant())));
    pools = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgePool.class, EdgeAllocation.class)
        .withName("pools")
        .withSecondaryToPrimaryMapper(pool -> ids(allocations.byIndex(BY_POOL, pool.getMetadata().getName())))
        .withOnUpdateFilter((next, prev) -> !Objects.equals(capacity(next), capacity(prev)))
        .build(), context);
    // A tenant admitted or no longer admitted changes what its allocations may hold.
    var admissions = tenants.<EdgeAllocation>follow("tenants", change ->
        admittedOf(change.before()) == admittedOf(change.after()) ? Set.of()
            : ids(allocations.byIndex(BY_TENANT, change.tenant())));
    // An allocation that ends, shrinks or goes frees capacity for the ones waiting on its pool.
    peers = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgeAllocation.class, EdgeAllocation.class)
        .withName("peers")
        .withSecondaryToPrimaryMapper(peer -> ids(allocations.byIndex(WAITING_BY_POOL, peer.getSpec().getPool()).stream()
            .filter(a -> !a.getMetadata().getName().equals(peer.getMetadata().getName())).toList()))
        .build(), context);
    peers.addIndexers(Map.of(BY_POOL, a -> List.of(a.getSpec().getPool())));
    return List.of(pools, admissions, peers);
  }

  @Override
  public UpdateControl<EdgeAllocation> reconcile(EdgeAllocation allocation, Context<EdgeAllocation> context) {
    if (!tenants.synced()) {
      return UpdateControl.<EdgeAllocation>noUpdate().rescheduleAfter(TenantDirectory.UNTIL_SYNCED);
    }
    String poolName = allocation.getSpec().getPool();
    List<EdgeAllocation> members = peers.byIndex(BY_POOL, poolName);
    Set<String> admittedTenants = members.stream().map(a -> a.getSpec().getTenant()).distinct()
        .filter(tenants::admitted)
        .collect(Collectors.toSet());
    if (tenants.admitted(allocation.getSpec().getTenant())) {
      admittedTenants = new java.util.HashSet<>(admittedTenants);
      admittedTenants.add(allocation.getSpec().getTenant());
    }
    EdgeAdmission.Decision decision = AllocationPlanner.decide(allocation, pools.get(new ResourceID(poolName)).orElse(null),
        members, admittedTenants, clock.instant());
    var status = AllocationPlanner.status(allocation, decision, clock);
    recorder.write(allocation, status, EdgeAllocation::new, context);
    recorder.announce(allocation, AllocationPlanner.announcements(allocation.getStatus(), status), List.of());
    UpdateControl<EdgeAllocation> control = UpdateControl.noUpdate();
    AllocationPlanner.nextBoundary(allocation, clock.instant())
        .ifPresent(at -> control.rescheduleAfter(Duration.between(clock.instant(), at).plusMillis(100).toMillis()));
    return control;
  }

  private static boolean admittedOf(TenantDirectory.Facts facts) {
    return facts != null && facts.admitted();
  }

  private static Object capacity(EdgePool pool) {
    return pool.getStatus() == null ? null : pool.getStatus().getCapacity();
  }

  private static Set<ResourceID> ids(List<EdgeAllocation> list) {
    return list.stream().map(a -> new ResourceID(a.getMetadata().getName())).collect(Collectors.toSet());
  }
}
