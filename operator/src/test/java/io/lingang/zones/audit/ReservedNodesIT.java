package io.lingang.zones.audit;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.ConditionedStatus;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.NodePlacement;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one placement rule the admission policies cannot hold alone: a pod that targets no node at
 * all goes wherever the scheduler finds room, so a Dedicated zone's or an edge pool's nodes must be
 * tainted (with a taint its tolerations name, which no other namespace may tolerate). A platform
 * that forgets is told, on the zone or pool itself: Ready=False, NodesNotReserved, naming the nodes
 * and the command that fixes it; Ready again once they are tainted. Node objects without kubelets
 * are enough for the API server and the operator.
 */
@ControlPlaneTest
class ReservedNodesIT {

  @Test
  void reservedNodesThatNothingKeepsOtherPodsOffAreReportedUntilTainted(RunningOperator operator, KubernetesClient k8s,
      TestNames names) {
    String dedicatedValue = names.name("d");
    String poolValue = names.name("p");
    String zone = names.name("dedicated");
    String pool = names.name("pool");
    BusinessZone dedicated = sharedZone(zone, quantities("pods", "10"));
    dedicated.getSpec().setMode(BusinessZoneSpec.Mode.Dedicated);
    NodePlacement placement = new NodePlacement();
    placement.setNodeSelector(Map.of("lingang.io/dedicated", dedicatedValue));
    placement.setTolerations(List.of(toleration("lingang.io/dedicated", dedicatedValue)));
    dedicated.getSpec().setDedicatedNodes(placement);
    k8s.resource(dedicated).create();
    k8s.resource(Fixtures.edgePool(pool, Map.of("lingang.io/pool", poolValue), quantities("cpu", "4"),
        toleration("lingang.io/pool", poolValue))).create();
    awaitCondition(k8s, BusinessZone.class, zone, "Ready", true);
    awaitCondition(k8s, EdgePool.class, pool, "Ready", true);

    String zoneNode = names.name("zone-node");
    String poolNode = names.name("pool-node");
    String elsewhere = names.name("other-node");
    try {
      k8s.nodes().resource(node(zoneNode, Map.of("lingang.io/dedicated", dedicatedValue))).create();
      // A taint that only discourages, and one on a key the pool does not tolerate: neither keeps pods off.
      k8s.nodes().resource(node(poolNode, Map.of("lingang.io/pool", poolValue),
          taint("lingang.io/pool", poolValue, "PreferNoSchedule"), taint("example.com/maintenance", "yes", "NoSchedule")))
          .create();
      k8s.nodes().resource(node(elsewhere, Map.of("lingang.io/dedicated", "someone-else"))).create();

      String zoneMessage = awaitNotReserved(k8s, BusinessZone.class, zone);
      assertThat(zoneMessage).contains("node " + zoneNode + " ").contains("spec.dedicatedNodes.tolerations")
          .contains("kubectl taint nodes " + zoneNode).doesNotContain(elsewhere).doesNotContain(poolNode);
      String poolMessage = awaitNotReserved(k8s, EdgePool.class, pool);
      assertThat(poolMessage).contains("node " + poolNode + " ").contains("spec.tolerations").doesNotContain(zoneNode);

      k8s.nodes().withName(zoneNode).edit(n -> withTaint(n, taint("lingang.io/dedicated", dedicatedValue, "NoSchedule")));
      k8s.nodes().withName(poolNode).edit(n -> withTaint(n, taint("lingang.io/pool", poolValue, "NoSchedule")));

      awaitCondition(k8s, BusinessZone.class, zone, "Ready", true);
      awaitCondition(k8s, EdgePool.class, pool, "Ready", true);
    } finally {
      List.of(zoneNode, poolNode, elsewhere).forEach(n -> k8s.nodes().withName(n).delete());
    }
  }

  private static <T extends io.fabric8.kubernetes.client.CustomResource<?, ? extends ConditionedStatus>> String awaitNotReserved(
      KubernetesClient k8s, Class<T> kind, String name) {
    await(kind.getSimpleName() + " " + name + " NodesNotReserved").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(k8s.resources(kind).withName(name).get().getStatus().condition("Ready"))
            .hasValueSatisfying(c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("NodesNotReserved");
            }));
    return k8s.resources(kind).withName(name).get().getStatus().condition("Ready").orElseThrow().getMessage();
  }

  private static Node node(String name, Map<String, String> labels, Taint... taints) {
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withTaints(taints.length == 0 ? null : List.of(taints)).endSpec().build();
  }

  private static Node withTaint(Node node, Taint taint) {
    List<Taint> taints = new java.util.ArrayList<>(node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints());
    taints.add(taint);
    node.getSpec().setTaints(taints);
    return node;
  }

  private static Taint taint(String key, String value, String effect) {
    return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
  }

  private static Toleration toleration(String key, String value) {
    return new TolerationBuilder().withKey(key).withOperator("Equal").withValue(value).withEffect("NoSchedule").build();
  }
}
