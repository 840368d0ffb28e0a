package io.lingang.zones.infra;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Gauges over the whole fleet, computed from the informer caches at scrape time: tenants by zone
 * and condition, and what is allocated against the capacity of each zone and edge pool. Standby
 * replicas keep the same caches, so every replica reports the same numbers.
 */
public final class FleetGauges {
  public static final String TENANTS = "lingang.tenants";
  public static final String ZONE_CAPACITY = "lingang.zone.capacity";
  public static final String ZONE_ALLOCATED = "lingang.zone.allocated";
  public static final String POOL_CAPACITY = "lingang.edgepool.capacity";
  public static final String POOL_ALLOCATED = "lingang.edgepool.allocated";
  public static final String ZONE_OVER_COMMITTED = "lingang.zone.overcommitted";
  public static final String POOL_OVER_COMMITTED = "lingang.edgepool.overcommitted";

  private final Supplier<Stream<BusinessZone>> zones;
  private final Supplier<Stream<ZoneTenant>> tenants;
  private final Supplier<Stream<EdgePool>> pools;
  private final MultiGauge tenantGauge;
  private final MultiGauge zoneCapacity;
  private final MultiGauge zoneAllocated;
  private final MultiGauge poolCapacity;
  private final MultiGauge poolAllocated;
  private final MultiGauge zoneOverCommitted;
  private final MultiGauge poolOverCommitted;

  public FleetGauges(MeterRegistry registry, Supplier<Stream<BusinessZone>> zones, Supplier<Stream<ZoneTenant>> tenants,
      Supplier<Stream<EdgePool>> pools) {
    this.zones = zones;
    this.tenants = tenants;
    this.pools = pools;
    tenantGauge = MultiGauge.builder(TENANTS).description("ZoneTenants by zone and by the status of each condition").register(registry);
    zoneCapacity = MultiGauge.builder(ZONE_CAPACITY).description("A business zone's capacity (cores, bytes, counts)").register(registry);
    zoneAllocated = MultiGauge.builder(ZONE_ALLOCATED).description("Quota granted to a zone's admitted tenants").register(registry);
    poolCapacity = MultiGauge.builder(POOL_CAPACITY).description("An edge pool's capacity from its ready nodes or spec").register(registry);
    poolAllocated = MultiGauge.builder(POOL_ALLOCATED).description("Resources granted to active edge allocations").register(registry);
    zoneOverCommitted = MultiGauge.builder(ZONE_OVER_COMMITTED)
        .description("1 while a business zone's condition OverCommitted is True (admitted quotas exceed its capacity), else 0")
        .register(registry);
    poolOverCommitted = MultiGauge.builder(POOL_OVER_COMMITTED)
        .description("1 while an edge pool's condition OverCommitted is True (active allocations exceed its capacity), else 0")
        .register(registry);
  }

  public void refresh() {
    tenantGauge.register(rows(tenantCounts(tenants.get())), true);
    List<BusinessZone> zoneList = zones.get().toList();
    List<EdgePool> poolList = pools.get().toList();
    register(zoneCapacity, "zone", zoneList, z -> z.getSpec().getCapacity());
    register(zoneAllocated, "zone", zoneList, z -> z.getStatus() == null ? null : z.getStatus().getAllocated());
    register(poolCapacity, "pool", poolList, p -> p.getStatus() == null ? null : p.getStatus().getCapacity());
    register(poolAllocated, "pool", poolList, p -> p.getStatus() == null ? null : p.getStatus().getAllocated());
    zoneOverCommitted.register(rows(conditionRows("zone", zoneList, z -> z.getStatus() == null ? null : z.getStatus().getConditions(),
        BusinessZone.COND_OVER_COMMITTED)), true);
    poolOverCommitted.register(rows(conditionRows("pool", poolList, p -> p.getStatus() == null ? null : p.getStatus().getConditions(),
        EdgePool.COND_OVER_COMMITTED)), true);
  }

  /** One row per owner: 1 while its condition {@code type} is True, 0 otherwise (also before its first status). */
  static <T extends HasMetadata> Map<Tags, Double> conditionRows(String ownerTag, List<T> owners,
      Function<T, List<Condition>> conditions, String type) {
    Map<Tags, Double> rows = new TreeMap<>(Comparator.comparing(Tags::toString));
    for (T owner : owners) {
      List<Condition> list = conditions.apply(owner);
      boolean on = list != null && list.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
      rows.put(Tags.of(ownerTag, owner.getMetadata().getName()), on ? 1.0 : 0.0);
    }
    return rows;
  }

  private static <T extends HasMetadata> void register(MultiGauge gauge, String ownerTag, List<T> owners,
      Function<T, Map<String, Quantity>> quantities) {
    Map<String, Map<String, Quantity>> byOwner = new TreeMap<>();
    owners.forEach(o -> byOwner.put(o.getMetadata().getName(), orEmpty(quantities.apply(o))));
    gauge.register(rows(resourceRows(ownerTag, byOwner)), true);
  }

  /**
   * Counts per (zone, condition, status). A tenant without conditions yet counts as Ready=Unknown,
   * so the sum over one condition is always the number of tenants.
   */
  static Map<Tags, Double> tenantCounts(Stream<ZoneTenant> tenants) {
    // Counted by plain keys, turned into tags once per row: a scrape at 1,000 tenants made five
    // thousand Tags, each compared by its text, and was the operator's largest allocation.
    record Row(String zone, String condition, String status) {}
    Map<Row, Integer> counts = new HashMap<>();
    tenants.forEach(t -> {
      List<Condition> conditions = t.getStatus() == null || t.getStatus().getConditions() == null
          ? List.of() : t.getStatus().getConditions();
      boolean ready = false;
      for (Condition c : conditions) {
        ready |= "Ready".equals(c.getType());
        counts.merge(new Row(t.getSpec().getZone(), c.getType(), c.getStatus()), 1, Integer::sum);
      }
      if (!ready) {
        counts.merge(new Row(t.getSpec().getZone(), "Ready", "Unknown"), 1, Integer::sum);
      }
    });
    Map<Tags, Double> rows = new TreeMap<>(Comparator.comparing(Tags::toString));
    counts.forEach((row, n) -> rows.put(Tags.of("zone", row.zone(), "condition", row.condition(), "status", row.status()), n.doubleValue()));
    return rows;
  }

  /** One row per (owner, resource); quantities as plain numbers: cores, bytes, counts. Invalid ones are left out. */
  static Map<Tags, Double> resourceRows(String ownerTag, Map<String, Map<String, Quantity>> byOwner) {
    Map<Tags, Double> rows = new TreeMap<>(Comparator.comparing(Tags::toString));
    byOwner.forEach((owner, quantities) -> quantities.forEach((resource, quantity) -> {
      try {
        rows.put(Tags.of(ownerTag, owner, "resource", resource), quantity.getNumericalAmount().doubleValue());
      } catch (IllegalArgumentException | ArithmeticException e) {
        // Refused with InvalidQuantity on the object itself; no number to report.
      }
    }));
    return rows;
  }

  private static List<MultiGauge.Row<?>> rows(Map<Tags, Double> values) {
    return values.entrySet().stream().<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(e.getKey(), e.getValue())).toList();
  }

  private static Map<String, Quantity> orEmpty(Map<String, Quantity> map) {
    return map == null ? Map.of() : map;
  }
}
