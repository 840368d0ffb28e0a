package io.lingang.zones.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC.md, "What every tenant namespace gets", as the answer for one flow of the {@link AuditWorld}:
 * deny all ingress and egress by default; allow traffic among the same tenant's namespaces; allow
 * DNS to the cluster DNS pods; allow ingress from the zone's allowIngressFrom; allow egress to each
 * applied DataLink's CIDRs and ports. Two tenants never reach each other. A retained namespace keeps
 * the default deny and nothing else. Namespaces that are no tenant's have no policies of ours: their
 * own traffic is not ours to judge. Suspension changes nothing here (only new pods are refused).
 *
 * <p>Endpoints are {@code <namespace>/<pod>}, or {@code external/<name>} for an address outside
 * every namespace the world knows; the cluster DNS is {@code kube-system/dns}. Held against the
 * policies as cyclonus' engine reads them ({@link NetworkTruthTableIT}) and against real packets
 * ({@link NetworkByPacketsOnNodesIT}).
 */
final class SpecNetworkOracle {
  /** Tenant namespace to its tenant (a retained one to "retained:<tenant>", which nothing else shares). */
  private final Map<String, String> tenantNamespaces = new LinkedHashMap<>();
  private final Map<String, String> zoneOf = new LinkedHashMap<>();
  private final AuditWorld w;
  private final List<String> hkCidrs;

  /** @param hkCidrs the CIDRs of the world's HK link at the time of the flows, the only link alpha uses */
  SpecNetworkOracle(AuditWorld w, List<String> hkCidrs) {
    this.w = w;
    this.hkCidrs = List.copyOf(hkCidrs);
    for (AuditWorld.Tenant t : List.of(w.alpha, w.beta, w.gamma, w.epsilon)) {
      t.namespaces().forEach(ns -> tenantNamespaces.put(ns, t.name()));
      zoneOf.put(t.name(), t.zone());
    }
    tenantNamespaces.put(w.delta.namespace(), "retained:" + w.delta.name());
  }

  /** The tenant namespaces the world has, in a stable order (alpha's, beta's, gamma's, epsilon's, delta's retained one). */
  List<String> tenantNamespaces() {
    return List.copyOf(tenantNamespaces.keySet());
  }

  /** @param externalIps the address of each {@code external/<name>} endpoint */
  boolean allowed(String from, String to, String protocol, int port, Map<String, String> externalIps) {
    return egress(from, to, protocol, port, externalIps) && ingress(from, to);
  }

  private boolean egress(String from, String to, String protocol, int port, Map<String, String> externalIps) {
    String source = tenantOf(from);
    if (source == null) {
      return true;
    }
    if (source.startsWith("retained:")) {
      return false;
    }
    if (source.equals(tenantOf(to))) {
      return true;
    }
    if (to.equals("kube-system/dns")) {
      return port == 53;
    }
    if (to.startsWith("external/")) {
      // alpha sends to the HK link (its CIDRs, TCP 443); sg is not in its egress.
      return source.equals(w.alpha.name()) && inAny(externalIps.get(to), hkCidrs) && protocol.equals("TCP")
          && port == AuditWorld.HK_PORT;
    }
    return false;
  }

  private boolean ingress(String from, String to) {
    String target = tenantOf(to);
    if (target == null) {
      return true;
    }
    if (target.startsWith("retained:")) {
      return false;
    }
    if (target.equals(tenantOf(from))) {
      return true;
    }
    // The shared zone lets its gateway namespace in (allowIngressFrom).
    return from.startsWith(w.gatewayNamespace + "/") && w.shared.equals(zoneOf.get(target));
  }

  private String tenantOf(String endpoint) {
    return endpoint.startsWith("external/") ? null : tenantNamespaces.get(endpoint.substring(0, endpoint.indexOf('/')));
  }

  static boolean inAny(String ip, List<String> cidrs) {
    return cidrs.stream().anyMatch(c -> inCidr(ip, c));
  }

  /** IPv4 only, as every address of the world is. */
  static boolean inCidr(String ip, String cidr) {
    String[] parts = cidr.split("/");
    int bits = Integer.parseInt(parts[1]);
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    return (ipv4(ip) & mask) == (ipv4(parts[0]) & mask);
  }

  private static long ipv4(String ip) {
    long value = 0;
    for (String octet : ip.split("\\.")) {
      value = value << 8 | Integer.parseInt(octet);
    }
    return value;
  }
}
