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
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgeAllocationStatus;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.EdgeAdmission;
import io.lingang.zones.capacity.InvalidQuantityException;
import io.lingang.zones.infra.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Admits edge allocations against their pool's capacity (see {@link EdgeAdmission}) and records
 * the decision in the allocation's status. The tenant's reconciler provisions the edge namespace
 * from that decision.
 */
@ControllerConfiguration(name = "edgeallocation")
public class EdgeAllocationReconciler implements Reconciler<EdgeAllocation> {
  static final String BY_POOL = "allocations-by-pool";
  static final String WAITING_BY_POOL = "waiting-allocations-by-pool";
  static final String BY_TENANT = "allocations-by-tenant";

  private final Clock clock;
  private final EventRecorder events;
  private IndexerResourceCache<EdgeAllocation> allocations;
  private InformerEventSource<EdgePool, EdgeAllocation> pools;
  private InformerEventSource<ZoneTenant, EdgeAllocation> tenants;
  private InformerEventSource<EdgeAllocation, EdgeAllocation> peers;

  public EdgeAllocationReconciler(EventRecorder events) {
    this(events, Clock.systemUTC());
  }

  EdgeAllocationReconciler(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, EdgeAllocation>> prepareEventSources(EventSourceContext<EdgeAllocation> context) {
    allocations = context.getPrimaryCache();
    allocations.addIndexers(Map.of(
        BY_POOL, a -> List.of(a.getSpec().getPool()),
        WAITING_BY_POOL, a -> isActive(a) ? List.of() : List.of(a.getSpec().getPool()),
        BY_TENANT, a -> List.of(a.getSpec().getTenant())));
    pools = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgePool.class, EdgeAllocation.class)
        .withName("pools")
        .withSecondaryToPrimaryMapper(pool -> ids(allocations.byIndex(BY_POOL, pool.getMetadata().getName())))
        .withOnUpdateFilter((next, prev) -> !Objects.equals(capacity(next), capacity(prev)))
        .build(), context);
    tenants = new InformerEventSource<>(InformerEventSourceConfiguration.from(ZoneTenant.class, EdgeAllocation.class)
        .withName("tenants")
        .withSecondaryToPrimaryMapper(t -> ids(allocations.byIndex(BY_TENANT, t.getMetadata().getName())))
        .withOnUpdateFilter((next, prev) -> ZoneTenantReconciler.isAdmitted(next) != ZoneTenantReconciler.isAdmitted(prev))
        .build(), context);
    peers = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgeAllocation.class, EdgeAllocation.class)
        .withName("peers")
        .withSecondaryToPrimaryMapper(peer -> ids(allocations.byIndex(WAITING_BY_POOL, peer.getSpec().getPool()).stream()
            .filter(a -> !a.getMetadata().getName().equals(peer.getMetadata().getName())).toList()))
        .withOnUpdateFilter((next, prev) -> isActive(next) != isActive(prev)
            || !Objects.equals(next.getMetadata().getGeneration(), prev.getMetadata().getGeneration()))
        .build(), context);
    // Admission is decided from this informer, the one whose events trigger it: the primary cache
    // may not have seen a peer's deletion yet when the peer informer reports it.
    peers.addIndexers(Map.of(BY_POOL, a -> List.of(a.getSpec().getPool())));
    return List.of(pools, tenants, peers);
  }

  @Override
  public UpdateControl<EdgeAllocation> reconcile(EdgeAllocation allocation, Context<EdgeAllocation> context) {
    String poolName = allocation.getSpec().getPool();
    EdgePool pool = pools.get(new ResourceID(poolName)).orElse(null);
    EdgeAdmission.Decision decision;
    if (pool == null) {
      decision = new EdgeAdmission.Decision(EdgeAdmission.State.Refused, "PoolNotFound",
          "EdgePool " + poolName + " does not exist; create it, or recreate the allocation with another pool");
    } else {
      List<EdgeAllocation> members = new java.util.ArrayList<>(peers.byIndex(BY_POOL, poolName).stream()
          .filter(a -> !a.getMetadata().getName().equals(allocation.getMetadata().getName())).toList());
      members.add(allocation);
      Set<String> admittedTenants = members.stream().map(a -> a.getSpec().getTenant()).distinct()
          .filter(t -> tenants.get(new ResourceID(t)).map(ZoneTenantReconciler::isAdmitted).orElse(false))
          .collect(Collectors.toSet());
      try {
        decision = EdgeAdmission.decide(poolName, EdgePoolReconciler.capacityOf(pool), members, admittedTenants,
            EdgeAllocationReconciler::isActive, clock.instant()).of(allocation.getMetadata().getName());
      } catch (InvalidQuantityException e) {
        decision = new EdgeAdmission.Decision(EdgeAdmission.State.Refused, "PoolCapacityInvalid", e.getMessage());
      }
    }
    EdgeAllocationStatus status = desiredStatus(allocation, decision, clock);
    recordTransition(allocation, status);
    UpdateControl<EdgeAllocation> control = StatusPatches.patchIfChanged(allocation, status, EdgeAllocation::new);
    nextBoundary(allocation).ifPresent(at -> control.rescheduleAfter(Duration.between(clock.instant(), at).plusMillis(100).toMillis()));
    return control;
  }

  static EdgeAllocationStatus desiredStatus(EdgeAllocation allocation, EdgeAdmission.Decision decision, Clock clock) {
    EdgeAllocationStatus status = new EdgeAllocationStatus();
    Long generation = allocation.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    boolean active = decision.state() == EdgeAdmission.State.Active;
    boolean expired = decision.state() == EdgeAdmission.State.Expired;
    Conditions conditions = Conditions.after(allocation.getStatus(), generation, clock)
        .set(EdgeAllocation.COND_ADMITTED, active, decision.reason(), decision.message());
    String namespace = edgeNamespace(allocation);
    conditions.set(Conditions.READY, active, active ? "Granted" : decision.reason(),
        active ? "granted in namespace " + namespace : decision.message());
    conditions.set(EdgeAllocation.COND_EXPIRED, expired, expired ? "WindowEnded" : "WindowOpen",
        expired ? decision.message() : "the allocation has not expired");
    if (decision.state() == EdgeAdmission.State.Refused) {
      conditions.set(Conditions.STALLED, true, decision.reason(), decision.message());
    }
    status.setConditions(conditions.build());
    if (active || expired) {
      status.setNamespace(namespace);
    }
    return status;
  }

  private void recordTransition(EdgeAllocation allocation, EdgeAllocationStatus next) {
    var now = next.condition(EdgeAllocation.COND_ADMITTED).orElseThrow();
    var before = allocation.getStatus() == null ? null : allocation.getStatus().condition(EdgeAllocation.COND_ADMITTED).orElse(null);
    if (before == null || !Objects.equals(before.getReason(), now.getReason())) {
      boolean ok = "True".equals(now.getStatus());
      events.record(allocation, ok || "WindowNotStarted".equals(now.getReason()) ? EventRecorder.NORMAL : EventRecorder.WARNING,
          ok ? "Admitted" : now.getReason(), now.getMessage());
    }
  }

  /** The next window start or end still ahead: the reconcile acts then without waiting for an event. */
  private java.util.Optional<Instant> nextBoundary(EdgeAllocation allocation) {
    var window = allocation.getSpec().getWindow();
    if (window == null) {
      return java.util.Optional.empty();
    }
    Instant now = clock.instant();
    return Stream.of(window.getStartsAt(), window.getEndsAt())
        .filter(Objects::nonNull).map(EdgeAdmission::time).filter(now::isBefore).min(Instant::compareTo);
  }

  /** The namespace every allocation of one tenant on one pool shares. */
  public static String edgeNamespace(EdgeAllocation allocation) {
    return allocation.getSpec().getTenant() + "-edge-" + allocation.getSpec().getPool();
  }

  static boolean isActive(EdgeAllocation a) {
    return a.getStatus() != null && a.getStatus().isTrue(EdgeAllocation.COND_ADMITTED);
  }

  private static Map<String, io.fabric8.kubernetes.api.model.Quantity> capacity(EdgePool pool) {
    return pool.getStatus() == null ? null : pool.getStatus().getCapacity();
  }

  private static Set<ResourceID> ids(List<EdgeAllocation> list) {
    return list.stream().map(a -> new ResourceID(a.getMetadata().getName())).collect(Collectors.toSet());
  }
}
