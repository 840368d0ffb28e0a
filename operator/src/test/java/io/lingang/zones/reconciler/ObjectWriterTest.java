package io.lingang.zones.reconciler;

import static io.lingang.zones.testing.Fixtures.quantities;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.desired.ManagedLabels;
import io.lingang.zones.desired.PlacementAnnotations;
import io.lingang.zones.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How ObjectWriter claims namespaces and writes objects, against the fabric8 mock server in
 * expectation mode: fast, and exact about which requests are sent. The caches are a map.
 */
@EnableKubernetesMockClient
class ObjectWriterTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private final ZoneTenant tenant = Fixtures.tenant("acme", "pudong", quantities("pods", "1"));
  private final Namespace desired = new NamespaceBuilder().withNewMetadata().withName("acme")
      .withLabels(ManagedLabels.of("pudong", "acme")).endMetadata().build();
  private final FakeCaches caches = new FakeCaches();
  private final DriftLedger drift = new DriftLedger();

  private ObjectWriter writer() {
    return new ObjectWriter(client, "zonetenant", tenant, caches, drift);
  }

  @Test
  void aNamespaceMadeBySomeoneElseIsReportedAndNeverWritten() throws Exception {
    server.expect().post().withPath("/api/v1/namespaces")
        .andReturn(409, new StatusBuilder().withCode(409).withReason("AlreadyExists").build()).once();
    server.expect().get().withPath("/api/v1/namespaces/acme")
        .andReturn(200, new NamespaceBuilder().withNewMetadata().withName("acme")
            .withLabels(Map.of("team", "someone-else", "kubernetes.io/metadata.name", "acme")).endMetadata().build())
        .once();

    assertThat(writer().claimNamespace(desired).ours()).isFalse();
    assertThat(methodsSent()).containsExactly("POST", "GET");
  }

  @Test
  void aCachedNamespaceOfAnotherTenantIsAConflictWithoutAnyRequest() {
    caches.put(new NamespaceBuilder().withNewMetadata().withName("acme").withLabels(ManagedLabels.of("pudong", "ac")).endMetadata().build());

    assertThat(writer().claimNamespace(desired).ours()).isFalse();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aNamespaceRetainedFromAnEarlierTenantOfTheSameNameIsNotTaken() throws Exception {
    server.expect().post().withPath("/api/v1/namespaces")
        .andReturn(409, new StatusBuilder().withCode(409).withReason("AlreadyExists").build()).once();
    server.expect().get().withPath("/api/v1/namespaces/acme").andReturn(200, new NamespaceBuilder().withNewMetadata().withName("acme")
        .withLabels(Map.of("zones.lingang.io/zone", "pudong", "zones.lingang.io/retained-from", "acme")).endMetadata().build()).once();

    assertThat(writer().claimNamespace(desired).ours()).isFalse();
    assertThat(methodsSent()).containsExactly("POST", "GET");
  }

  @Test
  void aCachedNamespaceThatAlreadyMatchesCausesNoRequest() {
    caches.put(new NamespaceBuilder(desired).editMetadata().withUid("u-1").withResourceVersion("12")
        .addToLabels("kubernetes.io/metadata.name", "acme").endMetadata().build());

    ObjectWriter.Claim claim = writer().claimNamespace(desired);

    assertThat(claim.ours()).isTrue();
    assertThat(claim.wrote()).isFalse();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aNewNamespaceIsCreatedWholeInOneRequestAndIsNoRepair() throws Exception {
    Namespace enforced = new NamespaceBuilder(desired).editMetadata()
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build();
    server.expect().post().withPath("/api/v1/namespaces").andReturn(201, enforced).once();

    ObjectWriter.Claim claim = writer().claimNamespace(enforced);

    assertThat(claim.wrote()).isTrue();
    assertThat(claim.repaired()).as("never seen deleted: a first creation, not a repair").isFalse();
    assertThat(server.getRequestCount()).as("one write: a plain create, which fails rather than merges when the name is taken").isEqualTo(1);
    assertThat(server.takeRequest().getUtf8Body()).as("the namespace never exists without its Pod Security level")
        .contains("\"zones.lingang.io/tenant\":\"acme\"").contains("managed-by")
        .contains("\"pod-security.kubernetes.io/enforce\":\"restricted\"");
    assertThat(caches.written).as("fed back to the cache").hasSize(1);
  }

  @Test
  void aPlacementAnnotationTheNamespaceNoLongerGetsIsRemovedByName() throws Exception {
    // Created whole by a plain create, a later apply cannot take its annotations away: removed by path.
    caches.put(new NamespaceBuilder(desired).editMetadata().withResourceVersion("5")
        .addToAnnotations(PlacementAnnotations.NODE_SELECTOR, "lingang.io/pool=edge")
        .addToAnnotations("someone.else/note", "kept").endMetadata().build());
    server.expect().patch().withPath("/api/v1/namespaces/acme?fieldManager=zonetenant&force=true").andReturn(200, desired).once();
    server.expect().patch().withPath("/api/v1/namespaces/acme").andReturn(200, desired).once();

    assertThat(writer().claimNamespace(desired).wrote()).isTrue();

    assertThat(server.takeRequest().getHeader("Content-Type")).contains("apply-patch");
    RecordedRequest remove = server.takeRequest();
    assertThat(remove.getHeader("Content-Type")).contains("json-patch");
    assertThat(remove.getUtf8Body()).isEqualTo("[{\"op\":\"remove\",\"path\":\"/metadata/annotations/scheduler.alpha.kubernetes.io~1node-selector\"}]");
  }

  @Test
  void reCreatingWhatSomeoneElseDeletedIsARepairButRecreatingWhatWeDeletedIsNot() {
    ResourceQuota quota = quota(Map.of("pods", "1"));
    server.expect().post().withPath("/api/v1/namespaces/acme/resourcequotas").andReturn(201, quota).always();
    drift.deleted(quota);
    assertThat(writer().apply(quota).repaired()).isTrue();

    drift.deletingOurselves(quota);
    drift.deleted(quota);
    assertThat(writer().apply(quota).repaired()).isFalse();
  }

  @Test
  void aNewObjectIsCreatedPlainlyAndOneThatExistsUnseenIsApplied() throws Exception {
    ResourceQuota quota = quota(Map.of("pods", "1"));
    server.expect().post().withPath("/api/v1/namespaces/acme/resourcequotas").andReturn(201, quota).once();
    assertThat(writer().apply(quota).wrote()).isTrue();
    assertThat(methodsSent()).as("a create costs the API server less than an apply").containsExactly("POST");

    // Not in the cache, yet there (the cache lags, or someone made it): the create fails, the apply takes it.
    server.expect().post().withPath("/api/v1/namespaces/acme/resourcequotas")
        .andReturn(409, new StatusBuilder().withCode(409).withReason("AlreadyExists").build()).once();
    server.expect().patch().withPath("/api/v1/namespaces/acme/resourcequotas/lingang-quota?fieldManager=zonetenant&force=true")
        .andReturn(200, quota).once();
    assertThat(writer().apply(quota).wrote()).isTrue();
    assertThat(List.of(server.takeRequest().getMethod(), server.takeRequest().getMethod())).containsExactly("POST", "PATCH");
  }

  @Test
  void aKeySomeoneElseAddedToTheQuotaIsRemovedByAJsonPatchOfThatPathAndIsOneRepair() throws Exception {
    ResourceQuota wanted = quota(Map.of("pods", "1"));
    ResourceQuota cached = new ResourceQuotaBuilder(quota(Map.of("pods", "1", "limits.memory", "1Ti"))).editMetadata()
        .withResourceVersion("7").withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl-edit").withOperation("Update")
            .build()).endMetadata().build();
    caches.put(cached);
    server.expect().patch().withPath("/api/v1/namespaces/acme/resourcequotas/lingang-quota?fieldManager=zonetenant&force=true")
        .andReturn(200, cached).once();
    server.expect().patch().withPath("/api/v1/namespaces/acme/resourcequotas/lingang-quota").andReturn(200, wanted).once();

    ObjectWriter.Written written = writer().apply(wanted);

    assertThat(written.repaired()).isTrue();
    server.takeRequest();
    RecordedRequest remove = server.takeRequest();
    assertThat(remove.getHeader("Content-Type")).contains("json-patch");
    assertThat(remove.getUtf8Body()).isEqualTo("[{\"op\":\"remove\",\"path\":\"/spec/hard/limits.memory\"}]");
  }

  private static ResourceQuota quota(Map<String, String> hard) {
    ResourceQuotaBuilder b = new ResourceQuotaBuilder().withNewMetadata().withName("lingang-quota").withNamespace("acme")
        .withLabels(ManagedLabels.of("pudong", "acme")).endMetadata().withNewSpec().endSpec();
    hard.forEach((k, v) -> b.editSpec().addToHard(k, new io.fabric8.kubernetes.api.model.Quantity(v)).endSpec());
    return b.build();
  }

  private List<String> methodsSent() throws InterruptedException {
    List<String> methods = new ArrayList<>();
    for (int i = 0; i < server.getRequestCount(); i++) {
      methods.add(server.takeRequest().getMethod());
    }
    return methods;
  }

  /** The informers' caches, as a map. */
  private static final class FakeCaches implements ObjectWriter.Caches {
    final Map<String, HasMetadata> objects = new HashMap<>();
    final List<HasMetadata> written = new ArrayList<>();

    void put(HasMetadata o) {
      objects.put(key(o), o);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Optional<T> cached(T like) {
      return Optional.ofNullable((T) objects.get(key(like)));
    }

    @Override
    public void wrote(ZoneTenant tenant, HasMetadata w, HasMetadata before) {
      written.add(w);
    }

    private static String key(HasMetadata o) {
      return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }
  }
}
