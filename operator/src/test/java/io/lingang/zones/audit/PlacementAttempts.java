package io.lingang.zones.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.TestPods;
import java.util.List;
import java.util.Map;

/**
 * Every way a tenant admin could place a pod on reserved nodes (a Dedicated zone's, an edge
 * pool's) from a namespace that is not pinned there: nodeSelector, required and preferred node
 * affinity, nodeName, tolerations, a workload's template. The same attempts run with the alpha
 * admission plugins on (the shared suite) and off ({@link PlacementWithoutPluginsIT}).
 */
final class PlacementAttempts {
  static final String RESERVED = "are reserved for its own namespaces";
  static final String BY_NAME = "node affinity by matchFields (a node's name) is not allowed";

  private PlacementAttempts() {}

  /**
   * @param alpha an admin of the world's Shared tenant (with an edge namespace)
   * @param gamma an admin of the world's Dedicated tenant
   * @param controllerManager the controller manager's own identity, which creates DaemonSets' pods
   * @param pluginsOn whether PodNodeSelector and PodTolerationRestriction fill in a pinned pod's placement
   */
  static void tryAll(Attempts a, KubernetesClient alpha, KubernetesClient gamma, KubernetesClient controllerManager, AuditWorld w,
      boolean pluginsOn) {
    String app = w.alpha.namespace();
    String edge = w.alpha.namespaces().get(2);
    String c = "Reserved nodes";
    // Which zone or pool holds the nodes is not the asking tenant's to learn, nor the taint's value it did not write.
    List<String> dedicated = List.of(w.dedicated);
    List<String> others = List.of(w.dedicated, w.pool);
    a.refused(c, "Shared tenant: nodeSelector of the Dedicated zone's nodes", RESERVED, dedicated, () -> alpha.pods().inNamespace(app)
        .resource(pod("sel").editSpec().withNodeSelector(w.dedicatedSelector()).endSpec().build()).create());
    a.refused(c, "Shared tenant: toleration of the Dedicated zone's taint", RESERVED, dedicated, () -> alpha.pods().inNamespace(app)
        .resource(pod("tol").editSpec().withTolerations(w.dedicatedToleration()).endSpec().build()).create());
    a.refused(c, "Shared tenant: toleration Exists on the Dedicated zone's taint key", RESERVED,
        List.of(w.dedicated, w.dedicatedNodes), () -> alpha.pods().inNamespace(app)
        .resource(pod("tolx").editSpec().withTolerations(new TolerationBuilder().withKey("lingang.io/dedicated")
            .withOperator("Exists").build()).endSpec().build()).create());
    a.refused(c, "Shared tenant: required node affinity to the Dedicated zone", RESERVED, dedicated, () -> alpha.pods().inNamespace(app)
        .resource(withAffinity(pod("aff"), "lingang.io/dedicated", "In", w.dedicatedNodes, true).build()).create());
    a.refused(c, "Shared tenant: preferred node affinity to the Dedicated zone", RESERVED, dedicated, () -> alpha.pods().inNamespace(app)
        .resource(withAffinity(pod("pref"), "lingang.io/dedicated", "In", w.dedicatedNodes, false).build()).create());
    a.refused(c, "Shared tenant: node affinity Exists on the reserved label", RESERVED, List.of(w.dedicated, w.dedicatedNodes), () -> alpha.pods().inNamespace(app)
        .resource(pod("exists").editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm().withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("lingang.io/dedicated")
                .withOperator("Exists").build()).endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity().endAffinity().endSpec().build()).create());
    a.refused(c, "Shared tenant: node affinity Gt just below the Dedicated zone's label", RESERVED,
        List.of(w.dedicated, w.dedicatedNodes), () -> alpha.pods()
        .inNamespace(app).resource(withAffinity(pod("gt"), "lingang.io/dedicated", "Gt", offset(w.dedicatedNodes, -1), true).build())
        .create());
    a.refused(c, "Shared tenant: node affinity Lt just above the edge pool's label", RESERVED, List.of(w.pool, w.poolNodes), () -> alpha.pods()
        .inNamespace(app).resource(withAffinity(pod("lt"), "lingang.io/pool", "Lt", offset(w.poolNodes, 1), true).build()).create());
    a.refused(c, "spec.nodeName set to a reserved node", "spec.nodeName is not allowed", () -> alpha.pods().inNamespace(app)
        .resource(pod("named").editSpec().withNodeName("dedicated-node-1").endSpec().build()).create());
    a.refused(c, "required node affinity to a reserved node by its name (matchFields)", BY_NAME, () -> alpha.pods().inNamespace(app)
        .resource(byName(pod("by-name"), "dedicated-node-1", true).build()).create());
    a.refused(c, "preferred node affinity to a reserved node by its name", BY_NAME, () -> alpha.pods().inNamespace(app)
        .resource(byName(pod("by-name-pref"), "dedicated-node-1", false).build()).create());
    a.refused(c, "a DaemonSet whose pods pick a reserved node by its name", BY_NAME, () -> alpha.apps().daemonSets().inNamespace(app)
        .resource(TestPods.daemonSet("by-name", byName(pod("x"), "dedicated-node-1", true).build().getSpec())).create());
    a.allowed(c, "control: the DaemonSet controller pins a tenant DaemonSet's pod to its node by name", () -> controllerManager
        .pods().inNamespace(app).resource(byName(pod("daemon-abcde"), "shared-node-1", true).build()).create());
    a.refused(c, "Shared tenant: nodeSelector of the edge pool's GPU nodes", RESERVED, others, () -> alpha.pods().inNamespace(app)
        .resource(pod("gpu").editSpec().withNodeSelector(w.poolSelector()).endSpec().build()).create());
    a.refused(c, "Shared tenant: toleration of the edge pool's taint", RESERVED, others, () -> alpha.pods().inNamespace(app)
        .resource(pod("gputol").editSpec().withTolerations(w.poolToleration()).endSpec().build()).create());
    a.refused(c, "a toleration of every taint (no key, Exists)", "tolerates every taint", () -> alpha.pods().inNamespace(app)
        .resource(pod("wild").editSpec().withTolerations(new TolerationBuilder().withOperator("Exists").build()).endSpec()
            .build()).create());
    a.refused(c, "a Deployment whose pods target the Dedicated zone", RESERVED, dedicated, () -> alpha.apps().deployments().inNamespace(app)
        .resource(TestPods.deployment("sneak", pod("x").editSpec().withNodeSelector(w.dedicatedSelector()).endSpec().build()
            .getSpec())).create());
    a.refused(c, "system-node-critical priority (preempts other tenants)", "system priority classes", () -> alpha.pods()
        .inNamespace(app).resource(pod("vip").editSpec().withPriorityClassName("system-node-critical").endSpec().build()).create());
    a.refused(c, "edge namespace: its pool's nodeSelector plus the Dedicated zone's", RESERVED, dedicated, () -> alpha.pods().inNamespace(edge)
        .resource(pod("edgesel").editSpec().withNodeSelector(both(w.poolSelector(), w.dedicatedSelector())).endSpec().build()).create());
    a.refused(c, "Dedicated tenant: its own nodeSelector plus the edge pool's", RESERVED, List.of(w.pool), () -> gamma.pods().inNamespace(w.gamma.namespace())
        .resource(pod("dedsel").editSpec().withNodeSelector(both(w.dedicatedSelector(), w.poolSelector())).endSpec().build()).create());
    if (pluginsOn) {
      a.allowed(c, "control: an edge-namespace pod lands on its pool (selector filled in)", () -> {
        Pod p = alpha.pods().inNamespace(edge).resource(pod("worker").build()).create();
        assertThat(p.getSpec().getNodeSelector()).containsAllEntriesOf(w.poolSelector());
      });
      a.allowed(c, "control: a Dedicated tenant's pod lands on its zone's nodes", () -> {
        Pod p = gamma.pods().inNamespace(w.gamma.namespace()).resource(pod("worker").build()).create();
        assertThat(p.getSpec().getNodeSelector()).containsAllEntriesOf(w.dedicatedSelector());
      });
      return;
    }
    String add = "only: add spec.nodeSelector ";
    a.refused(c, "edge namespace, no plugin: a pod without its pool's nodeSelector", add + "lingang.io/pool=" + w.poolNodes,
        () -> alpha.pods().inNamespace(edge).resource(pod("unpinned").build()).create());
    a.refused(c, "Dedicated zone, no plugin: a pod without the zone's nodeSelector", add + "lingang.io/dedicated=" + w.dedicatedNodes,
        () -> gamma.pods().inNamespace(w.gamma.namespace()).resource(pod("unpinned").build()).create());
    a.refused(c, "Dedicated zone, no plugin: a pod with another nodeSelector is told the selector and tolerations to add",
        "spec.tolerations", () -> gamma.pods().inNamespace(w.gamma.namespace()).resource(pod("from-template")
            .editSpec().withNodeSelector(Map.of("kubernetes.io/os", "linux")).endSpec().build()).create());
    a.allowed(c, "control, no plugin: an edge pod that carries its pool's nodeSelector and toleration", () -> alpha.pods()
        .inNamespace(edge).resource(pod("pinned").editSpec().withNodeSelector(w.poolSelector())
            .withTolerations(w.poolToleration()).endSpec().build()).create());
    a.allowed(c, "control, no plugin: a Dedicated pod that carries its zone's nodeSelector and toleration", () -> gamma.pods()
        .inNamespace(w.gamma.namespace()).resource(pod("pinned").editSpec().withNodeSelector(w.dedicatedSelector())
            .withTolerations(w.dedicatedToleration()).endSpec().build()).create());
  }

  private static String offset(String integerLabel, int by) {
    return String.valueOf(Long.parseLong(integerLabel) + by);
  }

  /** Node affinity with one expression, required or preferred. */
  private static PodBuilder withAffinity(PodBuilder pod, String key, String operator, String value, boolean required) {
    return withTerm(pod, new NodeSelectorTermBuilder().withMatchExpressions(requirement(key, operator, value)).build(), required);
  }

  /** Node affinity to one node by name, the way the DaemonSet controller pins its pods. */
  static PodBuilder byName(PodBuilder pod, String node, boolean required) {
    return withTerm(pod, new NodeSelectorTermBuilder().withMatchFields(requirement("metadata.name", "In", node)).build(), required);
  }

  private static PodBuilder withTerm(PodBuilder pod, NodeSelectorTerm term, boolean required) {
    return required
        ? pod.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .withNodeSelectorTerms(term).endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec()
        : pod.editSpec().withNewAffinity().withNewNodeAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
            .withWeight(100).withPreference(term).endPreferredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
            .endAffinity().endSpec();
  }

  private static NodeSelectorRequirement requirement(String key, String operator, String value) {
    return new NodeSelectorRequirementBuilder().withKey(key).withOperator(operator).withValues(value).build();
  }

  private static Map<String, String> both(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new java.util.TreeMap<>(a);
    all.putAll(b);
    return all;
  }

  static PodBuilder pod(String name) {
    return TestPods.restrictedBuilder(name, Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi")));
  }
}
