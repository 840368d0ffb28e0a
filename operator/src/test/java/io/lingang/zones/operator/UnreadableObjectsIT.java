package io.lingang.zones.operator;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OwnControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Objects the schema refuses today may still be stored: written before an upgrade, or through
 * CRDs without today's checks. Here they are, under CRDs stripped of every value check: the
 * operator must start, keep running, report each bad object on that object alone, and serve
 * everyone else. (Before, one such quantity stopped the informer and the operator for good, and a
 * bad date left every allocation of its pool without a status.)
 */
@OwnControlPlane("control-plane-unreadable")
class UnreadableObjectsIT {
  private static LocalControlPlane plane;
  private static boolean prepared;
  private static KubernetesClient k8s;

  @BeforeEach
  void controlPlane(LocalControlPlane own) {
    plane = own;
    k8s = own.admin();
    if (!prepared) {
      prepared = true;
      for (CustomResourceDefinition crd : k8s.apiextensions().v1().customResourceDefinitions().list().getItems()) {
        if (crd.getSpec().getGroup().equals("zones.lingang.io")) {
          k8s.resource(relaxed(crd)).forceConflicts().serverSideApply();
        }
      }
    }
  }

  @Test
  void badObjectsAreReportedOneByOneAndNeverStopTheOperatorOrTheirPeers() {
    TestNames n = TestNames.random();
    create("""
        apiVersion: zones.lingang.io/v1alpha1
        kind: BusinessZone
        metadata: {name: %1$s}
        spec: {mode: Shared, capacity: {pods: "5e3x"}}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: ZoneTenant
        metadata: {name: %2$s}
        spec: {zone: %1$s, company: {name: X}, quota: {pods: ""}}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: BusinessZone
        metadata: {name: %3$s}
        spec: {mode: Shared, capacity: {pods: 20}, trial: {endsAt: "next June"},
               tenantDefaults: {limitRange: {max: {cpu: "1"}, default: {cpu: "2"}}}}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: ZoneTenant
        metadata: {name: %4$s}
        spec: {zone: %3$s, company: {name: Y}, quota: {pods: 5}}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: BusinessZone
        metadata: {name: %5$s}
        spec: {mode: Shared, capacity: {pods: 20}}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: ZoneTenant
        metadata: {name: %6$s}
        spec: {zone: %5$s, company: {name: Z}, quota: {pods: 5}}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: EdgePool
        metadata: {name: %7$s}
        spec: {nodeSelector: {pool: x}, capacity: {cpu: 8}}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: EdgeAllocation
        metadata: {name: %8$s}
        spec: {tenant: %6$s, pool: %7$s, resources: {cpu: 1}, window: {endsAt: "2027-13-01T00:00:00Z"}}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: EdgeAllocation
        metadata: {name: %9$s}
        spec: {tenant: %6$s, pool: %7$s, resources: {cpu: 1}}
        """.formatted(n.name("badcap"), n.name("badquota"), n.name("baddate"), n.name("limits"), n.name("good"),
        n.name("fine"), n.name("pool"), n.name("baddate"), n.name("gooddate")));

    try (RunningOperator operator = RunningOperator.on(plane)) {
      await("the operator started").atMost(Duration.ofSeconds(30)).until(() -> operator.operator().isReady());
      awaitCondition(k8s, ZoneTenant.class, n.name("fine"), "Ready", true);
      awaitCondition(k8s, EdgeAllocation.class, n.name("gooddate"), "Ready", true);

      assertReason(BusinessZone.class, n.name("badcap"), "Ready", "InvalidCapacity", true);
      assertReason(ZoneTenant.class, n.name("badquota"), "Admitted", "ZoneCapacityInvalid", true);
      assertReason(BusinessZone.class, n.name("baddate"), "Ready", "InvalidTrialEnd", true);
      assertReason(EdgeAllocation.class, n.name("baddate"), "Admitted", "InvalidWindow", true);
      // The LimitRange the API server refuses: the tenant says so in the API server's own words, and retries.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        var ready = k8s.resources(ZoneTenant.class).withName(n.name("limits")).get().getStatus().condition("Ready").orElseThrow();
        assertThat(ready.getReason()).isEqualTo("ProvisioningFailed");
        assertThat(ready.getMessage()).contains("LimitRange").doesNotContain("https://");
      });
      assertThat(operator.fatalErrors()).as("nothing made the operator give up").isEmpty();
      assertThat(operator.operator().isLive()).isTrue();
    }
  }

  private static <T extends io.fabric8.kubernetes.client.CustomResource<?, ? extends io.lingang.zones.api.v1alpha1.ConditionedStatus>>
      void assertReason(Class<T> kind, String name, String type, String reason, boolean stalled) {
    await(kind.getSimpleName() + " " + name + " " + type + " " + reason).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var status = k8s.resources(kind).withName(name).get().getStatus();
      assertThat(status.condition(type)).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo(reason));
      assertThat(status.isTrue("Stalled")).isEqualTo(stalled);
    });
  }

  private static void create(String yaml) {
    for (String doc : yaml.split("(?m)^---$")) {
      k8s.resource(k8s.getKubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class)).create();
    }
  }

  /** The CRD without any check of values: what an older version of it accepted. */
  private static CustomResourceDefinition relaxed(CustomResourceDefinition crd) {
    var json = k8s.getKubernetesSerialization();
    JsonNode tree = json.convertValue(crd, JsonNode.class);
    ((ObjectNode) tree.get("metadata")).remove(List.of("resourceVersion", "managedFields", "uid", "creationTimestamp", "generation"));
    ((ObjectNode) tree).remove("status");
    for (JsonNode version : tree.at("/spec/versions")) {
      strip(version.at("/schema/openAPIV3Schema/properties/spec"));
    }
    return json.convertValue(tree, CustomResourceDefinition.class);
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode o) {
      o.remove(List.of("pattern", "format", "minimum", "maxLength", "x-kubernetes-validations"));
      for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
        strip(it.next());
      }
    } else if (node != null && node.isArray()) {
      node.forEach(UnreadableObjectsIT::strip);
    }
  }
}
