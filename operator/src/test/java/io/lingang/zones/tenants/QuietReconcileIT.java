package io.lingang.zones.tenants;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.CustomResource;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reconcile that finds everything as it should be writes nothing. */
@ControlPlaneTest
class QuietReconcileIT {

  @Test
  void reconcilingEveryObjectAgainWithNothingChangedSendsNoWrite(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String link = names.name("sg");
    String zone = names.name("zone");
    k8s.resource(Fixtures.link(link, "198.51.100.0/24")).create();
    k8s.resource(sharedZone(zone, quantities("requests.cpu", "8", "pods", "40"), link)).create();
    List<String> tenants = List.of(names.name("one"), names.name("two"));
    for (String t : tenants) {
      ZoneTenant tenant = tenant(t, zone, quantities("requests.cpu", "2", "pods", "10"));
      // Every kind of subject: each is stored a little differently (a ServiceAccount has no apiGroup).
      tenant.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, "admin-" + t, null),
          new Subject(Subject.Kind.ServiceAccount, "deployer", t)));
      tenant.getSpec().setViewers(List.of(new Subject(Subject.Kind.Group, t + ":auditors", null)));
      tenant.getSpec().setEgress(List.of(link));
      k8s.resource(tenant).create();
    }
    tenants.forEach(t -> awaitCondition(k8s, ZoneTenant.class, t, "Ready", true));
    awaitCondition(k8s, BusinessZone.class, zone, "Ready", true);
    awaitCondition(k8s, DataLink.class, link, "Ready", true);
    await().atMost(Duration.ofSeconds(10)).until(() -> tenants.stream()
        .allMatch(t -> k8s.resources(TenantStatus.class).inNamespace(t).withName(t).get() != null));
    // Settled: the quota controller's status updates and our own follow-ups have died down.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(new Settled(operator::writes)::quiet);

    assertThat(k8s.v1().events().inNamespace("default").list().getItems())
        .as("no repair reported for what the operator itself just created")
        .noneMatch(e -> tenants.contains(e.getInvolvedObject().getName()) && "Repaired".equals(e.getReason()));

    long writesBefore = operator.writes();
    long reconcilesBefore = operator.reconciliations();
    // Touch every object with an annotation the operator does not read: each is reconciled again.
    touch(k8s, BusinessZone.class, zone);
    touch(k8s, DataLink.class, link);
    tenants.forEach(t -> touch(k8s, ZoneTenant.class, t));
    await().atMost(Duration.ofSeconds(10)).until(() -> operator.reconciliations() >= reconcilesBefore + 4);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(new Settled(operator::reconciliations)::quiet);

    assertThat(operator.writes() - writesBefore).as("writes by the operator after a no-op reconcile of every object").isZero();
  }

  private static <T extends CustomResource<?, ?>> void touch(KubernetesClient k8s, Class<T> kind, String name) {
    k8s.resources(kind).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"test.lingang.io/touched\":\"" + System.nanoTime() + "\"}}}");
  }

  /** True once two polls in a row saw the same count. */
  private static final class Settled {
    private final java.util.function.LongSupplier counter;
    private long last = -1;

    Settled(java.util.function.LongSupplier counter) {
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
