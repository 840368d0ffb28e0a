package io.lingang.zones.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
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
  private final ZoneLedgers ledgers = new ZoneLedgers();

  ZoneTenants(EventSourceContext<BusinessZone> context) {
    super(InformerEventSourceConfiguration.from(ZoneTenant.class, BusinessZone.class)
        .withName("tenants")
        .withItemStore(new CompactItemStore<>())
        .withSecondaryToPrimaryMapper(t -> Set.of(new ResourceID(t.getSpec().getZone())))
        .withOnUpdateFilter((next, prev) -> admissionFactsChanged(next, prev))
        .build(), context);
    addIndexers(Map.of(BY_ZONE, t -> List.of(t.getSpec().getZone())));
  }

  List<ZoneTenant> of(BusinessZone zone) {
    return byIndex(BY_ZONE, zone.getMetadata().getName());
  }

  ZoneAdmission.Totals totals(BusinessZone zone) {
    return ledgers.totals(zone);
  }

  @Override
  public void onAdd(ZoneTenant tenant) {
    ledgers.observe(tenant);
    super.onAdd(tenant);
  }

  @Override
  public void onUpdate(ZoneTenant previous, ZoneTenant tenant) {
    ledgers.observe(tenant);
    super.onUpdate(previous, tenant);
  }

  @Override
  public void onDelete(ZoneTenant tenant, boolean finalStateUnknown) {
    ledgers.forget(tenant);
    super.onDelete(tenant, finalStateUnknown);
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
