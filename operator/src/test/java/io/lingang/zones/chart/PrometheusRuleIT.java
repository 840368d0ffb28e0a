package io.lingang.zones.chart;

import static io.lingang.zones.testing.Fixtures.edgePool;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.zoneWithReadyTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.Http;
import io.lingang.zones.testing.PrometheusText;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chart's PrometheusRule and Grafana dashboard against what the operator really serves: every
 * expression parses with Prometheus' own parser (hack/gotools/cmd/promql), every metric it reads is
 * in a scrape of a running operator, and no gauge that every replica reports is summed across
 * replicas (with the chart's two replicas that would count everything twice).
 */
@ControlPlaneTest
class PrometheusRuleIT {
  /** Gauges every replica computes from its own cache: read with max over replicas, never summed. */
  private static final Set<String> FLEET_GAUGES = Set.of("lingang_tenants", "lingang_zone_capacity", "lingang_zone_allocated",
      "lingang_edgepool_capacity", "lingang_edgepool_allocated", "lingang_zone_overcommitted", "lingang_edgepool_overcommitted");
  /** Made by Prometheus for every target, not served. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rulesAndDashboardReadOnlyServedMetricsAndNeverDoubleCount(KubernetesClient k8s, RunningOperator operator, TestNames names)
      throws Exception {
    // A zone, over-committed by lowering its capacity below its tenant's quota, and an edge pool:
    // every fleet gauge has a row to show.
    String zone = names.name("prom-zone");
    String pool = names.name("prom-pool");
    zoneWithReadyTenant(k8s, zone, names.name("prom-tenant"));
    k8s.resources(BusinessZone.class).withName(zone).edit(z -> {
      z.getSpec().setCapacity(quantities("pods", "1"));
      return z;
    });
    k8s.resource(edgePool(pool, Map.of("lingang.io/prom-test", pool), quantities("cpu", "4"))).create();
    await("the over-committed zone and the pool in the metrics").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      PrometheusText scrape = Http.metrics(operator.healthPort());
      assertThat(scrape.sum("lingang_zone_overcommitted", Map.of("zone", zone))).isEqualTo(1.0);
      assertThat(scrape.select("lingang_edgepool_overcommitted", Map.of("pool", pool))).singleElement()
          .satisfies(s -> assertThat(s.value()).isZero());
      assertThat(scrape.sum("lingang_tenants", Map.of("zone", zone, "condition", "Ready"))).isEqualTo(1.0);
    });
    PrometheusText scrape = Http.metrics(operator.healthPort());

    Commands.Result rendered = ChartTools.helmTemplate("--show-only", "templates/prometheusrule.yaml",
        "--set", "metrics.prometheusRule.enabled=true");
    assertThat(rendered.exit()).as(rendered.output()).isZero();
    JsonNode rule = new ObjectMapper(new YAMLFactory()).readTree(rendered.output());
    List<String> alerts = new ArrayList<>();
    List<String> ruleExprs = new ArrayList<>();
    rule.at("/spec/groups").forEach(g -> g.get("rules").forEach(r -> {
      alerts.add(r.get("alert").asText());
      ruleExprs.add(r.get("expr").asText());
    }));
    assertThat(alerts).containsExactlyInAnyOrder("LingangZoneOperatorDown", "LingangZoneOperatorNoLeader", "LingangReconcileErrors",
        "LingangTenantsNotReady", "LingangZoneOverCommitted", "LingangEdgePoolOverCommitted", "LingangDriftRepairsSpiking");
    assertThat(ruleExprs).allSatisfy(e -> assertThat(e).contains("job=\"lzo-lingang-zone-operator-metrics\"", "namespace=\"lingang-system\""));

    JsonNode dashboard = JSON.readTree(Files.readString(ChartTools.chart().resolve("files/grafana-dashboard.json")));
    List<String> panelExprs = new ArrayList<>();
    dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> panelExprs.add(t.get("expr").asText())));
    assertThat(panelExprs).hasSizeGreaterThan(10);

    checkExpressions("PrometheusRule", ruleExprs, scrape, PROMETHEUS_OWN);
    checkExpressions("dashboard", panelExprs, scrape, Set.of());
  }

  private static void checkExpressions(String where, List<String> exprs, PrometheusText scrape, Set<String> notServed) throws Exception {
    String output = ChartTools.succeed(List.of(ChartTools.testTool("promql")), JSON.writeValueAsString(exprs));
    JsonNode results = JSON.readTree(output);
    assertThat(results).hasSize(exprs.size());
    for (JsonNode result : results) {
      String expr = result.get("expr").asText();
      assertThat(result.path("error").asText()).as(where + ": " + expr + " parses").isEmpty();
      assertThat(result.get("selectors")).as(where + ": " + expr + " selects a metric").isNotEmpty();
      for (JsonNode selector : result.get("selectors")) {
        String metric = selector.get("metric").asText();
        if (!notServed.contains(metric)) {
          assertThat(scrape.has(metric)).as(where + ": " + metric + " (in " + expr + ") is served by the operator").isTrue();
        }
        if (FLEET_GAUGES.contains(metric)) {
          assertThat(keepsReplicasApartOrTakesOne(selector.get("aggregations")))
              .as(where + ": " + metric + " in " + expr + " is first aggregated with max/min/avg over replicas, or kept per replica")
              .isTrue();
        }
      }
    }
  }

  /** The innermost aggregation of a gauge every replica reports either keeps replicas apart or takes one value of them. */
  private static boolean keepsReplicasApartOrTakesOne(JsonNode aggregations) {
    if (aggregations.isEmpty()) {
      return false; // a comparison or a ratio of raw series, then summed by the viewer: say it explicitly instead
    }
    JsonNode innermost = aggregations.get(0);
    Set<String> grouping = new java.util.HashSet<>();
    innermost.get("grouping").forEach(g -> grouping.add(g.asText()));
    boolean perReplica = grouping.contains("pod") || grouping.contains("instance");
    boolean without = innermost.get("without").asBoolean();
    if (without ? !perReplica : perReplica) {
      return true; // without (x): pod stays; by (pod): pod stays
    }
    return Set.of("max", "min", "avg").contains(innermost.get("op").asText());
  }
}
