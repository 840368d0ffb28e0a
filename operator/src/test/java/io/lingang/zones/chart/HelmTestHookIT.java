package io.lingang.zones.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `helm test`: the hook pod passes the `restricted` Pod Security Standard, selects nothing of the
 * operator's, and its command, run from the packaged jar the image holds against a running
 * operator, passes; against something that is not the operator, fails. (No pod runs here: the
 * local control plane has no nodes. The command is the image's entrypoint plus the pod's args.)
 */
@ControlPlaneTest
class HelmTestHookIT {
  @Test
  void theTestPodIsRestrictedAndItsCheckPassesOnARunningOperator(KubernetesClient k8s, RunningOperator operator, TestNames names)
      throws Exception {
    String ns = names.name("lzo-test");
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
        .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted")).endMetadata().build()).create();
    Commands.Result rendered = ChartTools.run(List.of(ChartTools.tool("helm"), "template", "lzo", ChartTools.chart().toString(),
        "--namespace", ns), null);
    assertThat(rendered.exit()).as(rendered.output()).isZero();
    List<HasMetadata> objects = k8s.load(new ByteArrayInputStream(rendered.output().getBytes(StandardCharsets.UTF_8))).items();
    Pod hook = objects.stream().filter(Pod.class::isInstance).map(Pod.class::cast).findFirst().orElseThrow();
    assertThat(hook.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test");
    Service metrics = objects.stream().filter(Service.class::isInstance).map(Service.class::cast).findFirst().orElseThrow();
    assertThat(hook.getMetadata().getLabels().entrySet().containsAll(metrics.getSpec().getSelector().entrySet()))
        .as("the metrics Service must not select the test pod").isFalse();

    Pod accepted = k8s.pods().inNamespace(ns).resource(hook).dryRun().create();
    assertThat(accepted.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

    List<String> args = hook.getSpec().getContainers().get(0).getArgs();
    String service = "http://" + metrics.getMetadata().getName() + "." + ns + ".svc:" + metrics.getSpec().getPorts().get(0).getPort();
    assertThat(args).contains("self-check").anySatisfy(a -> assertThat(a).startsWith(service + "/readyz"))
        .anySatisfy(a -> assertThat(a).startsWith(service + "/metrics"));

    String here = "http://127.0.0.1:" + operator.healthPort();
    Commands.Result passed = runJar(args.stream().map(a -> a.replace(service, here)).toList());
    assertThat(passed.exit()).as(passed.output()).isZero();
    assertThat(passed.output()).contains("PASS");

    // The same check on a port that answers, but not as the operator: /readyz 404.
    try (var other = new io.lingang.zones.infra.HealthServer(0, () -> true, () -> true)) {
      other.start();
      Commands.Result failed = runJar(List.of("self-check", "http://127.0.0.1:" + other.port() + "/metrics"));
      assertThat(failed.exit()).as(failed.output()).isEqualTo(1);
    }
  }

  /** The jar the image runs, as its entrypoint does (`java -jar`), with the hook pod's args. */
  private static Commands.Result runJar(List<String> args) {
    Path jar = ChartTools.root().resolve("operator/target/lingang-zone-operator.jar");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(args);
    return ChartTools.run(command, null);
  }
}
