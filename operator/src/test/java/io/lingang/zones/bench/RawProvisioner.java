package io.lingang.zones.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.QuotaUsage;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.desired.TenantObjects;
import io.lingang.zones.desired.TenantResources;
import io.lingang.zones.desired.TenantStatusReport;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.plan.Announcement;
import io.lingang.zones.plan.TenantOutcome;
import io.lingang.zones.plan.TenantPlan;
import io.lingang.zones.plan.TenantPlanner;
import io.lingang.zones.plan.TenantSnapshot;
import io.lingang.zones.plan.TenantStatusPlan;
import io.lingang.zones.reconciler.ZoneTenantReconciler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The yardstick: a client that makes, as fast as it can, exactly the objects the operator makes
 * for a fresh tenant, and nothing else. Per tenant, in order: the ZoneTenant (with the operator's
 * finalizer already in it), its namespaces, the objects inside them, its ClusterRole and
 * ClusterRoleBinding, a TenantStatus per namespace and then its status, the ZoneTenant's status, and
 * the events the operator records for a new tenant (Admitted, Provisioned, each mirrored on the
 * TenantStatus objects). The objects come from the operator's own pure functions
 * ({@link TenantPlanner}, {@link TenantResources}, {@link TenantStatusPlan}) so they are the same
 * bytes; every write is a plain create or a status update of the object just created (no reads, no
 * server-side apply, no compare). Tenants run in parallel on a fixed pool of threads.
 */
final class RawProvisioner {
  private final KubernetesClient client;
  private final Map<String, BusinessZone> zones;
  private final EventRecorder events;
  private final Map<String, Long> createdAt = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final String finalizer = ZoneTenantReconciler.FINALIZER;

  /** @param zones the zones as created, by name */
  RawProvisioner(KubernetesClient client, Map<String, BusinessZone> zones) {
    this.client = client;
    this.zones = zones;
    this.events = new EventRecorder(client);
  }

  void provision(List<ZoneTenant> tenants, int threads) throws InterruptedException {
    Parallel.forEach(tenants, threads, this::one);
  }

  /** When each ZoneTenant's create returned (nanoTime). */
  Map<String, Long> createdAt() {
    return createdAt;
  }

  /** The requests this client sent, by "VERB resource[/subresource]" as the API server counts them. */
  Map<String, Long> requests() {
    Map<String, Long> out = new TreeMap<>();
    requests.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  long requestCount() {
    return requests.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private void one(ZoneTenant spec) {
    spec.getMetadata().setFinalizers(List.of(finalizer));
    ZoneTenant tenant = create(spec, "zonetenants");
    createdAt.put(tenant.getMetadata().getName(), System.nanoTime());

    BusinessZone zone = zones.get(tenant.getSpec().getZone());
    TenantPlan plan = TenantPlanner.plan(new TenantSnapshot(tenant, zone, ZoneAdmission.decide(zone, List.of(tenant))
        .of(tenant.getMetadata().getName()), Map.of(), List.of(), Map.of(), Set.of(), Instant.now()));
    if (!plan.admitted()) {
      throw new IllegalStateException("tenant " + tenant.getMetadata().getName() + " would not be admitted: " + plan.admission());
    }
    Set<String> owned = new LinkedHashSet<>();
    for (Namespace ns : TenantResources.namespaces(plan.inputs())) {
      create(ns, "namespaces");
      owned.add(ns.getMetadata().getName());
    }
    TenantObjects objects = TenantResources.build(plan.inputs(), owned);
    for (HasMetadata object : objects.namespaced()) {
      create(object, plural(object));
    }
    for (HasMetadata object : objects.clusterScoped()) {
      create(object, plural(object));
    }

    // What the operator's first reconcile reports: the quota controller has not counted yet.
    TenantOutcome outcome = new TenantOutcome(List.copyOf(owned), List.of(), objects.appliedLinks(), objects.missingLinks(),
        objects.notAllowedLinks(), objects.unboundSubjects(), List.of(), new QuotaUsage(null, null));
    ZoneTenantStatus status = TenantStatusPlan.status(tenant, plan, outcome, Clock.systemUTC());
    List<TenantStatus> reports = new ArrayList<>();
    for (String ns : owned) {
      TenantStatus report = create(TenantStatusReport.object(tenant, zone.getMetadata().getName(), ns), "tenantstatuses");
      report.setStatus(TenantStatusPlan.report(tenant, zone.getSpec().getMode().name(), status, plan, List.of(),
          report.getMetadata().getGeneration()));
      reports.add(updateStatus(report, "tenantstatuses/status"));
    }
    tenant.setStatus(status);
    updateStatus(tenant, "zonetenants/status");

    for (Announcement a : TenantStatusPlan.announcements(null, status, outcome)) {
      String type = a.warning() ? EventRecorder.WARNING : EventRecorder.NORMAL;
      events.record(tenant, type, a.reason(), a.message());
      count("POST events");
      for (TenantStatus report : reports) {
        events.mirror(report, type, a.reason(), a.message());
        count("POST events");
      }
    }
  }

  private <T extends HasMetadata> T create(T object, String plural) {
    count("POST " + plural);
    return client.resource(object).create();
  }

  private <T extends HasMetadata> T updateStatus(T object, String key) {
    count("PUT " + key);
    return client.resource(object).updateStatus();
  }

  private void count(String key) {
    requests.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  private static String plural(HasMetadata object) {
    return HasMetadata.getPlural(object.getClass());
  }
}
