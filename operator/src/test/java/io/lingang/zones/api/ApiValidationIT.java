package io.lingang.zones.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.TestNames;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

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

  private static List<HasMetadata> load(KubernetesClient k8s, String yaml) {
    return k8s.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
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
}
