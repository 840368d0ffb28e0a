package io.lingang.zones.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local control plane is real: the controllers and admission plugins the operator relies on
 * are at work. If one of these fails, every operator test above it means less.
 */
@ControlPlaneTest
class ControlPlaneIT {

  @Test
  void deletedNamespaceIsGoneWithinAMinute(KubernetesClient k8s, TestNames names) {
    String ns = createNamespace(k8s, names.name("doomed"), Map.of());
    k8s.configMaps().inNamespace(ns).resource(configMap("content", Map.of())).create();

    k8s.namespaces().withName(ns).delete();

    await().atMost(Duration.ofMinutes(1)).until(() -> k8s.namespaces().withName(ns).get() == null);
  }

  @Test
  void garbageCollectorDeletesDependentsOfADeletedOwner(KubernetesClient k8s, TestNames names) {
    String ns = createNamespace(k8s, names.name("gc"), Map.of());
    ConfigMap owner = k8s.configMaps().inNamespace(ns).resource(configMap("owner", Map.of())).create();
    ConfigMap dependent = configMap("dependent", Map.of());
    dependent.getMetadata().setOwnerReferences(java.util.List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("ConfigMap").withName("owner").withUid(owner.getMetadata().getUid()).build()));
    k8s.configMaps().inNamespace(ns).resource(dependent).create();

    k8s.configMaps().inNamespace(ns).withName("owner").delete();

    await().atMost(Duration.ofSeconds(60))
        .until(() -> k8s.configMaps().inNamespace(ns).withName("dependent").get() == null);
  }

  @Test
  void quotaIsCountedAndEnforcedByTheApiServer(KubernetesClient k8s, TestNames names) {
    String ns = createNamespace(k8s, names.name("quota"), Map.of());
    k8s.resourceQuotas().inNamespace(ns).resource(new ResourceQuotaBuilder()
        .withNewMetadata().withName("q").endMetadata()
        .withNewSpec().withHard(Map.of("pods", new Quantity("1"), "requests.cpu", new Quantity("1"))).endSpec()
        .build()).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var q = k8s.resourceQuotas().inNamespace(ns).withName("q").get();
      return q.getStatus() != null && q.getStatus().getUsed() != null && q.getStatus().getUsed().containsKey("pods");
    });
    awaitDefaultServiceAccount(k8s, ns);

    k8s.pods().inNamespace(ns).resource(pod("first", "500m")).create();

    assertThatThrownBy(() -> k8s.pods().inNamespace(ns).resource(pod("second", "100m")).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("exceeded quota");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        k8s.resourceQuotas().inNamespace(ns).withName("q").get().getStatus().getUsed().get("pods"))
        .isEqualTo(new Quantity("1")));
  }

  @Test
  void podNodeSelectorPinsPodsOfAnAnnotatedNamespace(KubernetesClient k8s, TestNames names) {
    String ns = createNamespace(k8s, names.name("pinned"),
        Map.of("scheduler.alpha.kubernetes.io/node-selector", "pool=edge-a"));
    awaitDefaultServiceAccount(k8s, ns);

    Pod created = k8s.pods().inNamespace(ns).resource(pod("worker", "10m")).create();

    assertThat(created.getSpec().getNodeSelector()).containsEntry("pool", "edge-a");
  }

  @Test
  void rbacForbidsAUserWithoutBindings(LocalControlPlane plane, KubernetesClient k8s, TestNames names) {
    String ns = createNamespace(k8s, names.name("private"), Map.of());
    try (KubernetesClient stranger = plane.impersonating("mallory")) {
      assertThatThrownBy(() -> stranger.configMaps().inNamespace(ns).list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  static String createNamespace(KubernetesClient k8s, String name, Map<String, String> annotations) {
    k8s.namespaces().resource(new NamespaceBuilder()
        .withNewMetadata().withName(name).withAnnotations(annotations).endMetadata().build()).create();
    return name;
  }

  static void awaitDefaultServiceAccount(KubernetesClient k8s, String ns) {
    // The ServiceAccount admission plugin refuses pods until the controller made 'default'.
    await().atMost(Duration.ofSeconds(30))
        .until(() -> k8s.serviceAccounts().inNamespace(ns).withName("default").get() != null);
  }

  static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
  }

  static Pod pod(String name, String cpu) {
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("main").withImage("registry.invalid/app:1").withImagePullPolicy("Always")
        .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu))).endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
