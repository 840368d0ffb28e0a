package io.lingang.zones.audit;

import static io.lingang.zones.testing.Fixtures.awaitCondition;
import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The isolation audit's network truth table: the NetworkPolicies the operator really generated
 * (read back from the API server), judged by an evaluator this project did not write (the policy
 * engine of cyclonus v0.5.6, in {@code hack/gotools}), for every pair of tenant namespaces (same
 * tenant, same zone, other zone, edge, retained), the cluster DNS and another kube-system pod, a
 * zone gateway, and addresses inside and just outside each DataLink's CIDRs. Each verdict is held
 * against an oracle written from SPEC.md ({@link SpecNetworkOracle}), the same one real packets are
 * held against on real nodes ({@link NetworkByPacketsOnNodesIT}).
 */
@ControlPlaneTest
class NetworkTruthTableIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A pod the truth table places in a namespace; no pod runs (the real-node suite probes with packets). */
  private record Probe(String namespace, String name, Map<String, String> labels, String ip) {}

  private record External(String name, String ip) {}

  private record Port(String protocol, int port) {}

  private static final List<Port> PORTS = List.of(new Port("TCP", 80), new Port("TCP", 443), new Port("UDP", 53),
      new Port("TCP", 53));

  @Test
  void generatedPoliciesAllowExactlyWhatSpecAllows(RunningOperator operator, LocalControlPlane plane, KubernetesClient k8s,
      TestNames names) throws IOException {
    AuditWorld w = AuditWorld.build(k8s, names);
    SpecNetworkOracle oracle = new SpecNetworkOracle(w, List.of(AuditWorld.HK_CIDR));
    List<String> namespaces = new ArrayList<>(oracle.tenantNamespaces());
    namespaces.addAll(List.of(w.gatewayNamespace, "kube-system"));

    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < namespaces.size(); i++) {
      String ns = namespaces.get(i);
      if (ns.equals("kube-system")) {
        probes.add(new Probe(ns, "dns", Map.of("k8s-app", "kube-dns"), "10.250." + i + ".1"));
        probes.add(new Probe(ns, "metrics", Map.of("k8s-app", "metrics-server"), "10.250." + i + ".2"));
      } else {
        probes.add(new Probe(ns, "probe", Map.of("app", "probe"), "10.250." + i + ".1"));
      }
    }
    List<External> externals = List.of(new External("hk-inside", "203.0.113.10"), new External("hk-just-below", "203.0.112.255"),
        new External("hk-just-above", "203.0.114.0"), new External("sg-inside", "198.51.100.7"));

    JsonNode results = judge(plane, k8s, namespaces, probes, externals, PORTS);

    int allowed = 0;
    List<String> unintended = new ArrayList<>();
    Map<String, String> ipOf = new LinkedHashMap<>();
    externals.forEach(e -> ipOf.put("external/" + e.name(), e.ip()));
    for (JsonNode r : results) {
      String from = r.get("from").asText();
      String to = r.get("to").asText();
      String protocol = r.get("protocol").asText();
      int port = r.get("port").asInt();
      boolean actual = r.get("allowed").asBoolean();
      boolean expected = oracle.allowed(from, to, protocol, port, ipOf);
      allowed += actual ? 1 : 0;
      if (actual != expected) {
        unintended.add(from + " -> " + to + " " + protocol + "/" + port + ": cyclonus says " + (actual ? "allowed" : "denied")
            + ", SPEC says " + (expected ? "allowed" : "denied"));
      }
    }
    String report = "# Network truth table (generated policies, judged by cyclonus v0.5.6)\n\nnamespaces: " + namespaces.size()
        + ", pods: " + probes.size() + ", external addresses: " + externals.size() + ", ports: " + PORTS.size()
        + "\n\nflows judged: " + results.size() + ", allowed: " + allowed + ", denied: " + (results.size() - allowed)
        + ", unintended (differ from SPEC): " + unintended.size() + "\n\n"
        + String.join("\n", unintended.stream().map(u -> "- " + u).toList()) + "\n";
    var dir = LocalControlPlane.repoRoot().resolve("operator/target/isolation-audit");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("network-truth-table.md"), report);
    System.out.println(report);

    assertThat(results.size()).as("every ordered pair judged on every port")
        .isEqualTo(PORTS.size() * (probes.size() * (probes.size() - 1) + 2 * probes.size() * externals.size()));
    assertThat(allowed).as("some flows are allowed (same tenant, DNS, links), or the table proves nothing").isPositive();
    assertThat(unintended).as("flows where the generated policies and SPEC.md disagree").isEmpty();
  }

  /**
   * SPEC.md: two tenants can never reach each other, whatever their zones. A zone's
   * {@code allowIngressFrom} is the platform's to write, and a selector written too wide (every
   * namespace of our zones, here) must still let no other tenant in: the receiving side alone
   * refuses every other tenant's pods, whatever the sender's egress allows (a DataLink whose CIDR
   * overlaps the pod network, say), while the zone's gateway still gets in.
   */
  @Test
  void aZoneIngressSelectorThatAlsoMatchesTenantsLetsNoOtherTenantIn(RunningOperator operator, LocalControlPlane plane,
      KubernetesClient k8s, TestNames names) throws IOException {
    String zone = names.name("wide");
    String otherZone = names.name("wide-other");
    String gateway = names.name("wide-gw");
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(gateway)
        .withLabels(Map.of("lingang.io/gateway", zone)).endMetadata().build()).create();
    var wide = sharedZone(zone, quantities("pods", "20"));
    wide.getSpec().getNetwork().setAllowIngressFrom(List.of(
        new LabelSelectorBuilder().addNewMatchExpression().withKey("zones.lingang.io/zone")
            .withOperator("Exists").endMatchExpression().build(),
        new LabelSelectorBuilder().withMatchLabels(Map.of("lingang.io/gateway", zone)).build()));
    k8s.resource(wide).create();
    k8s.resource(sharedZone(otherZone, quantities("pods", "20")))
        .create();
    List<String> tenants = List.of(names.name("wide-a"), names.name("wide-b"), names.name("wide-c"));
    for (String t : tenants) {
      k8s.resource(tenant(t, t.equals(tenants.get(2)) ? otherZone : zone,
          quantities("pods", "5"))).create();
    }
    for (String t : tenants) {
      awaitCondition(k8s, ZoneTenant.class, t, "Ready", true);
    }
    List<String> namespaces = new ArrayList<>(tenants);
    namespaces.add(gateway);
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < namespaces.size(); i++) {
      probes.add(new Probe(namespaces.get(i), "probe", Map.of("app", "probe"), "10.251." + i + ".1"));
    }

    JsonNode results = judge(plane, k8s, namespaces, probes, List.of(), List.of(new Port("TCP", 80)));

    List<String> admitted = new ArrayList<>();
    for (JsonNode r : results) {
      String from = r.get("from").asText().split("/")[0];
      String to = r.get("to").asText().split("/")[0];
      if (tenants.contains(to) && r.get("ingress").asBoolean()) {
        admitted.add(from + " -> " + to);
      }
    }
    assertThat(admitted).as("who the receiving tenant's own policies let in")
        .containsExactlyInAnyOrder(gateway + " -> " + tenants.get(0), gateway + " -> " + tenants.get(1));
  }

  /** The flows among {@code probes} (and to and from {@code externals}), judged by cyclonus' engine. */
  private static JsonNode judge(LocalControlPlane plane, KubernetesClient k8s, List<String> namespaces, List<Probe> probes,
      List<External> externals, List<Port> ports) throws IOException {
    ObjectNode input = JSON.createObjectNode();
    ObjectNode nsLabels = input.putObject("namespaces");
    ArrayNode policies = input.putArray("policies");
    var serialization = k8s.getKubernetesSerialization();
    for (String ns : namespaces) {
      var labels = k8s.namespaces().withName(ns).get().getMetadata().getLabels();
      nsLabels.set(ns, JSON.valueToTree(labels == null ? Map.of() : labels));
      for (NetworkPolicy p : k8s.network().v1().networkPolicies().inNamespace(ns).list().getItems()) {
        policies.add(JSON.readTree(serialization.asJson(p)));
      }
    }
    ArrayNode pods = input.putArray("pods");
    probes.forEach(p -> pods.addObject().put("namespace", p.namespace()).put("name", p.name()).put("ip", p.ip())
        .set("labels", JSON.valueToTree(p.labels())));
    ArrayNode ext = input.putArray("externals");
    externals.forEach(e -> ext.addObject().put("name", e.name()).put("ip", e.ip()));
    ArrayNode portList = input.putArray("ports");
    ports.forEach(p -> portList.addObject().put("protocol", p.protocol()).put("port", p.port()));

    Commands.Result judged = Commands.run(plane, List.of(Commands.testTool(plane, "netpol-truth")), JSON.writeValueAsString(input));
    assertThat(judged.exit()).as(judged.output()).isZero();
    return JSON.readTree(judged.output()).get("results");
  }
}
