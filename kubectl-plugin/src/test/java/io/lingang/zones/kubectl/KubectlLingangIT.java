package io.lingang.zones.kubectl;

import static io.lingang.zones.testing.Fixtures.allocation;
import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.edgePool;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static io.lingang.zones.testing.Fixtures.withAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OwnControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kubectl lingang against a real control plane with the operator running: what it shows is what the
 * operator reports, what fit predicts is what the operator then does, and a tenant sees itself and
 * nobody else with its own rights.
 */
@OwnControlPlane("kubectl-plugin-control-plane")
class KubectlLingangIT {
  private static RunningOperator operator;
  private final TestNames names = TestNames.random();

  @BeforeAll
  static void startOperator(LocalControlPlane plane) {
    operator = RunningOperator.on(plane);
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
  }

  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return new ObjectMapper().readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }
  }

  @Test
  void zonesShowsTheNumbersTheOperatorReportsForZonesAndPools(LocalControlPlane plane, KubernetesClient k8s) throws IOException {
    String zone = names.name("zone");
    String acme = names.name("acme");
    String pool = names.name("gpu");
    k8s.resource(sharedZone(zone, quantities("pods", "10", "requests.cpu", "4"))).create();
    k8s.resource(tenant(acme, zone, quantities("pods", "3", "requests.cpu", "1500m"))).create();
    k8s.resource(edgePool(pool, Map.of("pool", pool), quantities("cpu", "8", "pods", "20"))).create();
    awaitCondition(k8s, ZoneTenant.class, acme, "Ready", true);
    k8s.resource(allocation(names.name("acme-gpu"), acme, pool, quantities("cpu", "2", "pods", "5"))).create();
    awaitCondition(k8s, EdgeAllocation.class, names.name("acme-gpu"), "Admitted", true);
    await("the zone and the pool account for them").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(k8s.resources(BusinessZone.class).withName(zone).get().getStatus().getTenants()).isEqualTo(1);
      assertThat(k8s.resources(EdgePool.class).withName(pool).get().getStatus().getAllocated()).containsKey("cpu");
    });
    var zoneStatus = k8s.resources(BusinessZone.class).withName(zone).get().getStatus();
    var poolStatus = k8s.resources(EdgePool.class).withName(pool).get().getStatus();

    Run json = plugin(plane, "zones", "-o", "json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode zoneRow = find(json.json().get("zones"), zone);
    assertThat(zoneRow.get("tenants").asInt()).isEqualTo(zoneStatus.getTenants());
    for (JsonNode line : zoneRow.get("resources")) {
      String resource = line.get("resource").asText();
      assertThat(line.get("allocated").asText()).as(resource).isEqualTo(zoneStatus.getAllocated().get(resource).toString());
      assertThat(line.get("available").asText()).as(resource).isEqualTo(zoneStatus.getAvailable().get(resource).toString());
    }
    JsonNode poolRow = find(json.json().get("pools"), pool);
    assertThat(poolRow.get("tenants").asInt()).isEqualTo(1);
    for (JsonNode line : poolRow.get("resources")) {
      String resource = line.get("resource").asText();
      assertThat(line.get("allocated").asText()).as(resource).isEqualTo(poolStatus.getAllocated().get(resource).toString());
      assertThat(line.get("available").asText()).as(resource).isEqualTo(poolStatus.getAvailable().get(resource).toString());
    }

    // The installed form: kubectl finds the launcher on the PATH and hands it KUBECONFIG.
    Commands.Result table = asKubectlPlugin(plane, "lingang", "zones");
    assertThat(table.exit()).as(table.output()).isZero();
    assertThat(table.output())
        .containsPattern("(?m)^" + zone + "\\s+Shared\\s+True\\s+1\\s+pods\\s+10\\s+3\\s+7$")
        .containsPattern("(?m)^" + zone + "\\s+Shared\\s+True\\s+1\\s+requests.cpu\\s+4\\s+1500m\\s+2500m$")
        .containsPattern("(?m)^" + pool + "\\s+\\S+\\s+\\S+\\s+1\\s+cpu\\s+8\\s+2\\s+6$");
  }

  @Test
  void fitPredictsWhatTheOperatorThenDoes(LocalControlPlane plane, KubernetesClient k8s) throws IOException {
    String zone = names.name("fitzone");
    k8s.resource(sharedZone(zone, quantities("pods", "10", "requests.cpu", "4"))).create();
    k8s.resource(tenant(names.name("holder"), zone, quantities("pods", "6", "requests.cpu", "2"))).create();
    awaitCondition(k8s, ZoneTenant.class, names.name("holder"), "Admitted", true);
    Path small = manifest(tenant(names.name("small"), zone, quantities("pods", "2", "requests.cpu", "1")), k8s);
    Path big = manifest(tenant(names.name("big"), zone, quantities("pods", "2", "requests.cpu", "3")), k8s);

    Run smallFit = plugin(plane, "fit", "-f", small.toString());
    assertThat(smallFit.exit()).as(smallFit.out() + smallFit.err()).isZero();
    assertThat(smallFit.out()).contains("would be admitted").containsPattern("(?m)^\\s+requests.cpu\\s+1\\s+1$");
    k8s.load(Files.newInputStream(small)).create();
    awaitCondition(k8s, ZoneTenant.class, names.name("small"), "Admitted", true);

    Run bigFit = plugin(plane, "fit", "-f", big.toString());
    assertThat(bigFit.exit()).as(bigFit.out() + bigFit.err()).isEqualTo(1);
    assertThat(bigFit.out()).contains("would NOT be admitted, InsufficientCapacity")
        .containsPattern("(?m)^\\s+SHORT\\s+WANTED\\s+AVAILABLE$")
        .containsPattern("(?m)^\\s+requests.cpu\\s+3\\s+1$")
        .doesNotContainPattern("(?m)^\\s+pods\\s");
    JsonNode verdict = plugin(plane, "fit", "-f", big.toString(), "-o", "json").json().get("verdicts").get(0);
    k8s.load(Files.newInputStream(big)).create();
    ZoneTenant refused = awaitCondition(k8s, ZoneTenant.class, names.name("big"), "Admitted", false);
    var condition = refused.getStatus().condition("Admitted").orElseThrow();
    assertThat(condition.getReason()).isEqualTo(verdict.get("reason").asText());
    assertThat(condition.getMessage()).as("the operator's words, word for word").isEqualTo(verdict.get("message").asText());
  }

  @Test
  void fitReportsWhatTheApiServerWouldRefuseAndExitsWith2OnAnUnreadableFile(LocalControlPlane plane) throws IOException {
    Path invalid = Files.createTempFile("tenant-", ".yaml");
    Files.writeString(invalid, """
        apiVersion: zones.lingang.io/v1alpha1
        kind: ZoneTenant
        metadata:
          name: %s
        spec:
          zone: anywhere
          company: {name: Typo Ltd}
          quota: {pods: "-3"}
        """.formatted(names.name("typo")));

    Run run = plugin(plane, "fit", "-f", invalid.toString());
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("would NOT be admitted, Invalid").contains("spec.quota");
    assertThat(plugin(plane, "fit", "-f", "/nonexistent.yaml").exit()).isEqualTo(2);
  }

  @Test
  void aTenantSeesItselfWithItsOwnRightsAndNeverAnotherTenant(LocalControlPlane plane, KubernetesClient k8s) {
    String zone = names.name("tzone");
    String alpha = names.name("alpha");
    String beta = names.name("beta");
    String pool = names.name("edge");
    k8s.resource(sharedZone(zone, quantities("pods", "10", "requests.cpu", "4"))).create();
    k8s.resource(withAdmin(tenant(alpha, zone, quantities("pods", "3", "requests.cpu", "1")), names.name("alice"))).create();
    k8s.resource(withAdmin(tenant(beta, zone, quantities("pods", "4", "requests.cpu", "2")), names.name("bob"))).create();
    k8s.resource(edgePool(pool, Map.of("pool", pool), quantities("cpu", "4"))).create();
    k8s.resource(allocation(names.name("alpha-edge"), alpha, pool, quantities("cpu", "1"))).create();
    awaitCondition(k8s, ZoneTenant.class, alpha, "Ready", true);
    awaitCondition(k8s, ZoneTenant.class, beta, "Ready", true);
    await("alpha's TenantStatus lists its edge allocation").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(plugin(plane, "tenant", alpha, "--as", names.name("alice")).out())
            .containsPattern("(?m)^\\s+" + names.name("alpha-edge") + "\\s+" + pool + "\\s+Active\\s"));

    Run own = plugin(plane, "tenant", alpha, "--as", names.name("alice"));
    assertThat(own.exit()).as(own.err()).isZero();
    assertThat(own.out())
        .contains("Source:     ZoneTenant " + alpha)
        .containsPattern("(?m)^Namespaces:\\s+" + alpha + ", " + alpha + "-edge-" + pool + "$")
        .containsPattern("(?m)^\\s+" + alpha + "\\s+pods\\s+0\\s+3$")
        .containsPattern("(?m)^\\s+" + alpha + "\\s+requests.cpu\\s+0\\s+1$")
        .containsPattern("(?m)^\\s+Ready\\s+True\\s+")
        .containsPattern("(?m)^\\s+Admitted\\s+True\\s+")
        .doesNotContain(beta);

    Run other = plugin(plane, "tenant", beta, "--as", names.name("alice"));
    assertThat(other.exit()).isEqualTo(2);
    assertThat(other.out()).isEmpty();
    assertThat(other.err()).contains("cannot read tenant " + beta).doesNotContain("Company " + beta).doesNotContain("pods");
    assertThat(plugin(plane, "tenant", beta, "--as", names.name("alice"), "-n", alpha).exit())
        .as("alpha's namespace holds no TenantStatus of beta").isEqualTo(2);

    // Someone who may only read alpha's namespace (the built-in view role) gets the TenantStatus there.
    k8s.resource(new RoleBindingBuilder().withNewMetadata().withName("carol-view").withNamespace(alpha).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("view").endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(names.name("carol")).endSubject()
        .build()).create();
    await("carol can read alpha's namespace").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(plugin(plane, "tenant", alpha, "--as", names.name("carol")).exit()).isZero());
    Run viewer = plugin(plane, "tenant", alpha, "--as", names.name("carol"));
    assertThat(viewer.out())
        .contains("Source:     TenantStatus " + alpha + "/" + alpha)
        .contains("ZoneTenant " + alpha + " is not readable with your rights")
        .containsPattern("(?m)^Zone:\\s+" + zone + " \\(Shared\\)$")
        .containsPattern("(?m)^\\s+\\(total\\)\\s+pods\\s+0\\s+3$")
        .containsPattern("(?m)^\\s+" + names.name("alpha-edge") + "\\s+" + pool + "\\s+Active\\s")
        .containsPattern("(?m)^\\s+Ready\\s+True\\s+");
    assertThat(plugin(plane, "tenant", beta, "--as", names.name("carol")).exit()).isEqualTo(2);
  }

  private static JsonNode find(JsonNode rows, String name) {
    for (JsonNode row : rows) {
      if (name.equals(row.get("name").asText())) {
        return row;
      }
    }
    throw new AssertionError(name + " not in " + rows);
  }

  private static Path manifest(ZoneTenant tenant, KubernetesClient k8s) throws IOException {
    tenant.setApiVersion("zones.lingang.io/v1alpha1");
    tenant.setKind("ZoneTenant");
    Path file = Files.createTempFile(tenant.getMetadata().getName(), ".yaml");
    Files.writeString(file, k8s.getKubernetesSerialization().asYaml(tenant));
    return file;
  }

  /** The plugin in this JVM, as the platform engineer's kubeconfig (or, with --as, someone else) runs it. */
  private static Run plugin(LocalControlPlane plane, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--kubeconfig", plane.kubeconfig().toString()));
    int exit = new KubectlLingang(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Clients::connect).run(all.toArray(String[]::new));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The packaged plugin (launcher and shaded jar, as make plugin installs them) run by kubectl itself. */
  private static Commands.Result asKubectlPlugin(LocalControlPlane plane, String... args) throws IOException {
    Path bin = Files.createTempDirectory("kubectl-lingang-bin");
    Files.copy(Path.of(System.getProperty("lingang.plugin.launcher")), bin.resolve("kubectl-lingang"));
    Files.createSymbolicLink(bin.resolve("kubectl-lingang.jar"), Path.of(System.getProperty("lingang.plugin.jar")));
    List<String> command = new ArrayList<>(List.of("env", "PATH=" + bin + ":" + System.getenv("PATH"),
        "KUBECONFIG=" + plane.kubeconfig(), Commands.tool(plane, "kubectl")));
    command.addAll(List.of(args));
    return Commands.run(plane, command, null);
  }
}
