package io.lingang.zones.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.AdmissionView;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.capacity.ZoneLedgers;
import io.lingang.zones.infra.CompactItemStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The zone reconciler's view of the tenants: each zone's members, and its totals kept up to date
 * tenant by tenant in a {@link ZoneLedgers} rather than recomputed over the zone on every
 * reconcile. A tenant's change wakes its zone only when it can change the zone's status.
 */
final class ZoneTenants extends InformerEventSource<ZoneTenant, BusinessZone> {
  private static final String BY_ZONE = "tenants-by-zone";
  private final ZoneLedgers ledgers;

  ZoneTenants(EventSourceContext<BusinessZone> context) {
    this(context, new ZoneLedgers());
  }

  /**
   * The ledgers are fed by the informer's store itself, not its event handlers (which run later):
   * a zone reconciled right after a start sees every tenant the cache holds, never a partial sum
   * that it would write and then correct.
   */
  private ZoneTenants(EventSourceContext<BusinessZone> context, ZoneLedgers ledgers) {
    super(InformerEventSourceConfiguration.from(ZoneTenant.class, BusinessZone.class)
        .withName("tenants")
        .withItemStore(new CompactItemStore<>(new CompactItemStore.Listener<ZoneTenant>() {
          @Override
          public void stored(ZoneTenant tenant) {
            ledgers.observe(tenant);
          }

          @Override
          public void removed(ZoneTenant tenant) {
            ledgers.forget(tenant);
          }
        }, AdmissionView::of))
        .withSecondaryToPrimaryMapper(t -> Set.of(new ResourceID(t.getSpec().getZone())))
        .withOnUpdateFilter((next, prev) -> admissionFactsChanged(next, prev))
        .build(), context);
    this.ledgers = ledgers;
    addIndexers(Map.of(BY_ZONE, t -> List.of(t.getSpec().getZone())));
  }

  List<ZoneTenant> of(BusinessZone zone) {
    return byIndex(BY_ZONE, zone.getMetadata().getName());
  }

  ZoneAdmission.Totals totals(BusinessZone zone) {
    return ledgers.totals(zone);
  }

  /** What the zone's status is made of: its members, their quotas and grants. */
  private static boolean admissionFactsChanged(ZoneTenant next, ZoneTenant prev) {
    return !Objects.equals(next.getMetadata().getGeneration(), prev.getMetadata().getGeneration())
        || next.getMetadata().getDeletionTimestamp() != null
        || ZoneTenant.isAdmitted(next) != ZoneTenant.isAdmitted(prev)
        || !Objects.equals(grant(next), grant(prev));
  }

  private static Object grant(ZoneTenant t) {
    return t.getStatus() == null ? null : t.getStatus().getGrantedQuota();
  }
}
