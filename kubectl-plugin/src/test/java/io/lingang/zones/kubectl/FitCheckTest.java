package io.lingang.zones.kubectl;

import static io.lingang.zones.testing.Fixtures.allocation;
import static io.lingang.zones.testing.Fixtures.edgePool;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgeAllocationStatus;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.EdgePoolStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FitCheckTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private final BusinessZone zone = sharedZone("pudong", quantities("requests.cpu", "10", "pods", "20"));

  @Test
  void aTenantThatFitsWhatIsLeftIsAdmittedAndTheVerdictSaysWhatRemains() {
    ZoneTenant holder = admitted(tenant("holder", "pudong", quantities("requests.cpu", "6", "pods", "5")));

    FitCheck.Verdict v = only(FitCheck.check(List.of(tenant("small", "pudong", quantities("requests.cpu", "3", "pods", "5"))), List.of(),
        world(List.of(holder), List.of())));

    assertThat(v.admitted()).isTrue();
    assertThat(v.granted()).containsEntry("requests.cpu", "3");
    assertThat(v.left()).containsEntry("requests.cpu", "1").containsEntry("pods", "10");
  }

  @Test
  void aTenantTooBigIsRefusedWithTheShortResourceNamedAndOnlyThatOne() {
    ZoneTenant holder = admitted(tenant("holder", "pudong", quantities("requests.cpu", "6", "pods", "5")));

    FitCheck.Verdict v = only(FitCheck.check(List.of(tenant("big", "pudong", quantities("requests.cpu", "8", "pods", "5"))), List.of(),
        world(List.of(holder), List.of())));

    assertThat(v.admitted()).isFalse();
    assertThat(v.reason()).isEqualTo("InsufficientCapacity");
    assertThat(v.shortfalls()).containsExactly(new FitCheck.Shortfall("requests.cpu", "8", "4"));
  }

  @Test
  void anOlderWaitingTenantGoesFirstAsTheOperatorWouldHaveIt() {
    ZoneTenant waiting = tenant("older", "pudong", quantities("requests.cpu", "7", "pods", "1"));
    waiting.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");

    FitCheck.Verdict v = only(FitCheck.check(List.of(tenant("newer", "pudong", quantities("requests.cpu", "5", "pods", "1"))), List.of(),
        world(List.of(waiting), List.of())));

    assertThat(v.admitted()).as("the older tenant, admitted at its next reconcile, takes 7 of 10 first").isFalse();
    assertThat(v.shortfalls()).containsExactly(new FitCheck.Shortfall("requests.cpu", "5", "3"));
  }

  @Test
  void anAdmittedTenantAskingForMoreThanFitsIsToldItsIncreaseIsRefused() {
    ZoneTenant current = admitted(tenant("acme", "pudong", quantities("requests.cpu", "4", "pods", "5")));
    current.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    ZoneTenant other = admitted(tenant("other", "pudong", quantities("requests.cpu", "5", "pods", "5")));

    FitCheck.Verdict v = only(FitCheck.check(List.of(tenant("acme", "pudong", quantities("requests.cpu", "9", "pods", "5"))), List.of(),
        world(List.of(current, other), List.of())));

    assertThat(v.admitted()).isFalse();
    assertThat(v.reason()).isEqualTo("QuotaIncreaseRefused");
    assertThat(v.shortfalls()).containsExactly(new FitCheck.Shortfall("requests.cpu", "9", "5"));
    assertThat(v.granted()).as("the previous grant stays in force").containsEntry("requests.cpu", "4");
  }

  @Test
  void aZoneThatDoesNotExistIsTheOperatorsOwnRefusal() {
    FitCheck.Verdict v = only(FitCheck.check(List.of(tenant("acme", "nowhere", quantities("pods", "1"))), List.of(),
        world(List.of(), List.of())));

    assertThat(v.reason()).isEqualTo("ZoneNotFound");
  }

  @Test
  void anAllocationIsJudgedAgainstItsPoolAndATenantAdmittedInTheSameFileCounts() {
    EdgePool pool = edgePool("gpu", Map.of("pool", "gpu"), quantities("cpu", "8"));
    EdgePoolStatus status = new EdgePoolStatus();
    status.setCapacity(quantities("cpu", "8"));
    pool.setStatus(status);
    EdgeAllocation holder = allocation("holder", "other", "gpu", quantities("cpu", "6"));
    EdgeAllocationStatus active = new EdgeAllocationStatus();
    active.setConditions(List.of(new ConditionBuilder().withType("Admitted").withStatus("True").build()));
    holder.setStatus(active);
    ZoneTenant other = admitted(tenant("other", "pudong", quantities("requests.cpu", "1", "pods", "1")));
    var world = new FitCheck.World(Map.of("pudong", zone), List.of(other), Map.of("gpu", pool), List.of(holder), NOW);

    List<FitCheck.Verdict> verdicts = FitCheck.check(List.of(tenant("acme", "pudong", quantities("requests.cpu", "1", "pods", "1"))),
        List.of(allocation("fits", "acme", "gpu", quantities("cpu", "2")), allocation("too-big", "acme", "gpu", quantities("cpu", "3"))),
        world);

    assertThat(verdicts).extracting(FitCheck.Verdict::name, FitCheck.Verdict::admitted, FitCheck.Verdict::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("acme", true, "Admitted"),
        org.assertj.core.groups.Tuple.tuple("fits", true, "Admitted"),
        org.assertj.core.groups.Tuple.tuple("too-big", false, "InsufficientCapacity"));
    assertThat(verdicts.get(2).shortfalls()).containsExactly(new FitCheck.Shortfall("cpu", "3", "0"));
  }

  private FitCheck.World world(List<ZoneTenant> tenants, List<EdgeAllocation> allocations) {
    return new FitCheck.World(Map.of("pudong", zone), tenants, Map.of(), allocations, NOW);
  }

  private static ZoneTenant admitted(ZoneTenant t) {
    ZoneTenantStatus status = new ZoneTenantStatus();
    status.setConditions(List.of(new ConditionBuilder().withType("Admitted").withStatus("True").build()));
    status.setGrantedQuota(t.getSpec().getQuota());
    t.setStatus(status);
    if (t.getMetadata().getCreationTimestamp() == null) {
      t.getMetadata().setCreationTimestamp("2025-12-01T00:00:00Z");
    }
    return t;
  }

  private static FitCheck.Verdict only(List<FitCheck.Verdict> verdicts) {
    assertThat(verdicts).hasSize(1);
    return verdicts.get(0);
  }
}
