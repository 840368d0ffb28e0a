package io.lingang.zones.chart;

import static io.lingang.zones.testing.NodesCluster.OPERATOR;
import static io.lingang.zones.testing.NodesCluster.OPERATOR_NAMESPACE;
import static io.lingang.zones.testing.NodesCluster.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.NodesCluster;
import io.lingang.zones.testing.NodesClusterTest;
import io.lingang.zones.testing.PrometheusText;
import io.lingang.zones.testing.TestNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chart installed for real, as a platform engineer would: the image the build made, two
 * replicas in pods on real nodes, in a namespace that enforces the {@code restricted} Pod Security
 * Standard, under the chart's ServiceAccount and RBAC. The steps build on each other, in order:
 * install, examples, leader hand-over, upgrade, uninstall.
 */
@NodesClusterTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorChartOnNodesIT {
  /** JOSDK's default lease duration, which the operator keeps. */
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  /** Examples that show a refusal carry this label; they must be refused, not Ready. */
  private static final String EXPECT_LABEL = "examples.lingang.io/expect";

  @Test
  @Order(1)
  void installRunsTwoRestrictedReplicasOfWhichOneLeads(NodesCluster cluster, KubernetesClient k8s) {
    // Start from nothing, whatever suite ran before.
    if (cluster.helm("status", RELEASE, "--namespace", OPERATOR_NAMESPACE).exit() == 0) {
      helm(cluster, "uninstall", RELEASE, "--namespace", OPERATOR_NAMESPACE, "--wait");
    }
    cluster.createOperatorNamespace();

    long started = System.nanoTime();
    helm(cluster, with(cluster.chartArguments(), "install", "--wait", "--timeout", "5m"));
    Pod leader = cluster.awaitOperatorReady();
    System.out.printf("chart: installed, two replicas ready and one leading %d ms after helm install started%n",
        Duration.ofNanos(System.nanoTime() - started).toMillis());

    List<Pod> pods = cluster.operatorPods();
    assertThat(pods).hasSize(2);
    for (Pod pod : pods) {
      assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(OPERATOR);
      Container operator = pod.getSpec().getContainers().get(0);
      assertThat(operator.getImage()).isEqualTo(cluster.operatorImage());
      assertThat(operator.getImagePullPolicy()).as("the image is never pulled: there is no registry").isEqualTo("Never");
      assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      // What the process really runs with, read inside the pod.
      String status = exec(cluster, pod, "cat", "/proc/1/status").output();
      assertThat(status).containsPattern("Uid:\\s+10001\\s").containsPattern("CapEff:\\s+0+\\s")
          .containsPattern("NoNewPrivs:\\s+1").containsPattern("Seccomp:\\s+2");
      Commands.Result write = exec(cluster, pod, "touch", "/written-by-the-test");
      assertThat(write.exit()).isNotZero();
      assertThat(write.output()).contains("Read-only file system");
    }
    // The pods above were admitted under this.
    assertThat(k8s.namespaces().withName(OPERATOR_NAMESPACE).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    assertThat(pods).filteredOn(p -> leaderMetric(cluster, p) == 1.0).as("replicas reporting lingang_leader 1")
        .extracting(p -> p.getMetadata().getName()).containsExactly(leader.getMetadata().getName());
  }

  @Test
  @Order(2)
  void examplesBecomeReady(NodesCluster cluster, KubernetesClient k8s) throws IOException {
    Path examples = cluster.repositoryRoot().resolve("examples");
    kubectl(cluster, "apply", "--server-side", "-f", examples.toString());
    // As make run waits for them, but by name: other suites' objects share this cluster. The one
    // example meant to be refused is refused.
    List<HasMetadata> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(examples)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          objects.addAll(k8s.load(in).items());
        }
      }
    }
    Map<Boolean, List<String>> refused = objects.stream().collect(Collectors.partitioningBy(
        o -> "Refused".equals(o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(EXPECT_LABEL)),
        Collectors.mapping(o -> o.getKind().toLowerCase() + "/" + o.getMetadata().getName(), Collectors.toList())));
    assertThat(refused.get(false)).hasSizeGreaterThan(10);
    assertThat(refused.get(true)).isNotEmpty();
    kubectl(cluster, with(refused.get(false), "wait", "--for=condition=Ready", "--timeout=180s"));
    kubectl(cluster, with(refused.get(true), "wait", "--for=condition=Admitted=false", "--timeout=60s"));
  }

  @Test
  @Order(3)
  void deletingTheLeaderPodHandsOverWithinTheLeaseTime(NodesCluster cluster, KubernetesClient k8s, TestNames names) {
    Pod leader = cluster.awaitOperatorReady();
    String gone = leader.getMetadata().getName();

    // The leader's last words (its shutdown, the lease released or not), should the hand-over be late.
    ByteArrayOutputStream leaderLog = new ByteArrayOutputStream();
    long deleted;
    try (LogWatch ignored = k8s.pods().inNamespace(OPERATOR_NAMESPACE).withName(leader.getMetadata().getName())
        .sinceSeconds(5).watchLog(leaderLog)) {
      deleted = System.nanoTime();
      k8s.resource(leader).delete();
      // Usually the standby; the ReplicaSet's replacement pod may win the race for the released lease.
      await("another replica holds the Lease").atMost(LEASE_DURATION).pollInterval(Duration.ofMillis(100))
          .conditionEvaluationListener(c -> {
            if (!c.isSatisfied() && c.getRemainingTimeInMS() <= 100) {
              System.out.println("chart: hand-over late; Lease: " + k8s.resources(Lease.class).inNamespace(OPERATOR_NAMESPACE)
                  .withName(OPERATOR).get().getSpec() + "\nthe old leader's log:\n" + leaderLog.toString(StandardCharsets.UTF_8));
            }
          })
          .until(() -> cluster.leader() != null && !cluster.leader().getMetadata().getName().equals(gone));
    }
    Duration handover = Duration.ofNanos(System.nanoTime() - deleted);
    System.out.printf("chart: another replica led %d ms after the leader pod was deleted (lease time %d s)%n",
        handover.toMillis(), LEASE_DURATION.toSeconds());

    // The new leader reconciles: a tenant created now becomes Ready.
    Fixtures.zoneWithReadyTenant(k8s, names.name("handover"), names.name("after-handover"));
    cluster.awaitOperatorReady();
  }

  @Test
  @Order(4)
  void upgradeKeepsItWorking(NodesCluster cluster, KubernetesClient k8s, TestNames names) {
    String before = cluster.leader().getMetadata().getName();
    helm(cluster, with(cluster.chartArguments(), "upgrade", "--set", "reconcileThreads=7", "--wait", "--timeout", "5m"));
    cluster.awaitOperatorReady();

    List<Pod> pods = cluster.operatorPods();
    assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue).contains(tuple("LINGANG_RECONCILE_THREADS", "7")));
    assertThat(pods).extracting(p -> p.getMetadata().getName()).as("the upgrade replaced the pods").doesNotContain(before);
    Fixtures.zoneWithReadyTenant(k8s, names.name("upgraded"), names.name("after-upgrade"));
    assertThat(k8s.resources(ZoneTenant.class).withName("harbor-logistics").get().getStatus().isTrue("Ready"))
        .as("an example tenant is still Ready").isTrue();
  }

  /** Pods here have no cluster DNS: the test pod asks through the API server's proxy (hack/nodes-chart-values.yaml). */
  @Test
  @Order(5)
  void helmTestPasses(NodesCluster cluster) {
    Commands.Result result = cluster.helm("test", RELEASE, "--namespace", OPERATOR_NAMESPACE, "--logs", "--timeout", "3m");

    assertThat(result.exit()).as("helm test\n" + result.output()).isZero();
    assertThat(result.output()).containsPattern("Phase:\\s+Succeeded").doesNotContainPattern("Phase:\\s+Failed")
        .contains("PASS: the operator is ready and serves its metrics");
    System.out.println("chart: helm test passed:\n" + result.output().lines()
        .filter(l -> l.startsWith("ok ") || l.startsWith("PASS")).distinct().reduce((a, b) -> a + "\n" + b).orElse(""));
  }

  @Test
  @Order(6)
  void uninstallLeavesTheCrdsAndTheTenantsNamespaces(NodesCluster cluster, KubernetesClient k8s) {
    List<String> tenantNamespaces = k8s.namespaces().withLabel("zones.lingang.io/tenant").list().getItems().stream()
        .map(n -> n.getMetadata().getName()).toList();
    assertThat(tenantNamespaces).contains("harbor-logistics-routing", "pearl-fintech");

    helm(cluster, "uninstall", RELEASE, "--namespace", OPERATOR_NAMESPACE, "--wait", "--timeout", "3m");

    // Not the finished `helm test` pod: Helm keeps a test hook's pod until the next test (for its logs).
    await("the operator's pods gone").atMost(Duration.ofMinutes(1)).until(() -> k8s.pods().inNamespace(OPERATOR_NAMESPACE)
        .withLabel("app.kubernetes.io/instance", RELEASE).withoutLabel("app.kubernetes.io/component", "test")
        .list().getItems().isEmpty());
    assertThat(k8s.apps().deployments().inNamespace(OPERATOR_NAMESPACE).withName(OPERATOR).get()).isNull();
    assertThat(k8s.apiextensions().v1().customResourceDefinitions().list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .contains("businesszones.zones.lingang.io", "zonetenants.zones.lingang.io", "datalinks.zones.lingang.io",
            "edgepools.zones.lingang.io", "edgeallocations.zones.lingang.io", "tenantstatuses.zones.lingang.io");
    assertThat(k8s.resources(ZoneTenant.class).withName("harbor-logistics").get()).as("the custom resources stay").isNotNull();
    for (String ns : tenantNamespaces) {
      var namespace = k8s.namespaces().withName(ns).get();
      assertThat(namespace).as("namespace " + ns).isNotNull();
      assertThat(namespace.getStatus().getPhase()).as("namespace " + ns).isEqualTo("Active");
    }
  }

  private static double leaderMetric(NodesCluster cluster, Pod pod) {
    // Through the API server's proxy to the pod, as Prometheus would scrape it.
    Commands.Result metrics = cluster.kubectl("get", "--raw",
        "/api/v1/namespaces/" + OPERATOR_NAMESPACE + "/pods/" + pod.getMetadata().getName() + ":8080/proxy/metrics");
    assertThat(metrics.exit()).as(metrics.output()).isZero();
    return PrometheusText.parse(metrics.output()).sum("lingang_leader", Map.of());
  }

  private static Commands.Result exec(NodesCluster cluster, Pod pod, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", "-n", OPERATOR_NAMESPACE, pod.getMetadata().getName(), "--"));
    args.addAll(List.of(command));
    return cluster.kubectl(args.toArray(String[]::new));
  }

  /** {@code command}, then {@code more}, then {@code arguments}. */
  private static String[] with(List<String> arguments, String command, String... more) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(more));
    args.addAll(arguments);
    return args.toArray(String[]::new);
  }

  private static void helm(NodesCluster cluster, String... args) {
    Commands.Result result = cluster.helm(args);
    assertThat(result.exit()).as("helm " + String.join(" ", args) + "\n" + result.output()).isZero();
  }

  private static void kubectl(NodesCluster cluster, String... args) {
    Commands.Result result = cluster.kubectl(args);
    assertThat(result.exit()).as("kubectl " + String.join(" ", args) + "\n" + result.output()).isZero();
  }
}
