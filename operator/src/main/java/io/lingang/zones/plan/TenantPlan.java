package io.lingang.zones.plan;

import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.desired.TenantInputs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a ZoneTenant should have now, decided from a {@link TenantSnapshot} alone.
 *
 * @param admission the zone's decision: {@link ZoneAdmission.Admitted} or {@link ZoneAdmission.Refused}
 * @param inputs everything the tenant's desired objects depend on; null unless admitted
 * @param suspension whether new pods may start, and why not
 * @param allocationNames the tenant's EdgeAllocations, which its admins and viewers may read
 * @param wakeUp when to look again without any event (the trial's end)
 */
public record TenantPlan(
    ZoneAdmission.Decision admission,
    TenantInputs inputs,
    Suspension suspension,
    List<String> allocationNames,
    Optional<Instant> wakeUp) {

  public boolean admitted() {
    return admission instanceof ZoneAdmission.Admitted;
  }

  /** @param trialEnd the zone's trial end, or null */
  public record Suspension(boolean bySpec, boolean trialExpired, Instant trialEnd) {
    public boolean suspended() {
      return bySpec || trialExpired;
    }
  }
}
