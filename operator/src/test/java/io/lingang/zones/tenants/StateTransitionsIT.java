package io.lingang.zones.tenants;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.Trial;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the status and the events of a resource say over its life: each transition once, nothing
 * stale, nothing someone else slipped in. Each test here failed on the reconcilers before their
 * observe -> plan -> apply -> report shape.
 */
@ControlPlaneTest
class StateTransitionsIT {

  @Test
  void eachTransitionIsOneEventOnTheTenantAndOneOnItsTenantStatus(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String name = names.name("events");
    k8s.resource(sharedZone(zone, quantities("pods", "10"))).create();
    k8s.resource(tenant(name, zone, quantities("pods", "5"))).create();
    awaitCondition(k8s, ZoneTenant.class, name, "Ready", true);
    k8s.resources(ZoneTenant.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspended\":true}}");
    awaitCondition(k8s, ZoneTenant.class, name, "Suspended", true);
    k8s.resources(ZoneTenant.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspended\":false}}");
    awaitCondition(k8s, ZoneTenant.class, name, "Suspended", false);

    // Exactly these, on the ZoneTenant and (for the tenant to see) on its TenantStatus, and they stay
    // so for two seconds: a duplicate came ~150 ms after the first.
    Map<String, Long> once = Map.of("Admitted", 1L, "Provisioned", 1L, "Suspended", 1L, "Resumed", 1L);
    await().atMost(Duration.ofSeconds(10)).until(() -> reasons(k8s, "default", name).equals(once));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> reasons(k8s, "default", name).equals(once)
        && reasons(k8s, name, name).equals(once));
  }

  @Test
  void theTenantStatusLosesWhatTheTenantNoLongerHas(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String name = names.name("stale");
    BusinessZone z = sharedZone(zone, quantities("pods", "10"));
    Trial trial = new Trial();
    trial.setEndsAt("2099-01-01T00:00:00Z");
    z.getSpec().setTrial(trial);
    k8s.resource(z).create();
    ZoneTenant t = tenant(name, zone, quantities("pods", "5"));
    t.getSpec().getCompany().setContact("ops@example.com");
    k8s.resource(t).create();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
      var report = k8s.resources(TenantStatus.class).inNamespace(name).withName(name).get().getStatus();
      assertThat(report.getCompany().getContact()).isEqualTo("ops@example.com");
      assertThat(report.getTrialEndsAt()).isNotNull();
    });

    k8s.resources(ZoneTenant.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"company\":{\"contact\":null}}}");
    k8s.resources(BusinessZone.class).withName(zone).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"trial\":null}}");

    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
      var report = k8s.resources(TenantStatus.class).inNamespace(name).withName(name).get().getStatus();
      assertThat(report.getCompany().getContact()).isNull();
      assertThat(report.getTrialEndsAt()).isNull();
    });
  }

  @Test
  void aKeySomeoneElseAddsToTheQuotaIsRemovedAndAnnouncedOnce(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String name = names.name("quota");
    k8s.resource(sharedZone(zone, quantities("pods", "10"))).create();
    k8s.resource(tenant(name, zone, quantities("pods", "5"))).create();
    awaitCondition(k8s, ZoneTenant.class, name, "Ready", true);

    k8s.resourceQuotas().inNamespace(name).withName("lingang-quota").edit(q -> {
      q.getSpec().getHard().put("limits.memory", new Quantity("1Ti"));
      return q;
    });

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        k8s.resourceQuotas().inNamespace(name).withName("lingang-quota").get().getSpec().getHard()).containsOnlyKeys("pods"));
    await().atMost(Duration.ofSeconds(10)).until(() -> reasons(k8s, "default", name).getOrDefault("Repaired", 0L) == 1L);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
        .until(() -> reasons(k8s, "default", name).getOrDefault("Repaired", 0L) == 1L);
  }

  @Test
  void aZoneHeldByATenantWhileDeletedSaysSoOnceAndAdmitsNobodyNew(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String holder = names.name("holder");
    k8s.resource(sharedZone(zone, quantities("pods", "10"))).create();
    k8s.resource(tenant(holder, zone, quantities("pods", "2"))).create();
    awaitCondition(k8s, ZoneTenant.class, holder, "Ready", true);
    k8s.resources(BusinessZone.class).withName(zone).delete();
    BusinessZone held = awaitCondition(k8s, BusinessZone.class, zone, "Ready", false);
    String since = held.getStatus().condition("Ready").orElseThrow().getLastTransitionTime();

    for (int i = 1; i <= 3; i++) {
      k8s.resources(ZoneTenant.class).withName(holder).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"quota\":{\"pods\":\"" + (2 + i) + "\"}}}");
    }
    String late = names.name("late");
    k8s.resource(tenant(late, zone, quantities("pods", "1"))).create();

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
        k8s.resources(ZoneTenant.class).withName(late).get().getStatus().condition("Admitted").orElseThrow().getReason())
        .isEqualTo("ZoneTerminating"));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> since.equals(k8s.resources(BusinessZone.class)
        .withName(zone).get().getStatus().condition("Ready").orElseThrow().getLastTransitionTime())
        && reasons(k8s, "default", zone).getOrDefault("TenantsRemain", 0L) == 1L);
    k8s.resources(ZoneTenant.class).withName(holder).delete();
    k8s.resources(ZoneTenant.class).withName(late).delete();
  }

  private static Map<String, Long> reasons(KubernetesClient k8s, String namespace, String involved) {
    List<Event> events = k8s.v1().events().inNamespace(namespace).list().getItems();
    return events.stream().filter(e -> involved.equals(e.getInvolvedObject().getName()))
        .collect(Collectors.groupingBy(Event::getReason, Collectors.counting()));
  }
}
