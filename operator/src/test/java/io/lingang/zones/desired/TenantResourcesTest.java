package io.lingang.zones.desired;

import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.NodePlacement;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.ZoneNetwork;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.ResourceList;
import io.lingang.zones.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TenantResourcesTest {
  private final BusinessZone zone = sharedZone("pudong", quantities("pods", "50"), "hk");
  private final ZoneTenant tenant = Fixtures.withAdmin(tenant("acme", "pudong", quantities("pods", "10")), "alice");
  private final Map<String, ResourceList> quotas = Map.of("acme", ResourceList.of(quantities("pods", "10")));
  private final Map<String, DataLink> links = Map.of("hk", Fixtures.link("hk", "203.0.113.0/24"));

  @Test
  void everyObjectCarriesTheOperatorsLabelsAndNoneOfTheCustomResources() {
    tenant.getMetadata().setLabels(Map.of("argocd.argoproj.io/instance", "platform"));
    tenant.getMetadata().setAnnotations(Map.of("kustomize.toolkit.fluxcd.io/name", "tenants"));

    TenantObjects objects = TenantResources.build(new TenantInputs(tenant, zone, quotas, links, false, Map.of(), List.of()), Set.of("acme"));

    List<HasMetadata> all = Stream.of(objects.namespaces(), objects.namespaced(), objects.clusterScoped())
        .flatMap(List::stream).map(HasMetadata.class::cast).toList();
    assertThat(all).isNotEmpty().allSatisfy(o -> {
      assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "lingang-zone-operator")
          .containsEntry("zones.lingang.io/zone", "pudong").containsEntry("zones.lingang.io/tenant", "acme")
          .doesNotContainKey("argocd.argoproj.io/instance");
      assertThat(o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations())
          .doesNotContainKey("kustomize.toolkit.fluxcd.io/name");
    });
  }

  @Test
  void aSuspendedTenantsQuotaAllowsNoNewPods() {
    TenantObjects objects = TenantResources.build(new TenantInputs(tenant, zone, quotas, links, true, Map.of(), List.of()), Set.of("acme"));

    ResourceQuota quota = (ResourceQuota) objects.namespaced().stream().filter(ResourceQuota.class::isInstance).findFirst().orElseThrow();
    assertThat(quota.getSpec().getHard()).containsEntry("pods", new Quantity("0"));
  }

  @Test
  void egressOpensOnlyLinksTheZoneAllowsAndThatExist() {
    tenant.getSpec().setEgress(List.of("hk", "tokyo", "sg"));
    zone.getSpec().getNetwork().setAllowedLinks(List.of("hk", "sg"));

    TenantObjects objects = TenantResources.build(new TenantInputs(tenant, zone, quotas, links, false, Map.of(), List.of()), Set.of("acme"));

    assertThat(objects.appliedLinks()).containsExactly("hk");
    assertThat(objects.missingLinks()).containsExactly("sg");
    assertThat(objects.notAllowedLinks()).containsExactly("tokyo");
    NetworkPolicy egress = (NetworkPolicy) objects.namespaced().stream()
        .filter(o -> o.getMetadata().getName().equals(TenantResources.ALLOW_DATA_LINKS)).findFirst().orElseThrow();
    assertThat(egress.getSpec().getEgress()).hasSize(1);
    assertThat(egress.getSpec().getEgress().get(0).getTo().get(0).getIpBlock().getCidr()).isEqualTo("203.0.113.0/24");
  }

  @Test
  void aDedicatedZonesTenantIsPinnedToItsNodesByNamespaceAnnotations() {
    zone.getSpec().setMode(BusinessZoneSpec.Mode.Dedicated);
    NodePlacement placement = new NodePlacement();
    placement.setNodeSelector(Map.of("pool", "dedicated-a"));
    placement.setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal")
        .withValue("a").withEffect("NoSchedule").build()));
    zone.getSpec().setDedicatedNodes(placement);

    TenantObjects objects = TenantResources.build(new TenantInputs(tenant, zone, quotas, links, false, Map.of(), List.of()), Set.of("acme"));

    assertThat(objects.namespaces().get(0).getMetadata().getAnnotations())
        .containsEntry("scheduler.alpha.kubernetes.io/node-selector", "pool=dedicated-a")
        .containsEntry("scheduler.alpha.kubernetes.io/defaultTolerations",
            "[{\"effect\":\"NoSchedule\",\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"a\"}]");
  }

  @Test
  void anEdgeNamespaceIsPinnedToItsPoolAndCappedAtTheGrantedResources() {
    NodePlacement pool = new NodePlacement();
    pool.setNodeSelector(Map.of("lingang.io/pool", "edge-a"));
    pool.setTolerations(List.of(new TolerationBuilder().withKey("edge").withOperator("Exists").withEffect("NoSchedule").build()));
    EdgeNamespace edge = new EdgeNamespace("edge-a", pool,
        ResourceList.of(quantities("cpu", "4", "memory", "8Gi", "nvidia.com/gpu", "1")), false);

    TenantObjects objects = TenantResources.build(new TenantInputs(tenant, zone, quotas, links, false,
        Map.of("acme-edge-edge-a", edge), List.of("acme-gpu")), Set.of("acme", "acme-edge-edge-a"));

    var ns = objects.namespaces().stream().filter(n -> n.getMetadata().getName().equals("acme-edge-edge-a")).findFirst().orElseThrow();
    assertThat(ns.getMetadata().getLabels()).containsEntry("zones.lingang.io/edge-pool", "edge-a");
    assertThat(ns.getMetadata().getAnnotations())
        .containsEntry("scheduler.alpha.kubernetes.io/node-selector", "lingang.io/pool=edge-a")
        .containsKey("scheduler.alpha.kubernetes.io/defaultTolerations");
    assertThat(ns.getMetadata().getAnnotations().get("scheduler.alpha.kubernetes.io/tolerationsWhitelist"))
        .contains("\"key\":\"edge\"").contains("node.kubernetes.io/not-ready");
    ResourceQuota quota = (ResourceQuota) objects.namespaced().stream()
        .filter(o -> o instanceof ResourceQuota && o.getMetadata().getNamespace().equals("acme-edge-edge-a")).findFirst().orElseThrow();
    assertThat(quota.getSpec().getHard()).containsEntry("requests.cpu", new Quantity("4")).containsEntry("limits.cpu", new Quantity("4"))
        .containsEntry("requests.memory", new Quantity("8Gi")).containsEntry("limits.memory", new Quantity("8Gi"))
        .containsEntry("requests.nvidia.com/gpu", new Quantity("1"));
    var role = (io.fabric8.kubernetes.api.model.rbac.ClusterRole) objects.clusterScoped().get(0);
    assertThat(role.getRules()).anySatisfy(r -> assertThat(r.getResourceNames()).containsExactly("acme-gpu"));
  }

  @Test
  void theSameInputsAlwaysGiveTheSameObjects() {
    TenantInputs inputs = new TenantInputs(tenant, zone, quotas, links, false, Map.of(), List.of());
    assertThat(TenantResources.build(inputs, Set.of("acme"))).isEqualTo(TenantResources.build(inputs, Set.of("acme")));
  }

  @Test
  void subjectsAreWrittenAsTheApiServerStoresThemSoThatAReconcileFindsNoDifference() {
    var subjects = TenantResources.rbacSubjects(List.of(
        new Subject(Subject.Kind.ServiceAccount, "deployer", "ci"),
        new Subject(Subject.Kind.User, "li.wei@example.com", null),
        new Subject(Subject.Kind.Group, "auditors", null)));

    assertThat(subjects).extracting(s -> s.getKind() + ":" + s.getApiGroup() + ":" + s.getNamespace())
        .containsExactly("Group:rbac.authorization.k8s.io:null", "ServiceAccount:null:ci", "User:rbac.authorization.k8s.io:null");
  }

  @Test
  void everyTenantNamespaceEnforcesItsZonesPodSecurityLevelAndWarnsAndAuditsAtRestricted() {
    TenantInputs inputs = new TenantInputs(tenant, zone, quotas, links, false, Map.of(), List.of());
    assertThat(TenantResources.namespaces(inputs).get(0).getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted")
        .containsEntry("pod-security.kubernetes.io/audit", "restricted");

    zone.getSpec().setPodSecurity(BusinessZoneSpec.PodSecurity.baseline);
    assertThat(TenantResources.namespaces(inputs).get(0).getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted");
  }

  @Test
  void theServiceTypesAZoneAllowsAreWrittenOnEachNamespaceForTheAdmissionPolicy() {
    TenantInputs inputs = new TenantInputs(tenant, zone, quotas, links, false, Map.of(), List.of());
    assertThat(TenantResources.namespaces(inputs).get(0).getMetadata().getAnnotations())
        .containsEntry("zones.lingang.io/service-types", "ClusterIP");

    zone.getSpec().getNetwork().setServiceTypes(List.of(ZoneNetwork.ServiceType.NodePort, ZoneNetwork.ServiceType.ClusterIP));
    assertThat(TenantResources.namespaces(inputs).get(0).getMetadata().getAnnotations())
        .containsEntry("zones.lingang.io/service-types", "ClusterIP,NodePort");
  }

  @Test
  void dnsIsOpenOnlyToTheClusterDnsPods() {
    TenantObjects objects = TenantResources.build(new TenantInputs(tenant, zone, quotas, links, false, Map.of(), List.of()), Set.of("acme"));

    NetworkPolicy dns = (NetworkPolicy) objects.namespaced().stream()
        .filter(o -> o.getMetadata().getName().equals(TenantResources.ALLOW_DNS)).findFirst().orElseThrow();
    var peer = dns.getSpec().getEgress().get(0).getTo().get(0);
    assertThat(peer.getNamespaceSelector().getMatchLabels()).containsExactly(Map.entry("kubernetes.io/metadata.name", "kube-system"));
    assertThat(peer.getPodSelector().getMatchLabels()).containsExactly(Map.entry("k8s-app", "kube-dns"));
  }

  @Test
  void aServiceAccountOutsideTheTenantsOwnNamespacesIsNeverBound() {
    tenant.getSpec().setNamespaces(List.of(new io.lingang.zones.api.v1alpha1.TenantNamespace("ci", null)));
    tenant.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, "alice", null),
        new Subject(Subject.Kind.ServiceAccount, "deployer", "acme-ci"),
        new Subject(Subject.Kind.ServiceAccount, "deployer", "acme-logistics")));
    TenantInputs inputs = new TenantInputs(tenant, zone, Map.of("acme-ci", quotas.get("acme")), links, false, Map.of(), List.of());

    TenantObjects objects = TenantResources.build(inputs, Set.of("acme-ci"));

    assertThat(objects.unboundSubjects()).containsExactly("ServiceAccount acme-logistics/deployer");
    assertThat(Stream.concat(objects.namespaced().stream(), objects.clusterScoped().stream())
        .flatMap(o -> o instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding rb ? rb.getSubjects().stream()
            : o instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding crb ? crb.getSubjects().stream() : Stream.empty())
        .map(sub -> sub.getKind() + ":" + sub.getNamespace() + "/" + sub.getName()))
        .containsOnly("User:null/alice", "ServiceAccount:acme-ci/deployer");
  }

  @Test
  void kubernetesOwnNamesOfAccountsAreBoundOnlyForTheTenantsOwnNamespaces() {
    tenant.getSpec().setNamespaces(List.of(new io.lingang.zones.api.v1alpha1.TenantNamespace("ci", null)));
    tenant.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, "alice", null),
        new Subject(Subject.Kind.User, "system:serviceaccount:acme-ci:deployer", null),
        new Subject(Subject.Kind.Group, "system:serviceaccounts:acme-ci", null),
        new Subject(Subject.Kind.User, "system:serviceaccount:rival:deployer", null),
        new Subject(Subject.Kind.User, "system:serviceaccount:acme-ci", null),
        new Subject(Subject.Kind.Group, "system:serviceaccounts:rival", null)));
    tenant.getSpec().setViewers(List.of(new Subject(Subject.Kind.Group, "auditors", null),
        new Subject(Subject.Kind.Group, "system:serviceaccounts", null),
        new Subject(Subject.Kind.Group, "system:authenticated", null),
        new Subject(Subject.Kind.User, "system:anonymous", null),
        new Subject(Subject.Kind.Group, "system:masters", null)));
    TenantInputs inputs = new TenantInputs(tenant, zone, Map.of("acme-ci", quotas.get("acme")), links, false, Map.of(), List.of());

    TenantObjects objects = TenantResources.build(inputs, Set.of("acme-ci"));

    assertThat(objects.unboundSubjects()).containsExactly("Group system:authenticated", "Group system:masters",
        "Group system:serviceaccounts", "Group system:serviceaccounts:rival", "User system:anonymous",
        "User system:serviceaccount:acme-ci", "User system:serviceaccount:rival:deployer");
    assertThat(objects.namespaced().stream()
        .flatMap(o -> o instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding rb ? rb.getSubjects().stream() : Stream.empty())
        .map(sub -> sub.getKind() + " " + sub.getName()))
        .containsExactlyInAnyOrder("User alice", "User system:serviceaccount:acme-ci:deployer",
            "Group system:serviceaccounts:acme-ci", "Group auditors");
  }

  @Test
  void objectsAreMadeOnlyInNamespacesThatTurnedOutToBeTheTenants() {
    tenant.getSpec().setNamespaces(List.of(new io.lingang.zones.api.v1alpha1.TenantNamespace("a", null),
        new io.lingang.zones.api.v1alpha1.TenantNamespace("b", null)));
    TenantInputs inputs = new TenantInputs(tenant, zone,
        Map.of("acme-a", quotas.get("acme"), "acme-b", quotas.get("acme")), links, false, Map.of(), List.of());

    TenantObjects objects = TenantResources.build(inputs, Set.of("acme-a"));

    assertThat(objects.namespaced()).extracting(o -> o.getMetadata().getNamespace()).containsOnly("acme-a");
  }

  @Test
  void noTenantNameCanGiveItsReadAccessRoleANameTheChartUses() {
    for (String name : List.of("admin", "viewer", "status-reader")) {
      ZoneTenant t = Fixtures.withAdmin(tenant(name, "pudong", quantities("pods", "1")), "alice");
      List<HasMetadata> access = TenantResources.readAccess(t, "pudong", List.of(), Set.of());
      assertThat(access).extracting(o -> o.getMetadata().getName())
          .containsOnly("lingang-zones:tenant:" + name)
          .doesNotContainAnyElementsOf(TenantRoles.CHART_NAMES);
    }
  }
}
