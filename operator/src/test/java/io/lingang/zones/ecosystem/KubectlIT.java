package io.lingang.zones.ecosystem;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What a platform engineer sees with kubectl: explain all the way down, columns in a deliberate order, short names. */
@ControlPlaneTest
class KubectlIT {

  @ParameterizedTest(name = "kubectl explain {0}")
  @CsvSource(delimiter = '|', value = {
      "businesszone|A trial zone where pilot companies run data trials",
      "businesszone.spec|What the zone is and offers",
      "businesszone.spec.dedicatedNodes.tolerations.operator|Exists (any value) or Equal",
      "businesszone.spec.network.allowIngressFrom.matchExpressions.operator|In, NotIn, Exists or DoesNotExist",
      "businesszone.status|What the operator observed",
      "zonetenant|One pilot company admitted to one BusinessZone",
      "zonetenant.status.conditions.type|Ready (the summary)",
      "zonetenant.spec.admins.kind|User, Group or ServiceAccount",
      "datalink.spec.ports.endPort|The last port of a range",
      "edgepool.spec.tolerations.key|The taint key",
      "edgeallocation.spec.window.endsAt|RFC 3339",
      "tenantstatus.status.edgeAllocations.message|Why it is refused",
      "tenantstatus.spec|Nothing to declare"})
  void explainDescribesEveryLevel(String path, String expected, LocalControlPlane plane) {
    Commands.Result explained = kubectl(plane, "explain", path);
    assertThat(explained.exit()).as(explained.output()).isZero();
    assertThat(explained.output()).contains(expected);
  }

  @Test
  void columnsComeReadyAndReasonFirstAndAgeLastAsTheApiServerServesThem(KubernetesClient k8s) {
    for (String crd : List.of("businesszones", "zonetenants", "datalinks", "edgepools", "edgeallocations", "tenantstatuses")) {
      List<String> columns = k8s.apiextensions().v1().customResourceDefinitions().withName(crd + ".zones.lingang.io").get()
          .getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream().map(CustomResourceColumnDefinition::getName).toList();
      assertThat(columns).as(crd).startsWith("Ready", "Reason").endsWith("Age");
    }
  }

  @Test
  void getShowsATenantsSummaryAndShortNamesFindTheKinds(RunningOperator operator, LocalControlPlane plane, KubernetesClient k8s,
      TestNames names) {
    String zone = names.name("zone");
    k8s.resource(sharedZone(zone, quantities("pods", "10"))).create();
    k8s.resource(tenant(names.name("acme"), zone, quantities("pods", "2"))).create();
    awaitCondition(k8s, ZoneTenant.class, names.name("acme"), "Ready", true);

    List<String> tenantHeader = header(kubectl(plane, "get", "zt", names.name("acme")));
    assertThat(tenantHeader).containsExactly("NAME", "READY", "REASON", "ZONE", "COMPANY", "ADMITTED", "SUSPENDED", "AGE");
    assertThat(kubectl(plane, "get", "zt", names.name("acme")).output()).contains("Provisioned");
    assertThat(header(kubectl(plane, "get", "bz", zone))).containsExactly("NAME", "READY", "REASON", "MODE", "TENANTS", "CAPACITY",
        "AVAILABLE", "AGE");
    assertThat(kubectl(plane, "get", "bz", zone).output()).contains("{\"pods\":\"8\"}");
    Map<String, String> shortNames = Map.of("epool", "edgepools", "ea", "edgeallocations", "dl", "datalinks", "ts", "tenantstatuses");
    shortNames.forEach((shortName, plural) -> assertThat(kubectl(plane, "api-resources", "--api-group", "zones.lingang.io").output())
        .containsPattern("(?m)^" + plural + "\\s+" + shortName + "\\s"));
    assertThat(kubectl(plane, "api-resources", "--api-group", "").output()).as("ep is still core Endpoints")
        .containsPattern("(?m)^endpoints\\s+ep\\s");
  }

  private static Commands.Result kubectl(LocalControlPlane plane, String... args) {
    List<String> command = new ArrayList<>(List.of(Commands.tool(plane, "kubectl"), "--kubeconfig", plane.kubeconfig().toString()));
    command.addAll(List.of(args));
    return Commands.run(plane, command, null);
  }

  private static List<String> header(Commands.Result result) {
    assertThat(result.exit()).as(result.output()).isZero();
    return List.of(result.output().lines().findFirst().orElseThrow().trim().split("\\s+"));
  }
}
