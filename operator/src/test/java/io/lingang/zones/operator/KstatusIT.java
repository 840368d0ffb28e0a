package io.lingang.zones.operator;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.TimeWindow;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OwnControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Flux's and Argo CD's status library (kstatus, sigs.k8s.io/cli-utils, run by
 * hack/gotools/cmd/kstatus) reads from every kind in every state a user meets: just created,
 * working or waiting, Ready, refused by a person's mistake, being deleted. A control plane of its
 * own, so that "just created" can be seen before any operator runs.
 */
@OwnControlPlane("control-plane-kstatus")
class KstatusIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalControlPlane plane;
  private static KubernetesClient k8s;

  @BeforeEach
  void controlPlane(LocalControlPlane own) {
    plane = own;
    k8s = own.admin();
  }

  private record Row(String kind, String state, String expected, Supplier<HasMetadata> object) {}

  @Test
  void everyKindInEveryStateReadsAsTheUserWouldExpect() throws IOException {
    TestNames n = TestNames.random();
    List<Row> rows = new ArrayList<>();
    // Before any operator: every kind just created.
    k8s.resource(sharedZone(n.name("zone"), quantities("pods", "10"), n.name("link"))).create();
    ZoneTenant ready = tenant(n.name("ready"), n.name("zone"), quantities("pods", "4"));
    k8s.resource(ready).create();
    k8s.resource(Fixtures.link(n.name("link"), "203.0.113.0/24")).create();
    k8s.resource(Fixtures.edgePool(n.name("pool"), Map.of("pool", "p"), quantities("cpu", "4"))).create();
    k8s.resource(Fixtures.allocation(n.name("grant"), n.name("ready"), n.name("pool"), quantities("cpu", "1"))).create();
    for (var kind : List.of(BusinessZone.class, ZoneTenant.class, DataLink.class, EdgePool.class, EdgeAllocation.class)) {
      String name = kind == BusinessZone.class ? n.name("zone") : kind == ZoneTenant.class ? n.name("ready")
          : kind == DataLink.class ? n.name("link") : kind == EdgePool.class ? n.name("pool") : n.name("grant");
      HasMetadata snapshot = k8s.resources(kind).withName(name).get();
      rows.add(new Row(kind.getSimpleName(), "just created, not reconciled yet", "InProgress", () -> snapshot));
    }

    try (RunningOperator operator = RunningOperator.on(plane)) {
      k8s.resource(tenant(n.name("waiting"), n.name("zone"), quantities("pods", "20"))).create();
      k8s.resource(tenant(n.name("mistake"), n.name("zone"), quantities("requests.cpu", "1"))).create();
      k8s.resource(tenant(n.name("nozone"), n.name("nowhere"), quantities("pods", "1"))).create();
      k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(n.name("taken")).endMetadata().build()).create();
      k8s.resource(tenant(n.name("taken"), n.name("zone"), quantities("pods", "1"))).create();
      k8s.resource(Fixtures.edgePool(n.name("empty"), Map.of("pool", "none"), null)).create();
      k8s.resource(Fixtures.allocation(n.name("big"), n.name("ready"), n.name("pool"), quantities("cpu", "8"))).create();
      k8s.resource(Fixtures.allocation(n.name("orphan"), n.name("nozone"), n.name("pool"), quantities("cpu", "1"))).create();
      EdgeAllocation old = Fixtures.allocation(n.name("old"), n.name("ready"), n.name("pool"), quantities("cpu", "1"));
      TimeWindow window = new TimeWindow();
      window.setEndsAt("2026-01-01T00:00:00Z");
      old.getSpec().setWindow(window);
      k8s.resource(old).create();
      awaitCondition(k8s, ZoneTenant.class, n.name("ready"), "Ready", true);
      awaitCondition(k8s, ZoneTenant.class, n.name("taken"), "Ready", false);
      awaitCondition(k8s, ZoneTenant.class, n.name("mistake"), "Admitted", false);
      awaitCondition(k8s, ZoneTenant.class, n.name("waiting"), "Admitted", false);
      awaitCondition(k8s, ZoneTenant.class, n.name("nozone"), "Admitted", false);
      awaitCondition(k8s, EdgeAllocation.class, n.name("grant"), "Ready", true);
      awaitCondition(k8s, EdgeAllocation.class, n.name("big"), "Admitted", false);
      awaitCondition(k8s, EdgeAllocation.class, n.name("orphan"), "Admitted", false);
      awaitCondition(k8s, EdgeAllocation.class, n.name("old"), "Expired", true);
      awaitCondition(k8s, EdgePool.class, n.name("empty"), "Ready", false);
      awaitCondition(k8s, DataLink.class, n.name("link"), "Ready", true);
      awaitCondition(k8s, BusinessZone.class, n.name("zone"), "Ready", true);
      // A tenant edit: its TenantStatus (which has no spec) must still read Current.
      k8s.resources(ZoneTenant.class).withName(n.name("ready")).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"company\":{\"contact\":\"ops@example.com\"}}}");
      await().atMost(Duration.ofSeconds(15)).until(() -> "ops@example.com".equals(k8s.resources(TenantStatus.class)
          .inNamespace(n.name("ready")).withName(n.name("ready")).get().getStatus().getCompany().getContact()));
      rows.add(live("BusinessZone", "Ready", "Current", BusinessZone.class, n.name("zone"), false));
      rows.add(live("ZoneTenant", "Ready", "Current", ZoneTenant.class, n.name("ready"), false));
      rows.add(live("ZoneTenant", "waiting for capacity", "InProgress", ZoneTenant.class, n.name("waiting"), false));
      rows.add(live("ZoneTenant", "waiting for its zone to be created", "InProgress", ZoneTenant.class, n.name("nozone"), false));
      rows.add(live("ZoneTenant", "a quota that leaves out what the zone caps (person's mistake)", "Failed",
          ZoneTenant.class, n.name("mistake"), false));
      rows.add(live("ZoneTenant", "its namespace is someone else's (person's mistake)", "Failed", ZoneTenant.class, n.name("taken"), false));
      rows.add(live("DataLink", "Ready", "Current", DataLink.class, n.name("link"), false));
      rows.add(live("EdgePool", "Ready", "Current", EdgePool.class, n.name("pool"), false));
      rows.add(live("EdgePool", "no node matches yet", "InProgress", EdgePool.class, n.name("empty"), false));
      rows.add(live("EdgeAllocation", "granted", "Current", EdgeAllocation.class, n.name("grant"), false));
      rows.add(live("EdgeAllocation", "waiting for capacity", "InProgress", EdgeAllocation.class, n.name("big"), false));
      rows.add(live("EdgeAllocation", "waiting for its tenant to be admitted", "InProgress", EdgeAllocation.class, n.name("orphan"), false));
      rows.add(live("EdgeAllocation", "window ended", "Current", EdgeAllocation.class, n.name("old"), false));
      // Held by an extra finalizer, a tenant and (through it) its zone stay in deletion.
      k8s.resources(ZoneTenant.class).withName(n.name("mistake")).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"metadata\":{\"finalizers\":[\"test.lingang.io/hold\"]}}");
      k8s.resources(ZoneTenant.class).withName(n.name("mistake")).delete();
      k8s.resources(BusinessZone.class).withName(n.name("zone")).delete();
      awaitCondition(k8s, BusinessZone.class, n.name("zone"), "Ready", false);

      rows.add(live("BusinessZone", "being deleted, tenants remain", "Terminating", BusinessZone.class, n.name("zone"), true));
      rows.add(live("ZoneTenant", "being deleted", "Terminating", ZoneTenant.class, n.name("mistake"), true));
      HasMetadata status = k8s.resources(TenantStatus.class).inNamespace(n.name("ready")).withName(n.name("ready")).get();
      rows.add(new Row("TenantStatus", "of a Ready tenant, after the tenant was edited", "Current", () -> status));
      assertThat(operator.fatalErrors()).isEmpty();
    }

    List<HasMetadata> objects = rows.stream().map(r -> r.object().get()).toList();
    String input = k8s.getKubernetesSerialization().asJson(objects);
    Commands.Result result = Commands.run(plane, List.of(Commands.testTool(plane, "kstatus")), input);
    assertThat(result.exit()).as(result.output()).isZero();
    JsonNode verdicts = JSON.readTree(result.output());
    StringBuilder table = new StringBuilder("# kstatus of every kind and state\n\n| kind | state | expected | kstatus | message |\n"
        + "| --- | --- | --- | --- | --- |\n");
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      JsonNode v = verdicts.get(i);
      table.append("| ").append(r.kind()).append(" | ").append(r.state()).append(" | ").append(r.expected()).append(" | ")
          .append(v.get("status").asText()).append(" | ").append(v.get("message").asText().replace("|", "\\|")).append(" |\n");
      if (!r.expected().equals(v.get("status").asText())) {
        wrong.add(r.kind() + " " + r.state() + ": " + v.get("status").asText() + " (" + v.get("message").asText() + ")");
      }
    }
    var dir = LocalControlPlane.repoRoot().resolve("operator/target");
    Files.writeString(dir.resolve("kstatus-table.md"), table.toString());
    System.out.println(table);
    assertThat(wrong).as("states kstatus reads differently from what a user expects").isEmpty();
  }

  /** A row read now; {@code deleting} rows are read after the deletion started. */
  private static Row live(String kind, String state, String expected, Class<? extends HasMetadata> type, String name, boolean deleting) {
    HasMetadata now = k8s.resources(type).withName(name).get();
    if (!deleting && now.getMetadata().getDeletionTimestamp() != null) {
      throw new IllegalStateException(name + " is already being deleted");
    }
    return new Row(kind, state, expected, () -> now);
  }
}
