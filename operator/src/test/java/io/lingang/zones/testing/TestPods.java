package io.lingang.zones.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/**
 * Pods for tests: compliant with the {@code restricted} Pod Security Standard that every tenant
 * namespace enforces (non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp),
 * and pulled {@code Always} (a tenant pod never starts from the node's image cache), so that only
 * what a test means to provoke refuses them.
 */
public final class TestPods {
  public static final String IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.43";
  /** The container of {@link #server} to exec probes in. */
  public static final String PROBE_CONTAINER = "netexec";

  private TestPods() {}

  /** A restricted pod that runs {@code agnhost pause}, asking for {@code cpu} (requests and limits). */
  public static Pod restricted(String name, String cpu) {
    return restrictedBuilder(name, Map.of("cpu", new Quantity(cpu))).build();
  }

  /**
   * A restricted pod that answers on TCP 80, 443 and 53 and on UDP 53 ({@code agnhost netexec} and
   * {@code agnhost porter}), and from which probes run ({@code agnhost connect}, by exec into its
   * container {@value #PROBE_CONTAINER}). It binds ports below 1024 without any capability: the
   * pod's own network namespace lets every user bind them, through a sysctl that the restricted
   * standard allows. Ready once both servers listen.
   */
  public static PodBuilder server(String name, Map<String, String> labels) {
    Map<String, Quantity> requests = Map.of("cpu", new Quantity("10m"), "memory", new Quantity("32Mi"));
    Map<String, Quantity> limits = Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi"));
    // The probes run in this container, each one a new agnhost process: a tight limit would make
    // starting them the slowest part of a truth table.
    Map<String, Quantity> probeLimits = Map.of("cpu", new Quantity("1"), "memory", new Quantity("128Mi"));
    return new PodBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(1L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true).withRunAsUser(65534L).withRunAsGroup(65534L)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .addNewSysctl().withName("net.ipv4.ip_unprivileged_port_start").withValue("0").endSysctl()
        .endSecurityContext()
        .addNewContainer().withName(PROBE_CONTAINER).withImage(IMAGE).withImagePullPolicy("Always")
        .withArgs("netexec", "--http-port=80", "--udp-port=53")
        .withNewReadinessProbe().withNewTcpSocket().withNewPort(80).endTcpSocket().withPeriodSeconds(1).endReadinessProbe()
        .withSecurityContext(restrictedContainer())
        .withNewResources().withRequests(requests).withLimits(probeLimits).endResources()
        .endContainer()
        .addNewContainer().withName("porter").withImage(IMAGE).withImagePullPolicy("Always")
        .withArgs("porter")
        .addNewEnv().withName("SERVE_PORT_443").withValue("443").endEnv()
        .addNewEnv().withName("SERVE_PORT_53").withValue("53").endEnv()
        .withNewReadinessProbe().withNewTcpSocket().withNewPort(443).endTcpSocket().withPeriodSeconds(1).endReadinessProbe()
        .withSecurityContext(restrictedContainer())
        .withNewResources().withRequests(requests).withLimits(limits).endResources()
        .endContainer()
        .endSpec();
  }

  private static SecurityContext restrictedContainer() {
    return new SecurityContextBuilder().withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities().build();
  }

  public static PodBuilder restrictedBuilder(String name, Map<String, Quantity> resources) {
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withNewSecurityContext()
        .withRunAsNonRoot(true).withRunAsUser(65534L)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .addNewContainer().withName("main").withImage(IMAGE).withImagePullPolicy("Always").withArgs("pause")
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext()
        .withNewResources().withRequests(resources).withLimits(resources).endResources()
        .endContainer()
        .endSpec();
  }

  /** A Deployment of one replica whose pods have {@code spec}, labelled {@code app: <name>}. */
  public static Deployment deployment(String name, PodSpec spec) {
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNewSelector()
        .addToMatchLabels("app", name).endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withSpec(spec).endTemplate().endSpec().build();
  }

  /** A DaemonSet whose pods have {@code spec}, labelled {@code app: <name>}. */
  public static DaemonSet daemonSet(String name, PodSpec spec) {
    return new DaemonSetBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNewSelector()
        .addToMatchLabels("app", name).endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withSpec(spec).endTemplate().endSpec().build();
  }
}
