package io.lingang.zones.plan;

import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgeAllocationStatus;
import io.lingang.zones.api.v1alpha1.Trial;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.testing.Fixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tenant's plan, status and events, as pure functions of what a reconcile observed. */
class TenantPlanTest {
  private static final Instant NOW = Instant.parse("2027-03-01T08:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final BusinessZone zone = sharedZone("pudong", quantities("pods", "10"));
  private final ZoneTenant acme = tenant("acme", "pudong", quantities("pods", "4"));

  private TenantSnapshot snapshot(ZoneTenant t, BusinessZone z, List<EdgeAllocation> allocations) {
    ZoneAdmission.Decision admission = z == null ? null : ZoneAdmission.decide(z, List.of(t)).of(t.getMetadata().getName());
    return new TenantSnapshot(t, z, admission, Map.of(), allocations, Map.of(), Set.of(), NOW);
  }

  private static TenantOutcome provisioned(String... namespaces) {
    return new TenantOutcome(List.of(namespaces), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null);
  }

  @Test
  void aTenantWhoseZoneIsNotCreatedYetWaitsInProgressNotFailed() {
    TenantPlan plan = TenantPlanner.plan(snapshot(acme, null, List.of()));
    ZoneTenantStatus status = TenantStatusPlan.status(acme, plan, TenantOutcome.nothing(), clock);

    assertThat(status.condition("Admitted")).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("ZoneNotFound"));
    assertThat(status.isTrue(Conditions.RECONCILING)).as("kstatus InProgress").isTrue();
    assertThat(status.isTrue(Conditions.STALLED)).isFalse();
  }

  @Test
  void aQuotaThatLeavesOutWhatTheZoneCapsIsAPersonsMistakeAndStalls() {
    ZoneTenant partial = tenant("acme", "pudong", quantities("requests.cpu", "1"));
    TenantPlan plan = TenantPlanner.plan(snapshot(partial, zone, List.of()));
    ZoneTenantStatus status = TenantStatusPlan.status(partial, plan, TenantOutcome.nothing(), clock);

    assertThat(status.isTrue(Conditions.STALLED)).as("kstatus Failed").isTrue();
    assertThat(status.condition(Conditions.READY)).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("QuotaIncomplete"));
  }

  @Test
  void anAdmittedTenantStaysAdmittedWhenItsZonesCapacityCannotBeRead() {
    acme.setStatus(admitted(quantities("pods", "4")));
    zone.getSpec().setCapacity(Map.of("pods", new io.fabric8.kubernetes.api.model.Quantity("lots", "")));

    TenantPlan plan = TenantPlanner.plan(snapshot(acme, zone, List.of()));

    assertThat(plan.admitted()).isTrue();
    assertThat(((ZoneAdmission.Admitted) plan.admission()).granted().amount("pods")).isEqualByComparingTo("4");
  }

  @Test
  void aProvisionedTenantIsReadyAndNeitherReconcilingNorStalled() {
    TenantPlan plan = TenantPlanner.plan(snapshot(acme, zone, List.of()));
    ZoneTenantStatus status = TenantStatusPlan.status(acme, plan, provisioned("acme"), clock);

    assertThat(status.isTrue(Conditions.READY)).isTrue();
    assertThat(status.isTrue(Conditions.RECONCILING)).isFalse();
    assertThat(status.isTrue(Conditions.STALLED)).isFalse();
    assertThat(status.getObservedGeneration()).isEqualTo(acme.getMetadata().getGeneration());
  }

  @Test
  void anExpiredTrialSuspendsAndWakesNoMoreWhileARunningTrialWakesAtItsEnd() {
    Trial trial = new Trial();
    trial.setEndsAt("2027-03-02T00:00:00Z");
    zone.getSpec().setTrial(trial);
    assertThat(TenantPlanner.plan(snapshot(acme, zone, List.of())).wakeUp()).contains(Instant.parse("2027-03-02T00:00:00Z"));

    trial.setEndsAt("2027-02-01T00:00:00Z");
    TenantPlan plan = TenantPlanner.plan(snapshot(acme, zone, List.of()));
    assertThat(plan.suspension().trialExpired()).isTrue();
    assertThat(plan.inputs().suspended()).isTrue();
    assertThat(plan.wakeUp()).isEmpty();
  }

  @Test
  void anEdgeNamespaceComesOnlyFromAnActiveAllocationOnAnExistingPool() {
    EdgeAllocation active = Fixtures.allocation("gpu", "acme", "p1", quantities("cpu", "2"));
    EdgeAllocationStatus admitted = new EdgeAllocationStatus();
    admitted.setConditions(List.of(condition("Admitted", "True", "Admitted")));
    active.setStatus(admitted);
    EdgeAllocation waiting = Fixtures.allocation("more", "acme", "p2", quantities("cpu", "2"));
    TenantSnapshot s = new TenantSnapshot(acme, zone, ZoneAdmission.decide(zone, List.of(acme)).of("acme"), Map.of(),
        List.of(active, waiting), Map.of("p1", Fixtures.edgePool("p1", Map.of("pool", "p1"), null),
            "p2", Fixtures.edgePool("p2", Map.of("pool", "p2"), null)), Set.of(), NOW);

    TenantPlan plan = TenantPlanner.plan(s);

    assertThat(plan.inputs().edgeNamespaces()).containsOnlyKeys("acme-edge-p1");
    assertThat(plan.allocationNames()).containsExactly("gpu", "more");
  }

  /**
   * A restore brings tenants back before their allocations or pools (or the allocations went): the
   * edge namespaces the tenant already has stay, closed to new pods, never let go of.
   */
  @Test
  void anEdgeNamespaceTheTenantHasStaysClosedWithoutAllocationsOrPool() {
    EdgeAllocation waiting = Fixtures.allocation("more", "acme", "p2", quantities("cpu", "2"));
    TenantSnapshot s = new TenantSnapshot(acme, zone, ZoneAdmission.decide(zone, List.of(acme)).of("acme"), Map.of(),
        List.of(waiting), Map.of("p2", Fixtures.edgePool("p2", Map.of("pool", "p2"), null)),
        Set.of("acme", "acme-edge-p1", "acme-edge-p2"), NOW);

    TenantPlan plan = TenantPlanner.plan(s);

    assertThat(plan.inputs().edgeNamespaces()).containsOnlyKeys("acme-edge-p1", "acme-edge-p2");
    assertThat(plan.inputs().edgeNamespaces().get("acme-edge-p1")).satisfies(edge -> {
      assertThat(edge.closed()).as("no allocation, no pool: no new pods").isTrue();
      assertThat(edge.placement()).isNull();
    });
    assertThat(plan.inputs().edgeNamespaces().get("acme-edge-p2")).satisfies(edge -> {
      assertThat(edge.closed()).as("its allocation is not admitted (yet)").isTrue();
      assertThat(edge.placement().getNodeSelector()).containsEntry("pool", "p2");
    });
  }

  @Test
  void eachTransitionIsAnnouncedOnceAndAnUnchangedStatusAnnouncesNothing() {
    TenantPlan plan = TenantPlanner.plan(snapshot(acme, zone, List.of()));
    ZoneTenantStatus first = TenantStatusPlan.status(acme, plan, provisioned("acme"), clock);

    assertThat(TenantStatusPlan.announcements(null, first, provisioned("acme")))
        .extracting(Announcement::reason).containsExactly("Admitted", "Provisioned");
    acme.setStatus(first);
    ZoneTenantStatus again = TenantStatusPlan.status(acme, plan, provisioned("acme"), clock);
    assertThat(again).usingRecursiveComparison().isEqualTo(first);
    assertThat(TenantStatusPlan.announcements(first, again, provisioned("acme"))).isEmpty();
  }

  @Test
  void aRefusedTenantIsAnnouncedByItsAdmissionAloneAndNoOtherTenantIsNamed() {
    ZoneTenant second = tenant("second", "pudong", quantities("pods", "1"));
    zone.getSpec().setMode(io.lingang.zones.api.v1alpha1.BusinessZoneSpec.Mode.Dedicated);
    acme.setStatus(admitted(quantities("pods", "4")));
    TenantSnapshot s = new TenantSnapshot(second, zone, ZoneAdmission.decide(zone, List.of(acme, second)).of("second"),
        Map.of(), List.of(), Map.of(), Set.of(), NOW);
    ZoneTenantStatus status = TenantStatusPlan.status(second, TenantPlanner.plan(s), TenantOutcome.nothing(), clock);

    List<Announcement> events = TenantStatusPlan.announcements(null, status, TenantOutcome.nothing());
    assertThat(events).extracting(Announcement::reason).containsExactly("ZoneDedicated");
    assertThat(events.get(0).message()).contains("another tenant").doesNotContain("acme");
  }

  @Test
  void aRepairIsAnnouncedEvenThoughTheStatusStaysTheSame() {
    TenantOutcome repaired = new TenantOutcome(List.of("acme"), List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of("NetworkPolicy acme/lingang-default-deny"), null);
    ZoneTenantStatus status = TenantStatusPlan.status(acme, TenantPlanner.plan(snapshot(acme, zone, List.of())), repaired, clock);

    assertThat(TenantStatusPlan.announcements(status, status, repaired)).extracting(Announcement::reason).containsExactly("Repaired");
  }

  @Test
  void suspensionIsAnnouncedWhenItStartsAndWhenItEndsButNotWhileNeverSuspended() {
    TenantPlan plan = TenantPlanner.plan(snapshot(acme, zone, List.of()));
    ZoneTenantStatus active = TenantStatusPlan.status(acme, plan, provisioned("acme"), clock);
    acme.setStatus(active);
    acme.getSpec().setSuspended(true);
    ZoneTenantStatus suspended = TenantStatusPlan.status(acme, TenantPlanner.plan(snapshot(acme, zone, List.of())), provisioned("acme"), clock);

    assertThat(TenantStatusPlan.announcements(active, suspended, provisioned("acme"))).extracting(Announcement::reason)
        .containsExactly("Suspended");
    assertThat(TenantStatusPlan.announcements(suspended, active, provisioned("acme"))).extracting(Announcement::reason)
        .containsExactly("Resumed");
  }

  private static ZoneTenantStatus admitted(Map<String, io.fabric8.kubernetes.api.model.Quantity> grant) {
    ZoneTenantStatus status = new ZoneTenantStatus();
    status.setGrantedQuota(grant);
    status.setConditions(List.of(condition("Admitted", "True", "Admitted")));
    return status;
  }

  private static Condition condition(String type, String status, String reason) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage("m")
        .withLastTransitionTime("2027-01-01T00:00:00Z").build();
  }
}
