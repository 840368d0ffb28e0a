package io.lingang.zones.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lingang.zones.audit.PacketProbes.Flow;
import io.lingang.zones.audit.WorldOnNodes.Endpoint;
import io.lingang.zones.testing.NodesCluster;
import io.lingang.zones.testing.NodesClusterTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The isolation audit's network truth table, by real packets on real nodes: every ordered pair of
 * the world's pods (same tenant, same zone, other zone, edge, retained, a zone gateway, the cluster
 * DNS and another kube-system pod) and the stand-ins for the addresses behind the DataLinks, on the
 * ports the audit judges, each probed from inside its source pod and held against the same oracle
 * as the policies' judged truth table ({@link SpecNetworkOracle}, {@link NetworkTruthTableIT}).
 * kube-router enforces the policies on every node; a control run without it shows that the same
 * probes then fail, so it is the enforcer, not the test, that makes them pass.
 */
@NodesClusterTest
class NetworkByPacketsOnNodesIT {
  /** What tenants use (TCP 80), the HK link's port (TCP 443), DNS (UDP and TCP 53). */
  private static final List<Map.Entry<String, Integer>> PORTS =
      List.of(Map.entry("TCP", 80), Map.entry("TCP", AuditWorld.HK_PORT), Map.entry("UDP", 53), Map.entry("TCP", 53));
  /** How long a probe may differ from the expectation before it counts (a policy takes a moment to reach the rules). */
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  /** SPEC.md: "Changing a link's CIDRs or ports changes every tenant's egress within seconds." */
  private static final Duration LINK_CHANGE_LIMIT = Duration.ofSeconds(10);

  private static NodesCluster cluster;
  private static WorldOnNodes world;
  private static PacketProbes probes;

  @BeforeAll
  static void world(NodesCluster nodes) throws IOException {
    cluster = nodes;
    world = WorldOnNodes.get(nodes);
    probes = new PacketProbes(nodes, world);
    Files.createDirectories(report().getParent());
    Files.writeString(report(), "# Network truth table by real packets (kube-router v2.1.0 on three nodes)\n\n"
        + "endpoints: " + world.endpoints.size() + " (" + world.externalIps().size() + " stand in for DataLink addresses), ports: "
        + PORTS.size() + ", probe: agnhost connect --timeout=2s from inside the source pod\n");
  }

  @Test
  void realPacketsGoWhereSpecSaysAndNowhereElse() throws IOException {
    Map<Flow, Boolean> spec = specTable(world.hkCidrs);

    long started = System.nanoTime();
    Map<Flow, Boolean> seen = probes.settle(spec, PATIENCE);
    List<Flow> unintended = PacketProbes.differing(seen, spec);
    record("With kube-router enforcing", spec, seen, started);

    int endpoints = world.endpoints.size();
    int externals = world.externalIps().size();
    assertThat(spec).as("every ordered pair on every port, none between two stand-ins")
        .hasSize(PORTS.size() * (endpoints * (endpoints - 1) - externals * (externals - 1)));
    assertThat(seen.values()).as("some flows connect (same tenant, DNS, links, gateway), or the table proves nothing").contains(true);
    assertThat(seen.values()).as("some flows are refused").contains(false);
    assertThat(unintended).as("flows where real packets and SPEC.md disagree").isEmpty();
  }

  @Test
  void aDataLinkCidrChangeIsSeenInTrafficWithinSeconds() throws IOException {
    String alpha = world.w.alpha.namespace() + "/probe";
    Flow toHk = new Flow(alpha, "external/hk-a", "TCP", AuditWorld.HK_PORT);
    Flow toNowhere = new Flow(alpha, "external/nowhere", "TCP", AuditWorld.HK_PORT);
    assertThat(probes.settle(Map.of(toHk, true, toNowhere, false), PATIENCE)).as("before the change")
        .isEqualTo(Map.of(toHk, true, toNowhere, false));
    String nowhere = world.endpoint("external/nowhere").ip() + "/32";
    try {
      Duration moved = changeLink(List.of(nowhere), Map.of(toHk, false, toNowhere, true));
      Duration back = changeLink(world.hkCidrs, Map.of(toHk, true, toNowhere, false));
      String line = String.format("%nDataLink CIDR change, from the API request to the first probe that saw it: %d ms"
          + " (moved to another address), %d ms (moved back)%n", moved.toMillis(), back.toMillis());
      Files.writeString(report(), line, StandardOpenOption.APPEND);
      System.out.print(line);
      assertThat(moved).isLessThan(LINK_CHANGE_LIMIT);
      assertThat(back).isLessThan(LINK_CHANGE_LIMIT);
    } finally {
      WorldOnNodes.setCidrs(cluster.admin(), world.w.hk, world.hkCidrs);
      WorldOnNodes.awaitEgressPolicy(cluster.admin(), world.w, world.hkCidrs);
    }
  }

  @Test
  void withoutTheEnforcerTheSameProbesFail() throws IOException {
    Map<Flow, Boolean> spec = specTable(world.hkCidrs);
    Map<Flow, Boolean> connected = new LinkedHashMap<>();
    spec.keySet().forEach(f -> connected.put(f, true));

    Map<Flow, Boolean> unenforced;
    long started = System.nanoTime();
    try {
      cluster.enforceNetworkPolicies(false);
      unenforced = probes.settle(connected, PATIENCE);
      record("Control run: kube-router stopped and its rules removed", spec, unenforced, started);
    } finally {
      cluster.enforceNetworkPolicies(true);
    }
    assertThat(PacketProbes.differing(unenforced, connected)).as("without an enforcer every server answers every probe").isEmpty();
    List<Flow> denied = spec.keySet().stream().filter(f -> !spec.get(f)).toList();
    assertThat(denied).isNotEmpty();
    assertThat(PacketProbes.differing(unenforced, spec)).as("the truth table then fails on exactly the flows SPEC denies")
        .containsExactlyInAnyOrderElementsOf(denied);

    started = System.nanoTime();
    Map<Flow, Boolean> enforced = probes.settle(spec, PATIENCE);
    record("kube-router started again", spec, enforced, started);
    assertThat(PacketProbes.differing(enforced, spec)).as("with the enforcer back, real packets agree with SPEC.md again").isEmpty();
  }

  /** Every ordered pair of endpoints on every port, but none between two stand-ins (nothing of ours lies between them). */
  private static Map<Flow, Boolean> specTable(List<String> hkCidrs) {
    SpecNetworkOracle oracle = new SpecNetworkOracle(world.w, hkCidrs);
    Map<String, String> externalIps = world.externalIps();
    Map<Flow, Boolean> table = new LinkedHashMap<>();
    for (Endpoint from : world.endpoints.values()) {
      for (Endpoint to : world.endpoints.values()) {
        if (from == to || from.external() && to.external()) {
          continue;
        }
        for (Map.Entry<String, Integer> port : PORTS) {
          table.put(new Flow(from.name(), to.name(), port.getKey(), port.getValue()),
              oracle.allowed(from.name(), to.name(), port.getKey(), port.getValue(), externalIps));
        }
      }
    }
    return table;
  }

  /** Points the HK link at {@code cidrs}; the time until the probes show {@code expected}. */
  private static Duration changeLink(List<String> cidrs, Map<Flow, Boolean> expected) {
    long changed = System.nanoTime();
    WorldOnNodes.setCidrs(cluster.admin(), world.w.hk, cidrs);
    await("traffic follows the HK link to " + cidrs).atMost(LINK_CHANGE_LIMIT.multipliedBy(3)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100)).until(() -> probes.probe(expected.keySet()).equals(expected));
    return Duration.ofNanos(System.nanoTime() - changed);
  }

  private static void record(String title, Map<Flow, Boolean> spec, Map<Flow, Boolean> seen, long startedNanos) throws IOException {
    List<Flow> unintended = PacketProbes.differing(seen, spec);
    long pairs = spec.keySet().stream().map(f -> f.from() + " " + f.to()).distinct().count();
    long allowed = seen.values().stream().filter(b -> b).count();
    StringBuilder text = new StringBuilder(String.format("%n## %s%n%nordered pairs: %d, flows probed: %d, connected: %d, refused: %d,"
        + " unintended (differ from SPEC.md): %d, in %d s%n%n", title, pairs, seen.size(), allowed, seen.size() - allowed,
        unintended.size(), Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds()));
    unintended.stream().limit(50).forEach(f -> text.append("- ").append(f).append(": ").append(seen.get(f) ? "connected" : "refused")
        .append(", SPEC says ").append(spec.get(f) ? "allowed" : "denied").append('\n'));
    if (unintended.size() > 50) {
      text.append("- and ").append(unintended.size() - 50).append(" more\n");
    }
    Files.writeString(report(), text, StandardOpenOption.APPEND);
    System.out.print(text);
  }

  private static Path report() {
    return cluster.repositoryRoot().resolve("operator/target/isolation-audit/network-by-packets.md");
  }
}
