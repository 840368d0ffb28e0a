package io.lingang.zones.plan;

import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.api.v1alpha1.BusinessZoneStatus;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.EdgePoolStatus;
import io.lingang.zones.api.v1alpha1.TimeWindow;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.EdgeAdmission;
import io.lingang.zones.testing.Fixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Zones, edge pools and allocations: their status and events as pure functions. */
class ZoneAndEdgePlanTest {
  private static final Instant NOW = Instant.parse("2027-03-01T08:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void aZoneHeldByTenantsWhileDeletedSaysSoOnceAndKeepsItsTransitionTime() {
    BusinessZone zone = sharedZone("pudong", quantities("pods", "10"));
    zone.getMetadata().setDeletionTimestamp("2027-03-01T07:00:00Z");
    ZoneTenant a = tenant("a", "pudong", quantities("pods", "1"));
    ZoneTenant b = tenant("b", "pudong", quantities("pods", "1"));

    BusinessZoneStatus first = ZonePlanner.status(zone, List.of(a, b), ZoneAdmission.decide(zone, List.of(a, b)).totals(), NOW, clock);
    assertThat(first.condition(Conditions.READY)).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("TenantsRemain"));
    assertThat(ZonePlanner.announcements(null, first)).extracting(Announcement::reason).containsExactly("TenantsRemain");

    zone.setStatus(first);
    BusinessZoneStatus later = ZonePlanner.status(zone, List.of(a, b), ZoneAdmission.decide(zone, List.of(a, b)).totals(), NOW.plusSeconds(60), Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
    assertThat(later).usingRecursiveComparison().isEqualTo(first);
    assertThat(ZonePlanner.announcements(first, later)).isEmpty();
  }

  @Test
  void aZoneBeingDeletedAdmitsNobodyNew() {
    BusinessZone zone = sharedZone("pudong", quantities("pods", "10"));
    zone.getMetadata().setDeletionTimestamp("2027-03-01T07:00:00Z");

    var decision = io.lingang.zones.capacity.ZoneAdmission.decide(zone, List.of(tenant("late", "pudong", quantities("pods", "1"))));

    assertThat(decision.of("late")).isInstanceOfSatisfying(io.lingang.zones.capacity.ZoneAdmission.Refused.class,
        r -> assertThat(r.reason()).isEqualTo("ZoneTerminating"));
  }

  @Test
  void anAllocationWithAnImpossibleDateIsRefusedAloneWhileItsPeerIsAdmitted() {
    EdgePool pool = pool("gpu", "4");
    EdgeAllocation bad = Fixtures.allocation("bad", "acme", "gpu", quantities("cpu", "1"));
    TimeWindow window = new TimeWindow();
    window.setEndsAt("2027-13-01T00:00:00Z");
    bad.getSpec().setWindow(window);
    EdgeAllocation good = Fixtures.allocation("good", "acme", "gpu", quantities("cpu", "1"));

    EdgeAdmission.Decision badDecision = AllocationPlanner.decide(bad, pool, List.of(bad, good), Set.of("acme"), NOW);
    EdgeAdmission.Decision goodDecision = AllocationPlanner.decide(good, pool, List.of(bad, good), Set.of("acme"), NOW);

    assertThat(badDecision.reason()).isEqualTo("InvalidWindow");
    assertThat(AllocationPlanner.status(bad, badDecision, clock).isTrue(Conditions.STALLED)).isTrue();
    assertThat(goodDecision.state()).isEqualTo(EdgeAdmission.State.Active);
  }

  @Test
  void anAllocationWaitingForCapacityIsInProgressAndAnExpiredOneHasNothingLeftToDo() {
    EdgePool pool = pool("gpu", "1");
    EdgeAllocation big = Fixtures.allocation("big", "acme", "gpu", quantities("cpu", "2"));
    var waiting = AllocationPlanner.status(big, AllocationPlanner.decide(big, pool, List.of(big), Set.of("acme"), NOW), clock);
    assertThat(waiting.isTrue(Conditions.RECONCILING)).isTrue();
    assertThat(waiting.isTrue(Conditions.STALLED)).isFalse();

    EdgeAllocation old = Fixtures.allocation("old", "acme", "gpu", quantities("cpu", "1"));
    TimeWindow window = new TimeWindow();
    window.setEndsAt("2027-02-01T00:00:00Z");
    old.getSpec().setWindow(window);
    var expired = AllocationPlanner.status(old, AllocationPlanner.decide(old, pool, List.of(old), Set.of("acme"), NOW), clock);
    assertThat(expired.isTrue("Expired")).isTrue();
    assertThat(expired.isTrue("Admitted")).isFalse();
    assertThat(expired.isTrue(Conditions.RECONCILING) || expired.isTrue(Conditions.STALLED)).isFalse();
  }

  @Test
  void aPoolWithoutNodesWaitsAndAnOverCommittedPoolWarnsOnce() {
    EdgePool empty = Fixtures.edgePool("empty", Map.of("pool", "none"), null);
    EdgePoolStatus status = PoolPlanner.status(empty, List.of(), List.of(), clock);
    assertThat(status.isTrue(Conditions.RECONCILING)).isTrue();

    EdgePool small = Fixtures.edgePool("small", Map.of("pool", "x"), quantities("cpu", "1"));
    EdgeAllocation holding = Fixtures.allocation("holding", "acme", "small", quantities("cpu", "2"));
    var admitted = new io.lingang.zones.api.v1alpha1.EdgeAllocationStatus();
    admitted.setConditions(List.of(new ConditionBuilder().withType("Admitted").withStatus("True").withReason("Admitted").build()));
    holding.setStatus(admitted);
    EdgePoolStatus over = PoolPlanner.status(small, List.of(), List.of(holding), clock);
    assertThat(over.isTrue("OverCommitted")).isTrue();
    assertThat(PoolPlanner.announcements(null, over)).extracting(Announcement::reason).containsExactly("CapacityBelowAllocated");
    assertThat(PoolPlanner.announcements(over, over)).isEmpty();
  }

  private static EdgePool pool(String name, String cpu) {
    EdgePool pool = Fixtures.edgePool(name, Map.of("pool", name), quantities("cpu", cpu));
    EdgePoolStatus status = new EdgePoolStatus();
    status.setCapacity(quantities("cpu", cpu));
    pool.setStatus(status);
    return pool;
  }
}
