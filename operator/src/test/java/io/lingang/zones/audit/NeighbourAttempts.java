package io.lingang.zones.audit;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.TestPods;
import java.util.List;
import java.util.Map;

/**
 * What a tenant admin could learn of, or take from, its neighbours through the scheduler and the
 * node's storage: inter-pod affinity that looks into other namespaces (it tells whether, and where,
 * another tenant runs pods, and puts a pod beside them), and volumes that the node mounts for the
 * pod from any address (NFS, iSCSI, a cloud disk named by its ID, an inline CSI volume), which
 * bypass every NetworkPolicy and reach other tenants' data. Pod Security's {@code baseline} allows
 * all of those volumes; {@code restricted} allows inline CSI. And the node's image cache, which
 * would start a neighbour's private image for a pod that lacks the neighbour's pull credentials.
 * And the autoscaler, which would read a neighbour's numbers for an External metric.
 */
final class NeighbourAttempts {
  static final String AFFINITY = "may look only at the tenant's own namespaces";
  static final String VOLUME = "is not allowed in a tenant namespace";
  static final String PSS = "violates PodSecurity";
  static final String CLAIM = "may not pick an existing PersistentVolume";
  static final String PULL = "imagePullPolicy must be Always in a tenant namespace";
  static final String METRICS = "External metrics are not allowed in a tenant namespace";

  private NeighbourAttempts() {}

  /**
   * @param alpha an admin of the world's Shared tenant (restricted, two namespaces)
   * @param epsilon an admin of the world's baseline tenant
   */
  static void tryAll(Attempts a, KubernetesClient alpha, KubernetesClient epsilon, AuditWorld w) {
    String app = w.alpha.namespace();
    String baseline = w.epsilon.namespace();
    String c = "Neighbours (scheduler)";
    LabelSelector anyPod = new LabelSelector();
    a.refused(c, "pod affinity to another tenant's namespace (runs there only if that tenant runs pods)", AFFINITY,
        () -> alpha.pods().inNamespace(app).resource(withAffinity(pod("spy"), term(anyPod).withNamespaces(w.beta.namespace())
            .build())).create());
    a.refused(c, "pod affinity by namespaceSelector on another tenant's label", AFFINITY, () -> alpha.pods().inNamespace(app)
        .resource(withAffinity(pod("spy-label"), term(anyPod).withNamespaceSelector(new LabelSelectorBuilder()
            .withMatchLabels(Map.of("zones.lingang.io/tenant", w.beta.name())).build()).build())).create());
    a.refused(c, "pod affinity to every namespace (namespaceSelector {}) and a label of someone's app", AFFINITY,
        () -> alpha.pods().inNamespace(app).resource(withAffinity(pod("spy-all"), term(new LabelSelectorBuilder()
            .withMatchLabels(Map.of("app", "payments")).build()).withNamespaceSelector(new LabelSelector()).build())).create());
    a.refused(c, "preferred pod affinity beside another tenant's pods", AFFINITY, () -> alpha.pods().inNamespace(app)
        .resource(withPreferredAffinity(pod("beside"), term(anyPod).withNamespaces(w.gamma.namespace()).build())).create());
    a.refused(c, "pod anti-affinity against every namespace", AFFINITY, () -> alpha.pods().inNamespace(app)
        .resource(withAntiAffinity(pod("alone"), term(anyPod).withNamespaceSelector(new LabelSelector()).build())).create());
    a.refused(c, "a Deployment whose pods look into another tenant's namespace", AFFINITY, () -> alpha.apps().deployments()
        .inNamespace(app).resource(TestPods.deployment("spy", withAffinity(pod("x"), term(anyPod)
            .withNamespaces(w.beta.namespace()).build()).getSpec())).create());
    a.allowed(c, "control: pod affinity within its own namespace", () -> alpha.pods().inNamespace(app)
        .resource(withAffinity(pod("near"), term(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "db")).build())
            .withNamespaces(app).build())).create());
    a.allowed(c, "control: pod anti-affinity across its own tenant's namespaces", () -> alpha.pods().inNamespace(app)
        .resource(withAntiAffinity(pod("spread"), term(anyPod).withNamespaceSelector(new LabelSelectorBuilder()
            .withMatchLabels(Map.of("zones.lingang.io/tenant", w.alpha.name())).build()).build())).create());

    c = "Neighbours (storage)";
    // What refuses each in a restricted zone: Pod Security for all but inline CSI, which it allows.
    record NodeMounted(String what, Volume volume, String restrictedRefusal) {}
    List<NodeMounted> nodeMounted = List.of(
        new NodeMounted("NFS export of any address (mounted by the node: no NetworkPolicy applies)",
            new VolumeBuilder().withName("v").withNewNfs().withServer("10.0.0.10").withPath("/").endNfs().build(), PSS),
        new NodeMounted("iSCSI target of any address", new VolumeBuilder().withName("v").withNewIscsi()
            .withTargetPortal("10.0.0.11:3260").withIqn("iqn.2026-01.io.example:disk").withLun(0).endIscsi().build(), PSS),
        new NodeMounted("a cloud disk named by its ID (another tenant's)", new VolumeBuilder().withName("v")
            .withNewGcePersistentDisk().withPdName("other-tenants-disk").endGcePersistentDisk().build(), PSS),
        new NodeMounted("an inline CSI volume whose driver mounts any share", new VolumeBuilder().withName("v").withNewCsi()
            .withDriver("nfs.csi.k8s.io").withVolumeAttributes(Map.of("server", "10.0.0.10", "share", "/")).endCsi().build(),
            VOLUME));
    for (NodeMounted m : nodeMounted) {
      a.refused(c, "baseline zone: " + m.what(), VOLUME, () -> epsilon.pods().inNamespace(baseline)
          .resource(withVolume(rootPod("vol-" + slug(m.what())), m.volume())).create());
      a.refused(c, "restricted zone: " + m.what(), m.restrictedRefusal(), () -> alpha.pods().inNamespace(app)
          .resource(withVolume(pod("vol-" + slug(m.what())).build(), m.volume())).create());
    }
    a.refused(c, "a generic ephemeral volume whose claim names a PersistentVolume", CLAIM, () -> alpha.pods().inNamespace(app)
        .resource(withVolume(pod("eph").build(), new VolumeBuilder().withName("v").withNewEphemeral().withNewVolumeClaimTemplate()
            .withSpec(claim().withVolumeName("pv-of-someone-else").build()).endVolumeClaimTemplate().endEphemeral().build()))
        .create());
    a.refused(c, "a claim that selects existing PersistentVolumes by label", CLAIM, () -> alpha.persistentVolumeClaims()
        .inNamespace(app).resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("grab").endMetadata()
            .withSpec(claim().withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("owner", "other")).build()).build())
            .build()).create());
    a.allowed(c, "control, baseline zone: emptyDir, configMap, secret, projected and claim volumes", () -> epsilon.pods()
        .inNamespace(baseline).resource(new PodBuilder(rootPod("volumes")).editSpec().withVolumes(
            new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
            new VolumeBuilder().withName("settings").withNewConfigMap().withName("settings").endConfigMap().build(),
            new VolumeBuilder().withName("creds").withNewSecret().withSecretName("creds").endSecret().build(),
            new VolumeBuilder().withName("info").withNewProjected().addNewSource().withNewDownwardAPI().addNewItem()
                .withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem().endDownwardAPI()
                .endSource().endProjected().build(),
            new VolumeBuilder().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim()
                .build()).endSpec().build()).create());
    a.allowed(c, "control: a claim and a generic ephemeral volume provisioned by a StorageClass", () -> {
      alpha.persistentVolumeClaims().inNamespace(app).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
          .withName("data").endMetadata().withSpec(claim().build()).build()).create();
      alpha.pods().inNamespace(app).resource(withVolume(pod("eph-ok").build(), new VolumeBuilder().withName("v").withNewEphemeral()
          .withNewVolumeClaimTemplate().withSpec(claim().build()).endVolumeClaimTemplate().endEphemeral().build())).create();
    });

    // A node keeps every image a pod pulled there; a pod that may start from that cache runs a
    // neighbour's private image without the neighbour's pull credentials.
    c = "Neighbours (image cache)";
    a.refused(c, "imagePullPolicy IfNotPresent (starts from the node's cache)", PULL + ": the nodes' image cache is shared",
        () -> alpha.pods().inNamespace(app).resource(withPullPolicy(pod("cached"), "IfNotPresent")).create());
    a.refused(c, "imagePullPolicy Never", PULL, () -> alpha.pods().inNamespace(app)
        .resource(withPullPolicy(pod("never"), "Never")).create());
    a.refused(c, "no imagePullPolicy on a tagged image (defaults to IfNotPresent)", "set it on container main", () -> alpha
        .pods().inNamespace(app).resource(withPullPolicy(pod("default"), null)).create());
    a.refused(c, "an init container that starts from the cache", "set it on container init", () -> alpha.pods()
        .inNamespace(app).resource(pod("init").editSpec().addNewInitContainerLike(pod("x").build().getSpec().getContainers()
            .get(0)).withName("init").withImagePullPolicy("IfNotPresent").endInitContainer().endSpec().build()).create());
    a.refused(c, "a Deployment whose pods start from the cache", PULL, () -> alpha.apps().deployments().inNamespace(app)
        .resource(TestPods.deployment("cached", withPullPolicy(pod("x"), "IfNotPresent").getSpec())).create());
    a.allowed(c, "control: an untagged image without imagePullPolicy (defaults to Always)", () -> alpha.pods()
        .inNamespace(app).resource(pod("latest").editSpec().editFirstContainer().withImage("registry.invalid/app")
            .withImagePullPolicy(null).endContainer().endSpec().build()).create());
    // The one way into a running pod that the pull-policy rule does not judge (a subresource).
    a.refused(c, "an ephemeral container, added to a running pod, that starts from the cache", "forbidden", () -> alpha.pods()
        .inNamespace(app).withName("latest").ephemeralContainers().edit(p -> new PodBuilder(p).editSpec()
            .addNewEphemeralContainer().withName("debug").withImage(TestPods.IMAGE).withImagePullPolicy("IfNotPresent")
            .endEphemeralContainer().endSpec().build()));

    // The autoscaler reads an External metric from a cluster-wide adapter, by name and label
    // selector, and writes its value into the HPA's status, where the HPA's author reads it.
    c = "Neighbours (metrics)";
    a.refused(c, "an autoscaler on an External metric (another company's queue depth, read back from its status)", METRICS,
        () -> alpha.autoscaling().v2().horizontalPodAutoscalers().inNamespace(app).resource(autoscaler("peek")
            .editSpec().addNewMetric().withType("External").withNewExternal().withNewMetric().withName("queue_messages_ready")
            .withNewSelector().addToMatchLabels("queue", w.beta.name() + "-orders").endSelector().endMetric()
            .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("30")).endTarget().endExternal().endMetric()
            .endSpec().build()).create());
    a.allowed(c, "control: an autoscaler on its own pods' CPU", () -> alpha.autoscaling().v2().horizontalPodAutoscalers()
        .inNamespace(app).resource(autoscaler("cpu").editSpec().addNewMetric().withType("Resource").withNewResource()
            .withName("cpu").withNewTarget().withType("Utilization").withAverageUtilization(70).endTarget().endResource()
            .endMetric().endSpec().build()).create());
  }

  private static HorizontalPodAutoscalerBuilder autoscaler(String name) {
    return new HorizontalPodAutoscalerBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("web").endScaleTargetRef()
        .withMaxReplicas(3).endSpec();
  }

  private static io.fabric8.kubernetes.api.model.Pod withPullPolicy(PodBuilder pod, String policy) {
    return pod.editSpec().editFirstContainer().withImagePullPolicy(policy).endContainer().endSpec().build();
  }

  private static PodAffinityTermBuilder term(LabelSelector pods) {
    return new PodAffinityTermBuilder().withLabelSelector(pods).withTopologyKey("kubernetes.io/hostname");
  }

  private static io.fabric8.kubernetes.api.model.Pod withAffinity(PodBuilder pod, PodAffinityTerm term) {
    return pod.editSpec().withNewAffinity().withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(term)
        .endPodAffinity().endAffinity().endSpec().build();
  }

  private static io.fabric8.kubernetes.api.model.Pod withPreferredAffinity(PodBuilder pod, PodAffinityTerm term) {
    return pod.editSpec().withNewAffinity().withNewPodAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(100).withPodAffinityTerm(term).endPreferredDuringSchedulingIgnoredDuringExecution().endPodAffinity()
        .endAffinity().endSpec().build();
  }

  private static io.fabric8.kubernetes.api.model.Pod withAntiAffinity(PodBuilder pod, PodAffinityTerm term) {
    return pod.editSpec().withNewAffinity().withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(term)
        .endPodAntiAffinity().endAffinity().endSpec().build();
  }

  private static io.fabric8.kubernetes.api.model.Pod withVolume(io.fabric8.kubernetes.api.model.Pod pod, Volume volume) {
    return new PodBuilder(pod).editSpec().withVolumes(volume).editFirstContainer().addNewVolumeMount().withName(volume.getName())
        .withMountPath("/mnt/v").endVolumeMount().endContainer().endSpec().build();
  }

  private static PersistentVolumeClaimSpecBuilder claim() {
    return new PersistentVolumeClaimSpecBuilder().withAccessModes("ReadWriteOnce").withNewResources()
        .withRequests(Map.of("storage", new Quantity("1Gi"))).endResources();
  }

  private static PodBuilder pod(String name) {
    return PlacementAttempts.pod(name);
  }

  /** A pod as baseline allows it (root, no seccomp profile): only the volume may refuse it. */
  private static io.fabric8.kubernetes.api.model.Pod rootPod(String name) {
    Map<String, Quantity> cpu = Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi"));
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewContainer().withName("main")
        .withImage(io.lingang.zones.testing.TestPods.IMAGE).withImagePullPolicy("Always").withNewResources().withRequests(cpu).withLimits(cpu).endResources()
        .endContainer().endSpec().build();
  }

  private static String slug(String s) {
    String slug = s.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return slug.length() > 40 ? slug.substring(0, 40).replaceAll("-$", "") : slug;
  }
}
