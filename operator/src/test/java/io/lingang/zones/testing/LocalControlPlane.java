package io.lingang.zones.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real etcd, kube-apiserver and kube-controller-manager, started once per test JVM by the same
 * script developers use ({@code hack/local-cluster.sh}), with this build's CRDs installed.
 */
public final class LocalControlPlane implements AutoCloseable {
  private final Path repoRoot;
  private final Path dir;
  private final Path kubeconfig;
  private final KubernetesClient admin;

  private LocalControlPlane(Path repoRoot, Path dir, Path kubeconfig) {
    this.repoRoot = repoRoot;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.admin = newClient(config());
  }

  /**
   * Starts a control plane in {@code operator/target/control-plane} and installs the generated
   * CRDs and the tenant roles.
   */
  public static LocalControlPlane start() {
    return start("control-plane");
  }

  /**
   * Starts another control plane, in {@code operator/target/<name>}, for tests that need one no
   * other operator acts on (leader election, the chart's RBAC). Close it when done.
   *
   * @param flags for {@code hack/local-cluster.sh up}, such as {@code --no-placement-plugins}
   */
  public static LocalControlPlane start(String name, String... flags) {
    Path root = repoRoot();
    Path dir = root.resolve("operator/target").resolve(name);
    String out;
    try {
      out = run(root, "up", dir, flags);
    } catch (IllegalStateException e) {
      // A port found free can still be taken before etcd or the API server binds it; the script
      // has cleaned up, and a second start picks new ports.
      out = run(root, "up", dir, flags);
    }
    Path kubeconfig = Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    LocalControlPlane plane = new LocalControlPlane(root, dir, kubeconfig);
    Runtime.getRuntime().addShutdownHook(new Thread(plane::stopProcesses, "control-plane-stop"));
    plane.installCrds();
    return plane;
  }

  public static Path repoRoot() {
    String configured = System.getProperty("lingang.repoRoot");
    Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("hack/local-cluster.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root (hack/local-cluster.sh) above " + start);
  }

  /** The cluster-admin client. Owned by the control plane: do not close it. */
  public KubernetesClient admin() {
    return admin;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path repositoryRoot() {
    return repoRoot;
  }

  /** A fresh admin configuration, for clients a test configures and closes itself. */
  public Config config() {
    try {
      return Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client that acts as {@code user} in {@code groups}, through the admin's impersonation right. */
  public KubernetesClient impersonating(String user, String... groups) {
    Config config = config();
    config.setImpersonateUsername(user);
    config.setImpersonateGroups(groups);
    return newClient(config);
  }

  /** As kube-controller-manager acts when it runs without per-controller ServiceAccounts, as here. */
  public KubernetesClient impersonatingControllerManager() {
    return impersonating("system:kube-controller-manager", "system:masters", "system:authenticated");
  }

  public static KubernetesClient newClient(Config config) {
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Installs (again) this build's CRDs, then the tenant roles and the admission policies. */
  public void installCrds() {
    Path generated = repoRoot.resolve("operator/target/classes/META-INF/fabric8");
    List<CustomResourceDefinition> crds;
    try (Stream<Path> files = Files.list(generated)) {
      crds = files.filter(f -> f.toString().endsWith("-v1.yml"))
          .map(f -> admin.apiextensions().v1().customResourceDefinitions().load(f.toFile()).item())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("no generated CRDs in " + generated + "; run the build first", e);
    }
    for (CustomResourceDefinition crd : crds) {
      admin.resource(crd).forceConflicts().serverSideApply();
    }
    for (CustomResourceDefinition crd : crds) {
      await("CRD " + crd.getMetadata().getName() + " established").atMost(Duration.ofSeconds(30))
          .until(() -> {
            var current = admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get();
            return current != null && current.getStatus() != null && current.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
          });
    }
    // The admission policies take BusinessZones and EdgePools as parameters: after their CRDs.
    for (String file : List.of("tenant-roles.yaml", "admission-policies.yaml")) {
      try (var objects = Files.newInputStream(repoRoot.resolve("helm/lingang-zone-operator/files").resolve(file))) {
        admin.load(objects).forceConflicts().serverSideApply();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    admin.close();
    stopProcesses();
  }

  private void stopProcesses() {
    if (Files.exists(dir.resolve("kube-apiserver.pid"))) {
      run(repoRoot, "down", dir);
    }
  }

  private static String run(Path root, String command, Path dir, String... flags) {
    try {
      File output = File.createTempFile("local-cluster-", ".out");
      output.deleteOnExit();
      List<String> commandLine = new java.util.ArrayList<>(List.of(
          "bash", root.resolve("hack/local-cluster.sh").toString(), command, "--dir", dir.toString()));
      commandLine.addAll(List.of(flags));
      Process process = new ProcessBuilder(commandLine)
          .directory(root.toFile())
          .redirectOutput(output)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      int exit = process.waitFor();
      String out = Files.readString(output.toPath(), StandardCharsets.UTF_8);
      if (exit != 0) {
        throw new IllegalStateException("hack/local-cluster.sh " + command + " failed (exit " + exit + "); see its messages above");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
