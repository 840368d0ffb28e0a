package io.lingang.zones.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OwnControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import org.junit.jupiter.api.Test;

/**
 * Reserved nodes on a cluster like most managed ones: the alpha admission plugins
 * PodNodeSelector and PodTolerationRestriction are off, so only the chart's admission policies
 * stand between a tenant and the nodes of a Dedicated zone or an edge pool. Every escape is still
 * refused, and a pod in a pinned namespace must carry its placement itself, told what to add.
 * A control plane and operator of its own.
 */
@OwnControlPlane(value = "control-plane-no-plugins", flags = "--no-placement-plugins")
class PlacementWithoutPluginsIT {

  @Test
  void reservedNodesAndPinningHoldWithoutTheAlphaPlugins(LocalControlPlane plane, KubernetesClient k8s) {
    Attempts attempts = new Attempts();
    try (RunningOperator operator = RunningOperator.on(plane)) {
      AuditWorld w = AuditWorld.build(k8s, TestNames.random());
      try (KubernetesClient alpha = plane.impersonating(w.alpha.admin());
          KubernetesClient gamma = plane.impersonating(w.gamma.admin());
          KubernetesClient controllerManager = plane.impersonatingControllerManager()) {
        PlacementAttempts.tryAll(attempts, alpha, gamma, controllerManager, w, false);
      }
    }
    attempts.writeReport("placement-without-plugins.md", "Reserved nodes with PodNodeSelector and PodTolerationRestriction off");
    assertThat(attempts.failures()).as("placement escapes not refused, or controls that failed, without the plugins").isEmpty();
  }
}
