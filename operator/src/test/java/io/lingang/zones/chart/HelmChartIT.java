package io.lingang.zones.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.TestNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The Helm chart lints, and what it renders is accepted by the real API server. */
@ControlPlaneTest
class HelmChartIT {
  private static final String KUBE_VERSION = "1.34.4";

  @Test
  void chartLints(LocalControlPlane plane) throws Exception {
    Result lint = run(plane, List.of(tool(plane, "helm"), "lint", chart(plane).toString(), "--strict"));
    assertThat(lint.exit).as(lint.output).isZero();
  }

  @ParameterizedTest(name = "values: {0}")
  @ValueSource(strings = {"", "replicaCount=2,serviceAccount.create=false,serviceAccount.name=lzo-custom,image.tag=1.2.3,"
      + "metrics.service.enabled=false,reconcileThreads=40,healthPort=9090,nodeSelector.role=infra"})
  void renderedManifestsAreAcceptedInARestrictedNamespace(String values, LocalControlPlane plane, KubernetesClient k8s, TestNames names)
      throws Exception {
    String ns = names.name("lzo");
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
        .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted", "pod-security.kubernetes.io/warn", "restricted"))
        .endMetadata().build()).create();
    List<String> template = new ArrayList<>(List.of(tool(plane, "helm"), "template", "lzo", chart(plane).toString(),
        "--namespace", ns, "--kube-version", KUBE_VERSION));
    if (!values.isEmpty()) {
      template.addAll(List.of("--set", values));
    }
    Result rendered = run(plane, template);
    assertThat(rendered.exit).as(rendered.output).isZero();

    Result applied = run(plane, List.of(tool(plane, "kubectl"), "--kubeconfig", plane.kubeconfig().toString(),
        "apply", "--dry-run=server", "-f", "-"), rendered.output);

    assertThat(applied.exit).as(applied.output).isZero();
    assertThat(applied.output).doesNotContain("would violate PodSecurity");
    // A Deployment is only warned about; the pod it would create is what restricted enforces.
    List<HasMetadata> objects = k8s.load(new ByteArrayInputStream(rendered.output.getBytes(StandardCharsets.UTF_8))).items();
    Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
    Pod pod = new PodBuilder().withNewMetadata().withName("operator").withNamespace(ns).endMetadata()
        .withSpec(deployment.getSpec().getTemplate().getSpec()).build();
    pod.getSpec().setServiceAccountName(null); // the chart's account does not exist in a dry run
    Pod accepted = k8s.pods().inNamespace(ns).resource(pod).dryRun().create();
    assertThat(accepted.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  private static Path chart(LocalControlPlane plane) {
    return plane.repositoryRoot().resolve("helm/lingang-zone-operator");
  }

  private static String tool(LocalControlPlane plane, String name) throws IOException, InterruptedException {
    Result bin = run(plane, List.of("bash", plane.repositoryRoot().resolve("hack/tools.sh").toString()));
    return bin.output.strip() + "/" + name;
  }

  private record Result(int exit, String output) {}

  private static Result run(LocalControlPlane plane, List<String> command) throws IOException, InterruptedException {
    return run(plane, command, null);
  }

  private static Result run(LocalControlPlane plane, List<String> command, String stdin) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(plane.repositoryRoot().toFile()).redirectErrorStream(true).start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
