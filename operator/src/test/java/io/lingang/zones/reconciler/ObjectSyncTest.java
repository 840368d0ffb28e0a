package io.lingang.zones.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.lingang.zones.desired.ManagedLabels;
import java.util.Map;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * How ObjectSync claims a tenant namespace, against the fabric8 mock server in expectation mode:
 * fast, and exact about which requests are sent.
 */
@EnableKubernetesMockClient
class ObjectSyncTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private final Namespace desired = new NamespaceBuilder().withNewMetadata().withName("acme")
      .withLabels(ManagedLabels.of("pudong", "acme")).endMetadata().build();

  @Test
  void aNamespaceMadeBySomeoneElseIsReportedAndNeverWritten() throws Exception {
    server.expect().post().withPath("/api/v1/namespaces")
        .andReturn(409, new StatusBuilder().withCode(409).withReason("AlreadyExists").build()).once();
    server.expect().get().withPath("/api/v1/namespaces/acme")
        .andReturn(200, new NamespaceBuilder().withNewMetadata().withName("acme")
            .withLabels(Map.of("team", "someone-else", "kubernetes.io/metadata.name", "acme", "owner", "x")).endMetadata().build())
        .once();

    ObjectSync.ClaimResult result = new ObjectSync(client, "zonetenant", "ZoneTenant acme").claimNamespace(desired, null, "acme");

    assertThat(result.claim()).isEqualTo(ObjectSync.Claim.CONFLICT);
    assertThat(methodsSent()).containsExactly("POST", "GET");
  }

  @Test
  void aCachedNamespaceOfAnotherTenantIsAConflictWithoutAnyRequest() {
    Namespace other = new NamespaceBuilder().withNewMetadata().withName("acme")
        .withLabels(ManagedLabels.of("pudong", "ac")).endMetadata().build();

    ObjectSync.ClaimResult result = new ObjectSync(client, "zonetenant", "ZoneTenant acme").claimNamespace(desired, other, "acme");

    assertThat(result.claim()).isEqualTo(ObjectSync.Claim.CONFLICT);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aCachedNamespaceThatAlreadyMatchesCausesNoRequest() {
    Namespace cached = new NamespaceBuilder(desired).editMetadata().withUid("u-1").withResourceVersion("12")
        .addToLabels("kubernetes.io/metadata.name", "acme").endMetadata().build();

    ObjectSync.ClaimResult result = new ObjectSync(client, "zonetenant", "ZoneTenant acme").claimNamespace(desired, cached, "acme");

    assertThat(result.claim()).isEqualTo(ObjectSync.Claim.OURS);
    assertThat(result.outcome()).isEqualTo(ObjectSync.Outcome.UNCHANGED);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aNewNamespaceIsCreatedWithOnlyItsNameAndTenantThenApplied() throws Exception {
    server.expect().post().withPath("/api/v1/namespaces").andReturn(201, desired).once();
    server.expect().patch().withPath("/api/v1/namespaces/acme?fieldManager=zonetenant&force=true").andReturn(200, desired).once();

    ObjectSync.ClaimResult result = new ObjectSync(client, "zonetenant", "ZoneTenant acme").claimNamespace(desired, null, "acme");

    assertThat(result.outcome()).isEqualTo(ObjectSync.Outcome.CREATED);
    RecordedRequest create = server.takeRequest();
    assertThat(create.getUtf8Body()).contains("\"zones.lingang.io/tenant\":\"acme\"").doesNotContain("managed-by");
    RecordedRequest apply = server.takeRequest();
    assertThat(apply.getHeader("Content-Type")).contains("apply-patch");
  }

  private java.util.List<String> methodsSent() throws InterruptedException {
    java.util.List<String> methods = new java.util.ArrayList<>();
    for (int i = 0; i < server.getRequestCount(); i++) {
      methods.add(server.takeRequest().getMethod());
    }
    return methods;
  }
}
