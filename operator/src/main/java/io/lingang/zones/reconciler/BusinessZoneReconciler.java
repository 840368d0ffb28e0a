package io.lingang.zones.reconciler;

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
import io.lingang.zones.api.v1alpha1.BusinessZoneStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.InvalidQuantityException;
import io.lingang.zones.capacity.ResourceList;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.infra.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts a zone's capacity (what its admitted tenants were granted, what is left), says when it
 * is over-committed or its trial has ended, and keeps a zone that tenants still use from going away.
 */
@ControllerConfiguration(name = "businesszone")
public class BusinessZoneReconciler implements Reconciler<BusinessZone>, Cleaner<BusinessZone> {
  static final String TENANTS_BY_ZONE = "tenants-by-zone";
  private static final Logger log = LoggerFactory.getLogger(BusinessZoneReconciler.class);

  private final Clock clock;
  private final EventRecorder events;
  private InformerEventSource<ZoneTenant, BusinessZone> tenants;
  private IndexerResourceCache<BusinessZone> zones;

  public BusinessZoneReconciler(EventRecorder events) {
    this(events, Clock.systemUTC());
  }

  BusinessZoneReconciler(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, BusinessZone>> prepareEventSources(EventSourceContext<BusinessZone> context) {
    zones = context.getPrimaryCache();
    tenants = new InformerEventSource<>(InformerEventSourceConfiguration.from(ZoneTenant.class, BusinessZone.class)
        .withName("tenants")
        .withSecondaryToPrimaryMapper(t -> Set.of(new ResourceID(t.getSpec().getZone())))
        .build(), context);
    tenants.addIndexers(Map.of(TENANTS_BY_ZONE, t -> List.of(t.getSpec().getZone())));
    return List.of(tenants);
  }

  /** Every BusinessZone in the cache (empty before the operator starts). */
  public Stream<BusinessZone> cached() {
    return zones == null ? Stream.empty() : zones.list();
  }

  @Override
  public UpdateControl<BusinessZone> reconcile(BusinessZone zone, Context<BusinessZone> context) {
    List<ZoneTenant> members = tenants.byIndex(TENANTS_BY_ZONE, zone.getMetadata().getName());
    Instant trialEnd = Trials.endOf(zone);
    boolean expired = trialEnd != null && !clock.instant().isBefore(trialEnd);
    BusinessZoneStatus status = desiredStatus(zone, members, expired, trialEnd, clock);
    recordTransitions(zone, status);

    UpdateControl<BusinessZone> control = StatusPatches.patchIfChanged(zone, status, BusinessZone::new);
    if (trialEnd != null && !expired) {
      control.rescheduleAfter(Duration.between(clock.instant(), trialEnd).plusMillis(100).toMillis());
    }
    return control;
  }

  static BusinessZoneStatus desiredStatus(BusinessZone zone, List<ZoneTenant> members, boolean expired,
      Instant trialEnd, Clock clock) {
    BusinessZoneStatus status = new BusinessZoneStatus();
    Long generation = zone.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    Conditions conditions = Conditions.after(zone.getStatus(), generation, clock);
    try {
      ZoneAdmission.Result result = ZoneAdmission.decide(zone, members);
      status.setTenants(result.admitted());
      // Every resource the zone offers, 0 when nothing of it is allocated.
      ResourceList none = result.capacity().minus(result.capacity());
      status.setAllocated(none.plus(result.allocated()).only(result.capacity().names()).toQuantities());
      status.setAvailable(result.available().toQuantities());
      boolean over = result.overCommitted();
      conditions.set(Conditions.READY, true, "Available", result.admitted() + " of " + members.size()
          + " tenants admitted" + (over ? "; over-committed: admitted tenants hold more than the capacity" : ""));
      conditions.set(BusinessZone.COND_OVER_COMMITTED, over, over ? "CapacityBelowAllocated" : "WithinCapacity",
          over ? "admitted tenants hold more than the capacity; nothing is revoked, but no tenant is admitted until it fits"
              : "admitted tenants fit the capacity");
    } catch (InvalidQuantityException e) {
      conditions.set(Conditions.READY, false, "InvalidCapacity", "spec.capacity or tenantDefaults: " + e.getMessage());
      conditions.set(BusinessZone.COND_OVER_COMMITTED, false, "Unknown", "the capacity cannot be read");
      conditions.set(Conditions.STALLED, true, "InvalidCapacity", e.getMessage());
    }
    conditions.set(BusinessZone.COND_EXPIRED, expired, expired ? "TrialEnded" : "TrialRunning",
        trialEnd == null ? "the zone has no trial end"
            : expired ? "the trial ended at " + trialEnd + "; every tenant is suspended"
            : "the trial ends at " + trialEnd);
    status.setConditions(conditions.build());
    return status;
  }

  @Override
  public DeleteControl cleanup(BusinessZone zone, Context<BusinessZone> context) {
    List<String> remaining = tenants.byIndex(TENANTS_BY_ZONE, zone.getMetadata().getName()).stream()
        .map(t -> t.getMetadata().getName()).sorted().toList();
    if (remaining.isEmpty()) {
      return DeleteControl.defaultDelete();
    }
    String message = "zone is still used by tenants " + String.join(", ", remaining)
        + "; it is deleted once they are gone";
    BusinessZoneStatus status = desiredStatus(zone, tenants.byIndex(TENANTS_BY_ZONE, zone.getMetadata().getName()),
        false, Trials.endOf(zone), clock);
    status.setConditions(Conditions.after(status, zone.getMetadata().getGeneration(), clock)
        .keep(status.getConditions())
        .set(Conditions.READY, false, "TenantsRemain", message)
        .build());
    if (!StatusPatches.sameStatus(zone.getStatus(), status)) {
      events.record(zone, EventRecorder.WARNING, "TenantsRemain", message);
      try {
        context.getClient().resource(StatusPatches.statusOnly(zone, status, BusinessZone::new)).patchStatus();
      } catch (KubernetesClientException e) {
        log.warn("Could not report why zone {} waits: {}", zone.getMetadata().getName(), e.getMessage());
      }
    }
    // A tenant's deletion triggers this again through the tenant informer.
    return DeleteControl.noFinalizerRemoval();
  }

  private void recordTransitions(BusinessZone zone, BusinessZoneStatus next) {
    for (String type : List.of(BusinessZone.COND_OVER_COMMITTED, BusinessZone.COND_EXPIRED)) {
      var now = next.condition(type).orElse(null);
      var before = zone.getStatus() == null ? null : zone.getStatus().condition(type).orElse(null);
      if (now != null && "True".equals(now.getStatus()) && (before == null || !Objects.equals(before.getStatus(), now.getStatus()))) {
        events.record(zone, EventRecorder.WARNING, now.getReason(), now.getMessage());
      }
    }
  }
}
