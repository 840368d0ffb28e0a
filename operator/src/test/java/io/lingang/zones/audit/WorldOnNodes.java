package io.lingang.zones.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.desired.TenantResources;
import io.lingang.zones.testing.NodesCluster;
import io.lingang.zones.testing.TestNames;
import io.lingang.zones.testing.TestPods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit's world ({@link AuditWorld}) on the real nodes, built once per test JVM for the
 * {@code *OnNodesIT} suites of this package. Its Dedicated zone's nodes are the dedicated node and
 * its edge pool's the edge node of {@code hack/nodes.conf} (labels and taints as the world expects).
 * A server pod ({@link TestPods#server}) runs in every namespace the truth table names: the tenant
 * namespaces (started while beta was not yet suspended and delta not yet offboarded), the zone
 * gateway, and in kube-system one pod labelled as the cluster DNS and one other. Four more stand in
 * for addresses behind the DataLinks, in a namespace of no tenant: the HK link's CIDRs are two of
 * them ({@code /32}), SG's a third, the fourth is in no link.
 */
final class WorldOnNodes {
  /** One pod of the truth table; {@code name} is how the oracle names it ({@code <ns>/<pod>} or {@code external/<name>}). */
  record Endpoint(String name, String namespace, String pod, String ip, String node) {
    boolean external() {
      return name.startsWith("external/");
    }
  }

  private static WorldOnNodes shared;
  private static RuntimeException failed;

  final AuditWorld w;
  final String linksNamespace;
  /** Every endpoint by its name, tenant namespaces first, the externals last. */
  final Map<String, Endpoint> endpoints;
  /** The HK link's CIDRs once the world is built: the two HK stand-ins. */
  final List<String> hkCidrs;

  private WorldOnNodes(AuditWorld w, String linksNamespace, Map<String, Endpoint> endpoints, List<String> hkCidrs) {
    this.w = w;
    this.linksNamespace = linksNamespace;
    this.endpoints = endpoints;
    this.hkCidrs = hkCidrs;
  }

  /** The world, built on first use (with the operator installed from the chart, if it is not). */
  static synchronized WorldOnNodes get(NodesCluster cluster) {
    if (failed != null) {
      throw new IllegalStateException("building the world on the nodes failed before", failed);
    }
    cluster.ensureOperator();
    if (shared == null) {
      try {
        long started = System.nanoTime();
        shared = build(cluster.admin(), TestNames.random());
        System.out.printf("world on nodes: zones, tenants and %d server pods ready in %d s%n", shared.endpoints.size(),
            Duration.ofNanos(System.nanoTime() - started).toSeconds());
      } catch (RuntimeException | AssertionError e) {
        failed = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        throw e;
      }
    }
    return shared;
  }

  Endpoint endpoint(String name) {
    Endpoint e = endpoints.get(name);
    assertThat(e).as("endpoint " + name).isNotNull();
    return e;
  }

  /** The address of each {@code external/<name>} endpoint, as the oracle takes them. */
  Map<String, String> externalIps() {
    Map<String, String> ips = new LinkedHashMap<>();
    endpoints.values().stream().filter(Endpoint::external).forEach(e -> ips.put(e.name(), e.ip()));
    return ips;
  }

  private static WorldOnNodes build(KubernetesClient k8s, TestNames names) {
    String links = names.name("links");
    // Where each server pod goes: namespaces that are no tenant's may run anywhere; they are spread
    // so that flows also cross nodes (tenant pods are placed by their namespaces).
    List<Pod> servers = new ArrayList<>();
    AuditWorld w = AuditWorld.build(k8s, names, NodesCluster.DEDICATED_LABEL, NodesCluster.EDGE_POOL_LABEL, world -> {
      for (String ns : new SpecNetworkOracle(world, List.of()).tenantNamespaces()) {
        servers.add(server(ns, "probe", Map.of("app", "probe"), null));
      }
      servers.add(server(world.gatewayNamespace, "probe", Map.of("app", "probe"), NodesCluster.EDGE_NODE));
      servers.add(server("kube-system", "dns", Map.of("k8s-app", "kube-dns"), NodesCluster.DEDICATED_NODE));
      servers.add(server("kube-system", "metrics", Map.of("k8s-app", "metrics-server"), NodesCluster.PLAIN_NODE));
      k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(links).endMetadata().build()).create();
      servers.add(server(links, "hk-a", Map.of("app", "link"), NodesCluster.EDGE_NODE));
      servers.add(server(links, "hk-b", Map.of("app", "link"), NodesCluster.PLAIN_NODE));
      servers.add(server(links, "sg", Map.of("app", "link"), NodesCluster.DEDICATED_NODE));
      servers.add(server(links, "nowhere", Map.of("app", "link"), NodesCluster.PLAIN_NODE));
      servers.forEach(p -> k8s.resource(p).create());
      await("every server pod Ready").atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
        for (Pod p : servers) {
          Pod current = k8s.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).get();
          assertThat(current.getStatus().getConditions()).as("pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
              .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        }
      });
    });

    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    for (Pod p : servers) {
      Pod current = k8s.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).get();
      String ns = current.getMetadata().getNamespace();
      String name = ns.equals(links) ? "external/" + current.getMetadata().getName() : ns + "/" + current.getMetadata().getName();
      endpoints.put(name, new Endpoint(name, ns, current.getMetadata().getName(), current.getStatus().getPodIP(),
          current.getSpec().getNodeName()));
    }

    // The links now lead to the stand-ins, and alpha's egress policy says so before anything is probed.
    List<String> hk = List.of(endpoints.get("external/hk-a").ip() + "/32", endpoints.get("external/hk-b").ip() + "/32");
    setCidrs(k8s, w.hk, hk);
    setCidrs(k8s, w.sg, List.of(endpoints.get("external/sg").ip() + "/32"));
    awaitEgressPolicy(k8s, w, hk);
    return new WorldOnNodes(w, links, endpoints, hk);
  }

  static void setCidrs(KubernetesClient k8s, String link, List<String> cidrs) {
    k8s.resources(DataLink.class).withName(link).edit(l -> {
      l.getSpec().setCidrs(cidrs);
      return l;
    });
  }

  /** Until the data-link policy of alpha's namespaces allows exactly {@code cidrs}. */
  static void awaitEgressPolicy(KubernetesClient k8s, AuditWorld w, List<String> cidrs) {
    await("alpha's egress policy names " + cidrs).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (String ns : w.alpha.namespaces()) {
        NetworkPolicy p = k8s.network().v1().networkPolicies().inNamespace(ns).withName(TenantResources.ALLOW_DATA_LINKS).get();
        assertThat(p).as(TenantResources.ALLOW_DATA_LINKS + " in " + ns).isNotNull();
        assertThat(p.getSpec().getEgress()).flatExtracting(e -> e.getTo()).extracting(peer -> peer.getIpBlock().getCidr())
            .as("CIDRs in " + ns).containsExactlyInAnyOrderElementsOf(cidrs);
      }
    });
  }

  /** A server pod; pinned to {@code node} (tolerating its taint) unless null, when its namespace decides. */
  private static Pod server(String namespace, String name, Map<String, String> labels, String node) {
    var pod = TestPods.server(name, labels).editMetadata().withNamespace(namespace).endMetadata();
    if (node != null) {
      pod.editSpec().withNodeSelector(Map.of("kubernetes.io/hostname", node))
          .withTolerations(new TolerationBuilder().withKey("lingang.io/pool").withOperator("Exists").withEffect("NoSchedule").build(),
              new TolerationBuilder().withKey("lingang.io/dedicated").withOperator("Exists").withEffect("NoSchedule").build())
          .endSpec();
    }
    return pod.build();
  }
}
