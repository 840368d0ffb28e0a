package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.lingang.zones.api.v1alpha1.ApiGroup;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgeGrant;
import io.lingang.zones.api.v1alpha1.QuotaUsage;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantSpec;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.lingang.zones.desired.TenantObjects;
import io.lingang.zones.desired.TenantResources;
import io.lingang.zones.desired.TenantRoles;
import io.lingang.zones.desired.TenantStatusReport;
import io.lingang.zones.infra.OperatorMetrics;
import io.lingang.zones.plan.QuotaTotals;
import io.lingang.zones.plan.TenantOutcome;
import io.lingang.zones.plan.TenantPlan;
import io.lingang.zones.plan.TenantStatusPlan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The apply step of a tenant's reconcile: claims its namespaces, writes what the plan wants into
 * those that turned out to be its own, deletes what it no longer wants, lets go of namespaces it
 * no longer has, and says what it found.
 */
final class TenantApplier {
  private final ManagedKinds kinds;
  private final OperatorMetrics metrics;

  TenantApplier(ManagedKinds kinds, OperatorMetrics metrics) {
    this.kinds = kinds;
    this.metrics = metrics;
  }

  TenantOutcome apply(ZoneTenant tenant, TenantPlan plan, ObjectWriter writer) {
    List<String> repaired = new ArrayList<>();
    Set<String> owned = new LinkedHashSet<>();
    List<Namespace> ownedNamespaces = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    for (Namespace ns : TenantResources.namespaces(plan.inputs())) {
      ObjectWriter.Claim claim = writer.claimNamespace(ns);
      if (!claim.ours()) {
        conflicts.add(ns.getMetadata().getName());
        continue;
      }
      owned.add(ns.getMetadata().getName());
      ownedNamespaces.add(ns);
      note(claim.repaired(), ns, repaired);
    }
    // Only now is it known which namespaces are the tenant's: objects go into those alone, and
    // only ServiceAccounts living in them are bound.
    TenantObjects desired = TenantResources.build(plan.inputs(), owned);
    for (HasMetadata object : concat(desired.namespaced(), desired.clusterScoped())) {
      note(writer.apply(object).repaired(), object, repaired);
    }
    prune(tenant, concat(desired.namespaced(), desired.clusterScoped()), owned, writer);
    Set<String> wanted = desired.namespaces().stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    letGoOf(tenant, kinds.ownedBy(Namespace.class, tenant).stream().filter(ns -> !wanted.contains(ns.getMetadata().getName())).toList(),
        writer);
    return new TenantOutcome(List.copyOf(owned), conflicts, desired.appliedLinks(), desired.missingLinks(),
        desired.notAllowedLinks(), desired.unboundSubjects(), repaired, usage(ownedNamespaces));
  }

  /** A tenant that is not admitted has no namespaces, but its admins and viewers may read why. */
  TenantOutcome grantReadAccessOnly(ZoneTenant tenant, TenantPlan plan, ObjectWriter writer) {
    List<HasMetadata> access = TenantResources.readAccess(tenant, tenant.getSpec().getZone(), plan.allocationNames(), Set.of());
    access.forEach(writer::apply);
    prune(tenant, access, Set.of(), writer);
    return TenantOutcome.nothing();
  }

  /** Deletes generated objects the tenant no longer needs; objects with a chart's name are only let go of. */
  private void prune(ZoneTenant tenant, List<HasMetadata> wanted, Set<String> owned, ObjectWriter writer) {
    Set<String> keep = wanted.stream().map(TenantApplier::key).collect(Collectors.toSet());
    for (Class<? extends HasMetadata> kind : ManagedKinds.PRUNED) {
      for (HasMetadata actual : kinds.ownedBy(kind, tenant)) {
        String ns = actual.getMetadata().getNamespace();
        if ((ns == null || owned.contains(ns)) && !keep.contains(key(actual))) {
          removeCleanly(actual, writer);
        }
      }
    }
  }

  /**
   * An object carrying a name the chart fixes was taken over by a tenant of that name under an
   * earlier version: it is let go of (our labels and owner reference removed), never deleted.
   */
  static void removeCleanly(HasMetadata actual, ObjectWriter writer) {
    if (actual.getMetadata().getNamespace() == null && TenantRoles.CHART_NAMES.contains(actual.getMetadata().getName())) {
      writer.disown(actual);
    } else {
      writer.delete(actual);
    }
  }

  /**
   * Lets go of namespaces the tenant no longer has: Delete removes them, Retain closes them. An
   * edge namespace also goes when its allocations vanish, as they do first when the CRDs are
   * deleted: then nothing is let go of.
   */
  void letGoOf(ZoneTenant tenant, List<Namespace> namespaces, ObjectWriter writer) {
    if (namespaces.isEmpty() || crdsBeingDeleted(writer)) {
      return;
    }
    boolean delete = tenant.getSpec().getDeletionPolicy() == ZoneTenantSpec.DeletionPolicy.Delete;
    namespaces.forEach(ns -> {
      if (delete) {
        writer.delete(ns);
      } else {
        writer.release(ns);
      }
    });
  }

  /** On the tenant's deletion: its namespaces let go of, its read access deleted at once. */
  void offboard(ZoneTenant tenant, ObjectWriter writer) {
    letGoOf(tenant, kinds.ownedBy(Namespace.class, tenant), writer);
    // Not left to the garbage collector, which may take a while: until they go, the former admins
    // could read a later tenant that happens to get the same name.
    for (Class<? extends HasMetadata> kind : List.of(ClusterRoleBinding.class, ClusterRole.class)) {
      kinds.ownedBy(kind, tenant).forEach(object -> removeCleanly(object, writer));
    }
  }

  /** Deleting the CRDs deletes every ZoneTenant and EdgeAllocation: never a reason to let data go. */
  static boolean crdsBeingDeleted(ObjectWriter writer) {
    return writer.crdGoneOrDeleting(ZoneTenant.class) || writer.crdGoneOrDeleting(EdgeAllocation.class);
  }

  /** The tenant's TenantStatus objects as now written, and the edge grants they showed before. */
  record Reports(List<TenantStatus> objects, List<EdgeGrant> grantsBefore) {}

  /** The TenantStatus in each of the tenant's namespaces, made and kept up to date. */
  Reports report(ZoneTenant tenant, String mode, ZoneTenantStatus status, TenantPlan plan,
      List<EdgeAllocation> allocations, ObjectWriter writer) {
    List<TenantStatus> objects = new ArrayList<>();
    List<EdgeGrant> grantsBefore = null;
    for (String ns : Optional.ofNullable(status.getNamespaces()).orElse(List.of())) {
      TenantStatus desired = TenantStatusReport.object(tenant, tenant.getSpec().getZone(), ns);
      writer.apply(desired);
      // Just written or found in the cache: the cache has it now.
      TenantStatus cached = kinds.cached(desired).orElseThrow();
      if (grantsBefore == null && cached.getStatus() != null) {
        grantsBefore = cached.getStatus().getEdgeAllocations();
      }
      long generation = cached.getMetadata().getGeneration() == null ? 1 : cached.getMetadata().getGeneration();
      var report = TenantStatusPlan.report(tenant, mode, status, plan, allocations, generation);
      if (!StatusRecorder.same(cached.getStatus(), report)) {
        writer.writeStatus(cached, report);
      }
      objects.add(kinds.cached(desired).orElse(cached));
    }
    return new Reports(objects, grantsBefore == null ? List.of() : grantsBefore);
  }

  /** The quota controller's view of the tenant's quotas, zone and edge namespaces apart. */
  private QuotaUsage usage(List<Namespace> namespaces) {
    List<ResourceQuota> zone = new ArrayList<>();
    List<ResourceQuota> edge = new ArrayList<>();
    for (Namespace ns : namespaces) {
      boolean isEdge = ns.getMetadata().getLabels() != null && ns.getMetadata().getLabels().containsKey(ApiGroup.LABEL_EDGE_POOL);
      kinds.cached(ResourceQuota.class, TenantResources.QUOTA, ns.getMetadata().getName()).ifPresent(isEdge ? edge::add : zone::add);
    }
    return QuotaTotals.of(zone, edge);
  }

  private void note(boolean repaired, HasMetadata object, List<String> into) {
    if (repaired) {
      metrics.driftRepaired(object.getKind());
      into.add(object.getKind() + " " + (object.getMetadata().getNamespace() == null ? ""
          : object.getMetadata().getNamespace() + "/") + object.getMetadata().getName());
    }
  }

  private static List<HasMetadata> concat(List<? extends HasMetadata> a, List<? extends HasMetadata> b) {
    List<HasMetadata> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
