package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.ReconcilerUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.infra.OperatorMetrics;
import io.lingang.zones.plan.Announcement;
import io.lingang.zones.plan.Conditions;
import io.lingang.zones.plan.Health;
import io.lingang.zones.plan.TenantOutcome;
import io.lingang.zones.plan.TenantPlan;
import io.lingang.zones.plan.TenantPlanner;
import io.lingang.zones.plan.TenantSnapshot;
import io.lingang.zones.plan.TenantStatusPlan;
import io.lingang.zones.plan.Transitions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Provisions one pilot company, in four steps: observe (read the caches once,
 * {@link TenantWatches}), plan (decide purely, {@link TenantPlanner}), apply (claim, write, prune,
 * {@link TenantApplier}) and report (the status, the TenantStatus objects and the events of what
 * changed, {@link TenantStatusPlan} and {@link StatusRecorder}).
 *
 * <p>It keeps its finalizer itself (JOSDK calls it for every event, deletions included): added in
 * the pass that provisions a new tenant, before anything is created, and removed once the tenant is
 * offboarded. JOSDK's own handling would add it in a pass of its own, one reconcile more per tenant.
 */
@ControllerConfiguration(name = "zonetenant", triggerReconcilerOnAllEvents = true, generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = ZoneTenantReconciler.Wakes.class))
@GradualRetry(maxAttempts = 8, initialInterval = 500, intervalMultiplier = 2, maxInterval = 60_000)
public class ZoneTenantReconciler implements Reconciler<ZoneTenant> {
  /**
   * Holds a tenant until it is offboarded: its namespaces carry no owner reference (SPEC.md). The
   * name JOSDK gave it when it kept it, so that tenants of earlier versions keep theirs.
   */
  public static final String FINALIZER = ReconcilerUtils.getDefaultFinalizerName(ZoneTenant.class);

  /**
   * The changes of a ZoneTenant that wake it: its spec (a new generation), its deletion, and a
   * finalizer someone took away (put back at once). Its own status and metadata do not.
   */
  public static final class Wakes implements OnUpdateFilter<ZoneTenant> {
    @Override
    public boolean accept(ZoneTenant now, ZoneTenant before) {
      return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
          || now.isMarkedForDeletion() && !before.isMarkedForDeletion()
          || !now.isMarkedForDeletion() && !now.hasFinalizer(FINALIZER);
    }
  }

  private final Clock clock;
  private final EventRecorder events;
  private final DriftLedger drift = new DriftLedger();
  private final TenantWatches watches;
  private final TenantApplier applier;
  private final StatusRecorder recorder;
  private final Finalizer finalizer = new Finalizer(FINALIZER);

  /**
   * @param directory the store of this controller's cache (register it with
   *     {@code withItemStore(directory.store())}): the other controllers read the tenants there
   */
  public ZoneTenantReconciler(EventRecorder events, OperatorMetrics metrics, TenantDirectory directory) {
    this(events, metrics, directory, Clock.systemUTC());
  }

  ZoneTenantReconciler(EventRecorder events, OperatorMetrics metrics, TenantDirectory directory, Clock clock) {
    this.clock = clock;
    this.watches = new TenantWatches(new ManagedKinds(drift), directory);
    this.events = events;
    this.applier = new TenantApplier(watches.managed, metrics);
    this.recorder = new StatusRecorder(events);
  }

  /** The kinds the operator generates for tenants and repairs when someone else changes them ("NetworkPolicy", ...). */
  public static List<String> managedKinds() {
    return ManagedKinds.ALL.stream().map(io.fabric8.kubernetes.api.model.HasMetadata::getKind).toList();
  }

  /** Every ZoneTenant in the cache (empty before the operator starts). */
  public Stream<ZoneTenant> cached() {
    return watches.tenants();
  }

  @Override
  public List<EventSource<?, ZoneTenant>> prepareEventSources(EventSourceContext<ZoneTenant> context) {
    return watches.eventSources(context);
  }

  @Override
  public UpdateControl<ZoneTenant> reconcile(ZoneTenant seen, Context<ZoneTenant> context) {
    if (context.isPrimaryResourceDeleted()) {
      return UpdateControl.noUpdate(); // gone: offboarded, or deleted before anything was made for it
    }
    if (seen.isMarkedForDeletion()) {
      if (seen.hasFinalizer(FINALIZER)) {
        offboard(seen, context);
      }
      return UpdateControl.noUpdate();
    }
    ZoneTenant tenant = finalizer.hold(seen, context); // before anything is made for it
    TenantSnapshot snapshot = watches.observe(tenant, clock.instant());
    TenantPlan plan = TenantPlanner.plan(snapshot);
    ObjectWriter writer = writer(tenant, context);
    TenantOutcome outcome = plan.admitted() ? applier.apply(tenant, plan, writer) : applier.grantReadAccessOnly(tenant, plan, writer);
    ZoneTenantStatus status = TenantStatusPlan.status(tenant, plan, outcome, clock);
    String mode = snapshot.zone() == null ? null : snapshot.zone().getSpec().getMode().name();
    var reports = applier.report(tenant, mode, status, plan, snapshot.allocations(), writer);
    recorder.write(tenant, status, ZoneTenant::new, context);
    recorder.announce(tenant, TenantStatusPlan.announcements(tenant.getStatus(), status, outcome), reports.objects());
    recorder.announce(reports.objects(), TenantStatusPlan.edgeAnnouncements(reports.grantsBefore(), reports.objects().isEmpty()
        ? List.of() : reports.objects().get(0).getStatus().getEdgeAllocations()));
    UpdateControl<ZoneTenant> control = UpdateControl.noUpdate();
    plan.wakeUp().ifPresent(at -> control.rescheduleAfter(Duration.between(clock.instant(), at).plusMillis(100).toMillis()));
    return control;
  }

  /**
   * A reconcile that failed (the API server refused a write, say) says so in Ready, with the API
   * server's own words, and keeps Reconciling=True while JOSDK retries with backoff; after the last
   * attempt it is Stalled until something changes.
   */
  @Override
  public ErrorStatusUpdateControl<ZoneTenant> updateErrorStatus(ZoneTenant tenant, Context<ZoneTenant> context, Exception e) {
    boolean last = context.getRetryInfo().map(r -> r.isLastAttempt()).orElse(true);
    String message = "the API server refused a write: " + apiMessage(e) + (last ? "" : "; retrying");
    ZoneTenantStatus status = new ZoneTenantStatus();
    ZoneTenantStatus previous = tenant.getStatus();
    if (previous != null) {
      status.setNamespaces(previous.getNamespaces());
      status.setEgress(previous.getEgress());
      status.setQuota(previous.getQuota());
      status.setGrantedQuota(previous.getGrantedQuota());
    }
    status.setObservedGeneration(tenant.getMetadata().getGeneration());
    Conditions conditions = Conditions.after(previous, tenant.getMetadata().getGeneration(), clock);
    previous = previous == null ? new ZoneTenantStatus() : previous;
    previous.getConditions().forEach(c -> conditions.set(c.getType(), "True".equals(c.getStatus()), c.getReason(), c.getMessage()));
    conditions.health(last ? Health.stalled("ProvisioningFailed", message) : Health.progressing("ProvisioningFailed", message));
    status.setConditions(conditions.build());
    try {
      recorder.write(tenant, status, ZoneTenant::new, context);
      recorder.announce(tenant, Transitions.between(tenant.getStatus(), status, Map.of(Conditions.READY, Transitions.warnWhenFalse())), List.of());
    } catch (RuntimeException writeFailed) {
      // The status cannot be written either (the API server is away): JOSDK retries all the same.
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** Offboards the tenant (or, when the CRDs are going away, keeps everything), then lets it go. */
  private void offboard(ZoneTenant tenant, Context<ZoneTenant> context) {
    ObjectWriter writer = writer(tenant, context);
    if (TenantApplier.crdsBeingDeleted(writer)) {
      // Not an offboarding: the API is going away (or being restored). Everything stays as it is,
      // still isolated, and a ZoneTenant of the same name and zone restored later takes it back.
      recorder.announce(tenant, List.of(Announcement.normal("Released", "the CRDs are being deleted: namespaces kept as they are")),
          List.of());
      finalizer.release(tenant, context);
      return;
    }
    applier.offboard(tenant, writer);
    boolean delete = tenant.getSpec().getDeletionPolicy() == io.lingang.zones.api.v1alpha1.ZoneTenantSpec.DeletionPolicy.Delete;
    recorder.announce(tenant, List.of(Announcement.normal("Offboarded", delete ? "namespaces deleted"
        : "namespaces retained and closed: default deny only, no new pods, no bindings, no longer managed")), List.of());
    finalizer.release(tenant, context);
  }

  private ObjectWriter writer(ZoneTenant tenant, Context<ZoneTenant> context) {
    return new ObjectWriter(context.getClient(), context.getControllerConfiguration().fieldManager(), tenant, watches.managed, drift);
  }

  static String apiMessage(Exception e) {
    Throwable cause = e;
    while (cause != null) {
      if (cause instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
        return k.getStatus().getMessage();
      }
      cause = cause.getCause();
    }
    return e.getMessage();
  }
}
