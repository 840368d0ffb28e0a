package io.lingang.zones.plan;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.lingang.zones.api.v1alpha1.QuotaAmounts;
import io.lingang.zones.api.v1alpha1.QuotaUsage;
import io.lingang.zones.capacity.InvalidQuantityException;
import io.lingang.zones.capacity.ResourceList;
import java.util.List;
import java.util.Map;

/**
 * A tenant's quota as the quota controller reports it (status.hard and status.used), summed over
 * its zone namespaces and its edge namespaces separately and together, so a tenant can tell what
 * the zone admitted from what its edge allocations granted.
 */
public final class QuotaTotals {
  private QuotaTotals() {}

  /** Null when there is no quota: nothing to report. */
  public static QuotaUsage of(List<ResourceQuota> zoneQuotas, List<ResourceQuota> edgeQuotas) {
    Sum zone = sum(zoneQuotas);
    Sum edge = sum(edgeQuotas);
    Sum all = new Sum(zone.hard.plus(edge.hard), zone.used.plus(edge.used));
    if (all.hard.isEmpty() && all.used.isEmpty()) {
      return null;
    }
    return new QuotaUsage(quantities(all.hard), quantities(all.used), zone.amounts(), edgeQuotas.isEmpty() ? null : edge.amounts());
  }

  private record Sum(ResourceList hard, ResourceList used) {
    QuotaAmounts amounts() {
      return hard.isEmpty() && used.isEmpty() ? null : new QuotaAmounts(quantities(hard), quantities(used));
    }
  }

  private static Sum sum(List<ResourceQuota> quotas) {
    ResourceList hard = ResourceList.EMPTY;
    ResourceList used = ResourceList.EMPTY;
    for (ResourceQuota quota : quotas) {
      // (The client's model has an empty map, not null, for a status nobody wrote.)
      if (quota.getStatus() != null && quota.getStatus().getUsed() != null && !quota.getStatus().getUsed().isEmpty()) {
        hard = hard.plus(readable(quota.getStatus().getHard()));
        used = used.plus(readable(quota.getStatus().getUsed()));
      } else if (quota.getSpec() != null && quota.getSpec().getHard() != null) {
        hard = hard.plus(readable(quota.getSpec().getHard()));
        used = used.plus(readable(nothingOf(quota.getSpec().getHard())));
      }
    }
    return new Sum(hard, used);
  }

  /**
   * A quota the quota controller has not counted yet has nothing used: until it has, the API
   * server's quota admission refuses everything the quota counts. So the first report is already
   * what the controller will count, and is not written a second time when it does.
   */
  private static Map<String, Quantity> nothingOf(Map<String, Quantity> hard) {
    Map<String, Quantity> zeros = new java.util.TreeMap<>();
    hard.keySet().forEach(key -> zeros.put(key, new Quantity("0")));
    return zeros;
  }

  private static Map<String, Quantity> quantities(ResourceList list) {
    return list.isEmpty() ? null : list.toQuantities();
  }

  /** The quota controller writes what the API server accepted; anything else is left out, not fatal. */
  private static ResourceList readable(Map<String, Quantity> quantities) {
    try {
      return ResourceList.of(quantities);
    } catch (InvalidQuantityException e) {
      return ResourceList.EMPTY;
    }
  }
}
