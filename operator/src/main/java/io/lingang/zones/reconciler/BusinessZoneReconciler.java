package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.api.model.Node;
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
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.BusinessZoneStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.infra.CompactItemStore;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.plan.ZonePlanner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Accounts a zone's capacity (what its admitted tenants were granted, what is left), says when it
 * is over-committed, its trial has ended or a Dedicated zone's nodes are not tainted, and keeps a
 * zone that tenants still use from going away: observe its tenants and the nodes, plan its status
 * ({@link ZonePlanner}), report it.
 */
@ControllerConfiguration(name = "businesszone")
@GradualRetry(maxAttempts = 8, initialInterval = 500, intervalMultiplier = 2, maxInterval = 60_000)
public class BusinessZoneReconciler implements Reconciler<BusinessZone>, Cleaner<BusinessZone> {
  private final Clock clock;
  private final StatusRecorder recorder;
  private final TenantDirectory tenants;
  private IndexerResourceCache<BusinessZone> zones;
  private InformerEventSource<Node, BusinessZone> nodes;

  public BusinessZoneReconciler(EventRecorder events, TenantDirectory tenants) {
    this(events, tenants, Clock.systemUTC());
  }

  BusinessZoneReconciler(EventRecorder events, TenantDirectory tenants, Clock clock) {
    this.recorder = new StatusRecorder(events);
    this.tenants = tenants;
    this.clock = clock;
  }

  /**
   * A tenant's change wakes its zone (both, when it moved) only when it can change the zone's
   * status; a node's labels or taints, the Dedicated zones (whose nodes must be tainted).
   */
  @Override
  public List<EventSource<?, BusinessZone>> prepareEventSources(EventSourceContext<BusinessZone> context) {
    zones = context.getPrimaryCache();
    nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, BusinessZone.class)
        .withName("nodes")
        .withItemStore(new CompactItemStore<>())
        .withSecondaryToPrimaryMapper(node -> zones.list().filter(z -> z.getSpec().getMode() == BusinessZoneSpec.Mode.Dedicated)
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper(zone -> Set.of())
        .withOnUpdateFilter((next, prev) -> !Objects.equals(next.getMetadata().getLabels(), prev.getMetadata().getLabels())
            || !Objects.equals(taints(next), taints(prev)))
        .build(), context);
    return List.of(nodes, tenants.follow("tenants", change -> change.before() != null && change.after() != null
        && change.before().sameForZone(change.after()) ? Set.of()
        : change.both().map(TenantDirectory.Facts::zone).filter(Objects::nonNull).map(ResourceID::new).collect(Collectors.toSet())));
  }

  /** Every BusinessZone in the cache (empty before the operator starts). */
  public Stream<BusinessZone> cached() {
    return zones == null ? Stream.empty() : zones.list();
  }

  @Override
  public UpdateControl<BusinessZone> reconcile(BusinessZone zone, Context<BusinessZone> context) {
    if (!tenants.synced()) {
      return UpdateControl.<BusinessZone>noUpdate().rescheduleAfter(TenantDirectory.UNTIL_SYNCED);
    }
    report(zone, context);
    UpdateControl<BusinessZone> control = UpdateControl.noUpdate();
    ZonePlanner.wakeUp(zone, clock.instant())
        .ifPresent(at -> control.rescheduleAfter(Duration.between(clock.instant(), at).plusMillis(100).toMillis()));
    return control;
  }

  /** A zone that tenants still reference stays Terminating, saying which; a tenant's deletion looks again. */
  @Override
  public DeleteControl cleanup(BusinessZone zone, Context<BusinessZone> context) {
    if (!tenants.synced()) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(TenantDirectory.UNTIL_SYNCED);
    }
    return members(zone).isEmpty() ? DeleteControl.defaultDelete() : report(zone, context);
  }

  private DeleteControl report(BusinessZone zone, Context<BusinessZone> context) {
    BusinessZoneStatus status = ZonePlanner.status(zone, members(zone), tenants.totals(zone), nodes.list().toList(),
        clock.instant(), clock);
    recorder.write(zone, status, BusinessZone::new, context);
    recorder.announce(zone, ZonePlanner.announcements(zone.getStatus(), status), List.of());
    return DeleteControl.noFinalizerRemoval();
  }

  private static Object taints(Node node) {
    return node.getSpec() == null ? null : node.getSpec().getTaints();
  }

  private List<ZoneTenant> members(BusinessZone zone) {
    return tenants.members(zone.getMetadata().getName());
  }
}
