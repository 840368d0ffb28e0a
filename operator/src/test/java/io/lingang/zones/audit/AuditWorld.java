package io.lingang.zones.audit;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.LinkPort;
import io.lingang.zones.api.v1alpha1.NodePlacement;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.TenantNamespace;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneNetwork;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tenants the isolation audit attacks from and into, built as a platform engineer would:
 *
 * <ul>
 *   <li>{@code alpha}: Shared zone, two namespaces ({@code -app}, {@code -data}), an edge allocation
 *       ({@code -edge-<pool>}), admins of every subject kind, a viewer, egress to the HK link;
 *   <li>{@code beta}: the same Shared zone, suspended; a Group of viewers;
 *   <li>{@code gamma}: a Dedicated zone with reserved, tainted nodes, that allows LoadBalancer Services;
 *   <li>{@code epsilon}: a baseline zone that also allows NodePort Services;
 *   <li>{@code delta}: offboarded with Retain, leaving a retained namespace;
 *   <li>{@code refused}: a tenant the zone could not fit.
 * </ul>
 */
final class AuditWorld {
  /** The HK link's port: tenants of the Shared zone that use the link may send to it on TCP 443 only. */
  static final int HK_PORT = 443;
  /** The links' CIDRs when the world is made; a suite on real nodes points them at pods of its own. */
  static final String HK_CIDR = "203.0.113.0/24";
  static final String SG_CIDR = "198.51.100.0/24";

  final TestNames names;
  final String shared;
  final String dedicated;
  final String baselineZone;
  final String pool;
  final String hk;
  final String sg;
  final String gatewayNamespace;
  final Tenant alpha;
  final Tenant beta;
  final Tenant gamma;
  final Tenant epsilon;
  final Tenant delta;
  final Tenant refused;
  final String alphaAllocation;
  /** The label values that mark the Dedicated zone's nodes ({@code lingang.io/dedicated}) and the pool's ({@code lingang.io/pool}). */
  final String dedicatedNodes;
  final String poolNodes;

  /** One tenant as the audit sees it: its subjects and its namespaces. */
  record Tenant(String name, List<String> namespaces, List<Subject> admins, List<Subject> viewers, String zone) {
    String admin() {
      return admins.get(0).getName();
    }

    String namespace() {
      return namespaces.get(0);
    }
  }

  private AuditWorld(TestNames names, String dedicatedNodes, String poolNodes) {
    this.names = names;
    shared = names.name("shared");
    dedicated = names.name("dedic");
    baselineZone = names.name("base");
    pool = names.name("gpu");
    // Integers, so that the node affinity operators Gt and Lt could select them too.
    this.dedicatedNodes = dedicatedNodes == null ? integerLabel(dedicated) : dedicatedNodes;
    this.poolNodes = poolNodes == null ? integerLabel(pool) : poolNodes;
    hk = names.name("hk");
    sg = names.name("sg");
    gatewayNamespace = names.name("gateway");
    String a = names.name("alpha");
    alpha = new Tenant(a, List.of(a + "-app", a + "-data", a + "-edge-" + pool),
        List.of(user(names.name("alpha-admin")), new Subject(Subject.Kind.Group, names.name("alpha-ops"), null),
            new Subject(Subject.Kind.ServiceAccount, "deployer", a + "-app")),
        List.of(user(names.name("alpha-viewer"))), shared);
    String b = names.name("beta");
    beta = new Tenant(b, List.of(b), List.of(user(names.name("beta-admin"))),
        List.of(new Subject(Subject.Kind.Group, names.name("beta-auditors"), null)), shared);
    String g = names.name("gamma");
    gamma = new Tenant(g, List.of(g), List.of(user(names.name("gamma-admin")), new Subject(Subject.Kind.ServiceAccount, "deployer", g)),
        List.of(), dedicated);
    String e = names.name("epsilon");
    epsilon = new Tenant(e, List.of(e), List.of(user(names.name("epsilon-admin"))), List.of(), baselineZone);
    String d = names.name("delta");
    delta = new Tenant(d, List.of(d), List.of(user(names.name("delta-admin"))), List.of(), shared);
    String r = names.name("refused");
    refused = new Tenant(r, List.of(), List.of(user(names.name("refused-admin"))), List.of(), shared);
    alphaAllocation = names.name("alpha-gpu");
  }

  private static String integerLabel(String unique) {
    return String.valueOf(1_000_000 + Math.floorMod(unique.hashCode(), 1_000_000_000));
  }

  private static Subject user(String name) {
    return new Subject(Subject.Kind.User, name, null);
  }

  List<Tenant> tenants() {
    return List.of(alpha, beta, gamma, epsilon, delta, refused);
  }

  /** The reserved nodes of the Dedicated zone: this label, and a taint of the same key. */
  Map<String, String> dedicatedSelector() {
    return Map.of("lingang.io/dedicated", dedicatedNodes);
  }

  Toleration dedicatedToleration() {
    return new TolerationBuilder().withKey("lingang.io/dedicated").withOperator("Equal").withValue(dedicatedNodes)
        .withEffect("NoSchedule").build();
  }

  Map<String, String> poolSelector() {
    return Map.of("lingang.io/pool", poolNodes);
  }

  Toleration poolToleration() {
    return new TolerationBuilder().withKey("lingang.io/pool").withOperator("Equal").withValue(poolNodes)
        .withEffect("NoSchedule").build();
  }

  /** Creates everything and waits until each tenant has reached the state the audit needs. */
  static AuditWorld build(KubernetesClient k8s, TestNames names) {
    return build(k8s, names, null, null, null);
  }

  /**
   * The world on nodes that really carry its reserved labels ({@code lingang.io/dedicated=<dedicatedNodes>},
   * {@code lingang.io/pool=<poolNodes>}, with taints of the same keys). {@code whileOpen} runs once every
   * tenant is Ready, before beta is suspended and delta offboarded, so that pods started then run in
   * their namespaces too: suspension and retention refuse only new pods.
   */
  static AuditWorld build(KubernetesClient k8s, TestNames names, String dedicatedNodes, String poolNodes,
      Consumer<AuditWorld> whileOpen) {
    AuditWorld w = new AuditWorld(names, dedicatedNodes, poolNodes);
    var hkLink = Fixtures.link(w.hk, HK_CIDR);
    hkLink.getSpec().setPorts(List.of(new LinkPort(LinkPort.Protocol.TCP, HK_PORT, null)));
    k8s.resource(hkLink).create();
    k8s.resource(Fixtures.link(w.sg, SG_CIDR)).create();
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(w.gatewayNamespace)
        .withLabels(Map.of("lingang.io/gateway", w.shared)).endMetadata().build()).create();

    BusinessZone shared = sharedZone(w.shared, quantities("requests.cpu", "16", "pods", "100"), w.hk);
    shared.getSpec().getNetwork().setAllowIngressFrom(List.of(new LabelSelectorBuilder()
        .withMatchLabels(Map.of("lingang.io/gateway", w.shared)).build()));
    k8s.resource(shared).create();
    BusinessZone dedicated = sharedZone(w.dedicated, quantities("requests.cpu", "8", "pods", "50"));
    dedicated.getSpec().setMode(BusinessZoneSpec.Mode.Dedicated);
    NodePlacement nodes = new NodePlacement();
    nodes.setNodeSelector(w.dedicatedSelector());
    nodes.setTolerations(List.of(w.dedicatedToleration()));
    dedicated.getSpec().setDedicatedNodes(nodes);
    dedicated.getSpec().getNetwork().setServiceTypes(List.of(ZoneNetwork.ServiceType.ClusterIP, ZoneNetwork.ServiceType.LoadBalancer));
    k8s.resource(dedicated).create();
    BusinessZone baseline = sharedZone(w.baselineZone, quantities("requests.cpu", "8", "pods", "50"));
    baseline.getSpec().setPodSecurity(BusinessZoneSpec.PodSecurity.baseline);
    baseline.getSpec().getNetwork().setServiceTypes(List.of(ZoneNetwork.ServiceType.ClusterIP, ZoneNetwork.ServiceType.NodePort));
    k8s.resource(baseline).create();
    k8s.resource(Fixtures.edgePool(w.pool, w.poolSelector(), quantities("cpu", "8", "memory", "16Gi", "nvidia.com/gpu", "2", "pods", "20"),
        w.poolToleration())).create();

    ZoneTenant alpha = tenantOf(w.alpha, quantities("requests.cpu", "2", "pods", "20"));
    alpha.getSpec().setNamespaces(List.of(new TenantNamespace("app", null), new TenantNamespace("data", null)));
    alpha.getSpec().setEgress(List.of(w.hk));
    k8s.resource(alpha).create();
    k8s.resource(Fixtures.allocation(w.alphaAllocation, w.alpha.name(), w.pool,
        quantities("cpu", "2", "memory", "4Gi", "nvidia.com/gpu", "1", "pods", "5"))).create();
    ZoneTenant beta = tenantOf(w.beta, quantities("requests.cpu", "2", "pods", "10"));
    // With whileOpen, beta's pods start first and beta is suspended after them, below.
    beta.getSpec().setSuspended(whileOpen == null);
    k8s.resource(beta).create();
    k8s.resource(tenantOf(w.gamma, quantities("requests.cpu", "2", "pods", "10"))).create();
    k8s.resource(tenantOf(w.epsilon, quantities("requests.cpu", "2", "pods", "10"))).create();
    k8s.resource(tenantOf(w.delta, quantities("requests.cpu", "1", "pods", "5"))).create();
    k8s.resource(tenantOf(w.refused, quantities("requests.cpu", "100", "pods", "10"))).create();

    for (Tenant t : List.of(w.alpha, w.beta, w.gamma, w.epsilon, w.delta)) {
      awaitCondition(k8s, ZoneTenant.class, t.name(), "Ready", true);
    }
    awaitCondition(k8s, EdgeAllocation.class, w.alphaAllocation, "Ready", true);
    awaitCondition(k8s, ZoneTenant.class, w.refused.name(), "Admitted", false);
    await("every namespace provisioned").atMost(Duration.ofSeconds(30)).until(() -> List.of(w.alpha, w.beta, w.gamma, w.epsilon)
        .stream().flatMap(t -> t.namespaces().stream().map(ns -> Map.entry(t.name(), ns)))
        .allMatch(e -> k8s.resources(TenantStatus.class).inNamespace(e.getValue()).withName(e.getKey()).get() != null
            && k8s.serviceAccounts().inNamespace(e.getValue()).withName("default").get() != null));

    if (whileOpen != null) {
      whileOpen.accept(w);
      k8s.resources(ZoneTenant.class).withName(w.beta.name()).edit(t -> {
        t.getSpec().setSuspended(true);
        return t;
      });
      awaitCondition(k8s, ZoneTenant.class, w.beta.name(), "Suspended", true);
    }
    k8s.resources(ZoneTenant.class).withName(w.delta.name()).delete();
    await("delta retained").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        k8s.namespaces().withName(w.delta.namespace()).get().getMetadata().getLabels())
        .containsEntry("zones.lingang.io/retained-from", w.delta.name()));
    return w;
  }

  private static ZoneTenant tenantOf(Tenant t, Map<String, io.fabric8.kubernetes.api.model.Quantity> quota) {
    ZoneTenant zt = tenant(t.name(), t.zone(), quota);
    zt.getSpec().setAdmins(t.admins());
    zt.getSpec().setViewers(t.viewers().isEmpty() ? null : t.viewers());
    return zt;
  }
}
