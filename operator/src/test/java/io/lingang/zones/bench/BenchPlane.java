package io.lingang.zones.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.ApiGroup;
import io.lingang.zones.testing.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A fresh local control plane for one run, in {@code operator/target/bench-cp} (and
 * {@code bench-cp-side} for the raw client's when both sides run at once): the same
 * {@code hack/local-cluster.sh up} the tests use (an empty etcd every time), with this build's CRDs,
 * the tenant roles and the admission policies installed. {@link #close} runs {@code down}; so does a
 * shutdown hook on Ctrl-C.
 */
final class BenchPlane implements AutoCloseable {
  static final String NAME = "bench-cp";
  /** The raw client's plane when both sides run at once (--side-by-side). */
  static final String SIDE_NAME = "bench-cp-side";

  private final LocalControlPlane plane;
  private final Path dir;

  private BenchPlane(LocalControlPlane plane, Path dir) {
    this.plane = plane;
    this.dir = dir;
  }

  static BenchPlane start() {
    return start(NAME);
  }

  /** @param name the plane's directory under {@code operator/target}: two planes at once need two names */
  static BenchPlane start(String name) {
    LocalControlPlane plane = LocalControlPlane.start(name);
    awaitGarbageCollectorKnowsTheCrds(plane.admin());
    return new BenchPlane(plane, LocalControlPlane.repoRoot().resolve("operator/target").resolve(name));
  }

  /**
   * A cluster in its steady state, as a real one is long after its CRDs were installed: the
   * garbage collector learns new kinds on a 30-second discovery resync, and until then it GETs the
   * owner of every new object owned by a ZoneTenant and retries what it cannot map (a thousand
   * requests in a run that started early, which the other run, started later, did not pay). A
   * ConfigMap owned by a ZoneTenant that does not exist is collected once the collector knows the kind.
   */
  private static void awaitGarbageCollectorKnowsTheCrds(KubernetesClient admin) {
    String name = "bench-gc-probe";
    admin.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
        .addNewOwnerReference().withApiVersion(ApiGroup.GROUP + "/" + ApiGroup.VERSION).withKind("ZoneTenant")
        .withName("no-such-tenant").withUid(UUID.randomUUID().toString()).endOwnerReference().endMetadata().build()).create();
    await("the garbage collector knows the CRDs").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> admin.configMaps().inNamespace("default").withName(name).get() == null);
  }

  /** The admin client the benchmark creates its own objects and watches with. */
  KubernetesClient admin() {
    return plane.admin();
  }

  /** A new admin client the caller closes (the raw client, tuned on its own). */
  KubernetesClient newClient(String userAgent) {
    Config config = plane.config();
    config.setUserAgent(userAgent);
    return LocalControlPlane.newClient(config);
  }

  Path kubeconfig() {
    return plane.kubeconfig();
  }

  /** The pid of one of the control plane's processes (etcd, kube-apiserver, kube-controller-manager). */
  long pid(String process) {
    try {
      return Long.parseLong(Files.readString(dir.resolve(process + ".pid")).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("no pid file for " + process + " in " + dir, e);
    }
  }

  @Override
  public void close() {
    plane.close();
  }
}
