package io.lingang.zones.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.lingang.zones.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * values.schema.json refuses typos where the chart or Kubernetes owns the shape, and accepts what
 * Kubernetes and Prometheus accept; `helm lint --strict` and `helm template` with real values files.
 */
class ChartValuesIT {
  /** Values a user may well write, each accepted. */
  static Stream<Arguments> validValues() {
    return Stream.of(
        Arguments.of("the defaults", ""),
        Arguments.of("durations as Prometheus writes them", """
            metrics:
              serviceMonitor: {enabled: true, interval: 1m30s}
              prometheusRule: {enabled: true, for: 1h30m, driftRepairsPer15m: 5, labels: {release: prom}, alertLabels: {team: platform}}
            """),
        Arguments.of("Kubernetes resources, tolerations and affinity", """
            resources:
              requests: {cpu: 0.5, memory: 512Mi, ephemeral-storage: 1Gi}
              limits: {cpu: 2000m, memory: 1Gi}
            tolerations:
              - {key: dedicated, operator: Equal, value: infra, effect: NoSchedule}
              - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
                preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 10
                    preference: {matchExpressions: [{key: role, operator: Exists}]}
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  - topologyKey: kubernetes.io/hostname
                    labelSelector: {matchLabels: {app.kubernetes.io/name: lingang-zone-operator}}
            helmTest:
              resources: {limits: {memory: 256Mi}}
            startupProbe: {periodSeconds: 10, failureThreshold: 60}
            imagePullSecrets: [{name: regcred}]
            """));
  }

  /** Typos and mistakes, each refused, with the schema's word for why. */
  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of("resources.limit (for limits)", "resources: {limit: {cpu: 1}}", "limit"),
        Arguments.of("a malformed quantity", "resources: {limits: {memory: 1 GB}}", "memory"),
        Arguments.of("tolerations[0].efect", "tolerations: [{key: a, operator: Exists, efect: NoSchedule}]", "efect"),
        Arguments.of("an unknown toleration effect", "tolerations: [{key: a, operator: Exists, effect: NoSchedul}]", "effect"),
        Arguments.of("affinity.nodeAfinity", "affinity: {nodeAfinity: {}}", "nodeAfinity"),
        Arguments.of("a pod affinity term without topologyKey",
            "affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {a: b}}}]}}",
            "topologyKey"),
        Arguments.of("a typo among the chart's own keys", "metrics: {serviceMonitor: {enable: true}}", "enable"),
        Arguments.of("an unknown top-level key", "replicas: 3", "replicas"),
        Arguments.of("a duration without unit", "metrics: {serviceMonitor: {interval: \"90\"}}", "interval"),
        Arguments.of("a duration in Go's style", "metrics: {prometheusRule: {for: 1.5m}}", "for"),
        Arguments.of("the test pod's resources", "helmTest: {resources: {request: {cpu: 1}}}", "request"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validValues")
  void acceptsValidValues(String what, String values) throws Exception {
    Commands.Result lint = lint(values);
    assertThat(lint.exit()).as(lint.output()).isZero();
    Commands.Result rendered = ChartTools.helmTemplate("-f", valuesFile(values).toString());
    assertThat(rendered.exit()).as(rendered.output()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidValues")
  void refusesTypos(String what, String values, String named) throws Exception {
    Commands.Result lint = lint(values);
    assertThat(lint.exit()).as(lint.output()).isNotZero();
    assertThat(lint.output()).contains("values don't meet the specifications of the schema").contains(named);
  }

  @Test
  void helmRendersForTheProjectsKubernetesWithoutBeingTold() {
    // The chart needs Kubernetes >= 1.30; an unstamped helm assumes 1.20 and refuses to render it.
    Commands.Result rendered = ChartTools.helmTemplate();
    assertThat(rendered.exit()).as(rendered.output()).isZero();
    Commands.Result version = ChartTools.run(List.of(ChartTools.tool("helm"), "version", "--short"), null);
    assertThat(version.output()).startsWith("v3.");
  }

  @Test
  void theOperatorHasAStartupProbeThatHoldsOffLiveness() {
    String deployment = ChartTools.helmTemplate("--show-only", "templates/deployment.yaml",
        "--set", "startupProbe.failureThreshold=50").output();
    Map<String, Object> container = container(deployment);
    assertThat(container).containsKeys("startupProbe", "livenessProbe", "readinessProbe");
    assertThat(container.get("startupProbe").toString()).contains("failureThreshold=50").contains("/readyz");
    assertThat(container.get("livenessProbe").toString()).doesNotContain("initialDelaySeconds");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(String deploymentYaml) {
    Map<String, Object> deployment = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(deploymentYaml, Map.class);
    Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment.get("spec"))
        .get("template")).get("spec");
    return ((List<Map<String, Object>>) spec.get("containers")).get(0);
  }

  private static Commands.Result lint(String values) throws Exception {
    return ChartTools.run(List.of(ChartTools.tool("helm"), "lint", "--strict", ChartTools.chart().toString(),
        "-f", valuesFile(values).toString()), null);
  }

  private static Path valuesFile(String values) throws Exception {
    Path file = Files.createTempFile("values-", ".yaml");
    file.toFile().deleteOnExit();
    Files.writeString(file, values);
    return file;
  }
}
