package io.lingang.zones.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.Commands.Result;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.TestNames;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The Helm chart lints, and what it renders is accepted by the real API server. */
@ControlPlaneTest
class HelmChartIT {
  @Test
  void chartLints(LocalControlPlane plane) throws Exception {
    Result lint = Commands.run(plane, List.of(Commands.tool(plane, "helm"), "lint", chart(plane).toString(), "--strict"), null);
    assertThat(lint.exit()).as(lint.output()).isZero();
  }

  @ParameterizedTest(name = "values: {0}")
  @ValueSource(strings = {"", "replicaCount=2,serviceAccount.create=false,serviceAccount.name=lzo-custom,image.tag=1.2.3,"
      + "metrics.service.enabled=false,reconcileThreads=40,healthPort=9090,nodeSelector.role=infra,"
      + "grafanaDashboard.enabled=true,podDisruptionBudget.enabled=false,apiServer.host=kubernetes.default.svc,apiServer.port=6443,"
      + "hostAliases[0].ip=10.246.0.1,hostAliases[0].hostnames[0]=kubernetes.default.svc"})
  void renderedManifestsAreAcceptedInARestrictedNamespace(String values, LocalControlPlane plane, KubernetesClient k8s, TestNames names)
      throws Exception {
    String ns = names.name("lzo");
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
        .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted", "pod-security.kubernetes.io/warn", "restricted"))
        .endMetadata().build()).create();
    Result rendered = Commands.helmTemplate(plane, "lzo", ns, values);
    assertThat(rendered.exit()).as(rendered.output()).isZero();

    Result applied = Commands.run(plane, List.of(Commands.tool(plane, "kubectl"), "--kubeconfig", plane.kubeconfig().toString(),
        "apply", "--dry-run=server", "-f", "-"), rendered.output());

    assertThat(applied.exit()).as(applied.output()).isZero();
    assertThat(applied.output()).doesNotContain("would violate PodSecurity");
    // A Deployment is only warned about; the pod it would create is what restricted enforces.
    List<HasMetadata> objects = k8s.load(new ByteArrayInputStream(rendered.output().getBytes(StandardCharsets.UTF_8))).items();
    Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
    Pod pod = new PodBuilder().withNewMetadata().withName("operator").withNamespace(ns).endMetadata()
        .withSpec(deployment.getSpec().getTemplate().getSpec()).build();
    pod.getSpec().setServiceAccountName(null); // the chart's account does not exist in a dry run
    Pod accepted = k8s.pods().inNamespace(ns).resource(pod).dryRun().create();
    assertThat(accepted.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    // Where nothing serves the kubernetes Service: only when asked for.
    assertThat(accepted.getSpec().getHostAliases()).hasSize(values.contains("hostAliases") ? 1 : 0);
    assertThat(accepted.getSpec().getContainers().get(0).getEnv()).extracting(e -> e.getName())
        .filteredOn(n -> n.startsWith("KUBERNETES_SERVICE_")).hasSize(values.contains("apiServer.host") ? 2 : 0);

    boolean budget = deployment.getSpec().getReplicas() > 1 && !values.contains("podDisruptionBudget.enabled=false");
    assertThat(objects).filteredOn(o -> o.getKind().equals("PodDisruptionBudget"))
        .as("a disruption budget when there is a standby to keep, unless turned off").hasSize(budget ? 1 : 0);
    objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .forEach(dashboard -> assertThat(k8s.getKubernetesSerialization().unmarshal(
            dashboard.getData().get("lingang-zone-operator.json"), Map.class)).containsKey("panels"));
  }

  private static Path chart(LocalControlPlane plane) {
    return plane.repositoryRoot().resolve("helm/lingang-zone-operator");
  }

}
