package io.lingang.zones.ecosystem;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.ConditionedStatus;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OwnControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check the chart ships (files/argocd/health.lua), run in a Lua engine against
 * real objects of every kind from the control plane, in each state Argo CD shows: Progressing
 * (no status yet, or waiting), Healthy, Degraded (a person must act), Suspended.
 */
@OwnControlPlane("control-plane-argocd")
class ArgoCdHealthIT {
  private record Case(String kind, String state, String expected, HasMetadata object) {}

  @Test
  void everyKindInEveryStateGetsTheHealthArgoCdShouldShow(LocalControlPlane plane, KubernetesClient k8s) throws IOException {
    String script = Files.readString(plane.repositoryRoot().resolve("helm/lingang-zone-operator/files/argocd/health.lua"));
    TestNames n = TestNames.random();
    List<Case> cases = new ArrayList<>();
    k8s.resource(sharedZone(n.name("zone"), quantities("pods", "10"), n.name("link"))).create();
    k8s.resource(tenant(n.name("ready"), n.name("zone"), quantities("pods", "4"))).create();
    k8s.resource(sharedZone(n.name("empty"), quantities("pods", "10"))).create();
    k8s.resource(Fixtures.link(n.name("link"), "203.0.113.0/24")).create();
    k8s.resource(Fixtures.edgePool(n.name("pool"), Map.of("pool", "p"), quantities("cpu", "4"))).create();
    k8s.resource(Fixtures.allocation(n.name("grant"), n.name("ready"), n.name("pool"), quantities("cpu", "1"))).create();
    cases.add(new Case("ZoneTenant", "no status yet (before any operator)", "Progressing",
        k8s.resources(ZoneTenant.class).withName(n.name("ready")).get()));
    cases.add(new Case("EdgeAllocation", "no status yet", "Progressing",
        k8s.resources(EdgeAllocation.class).withName(n.name("grant")).get()));
    cases.add(new Case("BusinessZone", "no status yet", "Progressing", k8s.resources(BusinessZone.class).withName(n.name("zone")).get()));
    cases.add(new Case("DataLink", "no status yet", "Progressing", k8s.resources(DataLink.class).withName(n.name("link")).get()));
    cases.add(new Case("EdgePool", "no status yet", "Progressing", k8s.resources(EdgePool.class).withName(n.name("pool")).get()));

    try (RunningOperator operator = RunningOperator.on(plane)) {
      k8s.resource(tenant(n.name("waiting"), n.name("zone"), quantities("pods", "20"))).create();
      k8s.resource(tenant(n.name("mistake"), n.name("zone"), quantities("requests.cpu", "1"))).create();
      var paused = tenant(n.name("paused"), n.name("zone"), quantities("pods", "1"));
      paused.getSpec().setSuspended(true);
      k8s.resource(paused).create();
      awaitCondition(k8s, ZoneTenant.class, n.name("ready"), "Ready", true);
      awaitCondition(k8s, ZoneTenant.class, n.name("paused"), "Suspended", true);
      awaitCondition(k8s, ZoneTenant.class, n.name("mistake"), "Stalled", true);
      awaitCondition(k8s, ZoneTenant.class, n.name("waiting"), "Reconciling", true);
      awaitCondition(k8s, EdgeAllocation.class, n.name("grant"), "Ready", true);
      awaitCondition(k8s, DataLink.class, n.name("link"), "Ready", true);
      awaitCondition(k8s, EdgePool.class, n.name("pool"), "Ready", true);
      awaitCondition(k8s, BusinessZone.class, n.name("zone"), "Ready", true);
      awaitCondition(k8s, BusinessZone.class, n.name("empty"), "Ready", true);
      cases.add(new Case("BusinessZone", "Ready", "Healthy", k8s.resources(BusinessZone.class).withName(n.name("zone")).get()));
      cases.add(new Case("ZoneTenant", "Ready", "Healthy", k8s.resources(ZoneTenant.class).withName(n.name("ready")).get()));
      cases.add(new Case("ZoneTenant", "waiting for capacity", "Progressing",
          k8s.resources(ZoneTenant.class).withName(n.name("waiting")).get()));
      cases.add(new Case("ZoneTenant", "a person's mistake", "Degraded", k8s.resources(ZoneTenant.class).withName(n.name("mistake")).get()));
      cases.add(new Case("ZoneTenant", "suspended", "Suspended", k8s.resources(ZoneTenant.class).withName(n.name("paused")).get()));
      cases.add(new Case("DataLink", "Ready", "Healthy", k8s.resources(DataLink.class).withName(n.name("link")).get()));
      cases.add(new Case("EdgePool", "Ready", "Healthy", k8s.resources(EdgePool.class).withName(n.name("pool")).get()));
      cases.add(new Case("EdgeAllocation", "granted", "Healthy", k8s.resources(EdgeAllocation.class).withName(n.name("grant")).get()));
      cases.add(new Case("TenantStatus", "of a Ready tenant", "Healthy",
          k8s.resources(TenantStatus.class).inNamespace(n.name("ready")).withName(n.name("ready")).get()));
      cases.add(new Case("TenantStatus", "of a suspended tenant", "Suspended",
          k8s.resources(TenantStatus.class).inNamespace(n.name("paused")).withName(n.name("paused")).get()));

      k8s.resource(Fixtures.allocation(n.name("later"), n.name("waiting"), n.name("pool"), quantities("cpu", "1"))).create();
      awaitCondition(k8s, EdgeAllocation.class, n.name("later"), "Reconciling", true);
      cases.add(new Case("EdgeAllocation", "waiting for its tenant", "Progressing",
          k8s.resources(EdgeAllocation.class).withName(n.name("later")).get()));
      k8s.resource(Fixtures.allocation(n.name("huge"), n.name("ready"), n.name("pool"), quantities("cpu", "400"))).create();
      awaitCondition(k8s, EdgeAllocation.class, n.name("huge"), "Ready", false);
      cases.add(new Case("EdgeAllocation", "larger than the pool", "Progressing",
          k8s.resources(EdgeAllocation.class).withName(n.name("huge")).get()));
      var outside = tenant(n.name("outside"), n.name("empty"), quantities("pods", "1"));
      outside.getSpec().setAdmins(List.of(new Subject(Subject.Kind.ServiceAccount, "deployer", "kube-system")));
      k8s.resource(outside).create();
      await("TenantStatus of a tenant naming a subject outside it Stalled").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(k8s.resources(TenantStatus.class).inNamespace(n.name("outside")).withName(n.name("outside")).get())
              .isNotNull().extracting(t -> t.getStatus().condition("Stalled").map(Condition::getStatus).orElse("missing"))
              .isEqualTo("True"));
      cases.add(new Case("TenantStatus", "of a tenant naming a ServiceAccount outside it", "Degraded",
          k8s.resources(TenantStatus.class).inNamespace(n.name("outside")).withName(n.name("outside")).get()));
      k8s.resources(BusinessZone.class).withName(n.name("zone")).delete();
      awaitCondition(k8s, BusinessZone.class, n.name("zone"), "Reconciling", true);
      cases.add(new Case("BusinessZone", "deleted while tenants remain", "Progressing",
          k8s.resources(BusinessZone.class).withName(n.name("zone")).get()));
    }
    // The schema refuses every value that would stall a zone, link or pool (invalid capacity or trial end),
    // so their Degraded state is written here through the status subresource, with the operator stopped.
    cases.add(new Case("BusinessZone", "Stalled (status written by the test)", "Degraded",
        stalled(k8s, k8s.resources(BusinessZone.class).withName(n.name("empty")).get())));
    cases.add(new Case("DataLink", "Stalled (status written by the test)", "Degraded",
        stalled(k8s, k8s.resources(DataLink.class).withName(n.name("link")).get())));
    cases.add(new Case("EdgePool", "Stalled (status written by the test)", "Degraded",
        stalled(k8s, k8s.resources(EdgePool.class).withName(n.name("pool")).get())));

    StringBuilder table = new StringBuilder("# Argo CD health per kind and state\n\n| kind | state | expected | health | message |\n"
        + "| --- | --- | --- | --- | --- |\n");
    List<String> wrong = new ArrayList<>();
    for (Case c : cases) {
      LuaValue hs = run(script, k8s.getKubernetesSerialization().convertValue(c.object(), JsonNode.class));
      String health = hs.get("status").tojstring();
      table.append("| ").append(c.kind()).append(" | ").append(c.state()).append(" | ").append(c.expected()).append(" | ")
          .append(health).append(" | ").append(hs.get("message").tojstring().replace("|", "\\|")).append(" |\n");
      if (!c.expected().equals(health)) {
        wrong.add(c.kind() + " " + c.state() + ": " + health);
      }
    }
    Files.writeString(plane.repositoryRoot().resolve("operator/target/argocd-health-table.md"), table.toString());
    System.out.println(table);
    assertThat(wrong).isEmpty();
  }

  /** The object back from the API server after its Ready condition became False and Stalled True. */
  private static <T extends CustomResource<?, ? extends ConditionedStatus>> T stalled(KubernetesClient k8s, T object) {
    for (Condition c : object.getStatus().getConditions()) {
      if (c.getType().equals("Ready")) {
        c.setStatus("False");
        c.setReason("InvalidCapacity");
        c.setMessage("written by the test");
      }
      if (c.getType().equals("Stalled")) {
        c.setStatus("True");
        c.setReason("InvalidCapacity");
        c.setMessage("written by the test");
      }
    }
    object.getMetadata().setManagedFields(null);
    return k8s.resource(object).updateStatus();
  }

  /** Runs the script as Argo CD does: the object as the global table {@code obj}, the result a table. */
  private static LuaValue run(String script, JsonNode object) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(object));
    return globals.load(script, "health.lua").call();
  }

  private static LuaValue lua(JsonNode node) {
    if (node == null || node.isNull()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var field = it.next();
        table.set(field.getKey(), lua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    return LuaValue.valueOf(node.asText());
  }
}
