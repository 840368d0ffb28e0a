package io.lingang.zones.tenants;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static io.lingang.zones.testing.Fixtures.withAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a tenant admin can and cannot do, checked by the real API server's RBAC. */
@ControlPlaneTest
class TenantAccessIT {
  private String mine;
  private String theirs;
  private String admin;

  @BeforeEach
  void twoTenantsInOneZone(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    mine = names.name("mine");
    theirs = names.name("theirs");
    admin = names.name("alice");
    k8s.resource(sharedZone(zone, quantities("requests.cpu", "8", "pods", "40"))).create();
    k8s.resource(withAdmin(tenant(mine, zone, quantities("requests.cpu", "2", "pods", "10")), admin)).create();
    k8s.resource(withAdmin(tenant(theirs, zone, quantities("requests.cpu", "2", "pods", "10")), names.name("bob"))).create();
    awaitCondition(k8s, ZoneTenant.class, mine, "Ready", true);
    awaitCondition(k8s, ZoneTenant.class, theirs, "Ready", true);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> k8s.resources(TenantStatus.class).inNamespace(theirs).withName(theirs).get() != null);
  }

  @Test
  void adminManagesWorkloadsInItsOwnNamespace(LocalControlPlane plane) {
    try (KubernetesClient alice = plane.impersonating(admin)) {
      var deployment = alice.apps().deployments().inNamespace(mine).resource(new DeploymentBuilder()
          .withNewMetadata().withName("web").endMetadata()
          .withNewSpec().withReplicas(1)
          .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
          .withNewSpec().addNewContainer().withName("web").withImage("registry.invalid/web:1").withImagePullPolicy("Always").endContainer().endSpec()
          .endTemplate().endSpec().build()).create();

      assertThat(deployment.getMetadata().getUid()).isNotBlank();
    }
  }

  @Test
  void adminCannotChangeQuotaLimitsPoliciesOrBindings(LocalControlPlane plane) {
    try (KubernetesClient alice = plane.impersonating(admin)) {
      assertForbidden(() -> alice.network().v1().networkPolicies().inNamespace(mine).withName("lingang-default-deny").delete());
      assertForbidden(() -> alice.resourceQuotas().inNamespace(mine).withName("lingang-quota").edit(q -> {
        q.getSpec().getHard().put("requests.cpu", new Quantity("100"));
        return q;
      }));
      assertForbidden(() -> alice.rbac().roleBindings().inNamespace(mine).withName("lingang-tenant-admins").delete());
      assertForbidden(() -> alice.resources(TenantStatus.class).inNamespace(mine).withName(mine).delete());
      // Reading them is fine: a tenant may see its own limits.
      assertThat(alice.resourceQuotas().inNamespace(mine).withName("lingang-quota").get()).isNotNull();
    }
  }

  @Test
  void adminReadsItsOwnTenantAndStatusButNothingOfAnotherTenant(LocalControlPlane plane) {
    try (KubernetesClient alice = plane.impersonating(admin)) {
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> alice.resources(ZoneTenant.class).withName(mine).get() != null);
      assertThat(alice.resources(TenantStatus.class).inNamespace(mine).withName(mine).get().getStatus().getTenant())
          .isEqualTo(mine);

      assertForbidden(() -> alice.resources(ZoneTenant.class).withName(theirs).get());
      assertForbidden(() -> alice.resources(TenantStatus.class).inNamespace(theirs).withName(theirs).get());
      assertForbidden(() -> alice.pods().inNamespace(theirs).list());
      assertForbidden(() -> alice.namespaces().withName(theirs).get());
      assertForbidden(() -> alice.resources(ZoneTenant.class).list());
    }
  }

  private static void assertForbidden(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).isEqualTo(403));
  }
}
