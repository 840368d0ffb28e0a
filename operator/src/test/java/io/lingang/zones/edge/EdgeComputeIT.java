package io.lingang.zones.edge;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.TimeWindow;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import io.lingang.zones.testing.TestPods;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Edge pools counted from real Node objects, and allocations that pin and cap a tenant's pods. */
@ControlPlaneTest
class EdgeComputeIT {
  private static final Toleration EDGE_TAINT = new TolerationBuilder()
      .withKey("lingang.io/edge").withOperator("Exists").withEffect("NoSchedule").build();

  @Test
  void aPoolFollowsItsNodesJoiningRelabelledAndNotReady(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String pool = names.name("pool");
    String label = names.name("sel");
    k8s.resource(pool(pool, label, null)).create();
    awaitCondition(k8s, EdgePool.class, pool, "Ready", false);

    String first = createNode(k8s, names.name("node-a"), label, true);
    awaitPool(k8s, pool, 1, "8");
    String second = createNode(k8s, names.name("node-b"), label, true);
    awaitPool(k8s, pool, 2, "16");

    k8s.nodes().withName(second).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"lingang.io/test-pool\":\"elsewhere\"}}}");
    awaitPool(k8s, pool, 1, "8");

    Node notReady = k8s.nodes().withName(first).get();
    notReady.getStatus().getConditions().get(0).setStatus("False");
    k8s.nodes().resource(notReady).updateStatus();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(k8s.resources(EdgePool.class).withName(pool).get().getStatus().getNodes()).isZero());
  }

  @Test
  void anAdmittedAllocationPinsAndCapsTheTenantsPods(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String tenant = admittedTenant(k8s, names);
    String label = names.name("sel");
    String pool = names.name("gpu");
    createNode(k8s, names.name("node"), label, true);
    k8s.resource(pool(pool, label, null)).create();
    awaitPool(k8s, pool, 1, "8");
    String allocation = names.name("grant");
    k8s.resource(Fixtures.allocation(allocation, tenant, pool, quantities("cpu", "2", "memory", "4Gi", "nvidia.com/gpu", "1"))).create();

    EdgeAllocation admitted = awaitCondition(k8s, EdgeAllocation.class, allocation, "Admitted", true);
    String ns = tenant + "-edge-" + pool;
    assertThat(admitted.getStatus().getNamespace()).isEqualTo(ns);
    await().atMost(Duration.ofSeconds(10)).until(() -> k8s.namespaces().withName(ns).get() != null
        && k8s.resourceQuotas().inNamespace(ns).withName("lingang-quota").get() != null
        && k8s.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var q = k8s.resourceQuotas().inNamespace(ns).withName("lingang-quota").get();
      return q.getStatus() != null && q.getStatus().getUsed() != null;
    });

    Pod pinned = k8s.pods().inNamespace(ns).resource(pod("worker", "1", List.of())).create();
    assertThat(pinned.getSpec().getNodeSelector()).containsEntry("lingang.io/test-pool", label);
    assertThat(pinned.getSpec().getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("lingang.io/edge"));

    assertThatThrownBy(() -> k8s.pods().inNamespace(ns).resource(pod("sneaky", "100m", List.of(new TolerationBuilder()
        .withKey("dedicated").withOperator("Exists").withEffect("NoSchedule").build()))).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage()).contains("whitelist"));
    assertThatThrownBy(() -> k8s.pods().inNamespace(ns).resource(pod("greedy", "2", List.of())).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage()).contains("exceeded quota"));
    assertThatThrownBy(() -> k8s.pods().inNamespace(ns).resource(withResources(pod("hungry", "100m", List.of()),
            Map.of("cpu", new Quantity("100m"), "memory", new Quantity("8Gi")))).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage()).contains("exceeded quota"));
    assertThatThrownBy(() -> k8s.pods().inNamespace(ns).resource(withResources(pod("two-gpus", "100m", List.of()),
            Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi"), "nvidia.com/gpu", new Quantity("2")))).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage()).contains("exceeded quota"));

    // Another tenant's allocation on the same pool is never in this tenant's TenantStatus.
    String other = admittedTenant(k8s, new TestNamesFrom(names, "other"));
    k8s.resource(Fixtures.allocation(names.name("theirs"), other, pool, quantities("cpu", "1"))).create();
    awaitCondition(k8s, EdgeAllocation.class, names.name("theirs"), "Admitted", true);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      TenantStatus ts = k8s.resources(TenantStatus.class).inNamespace(ns).withName(tenant).get();
      assertThat(ts.getStatus().getEdgeAllocations()).singleElement().satisfies(g -> {
        assertThat(g.getName()).isEqualTo(allocation);
        assertThat(g.getState()).isEqualTo("Active");
      });
      // quota.hard is the zone's admitted quota plus what the edge grants, and says which is which.
      var quota = ts.getStatus().getQuota();
      assertThat(quota.getZone().getHard()).isEqualTo(quantities("pods", "5"));
      assertThat(quota.getEdge().getHard()).containsEntry("requests.cpu", new Quantity("2"))
          .containsEntry("limits.memory", new Quantity("4Gi")).doesNotContainKey("pods");
      assertThat(quota.getHard()).containsEntry("pods", new Quantity("5")).containsEntry("requests.cpu", new Quantity("2"));
    });
  }

  @Test
  void overCommitmentIsRefusedAndAdmittedOnceCapacityFreesUp(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String tenant = admittedTenant(k8s, names);
    String pool = names.name("small");
    k8s.resource(pool(pool, names.name("sel"), quantities("cpu", "4"))).create();
    awaitCondition(k8s, EdgePool.class, pool, "Ready", true);
    String first = names.name("first");
    String second = names.name("second");
    k8s.resource(Fixtures.allocation(first, tenant, pool, quantities("cpu", "3"))).create();
    awaitCondition(k8s, EdgeAllocation.class, first, "Admitted", true);
    k8s.resource(Fixtures.allocation(second, tenant, pool, quantities("cpu", "2"))).create();

    EdgeAllocation refused = awaitCondition(k8s, EdgeAllocation.class, second, "Admitted", false);
    assertThat(refused.getStatus().condition("Admitted").orElseThrow().getMessage()).contains("cpu 2 wanted, more than is free");
    // The tenant, who cannot read cluster-scoped allocations or their events, reads the refusal in its namespace.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      TenantStatus ts = k8s.resources(TenantStatus.class).inNamespace(tenant).withName(tenant).get();
      assertThat(ts.getStatus().getEdgeAllocations()).filteredOn(g -> g.getName().equals(second)).singleElement()
          .satisfies(g -> {
            assertThat(g.getState()).isEqualTo("Refused");
            assertThat(g.getMessage()).contains("cpu 2 wanted, more than is free");
          });
      assertThat(k8s.v1().events().inNamespace(tenant).list().getItems())
          .filteredOn(e -> "EdgeAllocationRefused".equals(e.getReason())).singleElement()
          .satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("TenantStatus");
            assertThat(e.getMessage()).contains(second).contains("cpu 2 wanted, more than is free");
          });
    });

    k8s.resources(EdgeAllocation.class).withName(first).delete();

    awaitCondition(k8s, EdgeAllocation.class, second, "Admitted", true);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(k8s.v1().events().inNamespace(tenant).list().getItems())
        .filteredOn(e -> "EdgeAllocationGranted".equals(e.getReason())).extracting(e -> e.getMessage()).anyMatch(m -> m.contains(second)));
  }

  @Test
  void aWindowOpensAndClosesAtItsTimes(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String tenant = admittedTenant(k8s, names);
    String pool = names.name("window");
    k8s.resource(pool(pool, names.name("sel"), quantities("cpu", "4"))).create();
    awaitCondition(k8s, EdgePool.class, pool, "Ready", true);
    Instant start = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
    Instant end = start.plusSeconds(5);
    String allocation = names.name("short");
    EdgeAllocation windowed = Fixtures.allocation(allocation, tenant, pool, quantities("cpu", "1"));
    TimeWindow window = new TimeWindow();
    window.setStartsAt(start.toString());
    window.setEndsAt(end.toString());
    windowed.getSpec().setWindow(window);
    k8s.resource(windowed).create();

    EdgeAllocation pending = awaitCondition(k8s, EdgeAllocation.class, allocation, "Admitted", false);
    assertThat(pending.getStatus().condition("Admitted").orElseThrow().getReason()).isEqualTo("WindowNotStarted");

    awaitCondition(k8s, EdgeAllocation.class, allocation, "Admitted", true);
    assertThat(Instant.now()).isAfterOrEqualTo(start);
    String ns = tenant + "-edge-" + pool;
    await().atMost(Duration.ofSeconds(5)).until(() -> k8s.namespaces().withName(ns).get() != null);

    awaitCondition(k8s, EdgeAllocation.class, allocation, "Expired", true);
    assertThat(Instant.now()).isAfterOrEqualTo(end);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        k8s.resourceQuotas().inNamespace(ns).withName("lingang-quota").get().getSpec().getHard())
        .containsEntry("pods", new Quantity("0")));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        k8s.resources(EdgePool.class).withName(pool).get().getStatus().getAvailable()).containsEntry("cpu", new Quantity("4")));
  }

  /** Names for a second tenant in the same test. */
  private record TestNamesFrom(TestNames names, String prefix) {
    String name(String base) {
      return names.name(prefix + base);
    }
  }

  private static String admittedTenant(KubernetesClient k8s, TestNames names) {
    return admittedTenant(k8s, new TestNamesFrom(names, ""));
  }

  private static String admittedTenant(KubernetesClient k8s, TestNamesFrom names) {
    String tenant = names.name("edgeco");
    Fixtures.zoneWithReadyTenant(k8s, names.name("zone"), tenant);
    return tenant;
  }

  private static EdgePool pool(String name, String label, Map<String, Quantity> capacity) {
    return Fixtures.edgePool(name, Map.of("lingang.io/test-pool", label), capacity, EDGE_TAINT);
  }

  private static String createNode(KubernetesClient k8s, String name, String label, boolean ready) {
    Node node = new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(Map.of("lingang.io/test-pool", label)).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus()
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").withReason("Test").endCondition()
        .withAllocatable(Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"),
            "nvidia.com/gpu", new Quantity("2"), "pods", new Quantity("110")))
        .withCapacity(Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"),
            "nvidia.com/gpu", new Quantity("2"), "pods", new Quantity("110")))
        .endStatus()
        .build();
    k8s.nodes().resource(node).create();
    // Status is not taken from a create: set it as the kubelet would.
    k8s.nodes().resource(node).updateStatus();
    return name;
  }

  private static void awaitPool(KubernetesClient k8s, String pool, int nodes, String cpu) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var status = k8s.resources(EdgePool.class).withName(pool).get().getStatus();
      assertThat(status.getNodes()).isEqualTo(nodes);
      assertThat(status.getCapacity()).containsEntry("cpu", new Quantity(cpu));
    });
  }

  private static Pod withResources(Pod pod, Map<String, Quantity> amounts) {
    pod.getSpec().getContainers().get(0).getResources().setRequests(amounts);
    pod.getSpec().getContainers().get(0).getResources().setLimits(amounts);
    return pod;
  }

  private static Pod pod(String name, String cpu, List<Toleration> tolerations) {
    return TestPods.restrictedBuilder(name, Map.of("cpu", new Quantity(cpu), "memory", new Quantity("256Mi")))
        .editSpec().withTolerations(tolerations).endSpec().build();
  }
}
