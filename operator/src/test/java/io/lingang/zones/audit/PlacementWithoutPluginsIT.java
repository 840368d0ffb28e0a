package io.lingang.zones.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reserved nodes on a cluster like most managed ones: the alpha admission plugins
 * PodNodeSelector and PodTolerationRestriction are off, so only the chart's admission policies
 * stand between a tenant and the nodes of a Dedicated zone or an edge pool. Every escape is still
 * refused, and a pod in a pinned namespace must carry its placement itself, told what to add.
 * A control plane and operator of its own.
 */
class PlacementWithoutPluginsIT {
  private static LocalControlPlane plane;
  private static RunningOperator operator;

  @BeforeAll
  static void start() {
    plane = LocalControlPlane.start("control-plane-no-plugins", "--no-placement-plugins");
    operator = RunningOperator.on(plane);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void reservedNodesAndPinningHoldWithoutTheAlphaPlugins() {
    KubernetesClient k8s = plane.admin();
    AuditWorld w = AuditWorld.build(k8s, TestNames.random());
    Attempts attempts = new Attempts();
    try (KubernetesClient alpha = plane.impersonating(w.alpha.admin());
        KubernetesClient gamma = plane.impersonating(w.gamma.admin())) {
      PlacementAttempts.tryAll(attempts, alpha, gamma, w, false);
    }
    attempts.writeReport("placement-without-plugins.md", "Reserved nodes with PodNodeSelector and PodTolerationRestriction off");
    assertThat(attempts.failures()).as("placement escapes not refused, or controls that failed, without the plugins").isEmpty();
  }
}
