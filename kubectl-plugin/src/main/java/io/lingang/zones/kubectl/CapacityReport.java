package io.lingang.zones.kubectl;

import io.fabric8.kubernetes.api.model.Quantity;
import io.lingang.zones.api.v1alpha1.ConditionedStatus;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgePool;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What {@code kubectl lingang zones} shows: each zone's and pool's capacity, and what the operator
 * reported as allocated and available (its status), resource by resource. The numbers are the
 * operator's own accounting, never recomputed here, so the plugin and the operator cannot disagree.
 */
record CapacityReport(List<Zone> zones, List<Pool> pools) {

  record Line(String resource, String capacity, String allocated, String available) {}

  /** @param tenants admitted tenants, as the zone's status counts them (null before the first reconcile) */
  record Zone(String name, String mode, String ready, String reason, Integer tenants, List<Line> resources) {}

  /** @param tenants tenants holding an active allocation on the pool (null when allocations are not readable) */
  record Pool(String name, String ready, String reason, Integer nodes, Integer tenants, List<Line> resources) {}

  static CapacityReport of(List<BusinessZone> zones, List<EdgePool> pools, List<EdgeAllocation> allocations) {
    List<Zone> zoneRows = zones.stream().sorted(Comparator.comparing(z -> z.getMetadata().getName())).map(z -> {
      var status = z.getStatus();
      return new Zone(z.getMetadata().getName(), String.valueOf(z.getSpec().getMode()), ready(status), reason(status),
          status == null ? null : status.getTenants(),
          lines(z.getSpec().getCapacity(), status == null ? null : status.getAllocated(), status == null ? null : status.getAvailable()));
    }).toList();
    List<Pool> poolRows = pools.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).map(p -> {
      var status = p.getStatus();
      // The operator's status says what the pool hands out (its nodes' sum when spec.capacity is omitted).
      Map<String, Quantity> capacity = status != null && status.getCapacity() != null ? status.getCapacity() : p.getSpec().getCapacity();
      Integer tenants = allocations == null ? null : (int) allocations.stream()
          .filter(a -> p.getMetadata().getName().equals(a.getSpec().getPool()) && EdgeAllocation.isActive(a))
          .map(a -> a.getSpec().getTenant()).distinct().count();
      return new Pool(p.getMetadata().getName(), ready(status), reason(status), status == null ? null : status.getNodes(), tenants,
          lines(capacity, status == null ? null : status.getAllocated(), status == null ? null : status.getAvailable()));
    }).toList();
    return new CapacityReport(zoneRows, poolRows);
  }

  String render() {
    StringBuilder out = new StringBuilder();
    Table zoneTable = new Table("ZONE", "MODE", "READY", "TENANTS", "RESOURCE", "CAPACITY", "ALLOCATED", "AVAILABLE");
    for (Zone z : zones) {
      for (Line l : z.resources()) {
        zoneTable.row(z.name(), z.mode(), z.ready(), dash(z.tenants()), l.resource(), l.capacity(), l.allocated(), l.available());
      }
      if (z.resources().isEmpty()) {
        zoneTable.row(z.name(), z.mode(), z.ready(), dash(z.tenants()), "-", "-", "-", "-");
      }
    }
    out.append(zoneTable.isEmpty() ? "No BusinessZones.\n" : zoneTable.render());
    Table poolTable = new Table("POOL", "READY", "NODES", "TENANTS", "RESOURCE", "CAPACITY", "ALLOCATED", "AVAILABLE");
    for (Pool p : pools) {
      for (Line l : p.resources()) {
        poolTable.row(p.name(), p.ready(), dash(p.nodes()), dash(p.tenants()), l.resource(), l.capacity(), l.allocated(), l.available());
      }
      if (p.resources().isEmpty()) {
        poolTable.row(p.name(), p.ready(), dash(p.nodes()), dash(p.tenants()), "-", "-", "-", "-");
      }
    }
    out.append('\n').append(poolTable.isEmpty() ? "No EdgePools.\n" : poolTable.render());
    return out.toString();
  }

  private static List<Line> lines(Map<String, Quantity> capacity, Map<String, Quantity> allocated, Map<String, Quantity> available) {
    TreeSet<String> names = new TreeSet<>();
    if (capacity != null) {
      names.addAll(capacity.keySet());
    }
    return names.stream().map(n -> new Line(n, text(capacity, n), text(allocated, n), text(available, n))).toList();
  }

  private static String text(Map<String, Quantity> map, String name) {
    Quantity q = map == null ? null : map.get(name);
    return q == null ? "-" : q.toString();
  }

  private static String dash(Integer n) {
    return n == null ? "-" : n.toString();
  }

  static String ready(ConditionedStatus status) {
    return status == null ? "-" : status.condition("Ready").map(c -> c.getStatus()).orElse("-");
  }

  static String reason(ConditionedStatus status) {
    return status == null ? null : status.condition("Ready").map(c -> c.getReason()).orElse(null);
  }
}
