package io.lingang.zones.tenants;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import io.lingang.zones.testing.TestPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a platform engineer sees when onboarding companies, on a real control plane. */
@ControlPlaneTest
class TenantProvisioningIT {
  private static final String QUOTA = "lingang-quota";

  @Test
  void admittedTenantGetsItsNamespaceQuotaPoliciesAndStatus(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String tenant = names.name("acme");
    k8s.resource(sharedZone(zone, quantities("requests.cpu", "4", "pods", "20"))).create();
    k8s.resource(Fixtures.withAdmin(tenant(tenant, zone, quantities("requests.cpu", "1", "pods", "5")), "alice")).create();

    ZoneTenant ready = awaitCondition(k8s, ZoneTenant.class, tenant, "Ready", true);

    assertThat(ready.getStatus().getNamespaces()).containsExactly(tenant);
    Map<String, String> labels = k8s.namespaces().withName(tenant).get().getMetadata().getLabels();
    assertThat(labels).containsEntry("app.kubernetes.io/managed-by", "lingang-zone-operator")
        .containsEntry("zones.lingang.io/zone", zone).containsEntry("zones.lingang.io/tenant", tenant);
    assertThat(k8s.resourceQuotas().inNamespace(tenant).withName(QUOTA).get().getSpec().getHard())
        .containsEntry("requests.cpu", new Quantity("1")).containsEntry("pods", new Quantity("5"));
    assertThat(k8s.network().v1().networkPolicies().inNamespace(tenant).list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .contains("lingang-default-deny", "lingang-allow-same-tenant", "lingang-allow-dns");
    assertThat(k8s.rbac().roleBindings().inNamespace(tenant).withName("lingang-tenant-admins").get().getSubjects())
        .extracting(s -> s.getName()).containsExactly("alice");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      TenantStatus ts = k8s.resources(TenantStatus.class).inNamespace(tenant).withName(tenant).get();
      assertThat(ts.getStatus().getZone()).isEqualTo(zone);
      assertThat(ts.getStatus().getQuota().getHard()).containsEntry("pods", new Quantity("5"));
      assertThat(ts.getStatus().isTrue("Ready")).isTrue();
    });
    BusinessZone accounted = awaitCondition(k8s, BusinessZone.class, zone, "Ready", true);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        k8s.resources(BusinessZone.class).withName(zone).get().getStatus().getAvailable())
        .containsEntry("requests.cpu", new Quantity("3")).containsEntry("pods", new Quantity("15")));
  }

  @Test
  void overCapacityTenantIsRefusedThenAdmittedWhenAnotherLeaves(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    k8s.resource(sharedZone(zone, quantities("requests.cpu", "4"))).create();
    String first = names.name("first");
    String second = names.name("second");
    k8s.resource(tenant(first, zone, quantities("requests.cpu", "3"))).create();
    awaitCondition(k8s, ZoneTenant.class, first, "Admitted", true);
    k8s.resource(tenant(second, zone, quantities("requests.cpu", "2"))).create();

    ZoneTenant refused = awaitCondition(k8s, ZoneTenant.class, second, "Admitted", false);
    assertThat(refused.getStatus().condition("Admitted").orElseThrow().getReason()).isEqualTo("InsufficientCapacity");
    assertThat(refused.getStatus().condition("Admitted").orElseThrow().getMessage())
        .contains("requests.cpu 2 wanted, more than is free")
        .as("what the zone has free is what the first tenant leaves: not the second tenant's to read").doesNotContain("1 available");
    assertThat(k8s.namespaces().withName(second).get()).as("nothing is created for a refused tenant").isNull();

    k8s.resources(ZoneTenant.class).withName(first).delete();

    awaitCondition(k8s, ZoneTenant.class, second, "Ready", true);
    assertThat(k8s.namespaces().withName(second).get()).isNotNull();
  }

  @Test
  void quotaIsEnforcedAndASuspendedTenantCannotStartPods(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String tenant = names.name("quota");
    k8s.resource(sharedZone(zone, quantities("requests.cpu", "4", "pods", "10"))).create();
    k8s.resource(tenant(tenant, zone, quantities("requests.cpu", "1", "pods", "10"))).create();
    awaitCondition(k8s, ZoneTenant.class, tenant, "Ready", true);
    awaitQuotaCounted(k8s, tenant);
    await().atMost(Duration.ofSeconds(30)).until(() -> k8s.serviceAccounts().inNamespace(tenant).withName("default").get() != null);

    k8s.pods().inNamespace(tenant).resource(pod("small", "600m")).create();
    assertThatThrownBy(() -> k8s.pods().inNamespace(tenant).resource(pod("too-big", "600m")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage()).contains("exceeded quota"));

    k8s.resources(ZoneTenant.class).withName(tenant).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspended\":true}}");
    ZoneTenant suspended = awaitCondition(k8s, ZoneTenant.class, tenant, "Suspended", true);
    assertThat(suspended.getStatus().condition("Suspended").orElseThrow().getReason()).isEqualTo("SuspendedBySpec");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        k8s.resourceQuotas().inNamespace(tenant).withName(QUOTA).get().getStatus().getHard())
        .containsEntry("pods", new Quantity("0")));
    assertThatThrownBy(() -> k8s.pods().inNamespace(tenant).resource(pod("tiny", "10m")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage()).contains("exceeded quota"));
    assertThat(k8s.pods().inNamespace(tenant).withName("small").get()).as("running pods are left alone").isNotNull();
  }

  @Test
  void managedObjectsChangedByHandAreRestoredWithinFiveSeconds(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String tenant = names.name("drift");
    k8s.resource(sharedZone(zone, quantities("requests.cpu", "4"))).create();
    k8s.resource(tenant(tenant, zone, quantities("requests.cpu", "2"))).create();
    awaitCondition(k8s, ZoneTenant.class, tenant, "Ready", true);

    k8s.network().v1().networkPolicies().inNamespace(tenant).withName("lingang-default-deny").delete();
    // Patches without a resourceVersion, as `kubectl patch` sends them.
    k8s.resourceQuotas().inNamespace(tenant).withName(QUOTA).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"hard\":{\"requests.cpu\":\"64\"}}}");
    k8s.namespaces().withName(tenant).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"app.kubernetes.io/managed-by\":null}}}");

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(k8s.namespaces().withName(tenant).get().getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "lingang-zone-operator");
      NetworkPolicy deny = k8s.network().v1().networkPolicies().inNamespace(tenant).withName("lingang-default-deny").get();
      assertThat(deny).isNotNull();
      assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
      ResourceQuota quota = k8s.resourceQuotas().inNamespace(tenant).withName(QUOTA).get();
      assertThat(quota.getSpec().getHard().get("requests.cpu")).isEqualTo(new Quantity("2"));
    });
    // The tenant sees it happen, on its own TenantStatus.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(k8s.v1().events().inNamespace(tenant).list().getItems())
        .anySatisfy(e -> {
          assertThat(e.getInvolvedObject().getKind()).isEqualTo("TenantStatus");
          assertThat(e.getReason()).isEqualTo("Repaired");
          assertThat(e.getMessage()).contains("lingang-quota");
        }));
  }

  @Test
  void dataLinkChangesReachEveryTenantsEgressWithinFiveSeconds(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String link = names.name("hk");
    k8s.resource(Fixtures.link(link, "203.0.113.0/24")).create();
    String zone = names.name("zone");
    k8s.resource(sharedZone(zone, quantities("pods", "20"), link)).create();
    List<String> tenants = List.of(names.name("a"), names.name("b"));
    for (String t : tenants) {
      ZoneTenant tenant = tenant(t, zone, quantities("pods", "5"));
      tenant.getSpec().setEgress(List.of(link));
      k8s.resource(tenant).create();
    }
    for (String t : tenants) {
      awaitCondition(k8s, ZoneTenant.class, t, "Ready", true);
      assertThat(egressCidrs(k8s, t)).containsExactly("203.0.113.0/24");
    }

    k8s.resources(DataLink.class).withName(link).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"cidrs\":[\"198.51.100.0/24\",\"192.0.2.0/24\"]}}");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> tenants.forEach(t ->
        assertThat(egressCidrs(k8s, t)).containsExactly("192.0.2.0/24", "198.51.100.0/24")));

    k8s.resources(DataLink.class).withName(link).delete();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> tenants.forEach(t ->
        assertThat(egressCidrs(k8s, t)).as("egress of a deleted link is closed").isEmpty()));
    ZoneTenant after = awaitCondition(k8s, ZoneTenant.class, tenants.get(0), "Ready", false);
    assertThat(after.getStatus().condition("Ready").orElseThrow().getReason()).isEqualTo("EgressNotApplied");
  }

  @Test
  void anExistingNamespaceIsNeverTakenOver(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String tenant = names.name("clash");
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(tenant)
        .withLabels(Map.of("team", "someone-else")).endMetadata().build()).create();
    k8s.resource(sharedZone(zone, quantities("pods", "10"))).create();
    k8s.resource(tenant(tenant, zone, quantities("pods", "5"))).create();

    ZoneTenant conflicted = awaitCondition(k8s, ZoneTenant.class, tenant, "Ready", false);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        k8s.resources(ZoneTenant.class).withName(tenant).get().getStatus().condition("Ready").orElseThrow().getReason())
        .isEqualTo("NamespaceConflict"));
    assertThat(conflicted.getStatus().isTrue("Admitted")).isTrue();
    var untouched = k8s.namespaces().withName(tenant).get();
    assertThat(untouched.getMetadata().getLabels()).containsEntry("team", "someone-else")
        .doesNotContainKey("app.kubernetes.io/managed-by");
    assertThat(k8s.resourceQuotas().inNamespace(tenant).list().getItems()).isEmpty();
    assertThat(k8s.network().v1().networkPolicies().inNamespace(tenant).list().getItems()).isEmpty();
  }

  private static List<String> egressCidrs(KubernetesClient k8s, String namespace) {
    NetworkPolicy policy = k8s.network().v1().networkPolicies().inNamespace(namespace).withName("lingang-allow-data-links").get();
    if (policy == null) {
      return List.of();
    }
    return policy.getSpec().getEgress().stream()
        .flatMap(rule -> rule.getTo().stream())
        .map(peer -> peer.getIpBlock().getCidr())
        .sorted()
        .toList();
  }

  private static void awaitQuotaCounted(KubernetesClient k8s, String ns) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      ResourceQuota q = k8s.resourceQuotas().inNamespace(ns).withName(QUOTA).get();
      return q != null && q.getStatus() != null && q.getStatus().getUsed() != null;
    });
  }

  private static io.fabric8.kubernetes.api.model.Pod pod(String name, String cpu) {
    return TestPods.restricted(name, cpu);
  }
}
