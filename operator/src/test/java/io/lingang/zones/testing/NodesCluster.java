package io.lingang.zones.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local cluster with real nodes ({@code hack/nodes.sh}): three kubelets, each with its own
 * containerd, runc, CNI bridge, network namespace and kube-router NetworkPolicy firewall, plus
 * kube-scheduler and the workload controllers, started once per test JVM in
 * {@code operator/target/nodes-cluster}. The operator image is built meanwhile by
 * {@code hack/images.sh operator} (Jib, no daemon) and imported into every node; the chart
 * installs it ({@link #ensureOperator()}).
 *
 * <p>Only one nodes cluster runs on a machine (network namespaces are global), and it needs root:
 * where it cannot start, {@link #start()} fails with the script's reason; it never skips.
 */
public final class NodesCluster implements AutoCloseable {
  /** The nodes and their roles, from {@code hack/nodes.conf}. */
  public static final String PLAIN_NODE = "lzn-node1";
  public static final String EDGE_NODE = "lzn-node2";
  public static final String DEDICATED_NODE = "lzn-node3";
  /** Label value of {@code lingang.io/pool} on the edge node and of its NoSchedule taint. */
  public static final String EDGE_POOL_LABEL = "edge-test";
  /** Label value of {@code lingang.io/dedicated} on the dedicated node and of its NoSchedule taint. */
  public static final String DEDICATED_LABEL = "zone-test";

  public static final String OPERATOR_NAMESPACE = "lingang-system";
  public static final String RELEASE = "lzo";
  /** The chart's full name for release {@value #RELEASE}: its Deployment and its Lease. */
  public static final String OPERATOR = RELEASE + "-lingang-zone-operator";

  private final Path root;
  private final Path dir;
  private final Path kubeconfig;
  private final String operatorImage;
  private final KubernetesClient admin;

  private NodesCluster(Path root, Path dir, Path kubeconfig, String operatorImage) {
    this.root = root;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.operatorImage = operatorImage;
    this.admin = LocalControlPlane.newClient(config());
  }

  /** {@code hack/nodes.sh up --nodes 3}, and the operator image built and loaded into every node. */
  public static NodesCluster start() {
    Path root = LocalControlPlane.repoRoot();
    Path dir = root.resolve("operator/target/nodes-cluster");
    String image = System.getProperty("lingang.operatorImage");
    if (image == null) {
      throw new IllegalStateException("system property lingang.operatorImage is not set: run the nodes suites with `mvn verify`");
    }
    // The image build (Maven and Jib) and the cluster start share nothing: run them side by side.
    long started = System.nanoTime();
    Script imageBuild = Script.start(root, root.resolve("operator/target/operator-image.log"), "hack/images.sh", "operator");
    String kubeconfig;
    try {
      kubeconfig = up(root, dir);
    } catch (IllegalStateException e) {
      imageBuild.process.destroy();
      throw e;
    }
    NodesCluster cluster = new NodesCluster(root, dir, Path.of(kubeconfig), image);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::down, "nodes-cluster-down"));
    long up = System.nanoTime();
    String tar = imageBuild.await("the operator image (hack/images.sh operator)");
    Script.start(root, root.resolve("operator/target/nodes-cluster-load.log"), "hack/nodes.sh", "load", "--dir", dir.toString(), tar)
        .await("importing the operator image into the nodes (hack/nodes.sh load)");
    System.out.printf("nodes cluster: 3 nodes up in %d s, the operator image built meanwhile and loaded into them %d s later%n",
        Duration.ofNanos(up - started).toSeconds(), Duration.ofNanos(System.nanoTime() - up).toSeconds());
    return cluster;
  }

  private static String up(Path root, Path dir) {
    Path log = root.resolve("operator/target/nodes-cluster-up.log");
    try {
      return Script.start(root, log, "hack/nodes.sh", "up", "--dir", dir.toString(), "--nodes", "3").await(null);
    } catch (IllegalStateException e) {
      if (e.getMessage().contains("needs root") || e.getMessage().contains("is running")) {
        throw e;
      }
      // A port found free can still be taken before the API server binds it; 'up' has cleaned
      // up after itself, and a second start picks new ports.
      return Script.start(root, log, "hack/nodes.sh", "up", "--dir", dir.toString(), "--nodes", "3").await(null);
    }
  }

  /** The cluster-admin client. Owned by the cluster: do not close it. */
  public KubernetesClient admin() {
    return admin;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Config config() {
    try {
      return Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operator image as the pods name it: {@code lingang-zone-operator:<project version>}. */
  public String operatorImage() {
    return operatorImage;
  }

  public Path repositoryRoot() {
    return root;
  }

  /** The cluster's CA, which signed the API server's and every kubelet's serving certificate. */
  public Path caCertificate() {
    return dir.resolve("cp/pki/ca.crt");
  }

  /** kubectl against this cluster; the output holds stdout and stderr. */
  public Commands.Result kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(Commands.tool("kubectl"), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return Commands.run(root, command, null);
  }

  /** helm against this cluster; the output holds stdout and stderr. */
  public Commands.Result helm(String... args) {
    List<String> command = new ArrayList<>(List.of(Commands.tool("helm"), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return Commands.run(root, command, null);
  }

  /**
   * The arguments of {@code helm install|upgrade} that run the operator on these nodes: the built
   * image, which is never pulled, and the API server's address for pods ({@code
   * hack/nodes-chart-values.yaml}).
   */
  public List<String> chartArguments() {
    int colon = operatorImage.lastIndexOf(':');
    return List.of(RELEASE, root.resolve("helm/lingang-zone-operator").toString(), "--namespace", OPERATOR_NAMESPACE,
        "--values", root.resolve("hack/nodes-chart-values.yaml").toString(),
        "--set", "image.repository=" + operatorImage.substring(0, colon), "--set", "image.tag=" + operatorImage.substring(colon + 1));
  }

  /** The operator's namespace, enforcing the {@code restricted} Pod Security Standard. */
  public void createOperatorNamespace() {
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OPERATOR_NAMESPACE)
        .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted", "pod-security.kubernetes.io/warn", "restricted"))
        .endMetadata().build()).serverSideApply();
  }

  /** Installs the chart unless it is installed; returns once both replicas are ready and one leads. */
  public void ensureOperator() {
    if (helm("status", RELEASE, "--namespace", OPERATOR_NAMESPACE).exit() != 0) {
      createOperatorNamespace();
      List<String> install = new ArrayList<>(List.of("install"));
      install.addAll(chartArguments());
      install.addAll(List.of("--wait", "--timeout", "5m"));
      long started = System.nanoTime();
      Commands.Result installed = helm(install.toArray(String[]::new));
      assertThat(installed.exit()).as(installed.output()).isZero();
      awaitOperatorReady();
      System.out.printf("nodes cluster: the chart installed, two replicas ready and one leading in %d s%n",
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }
    awaitOperatorReady();
  }

  /** Both replicas of the Deployment ready, and the Lease held by one of them. */
  public Pod awaitOperatorReady() {
    await("the operator's replicas ready").atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
      Deployment d = admin.apps().deployments().inNamespace(OPERATOR_NAMESPACE).withName(OPERATOR).get();
      assertThat(d).isNotNull();
      assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(d.getSpec().getReplicas());
      assertThat(d.getStatus().getReadyReplicas()).isEqualTo(d.getSpec().getReplicas());
      assertThat(d.getStatus().getReplicas()).as("old replicas gone").isEqualTo(d.getSpec().getReplicas());
    });
    await("a leader among them").atMost(Duration.ofSeconds(60)).until(() -> leader() != null);
    return leader();
  }

  /** The running operator pod that holds the Lease, or null. */
  public Pod leader() {
    Lease lease = admin.resources(Lease.class).inNamespace(OPERATOR_NAMESPACE).withName(OPERATOR).get();
    String holder = lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
    // The identity is "<host name>_<suffix>", and a pod's host name is its name.
    return operatorPods().stream().filter(p -> holder.startsWith(p.getMetadata().getName() + "_")).findFirst().orElse(null);
  }

  /** The operator's pods that run and are not being deleted. */
  public List<Pod> operatorPods() {
    return admin.pods().inNamespace(OPERATOR_NAMESPACE).withLabel("app.kubernetes.io/instance", RELEASE).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && "Running".equals(p.getStatus().getPhase()))
        .toList();
  }

  /**
   * Gives {@code image} the name {@code name} in every node's image cache, and not in the registry
   * the nodes pull through: what a node holds after another tenant pulled its private image there.
   */
  public void cacheOnEveryNode(String image, String name) {
    Script.start(root, root.resolve("operator/target/nodes-cluster-cache.log"), "hack/nodes.sh", "cache", "--dir", dir.toString(),
        image, name).await("hack/nodes.sh cache");
  }

  /** Turns NetworkPolicy enforcement off (kube-router stopped, its rules removed) or on again. */
  public void enforceNetworkPolicies(boolean on) {
    Script.start(root, root.resolve("operator/target/nodes-cluster-netpol.log"), "hack/nodes.sh", "netpol", on ? "on" : "off",
        "--dir", dir.toString()).await("hack/nodes.sh netpol " + (on ? "on" : "off"));
  }

  @Override
  public void close() {
    admin.close();
    down();
  }

  /**
   * {@code hack/nodes.sh down}, unless {@code -Dlingang.nodes.keep=true} asks to keep the cluster for
   * a look after the run ({@code export KUBECONFIG=operator/target/nodes-cluster/cp/kubeconfig}; stop it
   * with {@code hack/nodes.sh down --dir operator/target/nodes-cluster}).
   */
  private synchronized void down() {
    if (Boolean.getBoolean("lingang.nodes.keep")) {
      return;
    }
    if (Files.exists(dir.resolve("run"))) {
      Script.start(root, root.resolve("operator/target/nodes-cluster-down.log"), "hack/nodes.sh", "down", "--dir", dir.toString())
          .await("hack/nodes.sh down");
    }
  }

  /** A script of hack/ whose stderr goes to a log; its stdout's last line is its result. */
  private record Script(Process process, Path log, String command) {
    static Script start(Path root, Path log, String... command) {
      try {
        List<String> line = new ArrayList<>(List.of("bash"));
        line.add(root.resolve(command[0]).toString());
        line.addAll(List.of(command).subList(1, command.length));
        Process process = new ProcessBuilder(line).directory(root.toFile())
            .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
        process.getOutputStream().close();
        return new Script(process, log, String.join(" ", command));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Waits for the script; fails with the end of its log when it fails. */
    String await(String what) {
      try {
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
          process.destroy();
          throw new IllegalStateException(command + " did not finish in 15 minutes; see " + log);
        }
        if (process.exitValue() != 0) {
          List<String> lines = Files.readAllLines(log);
          String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
          throw new IllegalStateException(command + " failed (exit " + process.exitValue() + ")"
              + (what == null ? "" : " while preparing " + what) + ". The *OnNodesIT suites need a Linux machine where they"
              + " run as root, with network namespaces, bridges, iptables and overlayfs, and the packages of hack/packages.sh."
              + " Last lines of " + log + ":\n" + tail);
        }
        return out.strip().lines().reduce((a, b) -> b).orElse("");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
