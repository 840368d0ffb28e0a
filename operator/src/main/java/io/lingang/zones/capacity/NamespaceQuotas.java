package io.lingang.zones.capacity;

import io.lingang.zones.api.v1alpha1.TenantNamespace;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a tenant's quota over its namespaces. A namespace gets what it declares; for each
 * resource, namespaces that declare nothing for it share the rest evenly (rounded down). The
 * declared amounts may never add up to more than the tenant's quota.
 */
public final class NamespaceQuotas {
  private NamespaceQuotas() {}

  /**
   * @param tenantName the ZoneTenant, which names the namespaces
   * @param declared spec.namespaces (null or empty: one namespace named as the tenant)
   * @param tenantQuota the tenant's total
   * @return namespace name to its quota, in declaration order
   * @throws QuotaSplitException when declared amounts exceed the tenant quota
   */
  public static Map<String, ResourceList> split(String tenantName, List<TenantNamespace> declared, ResourceList tenantQuota) {
    Map<String, ResourceList> result = new LinkedHashMap<>();
    if (declared == null || declared.isEmpty()) {
      result.put(tenantName, tenantQuota);
      return result;
    }
    List<ResourceList> own = new ArrayList<>();
    for (TenantNamespace ns : declared) {
      try {
        own.add(ResourceList.of(ns.getQuota()));
      } catch (InvalidQuantityException e) {
        throw new InvalidQuantityException("namespaces[" + ns.getName() + "].quota." + e.resource(),
            String.valueOf(ns.getQuota().get(e.resource())));
      }
    }
    List<ResourceList> shares = new ArrayList<>(own);
    for (String resource : tenantQuota.names()) {
      BigDecimal assigned = BigDecimal.ZERO;
      int open = 0;
      for (ResourceList q : own) {
        if (q.has(resource)) {
          assigned = assigned.add(q.amount(resource));
        } else {
          open++;
        }
      }
      BigDecimal rest = tenantQuota.amount(resource).subtract(assigned);
      if (rest.signum() < 0) {
        throw new QuotaSplitException("the namespaces' " + resource + " quotas add up to more than the tenant's "
            + resource + " quota; lower them or raise spec.quota");
      }
      if (open > 0) {
        ResourceList share = ResourceList.EMPTY.with(resource, rest, "").dividedBy(open);
        for (int i = 0; i < shares.size(); i++) {
          if (!own.get(i).has(resource)) {
            shares.set(i, shares.get(i).with(resource, share.amount(resource), tenantQuota.formatOf(resource)));
          }
        }
      }
    }
    for (int i = 0; i < declared.size(); i++) {
      result.put(tenantName + "-" + declared.get(i).getName(), shares.get(i));
    }
    return result;
  }

  /** The namespaces' declared quotas do not fit the tenant's quota. */
  public static class QuotaSplitException extends IllegalArgumentException {
    public QuotaSplitException(String message) {
      super(message);
    }
  }
}
