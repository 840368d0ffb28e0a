package io.lingang.zones.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * Pods for tests: compliant with the {@code restricted} Pod Security Standard that every tenant
 * namespace enforces (non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp),
 * so that only what a test means to provoke refuses them.
 */
public final class TestPods {
  public static final String IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.43";

  private TestPods() {}

  /** A restricted pod that runs {@code agnhost pause}, asking for {@code cpu} (requests and limits). */
  public static Pod restricted(String name, String cpu) {
    return restrictedBuilder(name, Map.of("cpu", new Quantity(cpu))).build();
  }

  public static PodBuilder restrictedBuilder(String name, Map<String, Quantity> resources) {
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withNewSecurityContext()
        .withRunAsNonRoot(true).withRunAsUser(65534L)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .addNewContainer().withName("main").withImage(IMAGE).withArgs("pause")
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext()
        .withNewResources().withRequests(resources).withLimits(resources).endResources()
        .endContainer()
        .endSpec();
  }
}
