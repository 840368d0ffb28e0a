package io.lingang.zones.capacity;

import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ZoneLedger} per zone, fed with every ZoneTenant the operator's cache holds. */
public final class ZoneLedgers {
  private final Map<String, ZoneLedger> ledgers = new ConcurrentHashMap<>();

  /** A tenant was added or changed; returns the other tenants whose admission that changed. */
  public Set<String> observe(ZoneTenant tenant) {
    return of(tenant.getSpec().getZone()).observe(tenant);
  }

  /** A tenant is gone; returns the other tenants whose admission that changed. */
  public Set<String> forget(ZoneTenant tenant) {
    String zone = tenant.getSpec().getZone();
    ZoneLedger ledger = ledgers.get(zone);
    if (ledger == null) {
      return Set.of();
    }
    Set<String> changed = ledger.forget(tenant);
    // A zone without tenants keeps no ledger: a new one starts with its first tenant.
    ledgers.computeIfPresent(zone, (z, l) -> l.isEmpty() ? null : l);
    return changed;
  }

  /** {@code tenant}'s admission (as its reconcile sees it); {@code wake} receives the others it changed. */
  public ZoneAdmission.Decision decide(BusinessZone zone, ZoneTenant tenant, Set<String> wake) {
    return of(zone.getMetadata().getName()).decide(zone, tenant, wake);
  }

  /** The tenants of {@code zone}, as observed. */
  public List<ZoneTenant> members(String zone) {
    ZoneLedger ledger = ledgers.get(zone);
    return ledger == null ? List.of() : ledger.tenants();
  }

  /** What the zone's admitted tenants hold, against its capacity. */
  public ZoneAdmission.Totals totals(BusinessZone zone) {
    return of(zone.getMetadata().getName()).totals(zone);
  }

  private ZoneLedger of(String zone) {
    return ledgers.computeIfAbsent(zone, z -> new ZoneLedger());
  }
}
