package io.lingang.zones.audit;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.TenantNamespace;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import io.lingang.zones.testing.TestPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The isolation audit's escalation attempts: a tenant admin holding every right the operator
 * grants tries each escape SPEC.md rules out, as real requests to the real API server, and each
 * must be refused with the refusal we expect. Controls show that the same admin can do its job.
 */
@ControlPlaneTest
class EscalationAttemptsIT {
  private static final String PSS = "violates PodSecurity";
  private static final String FORBIDDEN = "forbidden";

  @Test
  void everyEscapeATenantAdminTriesIsRefused(RunningOperator operator, LocalControlPlane plane, KubernetesClient k8s,
      TestNames names) {
    AuditWorld w = AuditWorld.build(k8s, names);
    Attempts attempts = new Attempts();
    String app = w.alpha.namespace();
    try (KubernetesClient alpha = plane.impersonating(w.alpha.admin());
        KubernetesClient gamma = plane.impersonating(w.gamma.admin());
        KubernetesClient epsilon = plane.impersonating(w.epsilon.admin());
        KubernetesClient beta = plane.impersonating(w.beta.admin());
        KubernetesClient gammaSa = plane.impersonating("system:serviceaccount:" + w.gamma.namespace() + ":deployer",
            "system:serviceaccounts", "system:serviceaccounts:" + w.gamma.namespace(), "system:authenticated");
        KubernetesClient formerDelta = plane.impersonating(w.delta.admin());
        KubernetesClient refused = plane.impersonating(w.refused.admin());
        KubernetesClient controllerManager = plane.impersonatingControllerManager()) {

      rbacAndOwnLimits(attempts, alpha, w, app);
      podSecurity(attempts, alpha, epsilon, app, w.epsilon.namespace());
      PlacementAttempts.tryAll(attempts, alpha, gamma, controllerManager, w, true);
      priorities(attempts, k8s, alpha, names, app);
      runtimeClasses(attempts, k8s, alpha, w, names, app);
      daemonSetControllersName(attempts, k8s, plane, alpha, app);
      NeighbourAttempts.tryAll(attempts, alpha, epsilon, w);
      services(attempts, alpha, epsilon, gamma, app, w.epsilon.namespace(), w.gamma.namespace());
      IngressAttempts.tryAll(attempts, alpha, w);
      identitiesAndReads(attempts, alpha, gammaSa, w, app);
      suspendedRetainedRefused(attempts, k8s, beta, formerDelta, refused, w);
    }
    nothingAboutOthers(attempts, k8s, w);

    attempts.writeReport("escalations.md", "Escalation attempts by tenant admins");
    assertThat(attempts.failures()).as("attempts that were not refused as SPEC.md says, or controls that failed").isEmpty();
  }

  private static void rbacAndOwnLimits(Attempts a, KubernetesClient alpha, AuditWorld w, String app) {
    String c = "RBAC and own limits";
    for (String role : List.of("admin", "edit", "cluster-admin")) {
      a.refused(c, "bind the built-in ClusterRole " + role + " in its namespace", FORBIDDEN, () -> alpha.rbac().roleBindings()
          .inNamespace(app).resource(new RoleBindingBuilder().withNewMetadata().withName("mine-" + role).endMetadata()
              .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
              .addNewSubject().withKind("User").withName(w.alpha.admin()).withApiGroup("rbac.authorization.k8s.io").endSubject()
              .build()).create());
    }
    a.refused(c, "create a Role (to bind it next)", FORBIDDEN, () -> alpha.rbac().roles().inNamespace(app)
        .resource(new RoleBuilder().withNewMetadata().withName("everything").endMetadata().addNewRule().withApiGroups("*")
            .withResources("*").withVerbs("*").endRule().build()).create());
    a.refused(c, "add a subject to the operator's RoleBinding", FORBIDDEN, () -> alpha.rbac().roleBindings().inNamespace(app)
        .withName("lingang-tenant-admins").patch(PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/subjects/-\",\"value\":{\"kind\":\"User\",\"name\":\"friend\",\"apiGroup\":\"rbac.authorization.k8s.io\"}}]"));
    a.refused(c, "relabel its namespace (Pod Security to privileged)", FORBIDDEN, () -> alpha.namespaces().withName(app)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"privileged\"}}}"));
    a.refused(c, "annotate its namespace (drop the node selector)", FORBIDDEN, () -> alpha.namespaces().withName(app)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"scheduler.alpha.kubernetes.io/node-selector\":\"\"}}}"));
    a.refused(c, "raise its ResourceQuota", FORBIDDEN, () -> alpha.resourceQuotas().inNamespace(app).withName("lingang-quota")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"hard\":{\"pods\":\"1000\"}}}"));
    a.refused(c, "create a second ResourceQuota", FORBIDDEN, () -> alpha.resourceQuotas().inNamespace(app).resource(
        new ResourceQuotaBuilder().withNewMetadata().withName("more").endMetadata().withNewSpec().addToHard("pods", new Quantity("1"))
            .endSpec().build()).create());
    a.refused(c, "delete its LimitRange", FORBIDDEN, () -> alpha.limitRanges().inNamespace(app).withName("lingang-limits").delete());
    a.refused(c, "create a LimitRange", FORBIDDEN, () -> alpha.limitRanges().inNamespace(app).resource(new LimitRangeBuilder()
        .withNewMetadata().withName("mine").endMetadata().withNewSpec().addNewLimit().withType("Container").endLimit().endSpec()
        .build()).create());
    a.refused(c, "delete the default-deny NetworkPolicy", FORBIDDEN, () -> alpha.network().v1().networkPolicies().inNamespace(app)
        .withName("lingang-default-deny").delete());
    a.refused(c, "create an allow-all NetworkPolicy", FORBIDDEN, () -> alpha.network().v1().networkPolicies().inNamespace(app)
        .resource(new NetworkPolicyBuilder().withNewMetadata().withName("open").endMetadata().withNewSpec().withNewPodSelector()
            .endPodSelector().addNewIngress().endIngress().addNewEgress().endEgress().endSpec().build()).create());
    // Pod-level resources (beta, on by default since 1.34) are what the scheduler reserves on a shared
    // node; the quota must count them, not only the containers' (which the LimitRange fills in small).
    a.refused(c, "reserve node capacity beyond its quota by pod-level resources", "exceeded quota", () -> alpha.pods()
        .inNamespace(app).resource(TestPods.restrictedBuilder("pod-level", Map.of()).editSpec().editFirstContainer()
            .withResources(null).endContainer().withNewResources().addToRequests("cpu", new Quantity("50"))
            .addToLimits("cpu", new Quantity("50")).endResources().endSpec().build()).create());
    a.refused(c, "raise its quota in its own ZoneTenant", FORBIDDEN, () -> alpha.resources(ZoneTenant.class).withName(w.alpha.name())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"quota\":{\"requests.cpu\":\"100\"}}}"));
    a.refused(c, "rewrite its TenantStatus", FORBIDDEN, () -> alpha.resources(TenantStatus.class).inNamespace(app)
        .withName(w.alpha.name()).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}"));
    a.allowed(c, "control: create a ConfigMap in its namespace", () -> alpha.configMaps().inNamespace(app).resource(
        new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata().addToData("k", "v").build()).create());
  }

  /** Each breach of the restricted standard, in a restricted zone; in a baseline zone, what baseline forbids. */
  private static void podSecurity(Attempts a, KubernetesClient alpha, KubernetesClient epsilon, String app, String baselineNs) {
    Map<String, UnaryOperator<PodBuilder>> breaches = Map.of(
        "privileged container", b -> b.editSpec().editFirstContainer().editSecurityContext().withPrivileged(true)
            .withAllowPrivilegeEscalation(true).endSecurityContext().endContainer().endSpec(),
        "hostPath / mounted", b -> b.editSpec().addNewVolume().withName("root").withNewHostPath().withPath("/").endHostPath()
            .endVolume().editFirstContainer().addNewVolumeMount().withName("root").withMountPath("/host").endVolumeMount()
            .endContainer().endSpec(),
        "hostNetwork", b -> b.editSpec().withHostNetwork(true).endSpec(),
        "hostPID", b -> b.editSpec().withHostPID(true).endSpec(),
        "hostIPC", b -> b.editSpec().withHostIPC(true).endSpec(),
        "hostPort 8080", b -> b.editSpec().editFirstContainer().addNewPort().withContainerPort(8080).withHostPort(8080).endPort()
            .endContainer().endSpec(),
        "capability NET_ADMIN added", b -> b.editSpec().editFirstContainer().editSecurityContext().editCapabilities()
            .withAdd("NET_ADMIN").endCapabilities().endSecurityContext().endContainer().endSpec(),
        "seccomp Unconfined", b -> b.editSpec().editSecurityContext().editSeccompProfile().withType("Unconfined")
            .endSeccompProfile().endSecurityContext().endSpec());
    breaches.forEach((what, breach) -> {
      a.refused("Pod Security (restricted zone)", what, PSS, () -> alpha.pods().inNamespace(app)
          .resource(breach.apply(TestPods.restrictedBuilder("pss-" + slug(what), cpu())).build()).create());
      a.refused("Pod Security (baseline zone)", what, PSS, () -> epsilon.pods().inNamespace(baselineNs)
          .resource(breach.apply(TestPods.restrictedBuilder("pss-" + slug(what), cpu())).build()).create());
    });
    a.refused("Pod Security (restricted zone)", "run as root", PSS, () -> alpha.pods().inNamespace(app).resource(
        TestPods.restrictedBuilder("root", cpu()).editSpec().editSecurityContext().withRunAsUser(0L).withRunAsNonRoot(false)
            .endSecurityContext().endSpec().build()).create());
    a.refused("Pod Security (restricted zone)", "allowPrivilegeEscalation", PSS, () -> alpha.pods().inNamespace(app).resource(
        TestPods.restrictedBuilder("escalate", cpu()).editSpec().editFirstContainer().editSecurityContext()
            .withAllowPrivilegeEscalation(true).endSecurityContext().endContainer().endSpec().build()).create());
    a.allowed("Pod Security (baseline zone)", "control: a root pod, which baseline allows", () -> epsilon.pods()
        .inNamespace(baselineNs).resource(new PodBuilder().withNewMetadata().withName("root").endMetadata().withNewSpec()
            .addNewContainer().withName("main").withImage(TestPods.IMAGE).withImagePullPolicy("Always").withNewResources().withRequests(cpu())
            .withLimits(cpu()).endResources().endContainer().endSpec().build()).create());
    a.allowed("Pod Security (restricted zone)", "control: a restricted pod", () -> alpha.pods().inNamespace(app)
        .resource(TestPods.restrictedBuilder("fine", cpu()).build()).create());
  }

  /**
   * Classes the platform defines (the cluster's admin creates them here): one that preempts, which
   * on shared nodes would evict a neighbour's pods to make room, and one that never preempts.
   */
  private static void priorities(Attempts a, KubernetesClient admin, KubernetesClient alpha, TestNames names, String app) {
    String c = "Neighbours (priority)";
    String preempting = names.name("urgent");
    String polite = names.name("polite");
    String refusal = "preempts lower-priority pods";
    admin.resource(new PriorityClassBuilder().withNewMetadata().withName(preempting).endMetadata().withValue(1_000_000).build()).create();
    admin.resource(new PriorityClassBuilder().withNewMetadata().withName(polite).endMetadata().withValue(1_000_000)
        .withPreemptionPolicy("Never").build()).create();
    try {
      a.refused(c, "a pod of a preempting class the platform defined", refusal, () -> alpha.pods().inNamespace(app)
          .resource(PlacementAttempts.pod("urgent").editSpec().withPriorityClassName(preempting).endSpec().build()).create());
      a.refused(c, "a Deployment whose pods have that class", refusal, () -> alpha.apps().deployments().inNamespace(app)
          .resource(TestPods.deployment("urgent", PlacementAttempts.pod("x").editSpec().withPriorityClassName(preempting)
              .endSpec().build().getSpec())).create());
      a.allowed(c, "control: a pod of a class that never preempts", () -> alpha.pods().inNamespace(app)
          .resource(PlacementAttempts.pod("polite").editSpec().withPriorityClassName(polite).endSpec().build()).create());
    } finally {
      admin.resources(PriorityClass.class).withName(preempting).delete();
      admin.resources(PriorityClass.class).withName(polite).delete();
    }
  }

  /**
   * RuntimeClasses. A class names the runtime handler that starts a pod's containers: where the
   * platform isolates companies in a sandboxed runtime by default, a class for plain runc (kept for
   * its own components) would take a tenant's pod out of the sandbox, so tenants may name only
   * classes the platform labelled for them. And a class may carry scheduling (a nodeSelector and
   * tolerations), which the RuntimeClass admission plugin merges into the pod before validation,
   * so the reserved-node policy judges the pod as it will be scheduled.
   */
  private static void runtimeClasses(Attempts a, KubernetesClient admin, KubernetesClient alpha, AuditWorld w, TestNames names,
      String app) {
    String plain = names.name("runc");
    String gvisor = names.name("gvisor");
    String gpuSandbox = names.name("gpu-sandbox");
    Map<String, String> forTenants = Map.of("zones.lingang.io/tenants", "allowed");
    admin.resource(new RuntimeClassBuilder().withNewMetadata().withName(plain).endMetadata().withHandler("runc").build()).create();
    admin.resource(new RuntimeClassBuilder().withNewMetadata().withName(gvisor).withLabels(forTenants).endMetadata()
        .withHandler("runsc").build()).create();
    admin.resource(new RuntimeClassBuilder().withNewMetadata().withName(gpuSandbox).withLabels(forTenants).endMetadata()
        .withHandler("runsc").withNewScheduling().withNodeSelector(w.dedicatedSelector()).withTolerations(w.dedicatedToleration())
        .endScheduling().build()).create();
    try {
      a.refused("Runtimes", "a RuntimeClass the platform keeps for itself (plain runc, out of the tenants' sandbox)",
          "runtime class " + plain + " is not open to tenants", () -> alpha.pods().inNamespace(app).resource(
              PlacementAttempts.pod("unsandboxed").editSpec().withRuntimeClassName(plain).endSpec().build()).create());
      a.refused("Runtimes", "a Deployment whose pods name that class", "is not open to tenants", () -> alpha.apps().deployments()
          .inNamespace(app).resource(TestPods.deployment("unsandboxed", PlacementAttempts.pod("x").editSpec()
              .withRuntimeClassName(plain).endSpec().build().getSpec())).create());
      a.allowed("Runtimes", "control: a RuntimeClass the platform opened to tenants", () -> alpha.pods().inNamespace(app)
          .resource(PlacementAttempts.pod("sandboxed").editSpec().withRuntimeClassName(gvisor).endSpec().build()).create());
      a.refused("Reserved nodes", "a RuntimeClass whose scheduling targets the Dedicated zone's nodes",
          "(runtime class " + gpuSandbox + " may have added it: choose another class)", List.of(w.dedicated, w.dedicatedNodes),
          () -> alpha.pods().inNamespace(app).resource(PlacementAttempts.pod("gpu-sandboxed").editSpec()
              .withRuntimeClassName(gpuSandbox).endSpec().build()).create());
    } finally {
      for (String name : List.of(plain, gvisor, gpuSandbox)) {
        admin.resource(new RuntimeClassBuilder().withNewMetadata().withName(name).endMetadata().build()).delete();
      }
    }
  }

  /**
   * The workloads policy lets the DaemonSet controller, known by its user name, pin pods to nodes
   * by name. A tenant's own ServiceAccount of that name (here one its admin made, bound as the
   * platform would bind an admin subject) is another user: it gets no such pass.
   */
  private static void daemonSetControllersName(Attempts a, KubernetesClient admin, LocalControlPlane plane,
      KubernetesClient alpha, String app) {
    String name = "daemon-set-controller";
    alpha.serviceAccounts().inNamespace(app).resource(new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata()
        .build()).create();
    admin.rbac().roleBindings().inNamespace(app).resource(new RoleBindingBuilder().withNewMetadata().withName("as-admin")
        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName("lingang-zones-tenant-admin").endRoleRef().addNewSubject().withKind("ServiceAccount").withName(name)
        .withNamespace(app).endSubject().build()).create();
    try (KubernetesClient lookalike = plane.impersonating("system:serviceaccount:" + app + ":" + name, "system:serviceaccounts",
        "system:serviceaccounts:" + app, "system:authenticated")) {
      a.refused("Reserved nodes", "a tenant ServiceAccount named daemon-set-controller picks a reserved node by name",
          PlacementAttempts.BY_NAME, () -> lookalike.pods().inNamespace(app).resource(PlacementAttempts.byName(
              PlacementAttempts.pod("lookalike"), "dedicated-node-1", true).build()).create());
    } finally {
      admin.rbac().roleBindings().inNamespace(app).withName("as-admin").delete();
    }
  }

  private static void services(Attempts a, KubernetesClient alpha, KubernetesClient epsilon, KubernetesClient gamma, String app,
      String baselineNs, String lbNs) {
    String c = "Service exposure";
    for (String type : List.of("NodePort", "LoadBalancer", "ExternalName")) {
      a.refused(c, "a " + type + " Service in a ClusterIP-only zone", "is not allowed in namespace", () -> alpha.services()
          .inNamespace(app).resource(service("svc-" + type.toLowerCase(), type)).create());
    }
    a.refused(c, "externalIPs set to a DataLink's address (CVE-2020-8554)", "externalIPs", () -> alpha.services().inNamespace(app)
        .resource(new ServiceBuilder(service("mitm", "ClusterIP")).editSpec().withExternalIPs("203.0.113.10").endSpec().build())
        .create());
    a.refused(c, "hand-written Endpoints pointing anywhere", FORBIDDEN, () -> alpha.endpoints().inNamespace(app).resource(
        new EndpointsBuilder().withNewMetadata().withName("anywhere").endMetadata().addNewSubset().addNewAddress()
            .withIp("10.0.0.1").endAddress().addNewPort().withPort(80).endPort().endSubset().build()).create());
    a.refused(c, "hand-written EndpointSlice", FORBIDDEN, () -> alpha.discovery().v1().endpointSlices().inNamespace(app).resource(
        new EndpointSliceBuilder().withNewMetadata().withName("anywhere").endMetadata().withAddressType("IPv4")
            .addNewEndpoint().withAddresses("10.0.0.1").endEndpoint().build()).create());
    a.refused(c, "a LoadBalancer Service in a zone that allows ClusterIP and NodePort", "is not allowed in namespace",
        () -> epsilon.services().inNamespace(baselineNs).resource(service("lb", "LoadBalancer")).create());
    a.allowed(c, "control: a ClusterIP Service", () -> alpha.services().inNamespace(app).resource(service("web", "ClusterIP")).create());
    a.allowed(c, "control: a NodePort Service where the zone allows it", () -> epsilon.services().inNamespace(baselineNs)
        .resource(service("np", "NodePort")).create());
    // Where LoadBalancers are allowed, the address is the platform's to give: one the Service names
    // or shares may be another tenant's, whose traffic would then come here.
    String address = "the platform's to give";
    a.refused(c, "a LoadBalancer Service that names its address (spec.loadBalancerIP)", address + ", never picked or shared by "
        + "the Service: remove spec.loadBalancerIP", () -> gamma.services().inNamespace(lbNs).resource(new ServiceBuilder(
            service("lb-ip", "LoadBalancer")).editSpec().withLoadBalancerIP("198.51.100.7").endSpec().build()).create());
    a.refused(c, "a LoadBalancer Service that shares another Service's address (MetalLB allow-shared-ip)",
        "remove the annotations metallb.universe.tf/allow-shared-ip", () -> gamma.services().inNamespace(lbNs).resource(
            new ServiceBuilder(service("lb-share", "LoadBalancer")).editMetadata()
                .addToAnnotations("metallb.universe.tf/allow-shared-ip", "their-sharing-key").endMetadata().build()).create());
    a.refused(c, "a LoadBalancer Service that picks its address by annotation (MetalLB loadBalancerIPs)", address,
        () -> gamma.services().inNamespace(lbNs).resource(new ServiceBuilder(service("lb-pick", "LoadBalancer")).editMetadata()
            .addToAnnotations("metallb.universe.tf/loadBalancerIPs", "198.51.100.7").endMetadata().build()).create());
    a.refused(c, "a LoadBalancer Service that picks its implementation (spec.loadBalancerClass), and with it the address pool",
        "spec.loadBalancerClass is not allowed in a tenant namespace", () -> gamma.services().inNamespace(lbNs).resource(
            new ServiceBuilder(service("lb-class", "LoadBalancer")).editSpec().withLoadBalancerClass("example.com/other-pool")
                .endSpec().build()).create());
    a.allowed(c, "control: a LoadBalancer Service where the zone allows it, its address left to the platform", () -> gamma
        .services().inNamespace(lbNs).resource(service("lb", "LoadBalancer")).create());
  }

  private static void identitiesAndReads(Attempts a, KubernetesClient alpha, KubernetesClient gammaSa, AuditWorld w, String app) {
    String c = "Identities";
    String betaNs = w.beta.namespace();
    a.refused(c, "mint a token for another tenant's ServiceAccount", FORBIDDEN, () -> alpha.serviceAccounts().inNamespace(betaNs)
        .withName("default").tokenRequest(new TokenRequestBuilder().withNewSpec().withAudiences("api").endSpec().build()));
    a.refused(c, "a token Secret for another tenant's ServiceAccount", FORBIDDEN, () -> alpha.secrets().inNamespace(betaNs).resource(
        new SecretBuilder().withNewMetadata().withName("stolen").addToAnnotations("kubernetes.io/service-account.name", "default")
            .endMetadata().withType("kubernetes.io/service-account-token").build()).create());
    a.refused(c, "a ServiceAccount in another tenant's namespace", FORBIDDEN, () -> alpha.serviceAccounts().inNamespace(betaNs)
        .resource(new ServiceAccountBuilder().withNewMetadata().withName("mine").endMetadata().build()).create());
    c = "Cross-tenant reads";
    a.refused(c, "read another tenant's Secrets", FORBIDDEN, () -> alpha.secrets().inNamespace(betaNs).list());
    a.refused(c, "list another tenant's pods", FORBIDDEN, () -> alpha.pods().inNamespace(betaNs).list());
    a.refused(c, "read another tenant's TenantStatus", FORBIDDEN, () -> alpha.resources(TenantStatus.class).inNamespace(betaNs)
        .withName(w.beta.name()).get());
    a.refused(c, "read another tenant's ZoneTenant", FORBIDDEN, () -> alpha.resources(ZoneTenant.class).withName(w.beta.name()).get());
    a.refused(c, "list ZoneTenants (learn other tenants' names)", FORBIDDEN, () -> alpha.resources(ZoneTenant.class).list());
    a.refused(c, "list namespaces", FORBIDDEN, () -> alpha.namespaces().list());
    a.refused(c, "list EdgeAllocations", FORBIDDEN, () -> alpha.resources(EdgeAllocation.class).list());
    a.refused(c, "read the zone (its capacity, allocations)", FORBIDDEN, () -> alpha.resources(BusinessZone.class).withName(w.shared).get());
    a.refused(c, "a Dedicated tenant's ServiceAccount reads a Shared tenant's ConfigMaps", FORBIDDEN, () -> gammaSa.configMaps()
        .inNamespace(app).list());
    a.allowed(c, "control: read its own ZoneTenant, EdgeAllocation and TenantStatus", () -> {
      assertThat(alpha.resources(ZoneTenant.class).withName(w.alpha.name()).get()).isNotNull();
      assertThat(alpha.resources(EdgeAllocation.class).withName(w.alphaAllocation).get()).isNotNull();
      assertThat(alpha.resources(TenantStatus.class).inNamespace(app).withName(w.alpha.name()).get()).isNotNull();
    });
  }

  private static void suspendedRetainedRefused(Attempts a, KubernetesClient k8s, KubernetesClient beta, KubernetesClient formerDelta,
      KubernetesClient refused, AuditWorld w) {
    a.refused("Suspension", "a suspended tenant starts a new pod", "exceeded quota", () -> beta.pods().inNamespace(w.beta.namespace())
        .resource(pod("late").build()).create());
    String retained = w.delta.namespace();
    a.refused("Retained namespace", "the former admin reads it", FORBIDDEN, () -> formerDelta.configMaps().inNamespace(retained).list());
    a.refused("Retained namespace", "the former admin starts a pod in it", FORBIDDEN, () -> formerDelta.pods().inNamespace(retained)
        .resource(pod("back").build()).create());
    a.refused("Retained namespace", "even a cluster admin's pod: its quota allows none", "exceeded quota", () -> k8s.pods()
        .inNamespace(retained).resource(pod("admin").build()).create());
    a.holds("Retained namespace", "nothing but the default deny is left", "policies " + policiesIn(k8s, retained),
        () -> policiesIn(k8s, retained).equals(List.of("lingang-default-deny")));
    String otherZone = w.names.name("later");
    k8s.resource(sharedZone(otherZone, quantities("requests.cpu", "4", "pods", "10"))).create();
    ZoneTenant later = tenant(w.delta.name(), otherZone, quantities("requests.cpu", "1", "pods", "5"));
    later.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, w.names.name("newcomer"), null)));
    k8s.resource(later).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      ZoneTenant t = k8s.resources(ZoneTenant.class).withName(w.delta.name()).get();
      return t != null && t.getStatus() != null && t.getStatus().condition("Ready").isPresent();
    });
    a.holds("Retained namespace", "a later tenant of the same name in another zone does not adopt it",
        "Ready reason " + readyReason(k8s, w.delta.name()), () -> "NamespaceConflict".equals(readyReason(k8s, w.delta.name())));
    a.holds("Retained namespace", "... and gets no binding in it", "bindings " + k8s.rbac().roleBindings().inNamespace(retained)
        .list().getItems().size(), () -> k8s.rbac().roleBindings().inNamespace(retained).list().getItems().isEmpty());
    a.allowed("Refused tenant", "control: its admin reads its own ZoneTenant and learns why", () -> assertThat(
        refused.resources(ZoneTenant.class).withName(w.refused.name()).get().getStatus().condition("Admitted").orElseThrow()
            .getReason()).isEqualTo("InsufficientCapacity"));
    String refusal = k8s.resources(ZoneTenant.class).withName(w.refused.name()).get().getStatus().condition("Admitted")
        .orElseThrow().getMessage();
    a.holds("Refused tenant", "its refusal does not say what the zone has free (what the other tenants leave)", refusal,
        () -> refusal.contains("more than is free") && !refusal.matches(".*\\d+ available.*"));
  }

  /** No condition, Event or TenantStatus of one tenant names another tenant. */
  private static void nothingAboutOthers(Attempts a, KubernetesClient k8s, AuditWorld w) {
    var json = k8s.getKubernetesSerialization();
    for (AuditWorld.Tenant t : List.of(w.alpha, w.beta, w.gamma, w.epsilon, w.refused)) {
      StringBuilder seen = new StringBuilder(json.asJson(k8s.resources(ZoneTenant.class).withName(t.name()).get().getStatus()));
      for (String ns : t.namespaces()) {
        TenantStatus status = k8s.resources(TenantStatus.class).inNamespace(ns).withName(t.name()).get();
        seen.append(json.asJson(status.getStatus()));
        k8s.v1().events().inNamespace(ns).list().getItems().forEach(e -> seen.append(e.getReason()).append(e.getMessage()));
      }
      k8s.v1().events().inNamespace("default").list().getItems().stream()
          .filter(e -> t.name().equals(e.getInvolvedObject().getName()))
          .forEach(e -> seen.append(e.getReason()).append(e.getMessage()));
      List<String> others = w.tenants().stream().map(AuditWorld.Tenant::name).filter(n -> !n.equals(t.name()))
          .filter(n -> seen.indexOf(n) >= 0).toList();
      a.holds("Nothing about others", "conditions, events and TenantStatus of " + t.name(),
          others.isEmpty() ? "names no other tenant" : "names " + others, others::isEmpty);
    }
  }

  /**
   * The takeover SPEC's ServiceAccount rule closes: tenant {@code hb-lg} names the ServiceAccount
   * {@code hb-lg/deployer} as its admin, but namespace {@code hb-lg} is tenant {@code hb}'s (its
   * namespace {@code lg}). hb's admin makes that ServiceAccount, which must get nothing of hb-lg.
   */
  @Test
  void aServiceAccountSubjectInSomeoneElsesNamespaceIsNotBound(RunningOperator operator, LocalControlPlane plane,
      KubernetesClient k8s, TestNames names) {
    String zone = names.name("harbor");
    String hb = "hb" + names.name("").substring(0, 6);
    String hbLg = hb + "-lg";
    k8s.resource(sharedZone(zone, quantities("pods", "20"))).create();
    ZoneTenant attacker = tenant(hb, zone, quantities("pods", "5"));
    attacker.getSpec().setNamespaces(List.of(new TenantNamespace("lg", null)));
    attacker.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, hb + "-admin", null)));
    k8s.resource(attacker).create();
    awaitCondition(k8s, ZoneTenant.class, hb, "Ready", true);
    ZoneTenant victim = tenant(hbLg, zone, quantities("pods", "5"));
    victim.getSpec().setNamespaces(List.of(new TenantNamespace("main", null)));
    victim.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, hbLg + "-admin", null),
        new Subject(Subject.Kind.ServiceAccount, "deployer", hbLg)));
    k8s.resource(victim).create();

    await().atMost(Duration.ofSeconds(20)).until(() -> "SubjectOutsideTenant".equals(readyReason(k8s, hbLg)));
    var ready = k8s.resources(ZoneTenant.class).withName(hbLg).get().getStatus().condition("Ready").orElseThrow();
    assertThat(ready.getMessage()).contains("ServiceAccount " + hbLg + "/deployer").contains(hbLg + "-main")
        .as("never names the tenant the namespace belongs to").doesNotContain("tenant " + hb + " ");
    try (KubernetesClient attackerAdmin = plane.impersonating(hb + "-admin")) {
      attackerAdmin.serviceAccounts().inNamespace(hbLg).resource(new ServiceAccountBuilder().withNewMetadata().withName("deployer")
          .endMetadata().build()).create();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> k8s.rbac().roleBindings().inNamespace(hbLg + "-main")
        .withName("lingang-tenant-admins").get() != null);
    assertThat(k8s.rbac().roleBindings().inNamespace(hbLg + "-main").withName("lingang-tenant-admins").get().getSubjects())
        .extracting(s -> s.getKind() + "/" + s.getName()).containsExactly("User/" + hbLg + "-admin");
    try (KubernetesClient stolen = plane.impersonating("system:serviceaccount:" + hbLg + ":deployer", "system:serviceaccounts",
        "system:serviceaccounts:" + hbLg, "system:authenticated")) {
      assertThat(Attempts.refusedWith(() -> stolen.secrets().inNamespace(hbLg + "-main").list())).isEqualTo(403);
      assertThat(Attempts.refusedWith(() -> stolen.pods().inNamespace(hbLg + "-main").resource(pod("in").build()).create())).isEqualTo(403);
      assertThat(Attempts.refusedWith(() -> stolen.resources(ZoneTenant.class).withName(hbLg).get())).isEqualTo(403);
    }
  }

  /**
   * The ServiceAccount rule in its other spellings: Kubernetes authenticates a ServiceAccount as the
   * user {@code system:serviceaccount:<namespace>:<name>}, in the groups {@code system:serviceaccounts}
   * and {@code system:serviceaccounts:<namespace>}, and everyone as {@code system:authenticated}. Named
   * as a User or Group, another tenant's accounts (or every account) would get this tenant's rights.
   */
  @Test
  void kubernetesOwnIdentitiesAreBoundOnlyForTheTenantsOwnServiceAccounts(RunningOperator operator, LocalControlPlane plane,
      KubernetesClient k8s, TestNames names) {
    String zone = names.name("ident");
    k8s.resource(sharedZone(zone, quantities("pods", "20"))).create();
    String other = names.name("other");
    k8s.resource(tenant(other, zone, quantities("pods", "5"))).create();
    awaitCondition(k8s, ZoneTenant.class, other, "Ready", true);
    String owner = names.name("owner");
    ZoneTenant t = tenant(owner, zone, quantities("pods", "5"));
    t.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, owner + "-admin", null),
        new Subject(Subject.Kind.User, "system:serviceaccount:" + owner + ":ci", null),
        new Subject(Subject.Kind.User, "system:serviceaccount:" + other + ":default", null),
        new Subject(Subject.Kind.Group, "system:serviceaccounts:" + other, null)));
    t.getSpec().setViewers(List.of(new Subject(Subject.Kind.Group, "system:serviceaccounts", null),
        new Subject(Subject.Kind.Group, "system:authenticated", null)));
    k8s.resource(t).create();

    await().atMost(Duration.ofSeconds(20)).until(() -> "SubjectOutsideTenant".equals(readyReason(k8s, owner)));
    var ready = k8s.resources(ZoneTenant.class).withName(owner).get().getStatus().condition("Ready").orElseThrow();
    assertThat(ready.getMessage()).contains("User system:serviceaccount:" + other + ":default")
        .contains("Group system:serviceaccounts:" + other).contains("Group system:serviceaccounts,")
        .contains("Group system:authenticated").doesNotContain(":ci");
    await().atMost(Duration.ofSeconds(10)).until(() -> k8s.rbac().roleBindings().inNamespace(owner)
        .withName("lingang-tenant-admins").get() != null);
    assertThat(k8s.rbac().roleBindings().inNamespace(owner).withName("lingang-tenant-admins").get().getSubjects())
        .extracting(s -> s.getKind() + "/" + s.getName())
        .containsExactlyInAnyOrder("User/" + owner + "-admin", "User/system:serviceaccount:" + owner + ":ci");
    assertThat(k8s.rbac().roleBindings().inNamespace(owner).withName("lingang-tenant-viewers").get()).isNull();
    try (KubernetesClient neighbour = plane.impersonating("system:serviceaccount:" + other + ":default", "system:serviceaccounts",
        "system:serviceaccounts:" + other, "system:authenticated")) {
      assertThat(Attempts.refusedWith(() -> neighbour.secrets().inNamespace(owner).list())).isEqualTo(403);
      assertThat(Attempts.refusedWith(() -> neighbour.configMaps().inNamespace(owner).list())).isEqualTo(403);
      assertThat(Attempts.refusedWith(() -> neighbour.resources(ZoneTenant.class).withName(owner).get())).isEqualTo(403);
    }
    try (KubernetesClient ownCi = plane.impersonating("system:serviceaccount:" + owner + ":ci", "system:serviceaccounts",
        "system:serviceaccounts:" + owner, "system:authenticated")) {
      assertThat(ownCi.configMaps().inNamespace(owner).list().getItems()).isNotNull();
    }
  }

  /** Tenants named like the chart's shared roles leave those roles exactly as the chart wrote them. */
  @Test
  void tenantsNamedAdminAndViewerCannotTakeOverTheSharedRoles(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    String zone = names.name("names");
    k8s.resource(sharedZone(zone, quantities("pods", "20"))).create();
    ClusterRole adminBefore = k8s.rbac().clusterRoles().withName("lingang-zones-tenant-admin").get();
    ClusterRole viewerBefore = k8s.rbac().clusterRoles().withName("lingang-zones-tenant-viewer").get();
    for (String name : List.of("admin", "viewer")) {
      ZoneTenant t = tenant(name, zone, quantities("pods", "5"));
      t.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, names.name(name + "-owner"), null)));
      t.getSpec().setDeletionPolicy(io.lingang.zones.api.v1alpha1.ZoneTenantSpec.DeletionPolicy.Delete);
      k8s.resource(t).create();
      awaitCondition(k8s, ZoneTenant.class, name, "Ready", true);
      assertThat(k8s.rbac().clusterRoles().withName("lingang-zones:tenant:" + name).get()).isNotNull();
    }
    assertSameRole(k8s.rbac().clusterRoles().withName("lingang-zones-tenant-admin").get(), adminBefore);
    assertSameRole(k8s.rbac().clusterRoles().withName("lingang-zones-tenant-viewer").get(), viewerBefore);

    for (String name : List.of("admin", "viewer")) {
      k8s.resources(ZoneTenant.class).withName(name).delete();
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(k8s.resources(ZoneTenant.class).withName("admin").get()).isNull();
      assertThat(k8s.resources(ZoneTenant.class).withName("viewer").get()).isNull();
    });
    // The garbage collector learns a new CRD's kind on its 30-second discovery resync, so on a
    // control plane this young its own role may take that long to go.
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
        k8s.rbac().clusterRoles().withName("lingang-zones:tenant:admin").get()).as("garbage-collected").isNull());
    assertSameRole(k8s.rbac().clusterRoles().withName("lingang-zones-tenant-admin").get(), adminBefore);
    assertSameRole(k8s.rbac().clusterRoles().withName("lingang-zones-tenant-viewer").get(), viewerBefore);
    await().atMost(Duration.ofSeconds(60)).until(() -> k8s.namespaces().withName("admin").get() == null
        && k8s.namespaces().withName("viewer").get() == null);
  }

  private static void assertSameRole(ClusterRole now, ClusterRole before) {
    assertThat(now).as("the chart's role still exists").isNotNull();
    assertThat(now.getRules()).isEqualTo(before.getRules());
    assertThat(now.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(now.getMetadata().getLabels()).doesNotContainKey("zones.lingang.io/tenant");
  }

  private static String readyReason(KubernetesClient k8s, String tenant) {
    ZoneTenant t = k8s.resources(ZoneTenant.class).withName(tenant).get();
    return t == null || t.getStatus() == null ? null : t.getStatus().condition("Ready").map(c -> c.getReason()).orElse(null);
  }

  private static List<String> policiesIn(KubernetesClient k8s, String ns) {
    return k8s.network().v1().networkPolicies().inNamespace(ns).list().getItems().stream().map(p -> p.getMetadata().getName())
        .sorted().toList();
  }

  private static PodBuilder pod(String name) {
    return PlacementAttempts.pod(name);
  }

  private static io.fabric8.kubernetes.api.model.Service service(String name, String type) {
    ServiceBuilder b = new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withType(type)
        .addToSelector("app", name).addNewPort().withPort(80).endPort().endSpec();
    if ("ExternalName".equals(type)) {
      b.editSpec().withExternalName("db.example.com").withSelector(null).endSpec();
    }
    return b.build();
  }

  private static Map<String, Quantity> cpu() {
    return Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi"));
  }

  private static String slug(String s) {
    return s.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
