package io.lingang.zones.audit;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static io.lingang.zones.testing.Fixtures.withAdmin;
import static io.lingang.zones.testing.Fixtures.zoneWithReadyTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.NodePlacement;
import io.lingang.zones.api.v1alpha1.ZoneNetwork;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the admission policies admitted once must stay movable after the rules around it change (a
 * zone's parameters, a newer policy): labels, owner references and above all finalizers. A
 * controller that cannot take its finalizer off leaves the object, and a namespace being deleted
 * with it, Terminating for ever. The policies judge a change of what they judge, never a change
 * of metadata alone; a change of the judged fields is still held to the rules of the day.
 */
@ControlPlaneTest
class AdmittedObjectsStayMovableIT {
  private static final String LB_CLEANUP = "service.kubernetes.io/load-balancer-cleanup";
  private static final String JOB_TRACKING = "batch.kubernetes.io/job-tracking";

  @Test
  void aLoadBalancerLetsGoOfItsFinalizerAfterItsZoneStopsAllowingLoadBalancers(RunningOperator operator,
      LocalControlPlane plane, KubernetesClient k8s, TestNames names) {
    String zone = names.name("lb-zone");
    String admin = names.name("admin");
    String ns = dedicatedZoneWithTenant(k8s, names, zone, admin, "lb");
    try (KubernetesClient tenantAdmin = plane.impersonating(admin)) {
      tenantAdmin.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("front").endMetadata()
          .withNewSpec().withType("LoadBalancer").addToSelector("app", "front").addNewPort().withPort(443).endPort().endSpec()
          .build()).create();
      // The service controller's cleanup finalizer, as it puts it on every LoadBalancer Service.
      k8s.services().inNamespace(ns).withName("front").edit(s -> new ServiceBuilder(s).editMetadata()
          .addToFinalizers(LB_CLEANUP).endMetadata().build());

      k8s.resources(BusinessZone.class).withName(zone).edit(z -> {
        z.getSpec().getNetwork().setServiceTypes(List.of(ZoneNetwork.ServiceType.ClusterIP));
        return z;
      });
      await("the zone's Service types on " + ns).atMost(Duration.ofSeconds(30)).until(() ->
          "ClusterIP".equals(k8s.namespaces().withName(ns).get().getMetadata().getAnnotations().get("zones.lingang.io/service-types")));

      // Its own change is held to the zone's rules of the day ...
      assertThatThrownBy(() -> tenantAdmin.services().inNamespace(ns).withName("front").edit(s -> new ServiceBuilder(s)
          .editSpec().editFirstPort().withPort(8443).endPort().endSpec().build()))
          .isInstanceOf(KubernetesClientException.class).hasMessageContaining("Service type LoadBalancer is not allowed");
      // ... while its labels still move, and its deletion ends once the controller lets go.
      tenantAdmin.services().inNamespace(ns).withName("front").edit(s -> new ServiceBuilder(s).editMetadata()
          .addToLabels("retired", "true").endMetadata().build());
      tenantAdmin.services().inNamespace(ns).withName("front").delete();
      k8s.services().inNamespace(ns).withName("front").edit(s -> new ServiceBuilder(s).editMetadata()
          .removeFromFinalizers(LB_CLEANUP).endMetadata().build());
      await("Service " + ns + "/front gone").atMost(Duration.ofSeconds(10))
          .until(() -> k8s.services().inNamespace(ns).withName("front").get() == null);
    }
  }

  @Test
  void aPodLetsGoOfItsFinalizerAfterItsDedicatedZoneMovesToOtherNodes(RunningOperator operator, LocalControlPlane plane,
      KubernetesClient k8s, TestNames names) {
    String zone = names.name("moving");
    String admin = names.name("admin");
    String ns = dedicatedZoneWithTenant(k8s, names, zone, admin, "old-nodes");
    try (KubernetesClient tenantAdmin = plane.impersonating(admin)) {
      // A Job's pod carries the Job controller's tracking finalizer until the Job has counted it.
      tenantAdmin.pods().inNamespace(ns).resource(PlacementAttempts.pod("job-pod").editMetadata().addToFinalizers(JOB_TRACKING)
          .endMetadata().build()).create();

      k8s.resources(BusinessZone.class).withName(zone).edit(z -> {
        z.getSpec().getDedicatedNodes().setNodeSelector(Map.of("lingang.io/dedicated", "new-nodes"));
        z.getSpec().getDedicatedNodes().setTolerations(List.of(toleration("new-nodes")));
        return z;
      });
      await("the zone's new nodes on " + ns).atMost(Duration.ofSeconds(30)).until(() -> k8s.namespaces().withName(ns).get()
          .getMetadata().getAnnotations().getOrDefault("scheduler.alpha.kubernetes.io/node-selector", "").contains("new-nodes"));

      // A new pod goes to the new nodes only; the one already there still takes labels and lets go.
      assertThatThrownBy(() -> tenantAdmin.pods().inNamespace(ns).resource(PlacementAttempts.pod("stray").editSpec()
          .withNodeSelector(Map.of("lingang.io/dedicated", "old-nodes")).endSpec().build()).create())
          .isInstanceOf(KubernetesClientException.class);
      tenantAdmin.pods().inNamespace(ns).withName("job-pod").edit(p -> label(p, "counted"));
      tenantAdmin.pods().inNamespace(ns).withName("job-pod").withGracePeriod(0).delete();
      k8s.pods().inNamespace(ns).withName("job-pod").edit(p -> {
        p.getMetadata().getFinalizers().remove(JOB_TRACKING);
        return p;
      });
      await("pod " + ns + "/job-pod gone").atMost(Duration.ofSeconds(10))
          .until(() -> k8s.pods().inNamespace(ns).withName("job-pod").get() == null);
    }
  }

  @Test
  void aDaemonSetsPodTakesItsTenantsLabels(RunningOperator operator, LocalControlPlane plane, KubernetesClient k8s,
      TestNames names) {
    String admin = names.name("admin");
    ZoneTenant t = withAdmin(tenant(names.name("daemons"), names.name("plain"), quantities("pods", "5")), admin);
    String ns = zoneWithReadyTenant(k8s, names.name("plain"), t).getMetadata().getName();
    try (KubernetesClient controllerManager = plane.impersonatingControllerManager();
        KubernetesClient tenantAdmin = plane.impersonating(admin)) {
      // The DaemonSet controller pins its pod to a node by name, which a tenant may not write itself.
      controllerManager.pods().inNamespace(ns).resource(PlacementAttempts.byName(PlacementAttempts.pod("agent-x7k2p"),
          "shared-node-1", true).build()).create();

      Pod labelled = tenantAdmin.pods().inNamespace(ns).withName("agent-x7k2p").edit(p -> label(p, "canary"));
      assertThat(labelled.getMetadata().getLabels()).containsEntry("release", "canary");
    }
  }

  /** A Dedicated zone that allows LoadBalancers, with one Ready tenant whose admin is {@code admin}; returns its namespace. */
  private static String dedicatedZoneWithTenant(KubernetesClient k8s, TestNames names, String zone, String admin, String nodes) {
    BusinessZone z = sharedZone(zone, quantities("pods", "10"));
    z.getSpec().setMode(BusinessZoneSpec.Mode.Dedicated);
    NodePlacement placement = new NodePlacement();
    placement.setNodeSelector(Map.of("lingang.io/dedicated", nodes));
    placement.setTolerations(List.of(toleration(nodes)));
    z.getSpec().setDedicatedNodes(placement);
    z.getSpec().getNetwork().setServiceTypes(List.of(ZoneNetwork.ServiceType.ClusterIP, ZoneNetwork.ServiceType.LoadBalancer));
    k8s.resource(z).create();
    ZoneTenant t = withAdmin(tenant(names.name("tenant"), zone, quantities("pods", "5")), admin);
    k8s.resource(t).create();
    return awaitCondition(k8s, ZoneTenant.class, t.getMetadata().getName(), "Ready", true).getMetadata().getName();
  }

  private static Toleration toleration(String value) {
    return new TolerationBuilder().withKey("lingang.io/dedicated").withOperator("Equal").withValue(value).withEffect("NoSchedule")
        .build();
  }

  private static Pod label(Pod pod, String release) {
    return new PodBuilder(pod).editMetadata().addToLabels("release", release).endMetadata().build();
  }
}
