package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.plan.TenantSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Everything the tenant reconciler watches, in one place, and the one read of those caches that
 * a reconcile starts with ({@link #observe}). Who triggers a tenant: its zone's spec, the DataLinks
 * it names, its allocations and their pools, a peer leaving or changing its grant (for tenants
 * still waiting in that zone), and any object generated for it (drift).
 */
final class TenantWatches {
  private static final String BY_ZONE = "by-zone";
  private static final String BY_LINK = "by-link";
  private static final String BY_POOL = "by-pool";

  final ManagedKinds managed;
  private IndexerResourceCache<ZoneTenant> tenants;
  private InformerEventSource<BusinessZone, ZoneTenant> zones;
  private InformerEventSource<DataLink, ZoneTenant> links;
  private InformerEventSource<EdgeAllocation, ZoneTenant> allocations;
  private InformerEventSource<EdgePool, ZoneTenant> pools;
  private final TenantDirectory directory;

  TenantWatches(ManagedKinds managed, TenantDirectory directory) {
    this.managed = managed;
    this.directory = directory;
  }

  List<EventSource<?, ZoneTenant>> eventSources(EventSourceContext<ZoneTenant> context) {
    tenants = context.getPrimaryCache();
    directory.syncedWith(tenants);
    tenants.addIndexers(Map.of(
        BY_ZONE, t -> List.of(t.getSpec().getZone()),
        BY_LINK, t -> t.getSpec().getEgress() == null ? List.of() : List.copyOf(new HashSet<>(t.getSpec().getEgress()))));
    zones = new InformerEventSource<>(InformerEventSourceConfiguration.from(BusinessZone.class, ZoneTenant.class)
        .withName("zones")
        .withSecondaryToPrimaryMapper(zone -> ids(tenants.byIndex(BY_ZONE, zone.getMetadata().getName())))
        // Only a zone's spec (or its deletion) changes what its tenants get; its status does not.
        .withOnUpdateFilter((next, prev) -> specOrDeletionChanged(next, prev))
        .build(), context);
    links = new InformerEventSource<>(InformerEventSourceConfiguration.from(DataLink.class, ZoneTenant.class)
        .withName("links")
        .withSecondaryToPrimaryMapper(link -> ids(tenants.byIndex(BY_LINK, link.getMetadata().getName())))
        .withOnUpdateFilter((next, prev) -> specOrDeletionChanged(next, prev))
        .build(), context);
    allocations = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgeAllocation.class, ZoneTenant.class)
        .withName("allocations")
        .withSecondaryToPrimaryMapper(a -> Set.of(new ResourceID(a.getSpec().getTenant())))
        .build(), context);
    allocations.addIndexers(Map.of(BY_POOL, a -> List.of(a.getSpec().getPool())));
    // A pool's placement (selector, tolerations) shapes its edge namespaces.
    pools = new InformerEventSource<>(InformerEventSourceConfiguration.from(EdgePool.class, ZoneTenant.class)
        .withName("pools")
        .withSecondaryToPrimaryMapper(pool -> allocations.byIndex(BY_POOL, pool.getMetadata().getName()).stream()
            .map(a -> new ResourceID(a.getSpec().getTenant())).collect(Collectors.toSet()))
        .withOnUpdateFilter((next, prev) -> specOrDeletionChanged(next, prev))
        .build(), context);
    // A tenant that arrives, leaves or changes its quota may change other tenants' admission:
    // the directory (fed by this controller's own cache) wakes exactly those.
    var peers = directory.peerWakes("peers");
    List<EventSource<?, ZoneTenant>> sources = new ArrayList<>(List.of(zones, links, peers, allocations, pools));
    sources.addAll(managed.eventSources(context));
    return sources;
  }

  /** Every ZoneTenant in the cache (empty before the operator starts). */
  java.util.stream.Stream<ZoneTenant> tenants() {
    return tenants == null ? java.util.stream.Stream.empty() : tenants.list();
  }

  /** Reads everything one reconcile of {@code tenant} decides from, once. */
  TenantSnapshot observe(ZoneTenant tenant, Instant now) {
    BusinessZone zone = zones.get(new ResourceID(tenant.getSpec().getZone())).orElse(null);
    ZoneAdmission.Decision admission = null;
    if (zone != null) {
      admission = directory.admission(zone, tenant);
    }
    Map<String, DataLink> named = new LinkedHashMap<>();
    if (tenant.getSpec().getEgress() != null) {
      tenant.getSpec().getEgress().forEach(l -> links.get(new ResourceID(l)).ifPresent(link -> named.put(l, link)));
    }
    List<EdgeAllocation> own = allocations.getSecondaryResources(tenant).stream()
        .sorted(Comparator.comparing(a -> a.getMetadata().getName())).toList();
    Set<String> namespaces = managed.ownedBy(Namespace.class, tenant).stream()
        .map(ns -> ns.getMetadata().getName()).collect(Collectors.toSet());
    // The pools of its allocations, and of the edge namespaces it already has (they stay, closed,
    // when their allocations go).
    Set<String> poolNames = new TreeSet<>();
    own.forEach(a -> poolNames.add(a.getSpec().getPool()));
    namespaces.forEach(ns -> EdgeAllocation.poolOfNamespace(tenant.getMetadata().getName(), ns).ifPresent(poolNames::add));
    Map<String, EdgePool> ownPools = new TreeMap<>();
    poolNames.forEach(name -> pools.get(new ResourceID(name)).ifPresent(p -> ownPools.put(name, p)));
    return new TenantSnapshot(tenant, zone, admission, named, own, ownPools, namespaces, now);
  }

  private static boolean specOrDeletionChanged(HasMetadata next, HasMetadata prev) {
    return !Objects.equals(next.getMetadata().getGeneration(), prev.getMetadata().getGeneration())
        || next.getMetadata().getDeletionTimestamp() != null;
  }

  private static Set<ResourceID> ids(List<ZoneTenant> list) {
    return list.stream().map(t -> new ResourceID(t.getMetadata().getName())).collect(Collectors.toSet());
  }

}
