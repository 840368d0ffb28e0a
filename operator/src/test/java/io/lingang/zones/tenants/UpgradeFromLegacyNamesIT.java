package io.lingang.zones.tenants;

import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.desired.ManagedLabels;
import io.lingang.zones.desired.TenantResources;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Clusters that ran an earlier version hold each tenant's read-access role under its old name,
 * {@code lingang-zones-tenant-<tenant>}, which a tenant named "admin" or "viewer" turned into one
 * of the chart's shared roles. After an upgrade the tenant keeps its access under the new name,
 * the old objects go, and a shared role the old version had taken over is let go of, not deleted.
 */
@ControlPlaneTest
class UpgradeFromLegacyNamesIT {

  @Test
  void oldReadAccessObjectsAreReplacedAndASharedRoleIsLetGoOfNotDeleted(RunningOperator operator, LocalControlPlane plane,
      KubernetesClient k8s, TestNames names) {
    String zone = names.name("zone");
    String name = names.name("old");
    String admin = names.name("admin");
    ZoneTenant t = Fixtures.zoneWithReadyTenant(k8s, zone, Fixtures.withAdmin(tenant(name, zone, quantities("pods", "5")), admin));
    ClusterRole shared = k8s.rbac().clusterRoles().withName("lingang-zones-tenant-viewer").get();

    // What the earlier version left: its own role and binding under the old name, and the shared
    // viewer role labelled and owned as if this tenant had been named "viewer".
    var owner = TenantResources.ownerReference(t);
    String legacy = "lingang-zones-tenant-" + name;
    k8s.resource(new ClusterRoleBuilder().withNewMetadata().withName(legacy).withLabels(ManagedLabels.of(zone, name))
        .withOwnerReferences(owner).endMetadata().addNewRule().withApiGroups("zones.lingang.io").withResources("zonetenants")
        .withResourceNames(name).withVerbs("get").endRule().build()).create();
    k8s.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(legacy).withLabels(ManagedLabels.of(zone, name))
        .withOwnerReferences(owner).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName(legacy).endRoleRef().addNewSubject().withKind("User").withName(admin).withApiGroup("rbac.authorization.k8s.io")
        .endSubject().build()).create();
    k8s.rbac().clusterRoles().withName("lingang-zones-tenant-viewer").edit(r -> new ClusterRoleBuilder(r).editMetadata()
        .addToLabels(ManagedLabels.of(zone, name)).withOwnerReferences(owner).endMetadata().build());

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(k8s.rbac().clusterRoles().withName(legacy).get()).isNull();
      assertThat(k8s.rbac().clusterRoleBindings().withName(legacy).get()).isNull();
      ClusterRole viewer = k8s.rbac().clusterRoles().withName("lingang-zones-tenant-viewer").get();
      assertThat(viewer).as("the shared role is never deleted").isNotNull();
      assertThat(viewer.getMetadata().getOwnerReferences()).isNullOrEmpty();
      assertThat(viewer.getMetadata().getLabels()).doesNotContainKeys("zones.lingang.io/tenant", "app.kubernetes.io/managed-by");
      assertThat(viewer.getRules()).isEqualTo(shared.getRules());
    });
    assertThat(k8s.rbac().clusterRoles().withName("lingang-zones:tenant:" + name).get()).isNotNull();
    try (KubernetesClient asAdmin = plane.impersonating(admin)) {
      assertThat(asAdmin.resources(ZoneTenant.class).withName(name).get()).as("the tenant's admin still reads it").isNotNull();
    }
  }
}
