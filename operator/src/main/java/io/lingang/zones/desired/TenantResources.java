package io.lingang.zones.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.lingang.zones.api.v1alpha1.ApiGroup;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.ContainerLimits;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.NodePlacement;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.ZoneNetwork;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.ResourceList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The desired objects of one admitted tenant: pure functions of {@link TenantInputs}. Output is
 * deterministic (sorted maps and lists), so comparing it with what the cluster has is meaningful
 * and an unchanged tenant causes no write.
 */
public final class TenantResources {
  public static final String QUOTA = "lingang-quota";
  public static final String LIMITS = "lingang-limits";
  public static final String DENY_ALL = "lingang-default-deny";
  public static final String ALLOW_SAME_TENANT = "lingang-allow-same-tenant";
  public static final String ALLOW_DNS = "lingang-allow-dns";
  public static final String ALLOW_ZONE_INGRESS = "lingang-allow-zone-ingress";
  public static final String ALLOW_DATA_LINKS = "lingang-allow-data-links";
  /** Every policy that opens something; a retained namespace keeps none of them. */
  public static final List<String> ALLOW_POLICIES = List.of(ALLOW_SAME_TENANT, ALLOW_DNS, ALLOW_ZONE_INGRESS, ALLOW_DATA_LINKS);

  private TenantResources() {}

  /** The namespaces the tenant should have: its own, then its edge namespaces. */
  public static List<Namespace> namespaces(TenantInputs in) {
    List<Namespace> namespaces = new ArrayList<>();
    NodePlacement placement = in.zone().getSpec().getMode() == BusinessZoneSpec.Mode.Dedicated
        ? in.zone().getSpec().getDedicatedNodes()
        : null;
    in.namespaceQuotas().keySet().forEach(ns -> namespaces.add(namespace(ns, in, placement, null)));
    in.edgeNamespaces().forEach((ns, edge) -> namespaces.add(namespace(ns, in, edge.placement(), edge.pool())));
    return namespaces;
  }

  /**
   * Every object of an admitted tenant. Objects inside namespaces are made only for {@code owned},
   * the namespaces that turned out to be the tenant's (a name taken by someone else is not), and a
   * ServiceAccount subject is bound only when it lives in one of them: an account in any other
   * namespace is someone else's identity.
   */
  public static TenantObjects build(TenantInputs in, Set<String> owned) {
    Map<String, String> labels = ManagedLabels.of(in.zoneName(), in.tenantName());
    List<HasMetadata> namespaced = new ArrayList<>();
    Egress egress = egress(in);
    Subjects subjects = Subjects.of(in.tenant(), owned);
    in.namespaceQuotas().forEach((ns, quota) -> {
      if (owned.contains(ns)) {
        namespaced.addAll(inNamespace(ns, labels, in, quota, in.suspended(), egress.rules, subjects));
      }
    });
    in.edgeNamespaces().forEach((ns, edge) -> {
      if (owned.contains(ns)) {
        namespaced.addAll(inNamespace(ns, labels, in, edge.quota(), in.suspended() || edge.closed(), egress.rules, subjects));
      }
    });
    return new TenantObjects(namespaces(in), namespaced, readAccess(in.tenant(), in.zoneName(), in.allocationNames(), owned),
        egress.applied, egress.missing, egress.notAllowed, subjects.unbound());
  }

  private static List<HasMetadata> inNamespace(String ns, Map<String, String> labels, TenantInputs in, ResourceList quota,
      boolean closed, List<NetworkPolicyEgressRule> linkRules, Subjects subjects) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(resourceQuota(ns, labels, quota, closed));
    LimitRange limits = limitRange(ns, labels, in);
    if (limits != null) {
      objects.add(limits);
    }
    objects.addAll(networkPolicies(ns, labels, in, linkRules));
    objects.addAll(roleBindings(ns, labels, subjects));
    return objects;
  }

  /**
   * A tenant namespace: the operator's labels, the zone's Pod Security level (enforced; warn and
   * audit always at restricted), which Service types the zone allows, and, when its pods are
   * pinned, the placement the admission plugins and the chart's admission policies read.
   *
   * @param edgePool the pool of an edge namespace, else null
   */
  static Namespace namespace(String name, TenantInputs in, NodePlacement placement, String edgePool) {
    Map<String, String> labels = new TreeMap<>(ManagedLabels.of(in.zoneName(), in.tenantName()));
    labels.putAll(PodSecurityLabels.of(in.zone().getSpec().getPodSecurity()));
    if (edgePool != null) {
      labels.put(ApiGroup.LABEL_EDGE_POOL, edgePool);
    }
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(ApiGroup.ANNOTATION_SERVICE_TYPES, ZoneNetwork.serviceTypesOf(in.zone().getSpec().getNetwork()).stream()
        .map(Enum::name).sorted().collect(Collectors.joining(",")));
    if (placement != null) {
      annotations.putAll(PlacementAnnotations.of(placement));
      if (edgePool != null) {
        annotations.put(PlacementAnnotations.TOLERATIONS_WHITELIST, PlacementAnnotations.whitelist(placement));
      }
    }
    return new NamespaceBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).withAnnotations(annotations).build())
        .build();
  }

  static ResourceQuota resourceQuota(String ns, Map<String, String> labels, ResourceList quota, boolean suspended) {
    Map<String, Quantity> hard = new TreeMap<>(quota.toQuantities());
    if (suspended) {
      hard.put("pods", new Quantity("0"));
    }
    return new ResourceQuotaBuilder()
        .withMetadata(meta(QUOTA, ns, labels))
        .withNewSpec().withHard(hard).endSpec()
        .build();
  }

  static LimitRange limitRange(String ns, Map<String, String> labels, TenantInputs in) {
    var defaults = in.zone().getSpec().getTenantDefaults();
    ContainerLimits limits = defaults == null ? null : defaults.getLimitRange();
    if (limits == null) {
      return null;
    }
    // The API server fills defaultRequest from default, and default from max; say so here, so
    // that what we want equals what the server stores.
    Map<String, Quantity> max = sorted(limits.getMax());
    Map<String, Quantity> dflt = merged(max, limits.getDefaultLimit());
    Map<String, Quantity> request = merged(dflt, limits.getDefaultRequest());
    return new LimitRangeBuilder()
        .withMetadata(meta(LIMITS, ns, labels))
        .withNewSpec()
        .withLimits(new LimitRangeItemBuilder()
            .withType("Container")
            .withMax(max)
            .withDefault(dflt)
            .withDefaultRequest(request)
            .build())
        .endSpec()
        .build();
  }

  static List<NetworkPolicy> networkPolicies(String ns, Map<String, String> labels, TenantInputs in,
      List<NetworkPolicyEgressRule> linkRules) {
    LabelSelector allPods = new LabelSelector();
    LabelSelector sameTenant = new LabelSelectorBuilder().withMatchLabels(Map.of(ApiGroup.LABEL_TENANT, in.tenantName())).build();
    List<NetworkPolicy> policies = new ArrayList<>();
    policies.add(new NetworkPolicyBuilder().withMetadata(meta(DENY_ALL, ns, labels))
        .withNewSpec().withPodSelector(allPods).withPolicyTypes("Ingress", "Egress").endSpec().build());
    policies.add(new NetworkPolicyBuilder().withMetadata(meta(ALLOW_SAME_TENANT, ns, labels))
        .withNewSpec().withPodSelector(allPods).withPolicyTypes("Ingress", "Egress")
        .withIngress(new NetworkPolicyIngressRuleBuilder()
            .withFrom(new NetworkPolicyPeerBuilder().withNamespaceSelector(sameTenant).build()).build())
        .withEgress(new NetworkPolicyEgressRuleBuilder()
            .withTo(new NetworkPolicyPeerBuilder().withNamespaceSelector(sameTenant).build()).build())
        .endSpec().build());
    policies.add(new NetworkPolicyBuilder().withMetadata(meta(ALLOW_DNS, ns, labels))
        .withNewSpec().withPodSelector(allPods).withPolicyTypes("Egress")
        .withEgress(new NetworkPolicyEgressRuleBuilder()
            .withTo(new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(new LabelSelectorBuilder()
                    .withMatchLabels(Map.of("kubernetes.io/metadata.name", "kube-system")).build())
                .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("k8s-app", "kube-dns")).build())
                .build())
            .withPorts(port("UDP", 53, null), port("TCP", 53, null))
            .build())
        .endSpec().build());
    var network = in.zone().getSpec().getNetwork();
    if (network != null && network.getAllowIngressFrom() != null && !network.getAllowIngressFrom().isEmpty()) {
      List<NetworkPolicyIngressRule> rules = network.getAllowIngressFrom().stream()
          .map(selector -> new NetworkPolicyIngressRuleBuilder()
              .withFrom(new NetworkPolicyPeerBuilder().withNamespaceSelector(noTenantAmong(selector)).build()).build())
          .toList();
      policies.add(new NetworkPolicyBuilder().withMetadata(meta(ALLOW_ZONE_INGRESS, ns, labels))
          .withNewSpec().withPodSelector(allPods).withPolicyTypes("Ingress").withIngress(rules).endSpec().build());
    }
    if (!linkRules.isEmpty()) {
      policies.add(new NetworkPolicyBuilder().withMetadata(meta(ALLOW_DATA_LINKS, ns, labels))
          .withNewSpec().withPodSelector(allPods).withPolicyTypes("Egress").withEgress(linkRules).endSpec().build());
    }
    return policies;
  }

  /**
   * The zone's selector, narrowed to namespaces that belong to no tenant: the platform writes
   * {@code allowIngressFrom}, and a selector written too wide (every namespace of the zone, say)
   * must still let no other tenant in. Two tenants never reach each other, whatever their zones.
   */
  static LabelSelector noTenantAmong(LabelSelector selector) {
    return new LabelSelectorBuilder(selector)
        .addNewMatchExpression().withKey(ApiGroup.LABEL_TENANT).withOperator("DoesNotExist").endMatchExpression()
        .build();
  }

  static List<RoleBinding> roleBindings(String ns, Map<String, String> labels, Subjects subjects) {
    List<RoleBinding> bindings = new ArrayList<>();
    addBinding(bindings, TenantRoles.ADMINS_BINDING, TenantRoles.ADMIN, ns, labels, subjects.admins());
    addBinding(bindings, TenantRoles.VIEWERS_BINDING, TenantRoles.VIEWER, ns, labels, subjects.viewers());
    return bindings;
  }

  private static void addBinding(List<RoleBinding> out, String name, String role, String ns, Map<String, String> labels,
      List<Subject> subjects) {
    if (subjects.isEmpty()) {
      return;
    }
    out.add(new RoleBindingBuilder()
        .withMetadata(meta(name, ns, labels))
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
        .withSubjects(rbacSubjects(subjects))
        .build());
  }

  static List<io.fabric8.kubernetes.api.model.rbac.Subject> rbacSubjects(List<Subject> subjects) {
    return subjects.stream()
        .distinct()
        .sorted(Comparator.comparing((Subject s) -> s.getKind().name()).thenComparing(Subject::getName)
            .thenComparing(s -> s.getNamespace() == null ? "" : s.getNamespace()))
        .map(s -> new io.fabric8.kubernetes.api.model.rbac.SubjectBuilder()
            .withKind(s.getKind().name())
            .withName(s.getName())
            .withNamespace(s.getKind() == Subject.Kind.ServiceAccount ? s.getNamespace() : null)
            // The apiGroup exactly as the API server stores it (none for a ServiceAccount), or every
            // reconcile would find a difference and write again.
            .withApiGroup(s.getKind() == Subject.Kind.ServiceAccount ? null : "rbac.authorization.k8s.io")
            .build())
        .toList();
  }

  /**
   * Lets the tenant's admins and viewers read their own ZoneTenant and EdgeAllocations, whether
   * the tenant is admitted or not: a refused tenant learns why from its own status. The role's
   * name cannot equal any name the chart fixes (see {@link TenantRoles#readAccess}).
   *
   * @param owned the tenant's namespaces, where its ServiceAccount subjects may live
   */
  public static List<HasMetadata> readAccess(ZoneTenant tenant, String zone, List<String> allocationNames, Set<String> owned) {
    Subjects subjects = Subjects.of(tenant, owned);
    List<Subject> all = new ArrayList<>(subjects.admins());
    all.addAll(subjects.viewers());
    if (all.isEmpty()) {
      return List.of();
    }
    String tenantName = tenant.getMetadata().getName();
    Map<String, String> labels = ManagedLabels.of(zone, tenantName);
    String name = TenantRoles.readAccess(tenantName);
    List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules = new ArrayList<>();
    rules.add(new PolicyRuleBuilder().withApiGroups(ApiGroup.GROUP).withResources("zonetenants")
        .withResourceNames(tenantName).withVerbs("get").build());
    if (!allocationNames.isEmpty()) {
      rules.add(new PolicyRuleBuilder().withApiGroups(ApiGroup.GROUP).withResources("edgeallocations")
          .withResourceNames(allocationNames.stream().sorted().toList()).withVerbs("get").build());
    }
    ClusterRole role = new ClusterRoleBuilder().withMetadata(ownedMeta(name, null, labels, tenant)).withRules(rules).build();
    ClusterRoleBinding binding = new ClusterRoleBindingBuilder()
        .withMetadata(ownedMeta(name, null, labels, tenant))
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(name).endRoleRef()
        .withSubjects(rbacSubjects(all))
        .build();
    return List.of(role, binding);
  }

  /** Egress rules for the tenant's DataLinks, and which links are applied, missing, or not allowed by the zone. */
  private record Egress(List<NetworkPolicyEgressRule> rules, List<String> applied, List<String> missing, List<String> notAllowed) {}

  private static Egress egress(TenantInputs in) {
    var network = in.zone().getSpec().getNetwork();
    List<String> allowed = network == null || network.getAllowedLinks() == null ? List.of() : network.getAllowedLinks();
    List<String> wanted = in.tenant().getSpec().getEgress() == null ? List.of()
        : in.tenant().getSpec().getEgress().stream().distinct().sorted().toList();
    List<NetworkPolicyEgressRule> rules = new ArrayList<>();
    List<String> applied = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> notAllowed = new ArrayList<>();
    for (String linkName : wanted) {
      DataLink link = in.links().get(linkName);
      if (!allowed.contains(linkName)) {
        notAllowed.add(linkName);
      } else if (link == null || link.getMetadata().getDeletionTimestamp() != null) {
        missing.add(linkName);
      } else {
        applied.add(linkName);
        rules.add(linkRule(link));
      }
    }
    return new Egress(rules, applied, missing, notAllowed);
  }

  static NetworkPolicyEgressRule linkRule(DataLink link) {
    var peers = link.getSpec().getCidrs().stream().sorted()
        .map(cidr -> new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).endIpBlock().build())
        .toList();
    List<NetworkPolicyPort> ports = link.getSpec().getPorts() == null ? List.of()
        : link.getSpec().getPorts().stream()
            .map(p -> port(p.getProtocol() == null ? "TCP" : p.getProtocol().name(), p.getPort(), p.getEndPort()))
            .toList();
    return new NetworkPolicyEgressRuleBuilder().withTo(peers).withPorts(ports.isEmpty() ? null : ports).build();
  }

  private static NetworkPolicyPort port(String protocol, Integer port, Integer endPort) {
    return new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(port)).withEndPort(endPort).build();
  }

  static ObjectMeta meta(String name, String namespace, Map<String, String> labels) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).build();
  }

  static ObjectMeta ownedMeta(String name, String namespace, Map<String, String> labels, ZoneTenant owner) {
    ObjectMeta meta = meta(name, namespace, labels);
    meta.setOwnerReferences(List.of(ownerReference(owner)));
    return meta;
  }

  public static OwnerReference ownerReference(ZoneTenant owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(ApiGroup.GROUP + "/" + ApiGroup.VERSION)
        .withKind("ZoneTenant")
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(false)
        .build();
  }

  private static Map<String, Quantity> sorted(Map<String, Quantity> in) {
    return in == null || in.isEmpty() ? null : new TreeMap<>(in);
  }

  private static Map<String, Quantity> merged(Map<String, Quantity> fallback, Map<String, Quantity> own) {
    Map<String, Quantity> out = new TreeMap<>();
    if (fallback != null) {
      out.putAll(fallback);
    }
    if (own != null) {
      out.putAll(own);
    }
    return out.isEmpty() ? null : out;
  }
}
