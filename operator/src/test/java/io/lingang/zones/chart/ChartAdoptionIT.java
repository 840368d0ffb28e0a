package io.lingang.zones.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OwnControlPlane;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `helm install` on a cluster where the tenant roles and admission policies are already in: those
 * applied plainly make it fail (objects Helm does not own); once applied as `make run` does
 * (hack/install-cluster-objects.sh, marked for release lzo in lingang-system), Helm adopts them.
 * A control plane of its own: the release installs cluster-wide objects.
 */
@OwnControlPlane("control-plane-adoption")
class ChartAdoptionIT {
  @Test
  void helmInstallAdoptsWhatMakeRunInstalled(LocalControlPlane plane, KubernetesClient k8s) {
    Map<String, String> env = Map.of("KUBECONFIG", plane.kubeconfig().toString());
    // The control plane's own setup applied the chart's files as they are, unmarked, as make run used to.
    Commands.Result refused = install(env);
    assertThat(refused.exit()).as(refused.output()).isNotZero();
    assertThat(refused.output()).contains("lingang-zones-tenant-admin").contains("cannot be imported into the current release");

    Commands.Result applied = ChartTools.run(List.of("bash", ChartTools.root().resolve("hack/install-cluster-objects.sh").toString()), null, env);
    assertThat(applied.exit()).as(applied.output()).isZero();
    Commands.Result installed = install(env);
    assertThat(installed.exit()).as(installed.output()).isZero();

    ClusterRole admin = k8s.rbac().clusterRoles().withName("lingang-zones-tenant-admin").get();
    assertThat(admin.getMetadata().getAnnotations()).containsEntry("meta.helm.sh/release-name", "lzo")
        .containsEntry("meta.helm.sh/release-namespace", "lingang-system");
    assertThat(k8s.apps().deployments().inNamespace("lingang-system").withName("lzo-lingang-zone-operator").get()).isNotNull();

    // make run again, on the cluster Helm now owns: nothing breaks, and the release still upgrades.
    assertThat(ChartTools.run(List.of("bash", ChartTools.root().resolve("hack/install-cluster-objects.sh").toString()), null, env).exit())
        .isZero();
    Commands.Result upgraded = ChartTools.run(List.of(ChartTools.tool("helm"), "upgrade", "lzo", ChartTools.chart().toString(),
        "--namespace", "lingang-system", "--reuse-values"), null, env);
    assertThat(upgraded.exit()).as(upgraded.output()).isZero();
  }

  private static Commands.Result install(Map<String, String> env) {
    return ChartTools.run(List.of(ChartTools.tool("helm"), "install", "lzo", ChartTools.chart().toString(),
        "--namespace", "lingang-system", "--create-namespace"), null, env);
  }
}
