package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.desired.ManagedLabels;
import io.lingang.zones.infra.CompactItemStore;
import io.lingang.zones.plan.QuotaTotals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one registry of the kinds the operator generates for tenants, and their caches: each kind
 * is watched by an informer that selects the operator's label only (nothing else of the cluster is
 * cached) and maps every change back to its tenant, so drift is repaired within a second.
 */
final class ManagedKinds implements ObjectWriter.Caches {
  /** Every kind, in the order objects are written: namespaces first, cluster-scoped access last. */
  static final List<Class<? extends HasMetadata>> ALL = List.of(Namespace.class, ResourceQuota.class, LimitRange.class,
      NetworkPolicy.class, RoleBinding.class, TenantStatus.class, ClusterRole.class, ClusterRoleBinding.class);
  /** What a tenant's reconcile deletes when its desired state no longer has it. */
  static final List<Class<? extends HasMetadata>> PRUNED = List.of(ResourceQuota.class, LimitRange.class,
      NetworkPolicy.class, RoleBinding.class, ClusterRole.class, ClusterRoleBinding.class);

  private final Map<Class<?>, InformerEventSource<? extends HasMetadata, ZoneTenant>> sources = new LinkedHashMap<>();
  private final DriftLedger drift;
  /** The watch events of our own writes wake nobody; someone else's change during one still does. */
  private final OwnWrites own = new OwnWrites();
  private final SimpleInboundEventSource<ZoneTenant> changedWhileWriting = new SimpleInboundEventSource<>("changed-while-writing");

  ManagedKinds(DriftLedger drift) {
    this.drift = drift;
  }

  /** The informers, to register with the tenant reconciler. */
  List<EventSource<?, ZoneTenant>> eventSources(EventSourceContext<ZoneTenant> context) {
    for (Class<? extends HasMetadata> kind : ALL) {
      sources.put(kind, informer(kind, context));
    }
    List<EventSource<?, ZoneTenant>> all = new ArrayList<>(sources.values());
    all.add(changedWhileWriting);
    return all;
  }

  private <R extends HasMetadata> InformerEventSource<R, ZoneTenant> informer(Class<R> kind, EventSourceContext<ZoneTenant> context) {
    var config = InformerEventSourceConfiguration.from(kind, ZoneTenant.class)
        .withOnAddFilter(r -> !ours(r))
        .withOnUpdateFilter(kind == ResourceQuota.class
            ? (next, prev) -> !ours(next) && !sameAsReported((ResourceQuota) next, (ResourceQuota) prev)
            : (next, prev) -> !ours(next));
    return new InformerEventSource<>(config
        .withName(kind.getSimpleName())
        .withLabelSelector(ManagedLabels.SELECTOR)
        .withItemStore(new CompactItemStore<>())
        .withSecondaryToPrimaryMapper(r -> {
          String tenant = ManagedLabels.tenantOf(r);
          return tenant == null ? Set.of() : Set.of(new ResourceID(tenant));
        })
        // A deletion someone else made is what a later re-creation repairs.
        .withOnDeleteFilter((r, unknown) -> {
          own.forget(key(r));
          drift.deleted(r);
          return true;
        })
        .build(), context);
  }

  /**
   * Whether a quota changed only in what its tenant's report already says: the quota controller's
   * first count of a new quota (nothing used, as the report assumed until then) wakes nobody; a
   * change of what is used, or of anything but the status (drift), wakes its tenant.
   */
  static boolean sameAsReported(ResourceQuota next, ResourceQuota prev) {
    var a = next.getMetadata();
    var b = prev.getMetadata();
    return Objects.equals(next.getSpec(), prev.getSpec()) && Objects.equals(a.getLabels(), b.getLabels())
        && Objects.equals(a.getAnnotations(), b.getAnnotations()) && Objects.equals(a.getOwnerReferences(), b.getOwnerReferences())
        && a.getDeletionTimestamp() == null
        && Objects.equals(QuotaTotals.of(List.of(next), List.of()), QuotaTotals.of(List.of(prev), List.of()));
  }

  @SuppressWarnings("unchecked")
  <R extends HasMetadata> InformerEventSource<R, ZoneTenant> source(Class<R> kind) {
    return (InformerEventSource<R, ZoneTenant>) sources.get(kind);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> Optional<R> cached(R like) {
    return source((Class<R>) like.getClass()).get(new ResourceID(like.getMetadata().getName(), like.getMetadata().getNamespace()));
  }

  <R extends HasMetadata> Optional<R> cached(Class<R> kind, String name, String namespace) {
    return source(kind).get(new ResourceID(name, namespace));
  }

  /** The tenant's generated objects of one kind, from the informer's index by tenant label. */
  <R extends HasMetadata> List<R> ownedBy(Class<R> kind, ZoneTenant tenant) {
    return List.copyOf(source(kind).getSecondaryResources(tenant));
  }

  @Override
  public void writing(HasMetadata object, boolean inFlight) {
    if (inFlight) {
      own.begin(key(object));
    } else if (own.end(key(object))) {
      String tenant = ManagedLabels.tenantOf(object);
      if (tenant != null) {
        changedWhileWriting.propagateEvent(new ResourceID(tenant));
      }
    }
  }

  private boolean ours(HasMetadata object) {
    return own.ours(key(object), object.getMetadata().getResourceVersion());
  }

  private static String key(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  /** Tells the cache about our own write, so the next reconcile sees it and its watch event wakes nobody. */
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void wrote(ZoneTenant tenant, HasMetadata written, HasMetadata before) {
    InformerEventSource source = source(written.getClass());
    ResourceID primary = ResourceID.fromResource(tenant);
    own.made(key(written), written.getMetadata().getResourceVersion());
    if (before == null) {
      source.handleRecentResourceCreate(primary, written);
    } else {
      source.handleRecentResourceUpdate(primary, written, before);
    }
  }
}
