package io.lingang.zones.operator;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.NodePlacement;
import io.lingang.zones.api.v1alpha1.TenantNamespace;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantSpec;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OwnControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting the project's CRDs never deletes a tenant's namespace, whatever its deletionPolicy and
 * kind (one namespace, several, an edge namespace, a Dedicated zone's); restoring the CRDs and the
 * resources (new UIDs) takes every namespace back, as it was. A control plane of its own: the
 * CRDs of the shared one stay.
 */
@OwnControlPlane("control-plane-crd-deletion")
class CrdDeletionIT {
  private static LocalControlPlane plane;
  private static KubernetesClient k8s;

  @BeforeEach
  void controlPlane(LocalControlPlane own) {
    plane = own;
    k8s = own.admin();
  }

  @Test
  void deletingTheCrdsLosesNoNamespaceAndRestoringThemTakesEveryOneBack() {
    TestNames n = TestNames.random();
    List<HasMetadata> world = world(n);
    Map<String, String> uids;
    try (RunningOperator operator = RunningOperator.on(plane)) {
      world.forEach(o -> k8s.resource(o).create());
      awaitEverythingReady(world);
      uids = namespaceUids(n);
      assertThat(uids).hasSize(6);

      List<CustomResourceDefinition> crds = k8s.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
          .filter(c -> c.getSpec().getGroup().equals("zones.lingang.io"))
          .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName())).toList();
      // As `kubectl delete -f crds/` does: one after the other, in file order (EdgeAllocations go before ZoneTenants).
      crds.forEach(crd -> k8s.resource(crd).delete());
      await("the CRDs gone").atMost(Duration.ofSeconds(90)).until(() -> k8s.apiextensions().v1().customResourceDefinitions()
          .list().getItems().stream().noneMatch(c -> c.getSpec().getGroup().equals("zones.lingang.io")));
      assertThat(namespaceUids(n)).as("every namespace, with its UID: none lost, none replaced").isEqualTo(uids);
    }

    plane.installCrds();
    try (RunningOperator operator = RunningOperator.on(plane)) {
      world(n).forEach(o -> k8s.resource(o).create());
      awaitEverythingReady(world);
      assertThat(namespaceUids(n)).as("the same namespaces, taken back").isEqualTo(uids);
      assertThat(operator.fatalErrors()).isEmpty();
    }
  }

  /** A Shared zone (Retain; Delete with two namespaces; Delete with an edge allocation) and a Dedicated zone (Delete). */
  private static List<HasMetadata> world(TestNames n) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(sharedZone(n.name("shared"), quantities("pods", "40")));
    BusinessZone dedicated = sharedZone(n.name("dedicated"), quantities("pods", "10"));
    dedicated.getSpec().setMode(BusinessZoneSpec.Mode.Dedicated);
    NodePlacement nodes = new NodePlacement();
    nodes.setNodeSelector(Map.of("lingang.io/dedicated", n.name("dedicated")));
    dedicated.getSpec().setDedicatedNodes(nodes);
    objects.add(dedicated);
    objects.add(Fixtures.edgePool(n.name("pool"), Map.of("lingang.io/pool", n.name("pool")), quantities("cpu", "8", "pods", "10")));
    objects.add(tenant(n.name("keep"), n.name("shared"), quantities("pods", "5")));
    ZoneTenant multi = withDelete(tenant(n.name("multi"), n.name("shared"), quantities("pods", "10")));
    multi.getSpec().setNamespaces(List.of(new TenantNamespace("a", null), new TenantNamespace("b", null)));
    objects.add(multi);
    objects.add(withDelete(tenant(n.name("edge"), n.name("shared"), quantities("pods", "5"))));
    objects.add(Fixtures.allocation(n.name("grant"), n.name("edge"), n.name("pool"), quantities("cpu", "2", "pods", "2")));
    objects.add(withDelete(tenant(n.name("ded"), n.name("dedicated"), quantities("pods", "5"))));
    return objects;
  }

  private static ZoneTenant withDelete(ZoneTenant t) {
    t.getSpec().setDeletionPolicy(ZoneTenantSpec.DeletionPolicy.Delete);
    return t;
  }

  private static void awaitEverythingReady(List<HasMetadata> world) {
    for (HasMetadata o : world) {
      if (o instanceof ZoneTenant t) {
        awaitCondition(k8s, ZoneTenant.class, t.getMetadata().getName(), "Ready", true);
      } else if (o instanceof EdgeAllocation a) {
        awaitCondition(k8s, EdgeAllocation.class, a.getMetadata().getName(), "Ready", true);
      }
    }
  }

  private static Map<String, String> namespaceUids(TestNames n) {
    Map<String, String> uids = new LinkedHashMap<>();
    for (String ns : List.of(n.name("keep"), n.name("multi") + "-a", n.name("multi") + "-b", n.name("edge"),
        n.name("edge") + "-edge-" + n.name("pool"), n.name("ded"))) {
      await("namespace " + ns).atMost(Duration.ofSeconds(30)).until(() -> k8s.namespaces().withName(ns).get() != null);
      var namespace = k8s.namespaces().withName(ns).get();
      if (namespace.getMetadata().getDeletionTimestamp() == null) {
        uids.put(ns, namespace.getMetadata().getUid());
      }
    }
    return uids;
  }
}
