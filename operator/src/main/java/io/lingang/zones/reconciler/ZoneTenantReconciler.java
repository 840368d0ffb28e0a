package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgeGrant;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.NodePlacement;
import io.lingang.zones.api.v1alpha1.QuotaUsage;
import io.lingang.zones.api.v1alpha1.TenantReport;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantSpec;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.lingang.zones.capacity.InvalidQuantityException;
import io.lingang.zones.capacity.ResourceList;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.desired.EdgeNamespace;
import io.lingang.zones.desired.ManagedLabels;
import io.lingang.zones.desired.TenantInputs;
import io.lingang.zones.desired.TenantObjects;
import io.lingang.zones.desired.TenantResources;
import io.lingang.zones.desired.TenantRoles;
import io.lingang.zones.desired.TenantStatusReport;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.infra.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions one pilot company: admits it to its zone (see {@link ZoneAdmission}), then keeps its
 * namespaces, quota, limits, network policies, RBAC and TenantStatus as the desired-state
 * functions say, repairing what anyone else changes. Watches only objects that carry the
 * operator's label.
 */
@ControllerConfiguration(name = "zonetenant")
public class ZoneTenantReconciler implements Reconciler<ZoneTenant>, Cleaner<ZoneTenant> {
  static final String BY_ZONE = "tenants-by-zone";
  static final String WAITING_BY_ZONE = "waiting-tenants-by-zone";
  static final String BY_LINK = "tenants-by-link";
  static final String ALLOCATIONS_BY_POOL = "allocations-by-pool";
  private static final Duration RETRY = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(ZoneTenantReconciler.class);

  /** The kinds the operator writes inside tenant namespaces, each with a label-selected informer. */
  private static final List<Class<? extends HasMetadata>> NAMESPACED_KINDS =
      List.of(ResourceQuota.class, LimitRange.class, NetworkPolicy.class, RoleBinding.class);

  private final Clock clock;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private IndexerResourceCache<ZoneTenant> tenants;
  private InformerEventSource<BusinessZone, ZoneTenant> zones;
  private InformerEventSource<DataLink, ZoneTenant> links;
  private InformerEventSource<EdgeAllocation, ZoneTenant> allocations;
  private InformerEventSource<EdgePool, ZoneTenant> pools;
  private InformerEventSource<ZoneTenant, ZoneTenant> peers;
  private final Map<Class<?>, InformerEventSource<? extends HasMetadata, ZoneTenant>> managed = new HashMap<>();

  public ZoneTenantReconciler(EventRecorder events, OperatorMetrics metrics) {
    this(events, metrics, Clock.systemUTC());
  }

  ZoneTenantReconciler(EventRecorder events, OperatorMetrics metrics, Clock clock) {
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Every ZoneTenant in the cache (empty before the operator starts). */
  public Stream<ZoneTenant> cached() {
    return tenants == null ? Stream.empty() : tenants.list();
  }

  @Override
  public List<EventSource<?, ZoneTenant>> prepareEventSources(EventSourceContext<ZoneTenant> context) {
    tenants = context.getPrimaryCache();
    tenants.addIndexers(Map.of(
        BY_ZONE, t -> List.of(t.getSpec().getZone()),
        WAITING_BY_ZONE, t -> isAdmitted(t) ? List.of() : List.of(t.getSpec().getZone()),
        BY_LINK, t -> t.getSpec().getEgress() == null ? List.of() : List.copyOf(new HashSet<>(t.getSpec().getEgress()))));

    zones = new InformerEventSource<>(InformerEventSourceConfiguration.from(BusinessZone.class, ZoneTenant.class)
        .withName("zones")
        .withSecondaryToPrimaryMapper(zone -> ids(tenants.byIndex(BY_ZONE, zone.getMetadata().getName())))
        // Only a zone's spec (or its deletion) changes what its tenants get; its status does not.
        .withOnUpdateFilter((next, prev) -> !Objects.equals(next.getMetadata().getGeneration(), prev.getMetadata().getGeneration())
            || next.getMetadata().getDeletionTimestamp() != null)
        .build(), context);
    links = new InformerEventSource<>(InformerEventSourceConfiguration.from(DataLink.class, ZoneTenant.class)
        .withName("links")
        .withSecondaryToPrimaryMapper(link -> ids(tenants.byIndex(BY_LINK, link.getMetadata().getName())))
        .withOnUpdateFilter((next, prev) -> !Objects.equals(next.getMetadata().getGeneration(), prev.getMetadata().getGeneration())
            || next.getMetadata().getDeletionTimestamp() != null)
        .build(), context);
    // A tenant that leaves, shrinks or is admitted changes what is left for the tenants still waiting.
    peers = new InformerEventSource<>(InformerEventSourceConfiguration.from(ZoneTenant.class, ZoneTenant.class)
        .withName("peers")
        .withSecondaryToPrimaryMapper(peer -> ids(tenants.byIndex(WAITING_BY_ZONE, peer.getSpec().getZone()).stream()
            .filter(t -> !t.getMetadata().getName().equals(peer.getMetadata().getName())).toList()))
        .withOnUpdateFilter((next, prev) -> !Objects.equals(next.getMetadata().getGeneration(), prev.getMetadata().getGeneration())
            || isAdmitted(next) != isAdmitted(prev)
            || !Objects.equals(grant(next), grant(prev))
            || next.getMetadata().getDeletionTimestamp() != null)
        .build(), context);
    // Admission is decided from this informer, the one whose events trigger it: the primary cache
    // may not have seen a peer's deletion yet when the peer informer reports it.
    peers.addIndexers(Map.of(BY_ZONE, t -> List.of(t.getSpec().getZone())));

    allocations = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgeAllocation.class, ZoneTenant.class)
        .withName("allocations")
        .withSecondaryToPrimaryMapper(a -> Set.of(new ResourceID(a.getSpec().getTenant())))
        .build(), context);
    allocations.addIndexers(Map.of(ALLOCATIONS_BY_POOL, a -> List.of(a.getSpec().getPool())));
    // A pool's placement (selector, tolerations) shapes its edge namespaces.
    pools = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgePool.class, ZoneTenant.class)
        .withName("pools")
        .withSecondaryToPrimaryMapper(pool -> allocations.byIndex(ALLOCATIONS_BY_POOL, pool.getMetadata().getName()).stream()
            .map(a -> new ResourceID(a.getSpec().getTenant())).collect(Collectors.toSet()))
        .withOnUpdateFilter((next, prev) -> !Objects.equals(next.getMetadata().getGeneration(), prev.getMetadata().getGeneration()))
        .build(), context);

    List<EventSource<?, ZoneTenant>> sources = new ArrayList<>(List.of(zones, links, peers, allocations, pools));
    for (Class<? extends HasMetadata> kind : allManagedKinds()) {
      var source = managedInformer(kind, context);
      managed.put(kind, source);
      sources.add(source);
    }
    return sources;
  }

  private static List<Class<? extends HasMetadata>> allManagedKinds() {
    List<Class<? extends HasMetadata>> kinds = new ArrayList<>(NAMESPACED_KINDS);
    kinds.addAll(List.of(Namespace.class, ClusterRole.class, ClusterRoleBinding.class, TenantStatus.class));
    return kinds;
  }

  private static <R extends HasMetadata> InformerEventSource<R, ZoneTenant> managedInformer(
      Class<R> kind, EventSourceContext<ZoneTenant> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, ZoneTenant.class)
        .withName(kind.getSimpleName())
        .withLabelSelector(ManagedLabels.SELECTOR)
        .withSecondaryToPrimaryMapper(r -> {
          String tenant = ManagedLabels.tenantOf(r);
          return tenant == null ? Set.of() : Set.of(new ResourceID(tenant));
        })
        .build(), context);
  }

  @Override
  public UpdateControl<ZoneTenant> reconcile(ZoneTenant tenant, Context<ZoneTenant> context) {
    ObjectSync sync = new ObjectSync(context.getClient(), context.getControllerConfiguration().fieldManager(),
        "ZoneTenant " + tenant.getMetadata().getName());
    TenantStatusBuilder next = new TenantStatusBuilder(tenant, clock);
    String zoneName = tenant.getSpec().getZone();
    BusinessZone zone = zones.get(new ResourceID(zoneName)).orElse(null);

    if (zone == null) {
      next.refused("ZoneNotFound", "BusinessZone " + zoneName + " does not exist; create it, or fix spec.zone by recreating the tenant");
      grantReadAccessOnly(tenant, sync);
      return finish(tenant, next, context, Optional.empty());
    }
    ZoneAdmission.Result result;
    try {
      result = ZoneAdmission.decide(zone, withLatest(tenant, peers.byIndex(BY_ZONE, zoneName)));
    } catch (InvalidQuantityException e) {
      next.refused("ZoneCapacityInvalid", "zone " + zoneName + " has an invalid capacity: " + e.getMessage());
      grantReadAccessOnly(tenant, sync);
      return finish(tenant, next, context, Optional.empty());
    }
    ZoneAdmission.Decision decision = result.of(tenant.getMetadata().getName());
    if (decision instanceof ZoneAdmission.Refused refused) {
      if (zone.getMetadata().getDeletionTimestamp() != null) {
        next.refused("ZoneTerminating", "zone " + zoneName + " is being deleted and admits no tenants");
      } else {
        next.refused(refused.reason(), refused.message());
      }
      grantReadAccessOnly(tenant, sync);
      return finish(tenant, next, context, Optional.empty());
    }
    ZoneAdmission.Admitted admitted = (ZoneAdmission.Admitted) decision;
    next.admitted(admitted, zoneName);

    Instant trialEnd = Trials.endOf(zone);
    boolean expired = trialEnd != null && !clock.instant().isBefore(trialEnd);
    boolean suspended = Boolean.TRUE.equals(tenant.getSpec().getSuspended()) || expired;
    next.suspension(Boolean.TRUE.equals(tenant.getSpec().getSuspended()), expired, trialEnd);

    List<EdgeAllocation> edge = allocations.getSecondaryResources(tenant).stream()
        .sorted(java.util.Comparator.comparing(a -> a.getMetadata().getName())).toList();
    TenantInputs inputs = new TenantInputs(tenant, zone, admitted.namespaceQuotas(), linksByName(tenant), suspended,
        edgeNamespaces(edge), edge.stream().map(a -> a.getMetadata().getName()).toList());
    try {
      provision(tenant, inputs, sync, next);
      publishTenantStatus(tenant, zone, next, sync, trialEnd, suspended, edge);
    } catch (KubernetesClientException e) {
      log.warn("ZoneTenant {}: provisioning failed, retrying: {}", tenant.getMetadata().getName(), e.getMessage());
      next.failed("ProvisioningFailed", "the API server refused a write: " + e.getMessage());
      return finish(tenant, next, context, Optional.of(RETRY));
    }
    Optional<Duration> wakeUp = trialEnd != null && !expired
        ? Optional.of(Duration.between(clock.instant(), trialEnd).plusMillis(100))
        : Optional.empty();
    return finish(tenant, next, context, wakeUp);
  }

  private void provision(ZoneTenant tenant, TenantInputs inputs, ObjectSync sync, TenantStatusBuilder next) {
    String name = tenant.getMetadata().getName();
    List<Namespace> namespaces = TenantResources.namespaces(inputs);
    List<String> repaired = new ArrayList<>();
    Set<String> ours = new java.util.LinkedHashSet<>();
    // Before any write: a namespace created just now may reach the cache within this reconcile, and
    // the objects created in it must not count as repairs.
    Set<String> existedBefore = namespaces.stream().filter(ns -> cached(Namespace.class, ns).isPresent())
        .map(ns -> ns.getMetadata().getName()).collect(Collectors.toSet());
    for (Namespace ns : namespaces) {
      Namespace cached = cached(Namespace.class, ns).orElse(null);
      ObjectSync.ClaimResult claim = sync.claimNamespace(ns, cached, name);
      if (claim.claim() == ObjectSync.Claim.CONFLICT) {
        next.conflict(ns.getMetadata().getName());
        continue;
      }
      ours.add(ns.getMetadata().getName());
      if (claim.outcome() == ObjectSync.Outcome.UPDATED && cached != null && sync.changedBySomeoneElse(cached)) {
        repaired.add("Namespace " + ns.getMetadata().getName());
        metrics.driftRepaired("Namespace");
      }
    }
    // Only now is it known which namespaces are the tenant's: objects go into those alone, and
    // only ServiceAccounts living in them are bound.
    TenantObjects desired = TenantResources.build(inputs, ours);
    for (HasMetadata object : desired.namespaced()) {
      applyAndNote(object, sync, repaired, existedBefore.contains(object.getMetadata().getNamespace()));
    }
    for (HasMetadata object : desired.clusterScoped()) {
      applyAndNote(object, sync, repaired, false);
    }
    prune(tenant, desired, ours, sync);
    next.provisioned(List.copyOf(ours), desired.appliedLinks(), desired.refusedLinks(), quotaUsage(ours));
    next.unboundSubjects(desired.unboundSubjects());
    if (!repaired.isEmpty()) {
      next.repaired(repaired);
    }
  }

  /** A tenant that is not admitted has no namespaces, but its admins and viewers may read why. */
  private void grantReadAccessOnly(ZoneTenant tenant, ObjectSync sync) {
    List<String> allocationNames = allocations.getSecondaryResources(tenant).stream()
        .map(a -> a.getMetadata().getName()).sorted().toList();
    List<HasMetadata> access = TenantResources.readAccess(tenant, tenant.getSpec().getZone(), allocationNames, Set.of());
    for (HasMetadata object : access) {
      sync.apply(object, cached(object.getClass(), object).orElse(null));
    }
    Set<String> wanted = access.stream().map(ZoneTenantReconciler::key).collect(Collectors.toSet());
    for (Class<? extends HasMetadata> kind : List.of(ClusterRole.class, ClusterRoleBinding.class)) {
      for (HasMetadata actual : ownedBy(kind, tenant)) {
        if (!wanted.contains(key(actual))) {
          removeClusterScoped(actual, sync);
        }
      }
    }
  }

  /**
   * Deletes a tenant's cluster-scoped object that is no longer wanted. An object carrying a name
   * the chart fixes was taken over by a tenant of that name under an earlier version: it is let go
   * of (our labels and owner reference removed), never deleted; the chart restores its rules.
   */
  private static void removeClusterScoped(HasMetadata actual, ObjectSync sync) {
    if (TenantRoles.CHART_NAMES.contains(actual.getMetadata().getName())) {
      sync.disown(actual);
    } else {
      sync.delete(actual);
    }
  }

  /**
   * Applies one object and notes a repair when someone else had changed it, or had deleted one of
   * the objects every tenant namespace always has (an update the desired state itself asked for,
   * after a spec or DataLink change, is no repair).
   */
  private void applyAndNote(HasMetadata object, ObjectSync sync, List<String> repaired, boolean namespaceExisted) {
    HasMetadata cached = cached(object.getClass(), object).orElse(null);
    ObjectSync.Outcome outcome = sync.apply(object, cached);
    boolean repair = outcome == ObjectSync.Outcome.UPDATED && sync.changedBySomeoneElse(cached)
        || outcome == ObjectSync.Outcome.CREATED && namespaceExisted && ALWAYS_PRESENT.contains(object.getMetadata().getName());
    if (repair) {
      metrics.driftRepaired(object.getKind());
      repaired.add(object.getKind() + " " + (object.getMetadata().getNamespace() == null ? ""
          : object.getMetadata().getNamespace() + "/") + object.getMetadata().getName());
    }
  }

  /** Objects every tenant namespace has whatever the spec says: missing means someone deleted it. */
  private static final Set<String> ALWAYS_PRESENT = Set.of(TenantResources.QUOTA, TenantResources.DENY_ALL,
      TenantResources.ALLOW_SAME_TENANT, TenantResources.ALLOW_DNS);

  /** Deletes generated objects the tenant no longer needs, and lets go of namespaces it no longer names. */
  private void prune(ZoneTenant tenant, TenantObjects desired, Set<String> ours, ObjectSync sync) {
    Set<String> wanted = Stream.of(desired.namespaced(), desired.clusterScoped()).flatMap(List::stream)
        .map(ZoneTenantReconciler::key).collect(Collectors.toSet());
    for (Class<? extends HasMetadata> kind : List.of(ResourceQuota.class, LimitRange.class, NetworkPolicy.class,
        RoleBinding.class, ClusterRole.class, ClusterRoleBinding.class)) {
      for (HasMetadata actual : ownedBy(kind, tenant)) {
        String ns = actual.getMetadata().getNamespace();
        if (ns == null && !wanted.contains(key(actual))) {
          removeClusterScoped(actual, sync);
        } else if (ours.contains(ns) && !wanted.contains(key(actual))) {
          sync.delete(actual);
        }
      }
    }
    Set<String> desiredNamespaces = desired.namespaces().stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    List<Namespace> unwanted = ownedBy(Namespace.class, tenant).stream()
        .filter(ns -> !desiredNamespaces.contains(ns.getMetadata().getName())).toList();
    // An edge namespace also goes when its allocations vanish, as they do first when the CRDs are
    // deleted: then nothing is let go of.
    if (!unwanted.isEmpty() && !crdsBeingDeleted(sync)) {
      unwanted.forEach(ns -> letGo(ns, tenant, sync));
    }
  }

  private static void letGo(Namespace ns, ZoneTenant tenant, ObjectSync sync) {
    if (tenant.getSpec().getDeletionPolicy() == ZoneTenantSpec.DeletionPolicy.Delete) {
      sync.delete(ns);
    } else {
      sync.release(ns, tenant.getMetadata().getName());
    }
  }

  @Override
  public DeleteControl cleanup(ZoneTenant tenant, Context<ZoneTenant> context) {
    ObjectSync sync = new ObjectSync(context.getClient(), context.getControllerConfiguration().fieldManager(),
        "ZoneTenant " + tenant.getMetadata().getName());
    if (crdsBeingDeleted(sync)) {
      // Not an offboarding: the API is going away (or being restored). Everything stays as it is,
      // still isolated, and a ZoneTenant of the same name and zone restored later takes it back.
      events.record(tenant, EventRecorder.NORMAL, "Released", "the CRDs are being deleted: namespaces kept as they are");
      return DeleteControl.defaultDelete();
    }
    ownedBy(Namespace.class, tenant).forEach(ns -> letGo(ns, tenant, sync));
    // Not left to the garbage collector, which may take a while: until they go, the former admins
    // could read a later tenant that happens to get the same name.
    for (Class<? extends HasMetadata> kind : List.of(ClusterRoleBinding.class, ClusterRole.class)) {
      ownedBy(kind, tenant).forEach(object -> removeClusterScoped(object, sync));
    }
    boolean delete = tenant.getSpec().getDeletionPolicy() == ZoneTenantSpec.DeletionPolicy.Delete;
    events.record(tenant, EventRecorder.NORMAL, "Offboarded", delete ? "namespaces deleted"
        : "namespaces retained and closed: default deny only, no new pods, no bindings, no longer managed");
    return DeleteControl.defaultDelete();
  }

  /** Deleting the CRDs deletes every ZoneTenant and EdgeAllocation: never a reason to let data go. */
  private static boolean crdsBeingDeleted(ObjectSync sync) {
    return sync.crdGoneOrDeleting(ZoneTenant.class) || sync.crdGoneOrDeleting(EdgeAllocation.class);
  }

  /**
   * Edge namespaces from the allocations' recorded decisions: one per pool where an allocation is
   * active. It then lives as long as the tenant has any allocation on that pool, closed to new
   * pods while none is active (all expired, or the active one deleted while another waits).
   */
  private Map<String, EdgeNamespace> edgeNamespaces(List<EdgeAllocation> edge) {
    Map<String, EdgeNamespace> result = new java.util.TreeMap<>();
    Map<String, List<EdgeAllocation>> byPool = edge.stream().collect(Collectors.groupingBy(a -> a.getSpec().getPool()));
    byPool.forEach((poolName, list) -> {
      List<EdgeAllocation> active = list.stream().filter(EdgeAllocationReconciler::isActive).toList();
      boolean expired = list.stream().anyMatch(a -> a.getStatus() != null && a.getStatus().isTrue(EdgeAllocation.COND_EXPIRED));
      EdgePool pool = pools.get(new ResourceID(poolName)).orElse(null);
      String name = EdgeAllocationReconciler.edgeNamespace(list.get(0));
      boolean provisioned = source(Namespace.class).get(new ResourceID(name)).isPresent();
      if (pool == null || (active.isEmpty() && !expired && !provisioned)) {
        return;
      }
      ResourceList granted = active.stream().map(a -> safe(a.getSpec().getResources())).reduce(ResourceList.EMPTY, ResourceList::plus);
      NodePlacement placement = new NodePlacement();
      placement.setNodeSelector(pool.getSpec().getNodeSelector());
      placement.setTolerations(pool.getSpec().getTolerations());
      result.put(name, new EdgeNamespace(poolName, placement, granted, active.isEmpty()));
    });
    return result;
  }

  private void publishTenantStatus(ZoneTenant tenant, BusinessZone zone, TenantStatusBuilder next, ObjectSync sync,
      Instant trialEnd, boolean suspended, List<EdgeAllocation> edge) {
    ZoneTenantStatus status = next.build();
    TenantReport report = TenantStatusReport.report(tenant, zone.getSpec().getMode().name(), status,
        trialEnd == null ? null : trialEnd.toString(), suspended);
    report.setEdgeAllocations(edge.stream().map(ZoneTenantReconciler::grant).toList());
    for (String ns : status.getNamespaces()) {
      TenantStatus desired = TenantStatusReport.object(tenant, zone.getMetadata().getName(), ns);
      TenantStatus cached = cached(TenantStatus.class, desired).orElse(null);
      sync.apply(desired, cached);
      if (cached == null || !StatusPatches.sameStatus(cached.getStatus(), report)) {
        TenantStatus patch = TenantStatusReport.object(tenant, zone.getMetadata().getName(), ns);
        patch.setStatus(report);
        sync.applyStatus(patch);
      }
    }
    next.tenantStatusObjects(status.getNamespaces());
  }

  private UpdateControl<ZoneTenant> finish(ZoneTenant tenant, TenantStatusBuilder next, Context<ZoneTenant> context,
      Optional<Duration> requeue) {
    ZoneTenantStatus status = next.build();
    next.recordTransitions(tenant.getStatus(), events, tenantStatusTargets(tenant, status));
    UpdateControl<ZoneTenant> control = StatusPatches.patchIfChanged(tenant, status, ZoneTenant::new);
    requeue.ifPresent(d -> control.rescheduleAfter(d.toMillis()));
    return control;
  }

  private List<TenantStatus> tenantStatusTargets(ZoneTenant tenant, ZoneTenantStatus status) {
    if (status.getNamespaces() == null) {
      return List.of();
    }
    return status.getNamespaces().stream()
        .map(ns -> cached(TenantStatus.class, TenantStatusReport.object(tenant, tenant.getSpec().getZone(), ns)).orElse(null))
        .filter(Objects::nonNull)
        .toList();
  }

  private Map<String, DataLink> linksByName(ZoneTenant tenant) {
    Map<String, DataLink> found = new LinkedHashMap<>();
    if (tenant.getSpec().getEgress() != null) {
      for (String name : tenant.getSpec().getEgress()) {
        links.get(new ResourceID(name)).ifPresent(l -> found.put(name, l));
      }
    }
    return found;
  }

  /** Quota hard and used, summed over the tenant's namespaces, as the quota controller reports them. */
  private QuotaUsage quotaUsage(Set<String> namespaces) {
    ResourceList hard = ResourceList.EMPTY;
    ResourceList used = ResourceList.EMPTY;
    for (String ns : namespaces) {
      Optional<ResourceQuota> quota = source(ResourceQuota.class).get(new ResourceID(TenantResources.QUOTA, ns));
      if (quota.isPresent() && quota.get().getStatus() != null) {
        hard = hard.plus(safe(quota.get().getStatus().getHard()));
        used = used.plus(safe(quota.get().getStatus().getUsed()));
      }
    }
    return new QuotaUsage(hard.isEmpty() ? null : hard.toQuantities(), used.isEmpty() ? null : used.toQuantities());
  }

  private static ResourceList safe(Map<String, Quantity> quantities) {
    try {
      return ResourceList.of(quantities);
    } catch (InvalidQuantityException e) {
      return ResourceList.EMPTY;
    }
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> InformerEventSource<R, ZoneTenant> source(Class<R> kind) {
    return (InformerEventSource<R, ZoneTenant>) managed.get(kind);
  }

  private <R extends HasMetadata> Optional<R> cached(Class<R> kind, HasMetadata like) {
    return source(kind).get(new ResourceID(like.getMetadata().getName(), like.getMetadata().getNamespace()));
  }

  /** The tenant's generated objects of one kind, from the informer's index by tenant label. */
  private <R extends HasMetadata> List<R> ownedBy(Class<R> kind, ZoneTenant tenant) {
    return List.copyOf(source(kind).getSecondaryResources(tenant));
  }

  /** The zone's tenants, with the reconciled one as this reconcile sees it. */
  private static List<ZoneTenant> withLatest(ZoneTenant tenant, List<ZoneTenant> peers) {
    List<ZoneTenant> all = new ArrayList<>(peers.stream()
        .filter(t -> !t.getMetadata().getName().equals(tenant.getMetadata().getName())).toList());
    all.add(tenant);
    return all;
  }

  private static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static Set<ResourceID> ids(List<ZoneTenant> list) {
    return list.stream().map(t -> new ResourceID(t.getMetadata().getName())).collect(Collectors.toSet());
  }

  static boolean isAdmitted(ZoneTenant t) {
    return t.getStatus() != null && t.getStatus().isTrue(ZoneTenant.COND_ADMITTED);
  }

  private static EdgeGrant grant(EdgeAllocation a) {
    EdgeGrant grant = new EdgeGrant();
    grant.setName(a.getMetadata().getName());
    grant.setPool(a.getSpec().getPool());
    grant.setResources(a.getSpec().getResources());
    String state = "Pending";
    if (a.getStatus() != null) {
      grant.setNamespace(a.getStatus().getNamespace());
      if (a.getStatus().isTrue(EdgeAllocation.COND_ADMITTED)) {
        state = "Active";
      } else if (a.getStatus().isTrue(EdgeAllocation.COND_EXPIRED)) {
        state = "Expired";
      } else if (a.getStatus().isTrue(Conditions.STALLED)) {
        state = "Refused";
      }
    }
    grant.setState(state);
    return grant;
  }

  private static Map<String, Quantity> grant(ZoneTenant t) {
    return t.getStatus() == null ? null : t.getStatus().getGrantedQuota();
  }
}
