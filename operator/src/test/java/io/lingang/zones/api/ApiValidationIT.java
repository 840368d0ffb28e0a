package io.lingang.zones.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.TestNames;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is refused by the real API server, with the message a platform engineer sees from
 * kubectl. The first test proves the schema accepts good input, so the others cannot pass by
 * refusing everything.
 */
@ControlPlaneTest
class ApiValidationIT {

  @Test
  void acceptsCompleteValidObjectsOfEveryKind(KubernetesClient k8s, TestNames n) {
    for (HasMetadata o : load(k8s, """
        apiVersion: zones.lingang.io/v1alpha1
        kind: BusinessZone
        metadata: {name: %1$s}
        spec:
          mode: Dedicated
          capacity: {requests.cpu: "4", pods: 10}
          dedicatedNodes: {nodeSelector: {pool: a}, tolerations: [{key: k, operator: Exists, effect: NoSchedule}]}
          trial: {endsAt: "2027-06-30T00:00:00Z"}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: ZoneTenant
        metadata: {name: %2$s}
        spec:
          zone: %1$s
          company: {name: ACME}
          admins: [{kind: ServiceAccount, name: ci, namespace: tools}, {kind: User, name: alice}]
          namespaces: [{name: dev}, {name: prod, quota: {pods: 5}}]
          deletionPolicy: Delete
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: DataLink
        metadata: {name: %3$s}
        spec: {region: HK, cidrs: ["203.0.113.0/24", "2001:db8::/32"], ports: [{port: 443}, {protocol: UDP, port: 8000, endPort: 8100}]}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: EdgePool
        metadata: {name: %4$s}
        spec: {nodeSelector: {pool: edge}, capacity: {cpu: 8, nvidia.com/gpu: 2}}
        ---
        apiVersion: zones.lingang.io/v1alpha1
        kind: EdgeAllocation
        metadata: {name: %5$s}
        spec:
          tenant: %2$s
          pool: %4$s
          resources: {cpu: 2, memory: 4Gi}
          window: {startsAt: "2027-01-01T00:00:00Z", endsAt: "2027-02-01T00:00:00+08:00"}
        """.formatted(n.name("zone"), n.name("acme"), n.name("hk"), n.name("pool"), n.name("alloc")))) {
      assertThat(k8s.resource(o).create().getMetadata().getUid()).isNotBlank();
    }
  }

  @Test
  void rejectsADataLinkWithAnInvalidCidr(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, link(n, "cidrs: [\"10.0.0.0/33\"]"), "every entry must be a valid CIDR");
  }

  @Test
  void rejectsAPortRangeThatEndsBeforeItStarts(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, link(n, "cidrs: [\"10.0.0.0/8\"], ports: [{port: 9000, endPort: 80}]"), "endPort must not be below port");
  }

  @Test
  void rejectsAPortOutsideOneTo65535(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, link(n, "cidrs: [\"10.0.0.0/8\"], ports: [{port: 70000}]"), "should be less than or equal to 65535");
  }

  @Test
  void rejectsAnUnknownZoneMode(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, zone(n, "mode: Private, capacity: {pods: 1}"), "Unsupported value: \"Private\"");
  }

  @Test
  void rejectsAZoneWithoutCapacity(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, zone(n, "mode: Shared"), "spec.capacity: Required value");
  }

  @Test
  void rejectsDedicatedNodesOnASharedZone(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, zone(n, "mode: Shared, capacity: {pods: 1}, dedicatedNodes: {nodeSelector: {a: b}}"),
        "dedicatedNodes is only allowed when mode is Dedicated");
  }

  @Test
  void rejectsATrialEndThatIsNotRfc3339(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, zone(n, "mode: Shared, capacity: {pods: 1}, trial: {endsAt: \"next June\"}"), "must be an RFC 3339 time");
  }

  @Test
  void rejectsChangingAZonesModeAfterCreation(KubernetesClient k8s, TestNames n) {
    HasMetadata zone = load(k8s, zone(n, "mode: Shared, capacity: {pods: 1}")).get(0);
    k8s.resource(zone).create();
    assertRejected(k8s, zone(n, "mode: Dedicated, capacity: {pods: 1}"), "mode is immutable", true);
  }

  @Test
  void rejectsChangingATenantsZoneAfterCreation(KubernetesClient k8s, TestNames n) {
    k8s.resource(load(k8s, tenant(n, "zone: a, company: {name: X}")).get(0)).create();
    assertRejected(k8s, tenant(n, "zone: b, company: {name: X}"), "zone is immutable", true);
  }

  @Test
  void rejectsATenantWithoutCompanyName(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, tenant(n, "zone: a, company: {contact: x}"), "spec.company.name: Required value");
  }

  @Test
  void rejectsATenantNameTooLongForNamespaceNames(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, """
        apiVersion: zones.lingang.io/v1alpha1
        kind: ZoneTenant
        metadata: {name: %s-with-a-name-far-too-long}
        spec: {zone: a, company: {name: X}}
        """.formatted(n.name("company")), "a tenant name becomes a namespace name: at most 30");
  }

  @Test
  void rejectsDuplicateNamespaceNames(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, tenant(n, "zone: a, company: {name: X}, namespaces: [{name: dev}, {name: dev}]"), "namespace names must be unique");
  }

  @Test
  void rejectsANamespaceSuffixReservedForEdge(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, tenant(n, "zone: a, company: {name: X}, namespaces: [{name: edge-gpu}]"), "kept for edge allocations");
  }

  @Test
  void rejectsAServiceAccountSubjectWithoutNamespace(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, tenant(n, "zone: a, company: {name: X}, admins: [{kind: ServiceAccount, name: ci}]"),
        "namespace is required for a ServiceAccount");
  }

  @Test
  void rejectsAnUnknownDeletionPolicy(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, tenant(n, "zone: a, company: {name: X}, deletionPolicy: Purge"), "Unsupported value: \"Purge\"");
  }

  @Test
  void rejectsAnEdgeAllocationOfAnUnknownResource(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, allocation(n, "resources: {cpu: 1, bananas: 3}"), "resource names must be one of cpu, memory");
  }

  @Test
  void rejectsAWindowThatEndsBeforeItStarts(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, allocation(n, "resources: {cpu: 1}, window: {startsAt: \"2027-02-01T00:00:00Z\", endsAt: \"2027-01-01T00:00:00Z\"}"),
        "endsAt must be after startsAt");
  }

  @Test
  void rejectsChangingAnAllocationsPool(KubernetesClient k8s, TestNames n) {
    k8s.resource(load(k8s, allocation(n, "resources: {cpu: 1}")).get(0)).create();
    assertRejected(k8s, allocation(n, "resources: {cpu: 1}").replace("pool: p", "pool: other"), "pool is immutable", true);
  }

  @Test
  void rejectsAnEdgePoolNameTooLongForNamespaceNames(KubernetesClient k8s, TestNames n) {
    assertRejected(k8s, """
        apiVersion: zones.lingang.io/v1alpha1
        kind: EdgePool
        metadata: {name: %s-pool-name-that-is-too-long}
        spec: {nodeSelector: {a: b}}
        """.formatted(n.name("edge")), "a pool name becomes part of namespace names");
  }

  private static String link(TestNames n, String spec) {
    return "apiVersion: zones.lingang.io/v1alpha1\nkind: DataLink\nmetadata: {name: " + n.name("link") + "}\nspec: {" + spec + "}\n";
  }

  private static String zone(TestNames n, String spec) {
    return "apiVersion: zones.lingang.io/v1alpha1\nkind: BusinessZone\nmetadata: {name: " + n.name("zone") + "}\nspec: {" + spec + "}\n";
  }

  private static String tenant(TestNames n, String spec) {
    return "apiVersion: zones.lingang.io/v1alpha1\nkind: ZoneTenant\nmetadata: {name: " + n.name("t") + "}\nspec: {" + spec + "}\n";
  }

  private static String allocation(TestNames n, String spec) {
    return "apiVersion: zones.lingang.io/v1alpha1\nkind: EdgeAllocation\nmetadata: {name: " + n.name("a")
        + "}\nspec: {tenant: t, pool: p, " + spec + "}\n";
  }

  /**
   * The objects as plain maps, sent as written: the API server, not our Java types, must be the
   * one that refuses a bad value.
   */
  private static List<HasMetadata> load(KubernetesClient k8s, String yaml) {
    return java.util.Arrays.stream(yaml.split("(?m)^---$")).filter(doc -> !doc.isBlank())
        .map(doc -> (HasMetadata) k8s.getKubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class))
        .toList();
  }

  private static void assertRejected(KubernetesClient k8s, String yaml, String message) {
    assertRejected(k8s, yaml, message, false);
  }

  /** Creates (or, for an update, server-side applies over the existing object) and expects a 422 naming the rule. */
  private static void assertRejected(KubernetesClient k8s, String yaml, String message, boolean update) {
    HasMetadata object = load(k8s, yaml).get(0);
    assertThatThrownBy(() -> {
      if (update) {
        k8s.resource(object).forceConflicts().serverSideApply();
      } else {
        k8s.resource(object).create();
      }
    }).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).isEqualTo(422);
      assertThat(e.getMessage()).contains(message);
    });
  }

  /** Every value that once passed the API server and then stopped the operator or a tenant's pods. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void refusesWhatTheOperatorOrTheNodesCouldNotUse(String what, String kind, String spec, String message, KubernetesClient k8s,
      TestNames n) {
    assertRejected(k8s, "apiVersion: zones.lingang.io/v1alpha1\nkind: " + kind + "\nmetadata: {name: " + n.name("bad")
        + "}\nspec: {" + spec + "}\n", message);
  }

  static Stream<Arguments> badValues() {
    String quantity = "should match";
    List<Arguments> cases = new java.util.ArrayList<>();
    for (String value : List.of("\"\"", "5e3x", "1e1a", "2m5x", "lots", "\"-1\"", "1e999999999", "1e5000000")) {
      cases.add(Arguments.of("zone capacity " + value, "BusinessZone", "mode: Shared, capacity: {pods: " + value + "}", quantity));
      cases.add(Arguments.of("tenant quota " + value, "ZoneTenant", "zone: z, company: {name: X}, quota: {pods: " + value + "}", quantity));
      cases.add(Arguments.of("namespace quota " + value, "ZoneTenant",
          "zone: z, company: {name: X}, namespaces: [{name: a, quota: {pods: " + value + "}}]", quantity));
      cases.add(Arguments.of("default quota " + value, "BusinessZone",
          "mode: Shared, capacity: {pods: 1}, tenantDefaults: {quota: {pods: " + value + "}}", quantity));
      cases.add(Arguments.of("limit range max " + value, "BusinessZone",
          "mode: Shared, capacity: {pods: 1}, tenantDefaults: {limitRange: {max: {cpu: " + value + "}}}", quantity));
      cases.add(Arguments.of("pool capacity " + value, "EdgePool", "nodeSelector: {a: b}, capacity: {cpu: " + value + "}", quantity));
      cases.add(Arguments.of("allocation resources " + value, "EdgeAllocation", "tenant: t, pool: p, resources: {cpu: " + value + "}",
          quantity));
    }
    cases.add(Arguments.of("negative integer quantity", "BusinessZone", "mode: Shared, capacity: {pods: -1}", "greater than or equal to 0"));
    cases.add(Arguments.of("impossible allocation date", "EdgeAllocation",
        "tenant: t, pool: p, resources: {cpu: 1}, window: {endsAt: \"2027-13-01T00:00:00Z\"}", "must be an RFC 3339 time"));
    cases.add(Arguments.of("impossible trial end", "BusinessZone",
        "mode: Shared, capacity: {pods: 1}, trial: {endsAt: \"2027-02-30T00:00:00Z\"}", "must be an RFC 3339 time"));
    cases.add(Arguments.of("a list where a time belongs", "EdgeAllocation",
        "tenant: t, pool: p, resources: {cpu: 1}, window: {startsAt: [a, 1]}", "must be of type string"));
    cases.add(Arguments.of("a zone reference that is no name", "ZoneTenant",
        "zone: \"2030-01-01T00:00:00Z\", company: {name: X}", "spec.zone in body should match"));
    cases.add(Arguments.of("a ServiceAccount name that is no name", "ZoneTenant",
        "zone: z, company: {name: X}, admins: [{kind: ServiceAccount, name: \"租户\", namespace: ci}]",
        "a ServiceAccount's name is lowercase letters"));
    cases.add(Arguments.of("an ingress selector with an unknown operator", "BusinessZone",
        "mode: Shared, capacity: {pods: 1}, network: {allowIngressFrom: [{matchExpressions: [{key: a, operator: Near}]}]}",
        "operators In, NotIn, Exists or DoesNotExist"));
    cases.add(Arguments.of("nodeSelector key with a comma", "EdgePool", "nodeSelector: {\"a,b\": c}", "nodeSelector keys must be label keys"));
    cases.add(Arguments.of("nodeSelector value with an equals sign", "BusinessZone",
        "mode: Dedicated, capacity: {pods: 1}, dedicatedNodes: {nodeSelector: {a: \"b=c\"}}", "nodeSelector keys must be label keys"));
    cases.add(Arguments.of("toleration with an unknown operator", "EdgePool",
        "nodeSelector: {a: b}, tolerations: [{key: k, operator: Sometimes}]", "each toleration needs a key"));
    cases.add(Arguments.of("toleration of every taint", "BusinessZone",
        "mode: Dedicated, capacity: {pods: 1}, dedicatedNodes: {tolerations: [{operator: Exists}]}", "each toleration needs a key"));
    cases.add(Arguments.of("toleration with a value and Exists", "EdgePool",
        "nodeSelector: {a: b}, tolerations: [{key: k, operator: Exists, value: v}]", "no value with Exists"));
    cases.add(Arguments.of("limit range default above max", "BusinessZone",
        "mode: Shared, capacity: {pods: 1}, tenantDefaults: {limitRange: {max: {cpu: 1}, default: {cpu: 2}}}", "may not exceed max"));
    cases.add(Arguments.of("limit range defaultRequest above default", "BusinessZone",
        "mode: Shared, capacity: {pods: 1}, tenantDefaults: {limitRange: {default: {memory: 1Gi}, defaultRequest: {memory: 2Gi}}}",
        "may not exceed the default limit"));
    cases.add(Arguments.of("capacity key that is no quota resource", "BusinessZone", "mode: Shared, capacity: {bananas: 1}",
        "keys must be ResourceQuota resource names"));
    cases.add(Arguments.of("limit range key that is no container resource", "BusinessZone",
        "mode: Shared, capacity: {pods: 1}, tenantDefaults: {limitRange: {max: {pods: 1}}}", "keys must be container resource names"));
    cases.add(Arguments.of("a privileged zone", "BusinessZone", "mode: Shared, capacity: {pods: 1}, podSecurity: privileged",
        "Unsupported value: \"privileged\""));
    cases.add(Arguments.of("an ExternalName Service type", "BusinessZone",
        "mode: Shared, capacity: {pods: 1}, network: {serviceTypes: [ClusterIP, ExternalName]}", "Unsupported value: \"ExternalName\""));
    cases.add(Arguments.of("a very long string", "ZoneTenant", "zone: z, company: {name: X, contact: " + "x".repeat(600) + "}",
        "Too long"));
    return cases.stream();
  }
}
