package io.lingang.zones.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lingang.zones.audit.WorldOnNodes.Endpoint;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.NodesCluster;
import io.lingang.zones.testing.TestPods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Real packets between the pods of a {@link WorldOnNodes}: {@code agnhost connect <ip>:<port>
 * --timeout=2s}, a TCP handshake, or for UDP a datagram that must be answered, sent from inside the
 * source pod through {@code kubectl exec}. kube-router rejects what a policy denies, so a denied
 * probe fails at once rather than by timeout. One exec per source pod runs all of its probes in a
 * shell loop, and a few sources run at a time: enough to be quick, not so many that two cores
 * starve the nodes.
 */
final class PacketProbes {
  /** One flow: from an endpoint to another, on a protocol and port. */
  record Flow(String from, String to, String protocol, int port) {
    @Override
    public String toString() {
      return from + " -> " + to + " " + protocol + "/" + port;
    }
  }

  private static final int PARALLEL_SOURCES = 3;
  private final NodesCluster cluster;
  private final WorldOnNodes world;

  PacketProbes(NodesCluster cluster, WorldOnNodes world) {
    this.cluster = cluster;
    this.world = world;
  }

  /**
   * Probes every flow, then again those whose result differs from {@code expected}, until none
   * does or {@code patience} is over: a policy just written takes a moment to reach the nodes'
   * rules, and a probe may time out on a busy machine, so only a difference that lasts counts.
   *
   * @return whether each flow connected, as last seen
   */
  Map<Flow, Boolean> settle(Map<Flow, Boolean> expected, Duration patience) {
    Map<Flow, Boolean> seen = new ConcurrentHashMap<>(probe(expected.keySet()));
    try {
      await("probes that differ from what is expected change").atMost(patience).pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500)).until(() -> {
            List<Flow> differing = differing(seen, expected);
            if (!differing.isEmpty()) {
              seen.putAll(probe(differing));
            }
            return differing(seen, expected).isEmpty();
          });
    } catch (ConditionTimeoutException e) {
      // What still differs is the answer; the caller reports it.
    }
    return seen;
  }

  static List<Flow> differing(Map<Flow, Boolean> seen, Map<Flow, Boolean> expected) {
    return expected.keySet().stream().filter(f -> !expected.get(f).equals(seen.get(f))).toList();
  }

  /** Whether each flow connects, probed once. */
  Map<Flow, Boolean> probe(Collection<Flow> flows) {
    Map<String, List<Flow>> bySource = new LinkedHashMap<>();
    flows.forEach(f -> bySource.computeIfAbsent(f.from(), k -> new ArrayList<>()).add(f));
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_SOURCES);
    try {
      List<Future<Map<Flow, Boolean>>> running = new ArrayList<>();
      bySource.forEach((source, batch) -> running.add(pool.submit(() -> fromOneSource(source, batch))));
      Map<Flow, Boolean> seen = new LinkedHashMap<>();
      for (Future<Map<Flow, Boolean>> r : running) {
        seen.putAll(r.get());
      }
      return seen;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("probing failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Map<Flow, Boolean> fromOneSource(String source, List<Flow> flows) {
    Endpoint from = world.endpoint(source);
    StringBuilder script = new StringBuilder();
    for (Flow f : flows) {
      Endpoint to = world.endpoint(f.to());
      script.append("/agnhost connect ").append(to.ip()).append(':').append(f.port())
          .append(" --protocol=").append(f.protocol().toLowerCase()).append(" --timeout=2s >/dev/null 2>&1 && echo 1 || echo 0\n");
    }
    Commands.Result result = null;
    // The exec itself (API server, kubelet) may fail on a loaded machine; its probes never ran.
    for (int attempt = 1; attempt <= 3; attempt++) {
      result = cluster.kubectl("exec", "-n", from.namespace(), from.pod(), "-c", TestPods.PROBE_CONTAINER, "--",
          "sh", "-c", script.toString());
      if (result.exit() == 0) {
        break;
      }
    }
    assertThat(result.exit()).as("exec in " + source + ": " + result.output()).isZero();
    List<String> answers = result.output().lines().filter(l -> l.equals("0") || l.equals("1")).toList();
    assertThat(answers).as("one answer per probe from " + source + ": " + result.output()).hasSize(flows.size());
    Map<Flow, Boolean> seen = new LinkedHashMap<>();
    for (int i = 0; i < flows.size(); i++) {
      seen.put(flows.get(i), answers.get(i).equals("1"));
    }
    return seen;
  }
}
