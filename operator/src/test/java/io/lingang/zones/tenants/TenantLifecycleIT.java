package io.lingang.zones.tenants;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgeAllocationSpec;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.EdgePoolSpec;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.Trial;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantSpec;
import io.lingang.zones.reconciler.ZoneTenantReconciler;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Offboarding, zone deletion and trial expiry, as a platform engineer meets them. */
@ControlPlaneTest
class TenantLifecycleIT {

  @Test
  void retainKeepsTheDataButClosesTheNamespaceAndNoLaterTenantOfTheSameNameTakesIt(RunningOperator operator,
      LocalControlPlane plane, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String tenant = names.name("keep");
    String admin = names.name("admin");
    Fixtures.zoneWithReadyTenant(k8s, zone, Fixtures.withAdmin(tenant(tenant, zone, quantities("pods", "5")), admin));
    k8s.configMaps().inNamespace(tenant).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("trial-data").endMetadata().addToData("rows", "42").build()).create();

    k8s.resources(ZoneTenant.class).withName(tenant).delete();

    await().atMost(Duration.ofSeconds(15)).until(() -> k8s.resources(ZoneTenant.class).withName(tenant).get() == null);
    var ns = k8s.namespaces().withName(tenant).get();
    assertThat(ns.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by")
        .doesNotContainKey("zones.lingang.io/tenant").containsEntry("zones.lingang.io/retained-from", tenant)
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    assertThat(k8s.configMaps().inNamespace(tenant).withName("trial-data").get().getData()).containsEntry("rows", "42");
    assertThat(k8s.network().v1().networkPolicies().inNamespace(tenant).list().getItems())
        .as("only the default deny is left").extracting(p -> p.getMetadata().getName()).containsExactly("lingang-default-deny");
    assertThat(k8s.resourceQuotas().inNamespace(tenant).withName("lingang-quota").get().getSpec().getHard())
        .containsEntry("pods", new Quantity("0"));
    assertThat(k8s.rbac().roleBindings().inNamespace(tenant).list().getItems()).isEmpty();
    try (KubernetesClient formerAdmin = plane.impersonating(admin)) {
      assertThatThrownBy(() -> formerAdmin.configMaps().inNamespace(tenant).withName("trial-data").get())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    // A new company that happens to get the same tenant name, in another zone, gets nothing of it.
    String otherZone = names.name("other");
    k8s.resource(sharedZone(otherZone, quantities("pods", "10"))).create();
    k8s.resource(tenant(tenant, otherZone, quantities("pods", "5"))).create();
    // Until the first reconcile the new tenant has no status yet: an assertion, not an NPE, that the wait retries.
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(k8s.resources(ZoneTenant.class).withName(tenant).get().getStatus())
        .isNotNull().satisfies(s -> assertThat(s.condition("Ready").orElseThrow().getReason()).isEqualTo("NamespaceConflict")));
    assertThat(k8s.namespaces().withName(tenant).get().getMetadata().getLabels())
        .as("the retained namespace is left untouched").doesNotContainKey("zones.lingang.io/tenant")
        .containsEntry("zones.lingang.io/zone", zone);
    assertThat(k8s.network().v1().networkPolicies().inNamespace(tenant).list().getItems()).hasSize(1);
  }

  @Test
  void deleteRemovesTheNamespaces(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String tenant = readyTenantWithDeletePolicy(k8s, names, "gone");

    k8s.resources(ZoneTenant.class).withName(tenant).delete();

    await().atMost(Duration.ofSeconds(60)).until(() -> k8s.namespaces().withName(tenant).get() == null);
  }

  /** The finalizer is what lets a tenant's namespaces go with it; taken away, it comes back. */
  @Test
  void aFinalizerTakenAwayIsPutBackSoThatDeletingStillOffboards(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String tenant = readyTenantWithDeletePolicy(k8s, names, "held");
    assertThat(k8s.resources(ZoneTenant.class).withName(tenant).get().getMetadata().getFinalizers())
        .containsExactly(ZoneTenantReconciler.FINALIZER);

    k8s.resources(ZoneTenant.class).withName(tenant)
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(k8s.resources(ZoneTenant.class).withName(tenant).get()
        .getMetadata().getFinalizers()).containsExactly(ZoneTenantReconciler.FINALIZER));
    k8s.resources(ZoneTenant.class).withName(tenant).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> k8s.namespaces().withName(tenant).get() == null);
  }

  /** A Ready tenant of a zone of its own whose namespaces go with it; returns its name. */
  private static String readyTenantWithDeletePolicy(KubernetesClient k8s, TestNames names, String name) {
    String zone = names.name("zone");
    String tenant = names.name(name);
    ZoneTenant t = tenant(tenant, zone, quantities("pods", "5"));
    t.getSpec().setDeletionPolicy(ZoneTenantSpec.DeletionPolicy.Delete);
    Fixtures.zoneWithReadyTenant(k8s, zone, t);
    return tenant;
  }

  @Test
  void aZoneInUseStaysTerminatingAndSaysWhichTenantsHoldIt(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String tenant = names.name("holder");
    Fixtures.zoneWithReadyTenant(k8s, zone, tenant);

    k8s.resources(BusinessZone.class).withName(zone).delete();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      BusinessZone terminating = k8s.resources(BusinessZone.class).withName(zone).get();
      assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
      var ready = terminating.getStatus().condition("Ready").orElseThrow();
      assertThat(ready.getReason()).isEqualTo("TenantsRemain");
      assertThat(ready.getMessage()).contains(tenant);
    });

    k8s.resources(ZoneTenant.class).withName(tenant).delete();
    await().atMost(Duration.ofSeconds(15)).until(() -> k8s.resources(BusinessZone.class).withName(zone).get() == null);
  }

  @Test
  void whenTheTrialEndsEveryTenantIsSuspendedWithoutAnyOtherEvent(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String tenant = names.name("trial");
    BusinessZone z = sharedZone(zone, quantities("pods", "10"));
    Trial trial = new Trial();
    Instant end = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
    trial.setEndsAt(end.toString());
    z.getSpec().setTrial(trial);
    k8s.resource(z).create();
    k8s.resource(tenant(tenant, zone, quantities("pods", "5"))).create();
    ZoneTenant before = awaitCondition(k8s, ZoneTenant.class, tenant, "Ready", true);
    assertThat(before.getStatus().isTrue("Suspended")).isFalse();

    ZoneTenant after = awaitCondition(k8s, ZoneTenant.class, tenant, "Suspended", true);

    assertThat(Instant.now()).isAfterOrEqualTo(end);
    assertThat(after.getStatus().condition("Suspended").orElseThrow().getReason()).isEqualTo("TrialExpired");
    awaitCondition(k8s, BusinessZone.class, zone, "Expired", true);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        k8s.resourceQuotas().inNamespace(tenant).withName("lingang-quota").get().getSpec().getHard())
        .containsEntry("pods", new Quantity("0")));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        k8s.resources(TenantStatus.class).inNamespace(tenant).withName(tenant).get().getStatus().getSuspended()).isTrue());
  }

  @Test
  void kubectlWaitForReadyWorksOnEveryKind(RunningOperator operator, LocalControlPlane plane, KubernetesClient k8s, TestNames names)
      throws IOException, InterruptedException {
    String link = names.name("link");
    String zone = names.name("zone");
    String tenant = names.name("waiter");
    k8s.resource(Fixtures.link(link, "192.0.2.0/24")).create();
    k8s.resource(sharedZone(zone, quantities("pods", "10"), link)).create();
    k8s.resource(tenant(tenant, zone, quantities("pods", "5"))).create();
    String pool = names.name("pool");
    String allocation = names.name("alloc");
    EdgePool edgePool = new EdgePool();
    edgePool.getMetadata().setName(pool);
    edgePool.setSpec(new EdgePoolSpec());
    edgePool.getSpec().setNodeSelector(Map.of("lingang.io/test-pool", pool));
    edgePool.getSpec().setCapacity(quantities("cpu", "2"));
    k8s.resource(edgePool).create();
    EdgeAllocation grant = new EdgeAllocation();
    grant.getMetadata().setName(allocation);
    grant.setSpec(new EdgeAllocationSpec());
    grant.getSpec().setTenant(tenant);
    grant.getSpec().setPool(pool);
    grant.getSpec().setResources(quantities("cpu", "1"));
    k8s.resource(grant).create();

    String bin = new String(new ProcessBuilder("bash", plane.repositoryRoot().resolve("hack/tools.sh").toString())
        .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    await().atMost(Duration.ofSeconds(20)).until(() -> k8s.resources(TenantStatus.class).inNamespace(tenant).withName(tenant).get() != null);
    Process wait = new ProcessBuilder(bin + "/kubectl", "--kubeconfig", plane.kubeconfig().toString(),
        "wait", "--for=condition=Ready", "--timeout=30s",
        "datalink/" + link, "businesszone/" + zone, "zonetenant/" + tenant, "edgepool/" + pool, "edgeallocation/" + allocation)
        .redirectErrorStream(true).start();
    Process waitStatus = new ProcessBuilder(bin + "/kubectl", "--kubeconfig", plane.kubeconfig().toString(),
        "wait", "--for=condition=Ready", "--timeout=30s", "-n", tenant, "tenantstatus/" + tenant)
        .redirectErrorStream(true).start();

    assertThat(wait.waitFor(40, TimeUnit.SECONDS)).isTrue();
    assertThat(waitStatus.waitFor(40, TimeUnit.SECONDS)).isTrue();
    String out = new String(wait.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        + new String(waitStatus.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(wait.exitValue()).as(out).isZero();
    assertThat(waitStatus.exitValue()).as(out).isZero();
    assertThat(out).contains("datalink.zones.lingang.io/" + link + " condition met")
        .contains("zonetenant.zones.lingang.io/" + tenant + " condition met")
        .contains("tenantstatus.zones.lingang.io/" + tenant + " condition met")
        .contains("edgepool.zones.lingang.io/" + pool + " condition met")
        .contains("edgeallocation.zones.lingang.io/" + allocation + " condition met");
    assertThat(k8s.resources(DataLink.class).withName(link).get().getStatus().isTrue("Ready")).isTrue();
  }
}
