package io.lingang.zones.tenants;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.reconciler.ZoneTenantReconciler;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OwnControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that finds everything as it should be writes nothing. Shown for every kind: once
 * all is settled, a second operator starts (as after a restart or a change of leader) and
 * reconciles every object of every kind afresh; it sends no write at all. The zone is nearly full
 * and one tenant waits for room: a restarted operator that judged it against only the peers it
 * had heard of so far would admit it (and write). A control plane of its own, so that nothing
 * else is reconciled meanwhile.
 */
@OwnControlPlane("control-plane-quiet")
class QuietReconcileIT {
  private static LocalControlPlane plane;

  @BeforeEach
  void controlPlane(LocalControlPlane own) {
    plane = own;
  }

  @Test
  void reconcilingEveryObjectOfEveryKindAgainWithNothingChangedSendsNoWrite() {
    KubernetesClient k8s = plane.admin();
    TestNames names = TestNames.random();
    String link = names.name("sg");
    String zone = names.name("zone");
    String pool = names.name("pool");
    List<String> tenants = List.of(names.name("one"), names.name("two"));
    try (RunningOperator first = RunningOperator.on(plane)) {
      k8s.resource(Fixtures.link(link, "198.51.100.0/24")).create();
      k8s.resource(sharedZone(zone, quantities("requests.cpu", "8", "pods", "60"), link)).create();
      k8s.resource(Fixtures.edgePool(pool, Map.of("lingang.io/pool", pool), quantities("cpu", "8", "pods", "10"))).create();
      for (String t : tenants) {
        ZoneTenant tenant = tenant(t, zone, quantities("requests.cpu", "2", "pods", "10"));
        // Every kind of subject: each is stored a little differently (a ServiceAccount has no apiGroup).
        tenant.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, "admin-" + t, null),
            new Subject(Subject.Kind.ServiceAccount, "deployer", t)));
        tenant.getSpec().setViewers(List.of(new Subject(Subject.Kind.Group, t + ":auditors", null)));
        tenant.getSpec().setEgress(List.of(link));
        k8s.resource(tenant).create();
        k8s.resource(Fixtures.allocation(t + "-gpu", t, pool, quantities("cpu", "1", "pods", "2"))).create();
      }
      // Twenty small tenants fill the zone but for 1 CPU; the last one, asking for 2, waits.
      List<String> small = IntStream.range(0, 20).mapToObj(i -> names.name("small" + i)).toList();
      small.forEach(t -> k8s.resource(tenant(t, zone, quantities("requests.cpu", "150m", "pods", "1"))).create());
      tenants.forEach(t -> awaitCondition(k8s, ZoneTenant.class, t, "Ready", true));
      small.forEach(t -> awaitCondition(k8s, ZoneTenant.class, t, "Ready", true));
      // Created after the others are admitted: created in the same second, it could go first.
      String waiting = names.name("late");
      k8s.resource(tenant(waiting, zone, quantities("requests.cpu", "2", "pods", "1"))).create();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(reason(k8s, waiting)).isEqualTo("InsufficientCapacity"));
      tenants.forEach(t -> awaitCondition(k8s, EdgeAllocation.class, t + "-gpu", "Ready", true));
      awaitCondition(k8s, BusinessZone.class, zone, "Ready", true);
      awaitCondition(k8s, DataLink.class, link, "Ready", true);
      awaitCondition(k8s, EdgePool.class, pool, "Ready", true);
      await().atMost(Duration.ofSeconds(20)).until(() -> tenants.stream().allMatch(t ->
          k8s.resources(TenantStatus.class).inNamespace(t + "-edge-" + pool).withName(t).get() != null));
      // Settled: the quota controller's status updates and the operator's follow-ups have died down.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(new Settled(first::writes)::quiet);
      assertThat(first.fatalErrors()).isEmpty();
    }

    try (RunningOperator second = RunningOperator.on(plane)) {
      Map<String, Integer> objects = Map.of("ZoneTenant", 23, "BusinessZone", 1, "DataLink", 1, "EdgePool", 1, "EdgeAllocation", 2);
      await("every object of every kind reconciled").atMost(Duration.ofSeconds(30))
          .until(() -> objects.entrySet().stream().allMatch(e -> second.reconciliations(e.getKey()) >= e.getValue()));
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(new Settled(second::reconciliations)::quiet);

      objects.keySet().forEach(kind -> assertThat(second.reconciliations(kind)).as("reconciliations of %s", kind).isPositive());
      assertThat(second.writes()).as("writes by an operator that reconciled everything afresh").isZero();
      assertThat(reason(k8s, names.name("late"))).as("the tenant that does not fit").isEqualTo("InsufficientCapacity");
    }
  }

  /**
   * A new tenant is reconciled once: its finalizer goes in, then it is provisioned, in the same
   * pass. Not once more for its finalizer or its status, nor for the objects it gets (their watch
   * events come back while the writes are still in flight, often before the writes' own
   * responses), nor for the quota controller's first count of its quota (which reports what the
   * tenant's status already says).
   */
  @Test
  void aNewTenantIsReconciledOnce() {
    KubernetesClient k8s = plane.admin();
    TestNames names = TestNames.random();
    String zone = names.name("zone");
    List<String> tenants = IntStream.range(0, 10).mapToObj(i -> names.name("t" + i)).toList();
    try (RunningOperator operator = RunningOperator.on(plane)) {
      k8s.resource(sharedZone(zone, quantities("requests.cpu", "8", "pods", "60"))).create();
      awaitCondition(k8s, BusinessZone.class, zone, "Ready", true);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(new Settled(operator::reconciliations)::quiet);
      long before = operator.reconciliations("ZoneTenant");

      tenants.forEach(t -> k8s.resource(tenant(t, zone, quantities("requests.cpu", "100m", "pods", "1"))).create());
      tenants.forEach(t -> awaitCondition(k8s, ZoneTenant.class, t, "Ready", true));
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(new Settled(operator::reconciliations)::quiet);

      // (One to spare: a conflict retried is not what this is about. A separate pass for the
      // finalizer, or each object waking its tenant, would be about one more per tenant.)
      assertThat(operator.reconciliations("ZoneTenant") - before).as("reconciles of %d new tenants", tenants.size())
          .isBetween((long) tenants.size(), tenants.size() + 1L);
      tenants.forEach(t -> assertThat(k8s.resources(ZoneTenant.class).withName(t).get().getMetadata().getFinalizers())
          .as("finalizers of %s", t).containsExactly(ZoneTenantReconciler.FINALIZER));
      assertThat(operator.fatalErrors()).isEmpty();
    }
  }

  private static String reason(KubernetesClient k8s, String tenant) {
    ZoneTenant t = k8s.resources(ZoneTenant.class).withName(tenant).get();
    return t.getStatus() == null ? null : t.getStatus().condition("Admitted").map(c -> c.getReason()).orElse(null);
  }

  /** True once two polls in a row saw the same count. */
  private static final class Settled {
    private final LongSupplier counter;
    private long last = -1;

    Settled(LongSupplier counter) {
      this.counter = counter;
    }

    boolean quiet() {
      long now = counter.getAsLong();
      boolean same = now == last;
      last = now;
      return same;
    }
  }
}
