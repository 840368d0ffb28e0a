package io.lingang.zones.plan;

import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
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

    BusinessZoneStatus first = ZonePlanner.status(zone, List.of(a, b), ZoneAdmission.decide(zone, List.of(a, b)).totals(), List.of(), NOW, clock);
    assertThat(first.condition(Conditions.READY)).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("TenantsRemain"));
    assertThat(ZonePlanner.announcements(null, first)).extracting(Announcement::reason).containsExactly("TenantsRemain");

    zone.setStatus(first);
    BusinessZoneStatus later = ZonePlanner.status(zone, List.of(a, b), ZoneAdmission.decide(zone, List.of(a, b)).totals(), List.of(), NOW.plusSeconds(60), Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
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

  @Test
  void onlyATaintTheTolerationsNameKeepsOtherPodsOffReservedNodes() {
    var tolerations = List.of(new TolerationBuilder().withKey("lingang.io/pool").withOperator("Equal").withValue("gpu")
        .withEffect("NoSchedule").build(), new TolerationBuilder().withKey("lingang.io/any").withOperator("Exists").build());
    Map<String, String> selector = Map.of("lingang.io/pool", "gpu");
    List<Node> nodes = List.of(
        node("bare", selector),
        node("tainted", selector, taint("lingang.io/pool", "gpu", "NoSchedule")),
        node("evicting", selector, taint("lingang.io/pool", "gpu", "NoExecute")),
        node("any-value", selector, taint("lingang.io/any", "whatever", "NoExecute")),
        node("only-prefers", selector, taint("lingang.io/pool", "gpu", "PreferNoSchedule")),
        node("other-value", selector, taint("lingang.io/pool", "cpu", "NoSchedule")),
        node("not-tolerated", selector, taint("example.com/maintenance", "yes", "NoSchedule")),
        node("elsewhere", Map.of("lingang.io/pool", "cpu")));

    assertThat(ReservedNodes.unprotected(nodes, selector, tolerations))
        .containsExactly("bare", "evicting", "not-tolerated", "only-prefers", "other-value");
    assertThat(ReservedNodes.unprotected(List.of(node("bare", selector)), selector, null)).containsExactly("bare");
    assertThat(ReservedNodes.unprotected(nodes, Map.of(), tolerations)).isEmpty();
  }

  @Test
  void aPoolOrDedicatedZoneWithUntaintedNodesIsStalledUntilTheyAreTainted() {
    EdgePool pool = Fixtures.edgePool("gpu", Map.of("lingang.io/pool", "gpu"), quantities("cpu", "4"),
        new TolerationBuilder().withKey("lingang.io/pool").withOperator("Exists").build());
    EdgePoolStatus open = PoolPlanner.status(pool, List.of(node("n1", Map.of("lingang.io/pool", "gpu"))), List.of(), clock);
    assertThat(open.condition(Conditions.READY)).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("NodesNotReserved");
      assertThat(c.getMessage()).contains("node n1 matches spec.nodeSelector but carries no").contains("kubectl taint nodes n1");
    });
    assertThat(open.isTrue(Conditions.STALLED)).isTrue();
    EdgePoolStatus closed = PoolPlanner.status(pool, List.of(node("n1", Map.of("lingang.io/pool", "gpu"),
        taint("lingang.io/pool", "gpu", "NoSchedule"))), List.of(), clock);
    assertThat(closed.isTrue(Conditions.READY)).isTrue();

    BusinessZone zone = sharedZone("ded", quantities("pods", "10"));
    zone.getSpec().setMode(io.lingang.zones.api.v1alpha1.BusinessZoneSpec.Mode.Dedicated);
    var placement = new io.lingang.zones.api.v1alpha1.NodePlacement();
    placement.setNodeSelector(Map.of("lingang.io/dedicated", "ded"));
    zone.getSpec().setDedicatedNodes(placement);
    List<Node> six = java.util.stream.IntStream.range(1, 7).mapToObj(i -> node("d" + i, Map.of("lingang.io/dedicated", "ded")))
        .toList();
    BusinessZoneStatus status = ZonePlanner.status(zone, List.of(), ZoneAdmission.decide(zone, List.of()).totals(), six, NOW, clock);
    assertThat(status.condition(Conditions.READY)).hasValueSatisfying(c -> {
      assertThat(c.getReason()).isEqualTo("NodesNotReserved");
      assertThat(c.getMessage()).startsWith("nodes d1, d2, d3, d4, d5 and 1 more match spec.dedicatedNodes.nodeSelector");
    });
    BusinessZone shared = sharedZone("shared", quantities("pods", "10"));
    assertThat(ZonePlanner.status(shared, List.of(), ZoneAdmission.decide(shared, List.of()).totals(), six, NOW, clock)
        .isTrue(Conditions.READY)).as("a Shared zone reserves no nodes").isTrue();
  }

  private static Node node(String name, Map<String, String> labels, Taint... taints) {
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withTaints(List.of(taints)).endSpec().build();
  }

  private static Taint taint(String key, String value, String effect) {
    return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
  }

  private static EdgePool pool(String name, String cpu) {
    EdgePool pool = Fixtures.edgePool(name, Map.of("pool", name), quantities("cpu", cpu));
    EdgePoolStatus status = new EdgePoolStatus();
    status.setCapacity(quantities("cpu", cpu));
    pool.setStatus(status);
    return pool;
  }
}
