package io.lingang.zones.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.PrometheusText;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Requests the API server has served, by verb and resource, from its own counter
 * {@code apiserver_request_total}: the count that does not depend on the client telling the truth.
 * That counter does not say who sent a request, so writes are counted on the kinds the operator
 * writes and the control plane's own controllers do not (they write ServiceAccounts, ConfigMaps,
 * quota status, Leases). The raw client's run checks the method: the count seen here must equal the
 * requests that client counted itself; in the operator's run it must equal the benchmark's creates
 * plus what the operator counts itself ({@code lingang_api_requests_total}).
 */
record ServerRequests(Map<String, Long> byKey) {
  static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION");
  static final Set<String> READ_VERBS = Set.of("GET", "LIST");
  /**
   * What the operator writes (resource/subresource). Not here: serviceaccounts and configmaps (the
   * controller manager makes one of each per namespace), resourcequotas/status (the quota
   * controller), leases (the API server's own heartbeat; the benchmark runs without leader election).
   */
  static final Set<String> OPERATOR_KINDS = Set.of(
      "namespaces", "resourcequotas", "limitranges", "networkpolicies", "rolebindings", "clusterroles",
      "clusterrolebindings", "events", "tenantstatuses", "tenantstatuses/status", "zonetenants", "zonetenants/status",
      "businesszones", "businesszones/status", "datalinks", "datalinks/status", "edgepools", "edgepools/status",
      "edgeallocations", "edgeallocations/status");

  private static final String METRIC = "apiserver_request_total";

  static ServerRequests scrape(KubernetesClient admin) {
    String text = admin.raw("/metrics");
    // Only this counter's lines: other series carry values such as +Inf that we need not parse.
    String lines = text.lines().filter(l -> l.startsWith(METRIC + "{")).collect(Collectors.joining("\n"));
    Map<String, Long> counts = new TreeMap<>();
    for (var s : PrometheusText.parse(lines).select(METRIC, Map.of())) {
      String resource = s.labels().getOrDefault("resource", "");
      if (resource.isEmpty()) {
        continue; // /metrics, /readyz and the like
      }
      String sub = s.labels().getOrDefault("subresource", "");
      String key = s.labels().get("verb") + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
      counts.merge(key, (long) s.value(), Long::sum);
    }
    return new ServerRequests(counts);
  }

  /** What was served between {@code before} and this scrape. */
  ServerRequests minus(ServerRequests before) {
    Map<String, Long> delta = new TreeMap<>();
    byKey.forEach((k, v) -> {
      long d = v - before.byKey.getOrDefault(k, 0L);
      if (d != 0) {
        delta.put(k, d);
      }
    });
    return new ServerRequests(delta);
  }

  /** Writes to the kinds the operator writes. */
  long operatorKindWrites() {
    return byKey.entrySet().stream().filter(e -> isOperatorKindWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  /** GETs and LISTs of any resource, by anyone (the benchmark's own are a handful). */
  long reads() {
    return byKey.entrySet().stream().filter(e -> READ_VERBS.contains(verb(e.getKey()))).mapToLong(Map.Entry::getValue).sum();
  }

  /** "APPLY networkpolicies 400, POST namespaces 100, ..." for the writes counted, largest first. */
  String writesBreakdown() {
    return byKey.entrySet().stream().filter(e -> isOperatorKindWrite(e.getKey()))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }

  private static boolean isOperatorKindWrite(String key) {
    return WRITE_VERBS.contains(verb(key)) && OPERATOR_KINDS.contains(key.substring(key.indexOf(' ') + 1));
  }

  private static String verb(String key) {
    return key.substring(0, key.indexOf(' '));
  }
}
