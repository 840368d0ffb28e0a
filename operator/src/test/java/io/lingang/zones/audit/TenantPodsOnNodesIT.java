package io.lingang.zones.audit;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.NodesCluster;
import io.lingang.zones.testing.NodesClusterTest;
import io.lingang.zones.testing.TestNames;
import io.lingang.zones.testing.TestPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenants' pods on real nodes, in the audit's world ({@link WorldOnNodes}): they run under the
 * restricted standard, a Dedicated zone's pods land on its node and nowhere else, an edge
 * allocation's on its pool's node, a Shared tenant's (a DaemonSet's included) never on a reserved node, a suspended
 * tenant keeps its running pods but starts no new one, and no tenant runs a neighbour's image
 * from a node's cache.
 */
@NodesClusterTest
class TenantPodsOnNodesIT {
  private static NodesCluster cluster;
  private static WorldOnNodes world;

  @BeforeAll
  static void world(NodesCluster nodes) {
    cluster = nodes;
    world = WorldOnNodes.get(nodes);
  }

  @Test
  void aSharedTenantsDeploymentRunsRestrictedAndNeverOnAReservedNode(KubernetesClient k8s) {
    String ns = world.w.alpha.namespace();
    List<Pod> pods = runDeployment(k8s, ns, "web", 4);

    // Nodes 2 and 3 are tainted for the edge pool and the Dedicated zone; the scheduler spreads
    // replicas over every node it may use, so only the taints keep these off them.
    assertThat(pods).extracting(p -> p.getSpec().getNodeName()).containsOnly(NodesCluster.PLAIN_NODE);
    String status = cluster.kubectl("exec", "-n", ns, pods.get(0).getMetadata().getName(), "--", "cat", "/proc/1/status").output();
    assertThat(status).as("the container's process").containsPattern("Uid:\\s+65534\\s").containsPattern("CapEff:\\s+0+\\s")
        .containsPattern("NoNewPrivs:\\s+1").containsPattern("Seccomp:\\s+2");
    assertThat(world.endpoints.values()).filteredOn(e -> e.namespace().equals(ns) || e.namespace().equals(world.w.beta.namespace())
            || e.namespace().equals(world.w.epsilon.namespace()))
        .as("the server pods of Shared and baseline tenants").isNotEmpty()
        .extracting(WorldOnNodes.Endpoint::node).containsOnly(NodesCluster.PLAIN_NODE);

    // Asking for a reserved node outright is refused before any scheduling.
    assertThatThrownBy(() -> k8s.pods().inNamespace(ns).resource(PlacementAttempts.pod("intruder").editSpec()
        .withNodeSelector(world.w.dedicatedSelector()).withTolerations(world.w.dedicatedToleration()).endSpec().build()).create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining(PlacementAttempts.RESERVED);
  }

  @Test
  void aSharedTenantsDaemonSetRunsOnTheSharedNodeOnly(KubernetesClient k8s) {
    String ns = world.w.alpha.namespace();
    Pod template = TestPods.restrictedBuilder("agent", Map.of("cpu", new Quantity("10m"), "memory", new Quantity("32Mi")))
        .editSpec().withTerminationGracePeriodSeconds(1L).endSpec().build();
    k8s.apps().daemonSets().inNamespace(ns).resource(TestPods.daemonSet("agent", template.getSpec())).create();

    // The controller pins each pod to its node by name (node affinity matchFields), which tenants
    // may not write themselves; it skips the reserved nodes, whose taints the template does not tolerate.
    await("DaemonSet " + ns + "/agent ready").atMost(Duration.ofMinutes(2)).until(() -> {
      DaemonSet d = k8s.apps().daemonSets().inNamespace(ns).withName("agent").get();
      return d.getStatus() != null && d.getStatus().getDesiredNumberScheduled() != null
          && d.getStatus().getDesiredNumberScheduled() > 0
          && d.getStatus().getDesiredNumberScheduled().equals(d.getStatus().getNumberReady());
    });
    List<Pod> pods = k8s.pods().inNamespace(ns).withLabel("app", "agent").list().getItems();
    assertThat(pods).extracting(p -> p.getSpec().getNodeName()).containsExactly(NodesCluster.PLAIN_NODE);
  }

  @Test
  void aDedicatedZonesPodsRunOnItsNodeAndNowhereElse(KubernetesClient k8s) {
    List<Pod> pods = runDeployment(k8s, world.w.gamma.namespace(), "web", 3);

    assertThat(pods).extracting(p -> p.getSpec().getNodeName()).containsOnly(NodesCluster.DEDICATED_NODE);
    // Pinned by the namespace (the admission plugins wrote it into the pod), not by the Deployment.
    assertThat(pods).allSatisfy(p -> assertThat(p.getSpec().getNodeSelector()).containsAllEntriesOf(world.w.dedicatedSelector()));
    assertThat(world.endpoint(world.w.gamma.namespace() + "/probe").node()).isEqualTo(NodesCluster.DEDICATED_NODE);
  }

  @Test
  void anEdgeAllocationsPodsRunOnItsPoolsNode(KubernetesClient k8s) {
    String edge = world.w.alpha.namespaces().get(2);
    List<Pod> pods = runDeployment(k8s, edge, "worker", 2);

    assertThat(pods).extracting(p -> p.getSpec().getNodeName()).containsOnly(NodesCluster.EDGE_NODE);
    assertThat(pods).allSatisfy(p -> assertThat(p.getSpec().getNodeSelector()).containsAllEntriesOf(world.w.poolSelector()));
    assertThat(world.endpoint(edge + "/probe").node()).isEqualTo(NodesCluster.EDGE_NODE);
  }

  @Test
  void aSuspendedTenantKeepsItsRunningPodsAndStartsNoNewOne(KubernetesClient k8s, TestNames names) {
    String name = names.name("paused");
    ZoneTenant created = tenant(name, world.w.shared, quantities("requests.cpu", "1", "pods", "5"));
    k8s.resource(created).create();
    awaitCondition(k8s, ZoneTenant.class, name, "Ready", true);
    Pod running = runDeployment(k8s, name, "web", 1).get(0);

    k8s.resources(ZoneTenant.class).withName(name).edit(t -> {
      t.getSpec().setSuspended(true);
      return t;
    });
    awaitCondition(k8s, ZoneTenant.class, name, "Suspended", true);
    // The quota allows no pods once the quota controller has taken the operator's pods: "0" in.
    await("the quota enforces pods: 0").atMost(Duration.ofSeconds(30)).until(() -> k8s.resourceQuotas().inNamespace(name)
        .withName("lingang-quota").get().getStatus().getHard().get("pods").equals(new Quantity("0")));

    assertThatThrownBy(() -> k8s.pods().inNamespace(name).resource(PlacementAttempts.pod("new").build()).create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("exceeded quota");
    k8s.apps().deployments().inNamespace(name).withName("web").scale(2);
    await("the running pod runs on, and the scale-up gets no pod").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          List<Pod> pods = k8s.pods().inNamespace(name).list().getItems();
          assertThat(pods).extracting(p -> p.getMetadata().getUid()).containsExactly(running.getMetadata().getUid());
          assertThat(pods.get(0).getStatus().getPhase()).isEqualTo("Running");
          assertThat(pods.get(0).getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
        });
    Commands.Result serves = cluster.kubectl("exec", "-n", name, running.getMetadata().getName(), "--", "/agnhost", "connect",
        running.getStatus().getPodIP() + ":8080", "--timeout=2s");
    assertThat(serves.exit()).as("the suspended tenant's pod still serves: " + serves.output()).isZero();

    // It was the suspension: lifted, the second replica starts.
    k8s.resources(ZoneTenant.class).withName(name).edit(t -> {
      t.getSpec().setSuspended(false);
      return t;
    });
    await("the second replica after the suspension is lifted").atMost(Duration.ofMinutes(1))
        .until(() -> k8s.apps().deployments().inNamespace(name).withName("web").get().getStatus().getReadyReplicas(), r -> r != null && r == 2);
  }

  /**
   * A node keeps the images pulled onto it. A neighbour's private image there (pulled with the
   * neighbour's credentials) runs for a pod that may start from the cache, as the platform's pod
   * outside the tenant namespaces shows, by tag and by digest; a tenant's pod may not start from
   * the cache, and pulling Always has the registry decide, which does not serve it, also when the
   * pod names the image by the digest the node holds.
   */
  @Test
  void aNeighboursImageInTheNodesCacheDoesNotRunForATenant(KubernetesClient k8s, TestNames names) {
    String neighbours = "registry.k8s.io/lingang-test/" + names.name("private") + ":1";
    cluster.cacheOnEveryNode(TestPods.IMAGE, neighbours);
    String platform = names.name("platform");
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(platform).endMetadata().build()).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> k8s.serviceAccounts().inNamespace(platform).withName("default").get() != null);
    k8s.pods().inNamespace(platform).resource(fromImage("cached", neighbours, "IfNotPresent")).create();
    await("control: the image is in the node's cache, and runs from it").atMost(Duration.ofMinutes(1))
        .until(() -> k8s.pods().inNamespace(platform).withName("cached").get().getStatus().getPhase(), "Running"::equals);
    String imageId = k8s.pods().inNamespace(platform).withName("cached").get().getStatus().getContainerStatuses().get(0).getImageID();
    // The same image by its digest, which the node holds: pulling Always must still ask the registry.
    String byDigest = neighbours.substring(0, neighbours.lastIndexOf(':')) + imageId.substring(imageId.indexOf("@sha256:"));
    k8s.pods().inNamespace(platform).resource(fromImage("cached-digest", byDigest, "IfNotPresent")).create();
    await("control: by its digest too").atMost(Duration.ofMinutes(1))
        .until(() -> k8s.pods().inNamespace(platform).withName("cached-digest").get().getStatus().getPhase(), "Running"::equals);

    String ns = world.w.alpha.namespace();
    assertThatThrownBy(() -> k8s.pods().inNamespace(ns).resource(fromImage("cached", neighbours, "IfNotPresent")).create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("imagePullPolicy must be Always");
    k8s.pods().inNamespace(ns).resource(fromImage("pulled", neighbours, "Always")).create();
    k8s.pods().inNamespace(ns).resource(fromImage("digest", byDigest, "Always")).create();
    for (String pod : List.of("pulled", "digest")) {
      await("the registry's answer for " + pod).atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
        assertThat(k8s.pods().inNamespace(ns).withName(pod).get().getStatus().getContainerStatuses()).singleElement()
            .satisfies(c -> {
              assertThat(c.getState().getWaiting()).as("waiting, never started").isNotNull();
              assertThat(c.getState().getWaiting().getReason()).isIn("ErrImagePull", "ImagePullBackOff");
              assertThat(c.getImageID()).as("no image").isNullOrEmpty();
            });
      });
    }
  }

  private static Pod fromImage(String name, String image, String pullPolicy) {
    return TestPods.restrictedBuilder(name, Map.of("cpu", new Quantity("10m"), "memory", new Quantity("32Mi")))
        .editSpec().withTerminationGracePeriodSeconds(1L).editFirstContainer().withImage(image).withImagePullPolicy(pullPolicy)
        .endContainer().endSpec().build();
  }

  /** A Deployment of restricted agnhost web servers; returns its pods once all are Ready. */
  private static List<Pod> runDeployment(KubernetesClient k8s, String namespace, String name, int replicas) {
    Pod template = TestPods.restrictedBuilder(name, Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi")))
        .editSpec().editFirstContainer().withArgs("netexec", "--http-port=8080", "--udp-port=-1")
        .withNewReadinessProbe().withNewHttpGet().withPath("/hostname").withPort(new IntOrString(8080)).endHttpGet()
        .withPeriodSeconds(1).endReadinessProbe().endContainer().endSpec().build();
    Deployment deployment = TestPods.deployment(name, template.getSpec());
    deployment.getSpec().setReplicas(replicas);
    k8s.apps().deployments().inNamespace(namespace).resource(deployment).create();
    try {
      await("Deployment " + namespace + "/" + name + " available").atMost(Duration.ofMinutes(2)).until(() -> {
        Deployment d = k8s.apps().deployments().inNamespace(namespace).withName(name).get();
        return d.getStatus() != null && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() == replicas;
      });
    } catch (ConditionTimeoutException e) {
      // What kept it: the ReplicaSet's refusals, the pods' states and events.
      throw new AssertionError(e.getMessage() + "\n" + cluster.kubectl("describe", "deployments,replicasets,pods", "-n", namespace).output(), e);
    }
    return k8s.pods().inNamespace(namespace).withLabel("app", name).list().getItems();
  }
}
