package io.lingang.zones.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.Http;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.PrometheusText;
import io.lingang.zones.testing.RunningOperator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a platform engineer gets from `kubectl apply -f examples/`: everything Ready, as the comments promise. */
@ControlPlaneTest
class ExamplesIT {
  /** Examples that show a refusal carry this label; they must be refused, not Ready. */
  static final String EXPECT_LABEL = "examples.lingang.io/expect";

  @Test
  void everyExampleBecomesReadyAndItsTenantsGetWhatTheSpecPromises(RunningOperator operator, LocalControlPlane plane,
      KubernetesClient k8s) throws IOException {
    List<HasMetadata> applied = new ArrayList<>();
    try (Stream<Path> files = Files.list(plane.repositoryRoot().resolve("examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          applied.addAll(k8s.load(in).items());
        }
      }
    }
    applied.forEach(o -> k8s.resource(o).forceConflicts().serverSideApply());
    assertThat(applied).extracting(HasMetadata::getKind)
        .contains("BusinessZone", "ZoneTenant", "DataLink", "EdgePool", "EdgeAllocation");

    await("every example settled").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (HasMetadata o : applied) {
        GenericKubernetesResource current = k8s.genericKubernetesResources(o.getApiVersion(), o.getKind())
            .withName(o.getMetadata().getName()).get();
        String expected = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(EXPECT_LABEL);
        if ("Refused".equals(expected)) {
          assertThat(condition(current, "Admitted")).as(o.getKind() + " " + o.getMetadata().getName() + " Admitted").isEqualTo("False");
        } else {
          assertThat(condition(current, "Ready")).as(o.getKind() + " " + o.getMetadata().getName() + " Ready").isEqualTo("True");
        }
      }
    });

    for (HasMetadata o : applied) {
      if (!(o.getKind().equals("ZoneTenant"))) {
        continue;
      }
      ZoneTenant tenant = k8s.resources(ZoneTenant.class).withName(o.getMetadata().getName()).get();
      for (String ns : tenant.getStatus().getNamespaces()) {
        assertThat(k8s.namespaces().withName(ns).get().getMetadata().getLabels())
            .containsEntry("app.kubernetes.io/managed-by", "lingang-zone-operator")
            .containsEntry("zones.lingang.io/zone", tenant.getSpec().getZone())
            .containsEntry("zones.lingang.io/tenant", tenant.getMetadata().getName());
        assertThat(k8s.resourceQuotas().inNamespace(ns).withName("lingang-quota").get()).as("quota in " + ns).isNotNull();
        assertThat(k8s.limitRanges().inNamespace(ns).withName("lingang-limits").get()).as("limits in " + ns).isNotNull();
        assertThat(k8s.network().v1().networkPolicies().inNamespace(ns).list().getItems()).as("policies in " + ns)
            .extracting(p -> p.getMetadata().getName())
            .contains("lingang-default-deny", "lingang-allow-same-tenant", "lingang-allow-dns");
        if (tenant.getSpec().getAdmins() != null && !tenant.getSpec().getAdmins().isEmpty()) {
          assertThat(k8s.rbac().roleBindings().inNamespace(ns).withName("lingang-tenant-admins").get()).isNotNull();
        }
      }
    }
    metricsDescribeTheExamples(operator, k8s, applied,
        Files.readString(plane.repositoryRoot().resolve("helm/lingang-zone-operator/files/grafana-dashboard.json")));
  }

  /**
   * What a Prometheus scrape of the operator shows once the examples are in: the tenants per zone,
   * the zones' and pools' capacity and allocations as their statuses say, and a drift repair.
   */
  private static void metricsDescribeTheExamples(RunningOperator operator, KubernetesClient k8s, List<HasMetadata> applied,
      String dashboard) {
    Map<String, Long> tenantsPerZone = applied.stream().filter(ZoneTenant.class::isInstance).map(ZoneTenant.class::cast)
        .collect(Collectors.groupingBy(t -> t.getSpec().getZone(), Collectors.counting()));
    PrometheusText metrics = Http.metrics(operator.healthPort());
    tenantsPerZone.forEach((zone, count) -> assertThat(
        metrics.sum("lingang_tenants", Map.of("zone", zone, "condition", "Ready", "status", "True")))
        .as("Ready tenants in " + zone).isEqualTo(count.doubleValue()));

    BusinessZone pudong = k8s.resources(BusinessZone.class).withName("pudong-shared").get();
    assertThat(metrics.sum("lingang_zone_capacity", Map.of("zone", "pudong-shared", "resource", "requests.cpu"))).isEqualTo(24.0);
    double allocatedCpu = metrics.sum("lingang_zone_allocated", Map.of("zone", "pudong-shared", "resource", "requests.cpu"));
    assertThat(allocatedCpu).isPositive().isLessThanOrEqualTo(24.0)
        .isEqualTo(pudong.getStatus().getAllocated().get("requests.cpu").getNumericalAmount().doubleValue());

    EdgePool gpu = k8s.resources(EdgePool.class).withName("lingang-gpu").get();
    assertThat(metrics.sum("lingang_edgepool_capacity", Map.of("pool", "lingang-gpu", "resource", "nvidia.com/gpu"))).isEqualTo(8.0);
    assertThat(metrics.sum("lingang_edgepool_allocated", Map.of("pool", "lingang-gpu", "resource", "nvidia.com/gpu")))
        .as("GPUs of the admitted allocation only, not of the refused one")
        .isEqualTo(gpu.getStatus().getAllocated().get("nvidia.com/gpu").getNumericalAmount().doubleValue())
        .isEqualTo(4.0);
    assertThat(metrics.has("operator_sdk_reconciliations_success_total")).as("JOSDK's reconcile metrics").isTrue();
    assertThat(metrics.select("operator_sdk_reconciliations_success_total", Map.of()))
        .as("per kind, never per resource").allSatisfy(sample -> assertThat(sample.labels()).doesNotContainKey("name"));

    Map<String, String> policies = Map.of("kind", "NetworkPolicy");
    double repairsBefore = metrics.sum("lingang_drift_repairs_total", policies);
    Map<String, String> policyCreates = Map.of("verb", "create", "resource", "networkpolicies");
    double policyCreatesBefore = metrics.sum("lingang_api_requests_total", policyCreates);
    String ns = k8s.resources(ZoneTenant.class).withName("harbor-logistics").get().getStatus().getNamespaces().get(0);
    k8s.network().v1().networkPolicies().inNamespace(ns).withName("lingang-default-deny").delete();
    await("deleted policy restored and counted").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Http.metrics(operator.healthPort()).sum("lingang_drift_repairs_total", policies)).isGreaterThan(repairsBefore));
    assertThat(k8s.network().v1().networkPolicies().inNamespace(ns).withName("lingang-default-deny").get()).isNotNull();

    // The chart's Grafana dashboard asks only for metrics the operator serves.
    PrometheusText after = Http.metrics(operator.healthPort());
    assertThat(after.undescribed()).as("series without HELP text").isEmpty();
    assertThat(after.sum("lingang_api_requests_total", policyCreates))
        .as("the restored policy (created again) is among the operator's writes").isGreaterThan(policyCreatesBefore);
    assertThat(Pattern.compile("\\b(?:lingang|jvm)_[a-z_]+").matcher(dashboard).results().map(MatchResult::group).distinct())
        .isNotEmpty().allSatisfy(name -> assertThat(after.has(name)).as("dashboard metric " + name + " is served").isTrue());
  }

  @SuppressWarnings("unchecked")
  private static String condition(GenericKubernetesResource resource, String type) {
    if (resource == null || !(resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return null;
    }
    Object conditions = status.get("conditions");
    if (!(conditions instanceof List<?> list)) {
      return null;
    }
    return list.stream().map(c -> (Map<String, Object>) c).filter(c -> type.equals(c.get("type")))
        .map(c -> (String) c.get("status")).findFirst().orElse(null);
  }
}
