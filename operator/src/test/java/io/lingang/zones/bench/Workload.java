package io.lingang.zones.bench;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.ContainerLimits;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.TenantDefaults;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The zones and tenants of a measurement, the same for the operator and the raw client. They are
 * shaped like examples/ so that a tenant gets every kind of object a real one does: one namespace
 * with a quota, the zone's LimitRange, four NetworkPolicies (deny, same tenant, DNS, the zone's
 * gateways), admin and viewer RoleBindings, and its own ClusterRole and ClusterRoleBinding.
 */
final class Workload {
  private static final Map<String, String> TENANT_QUOTA = Map.of(
      "requests.cpu", "1", "requests.memory", "1Gi", "limits.cpu", "2", "limits.memory", "2Gi", "pods", "10");

  private Workload() {}

  static String zoneName(int i) {
    return "bench-z%02d".formatted(i);
  }

  static String tenantName(int i) {
    return "bench-%05d".formatted(i);
  }

  /** Zones with room for twice {@code tenantsPerZone} tenants: never short, also for the single creates later. */
  static List<BusinessZone> zones(int count, int tenantsPerZone) {
    List<BusinessZone> zones = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Quantity> capacity = new TreeMap<>();
      TENANT_QUOTA.forEach((k, v) -> capacity.put(k, new Quantity(String.valueOf(
          2L * (tenantsPerZone + 100) * Quantity.getAmountInBytes(new Quantity(v)).longValueExact()))));
      BusinessZone zone = Fixtures.sharedZone(zoneName(i), capacity);
      ContainerLimits limits = new ContainerLimits();
      limits.setDefaultRequest(Fixtures.quantities("cpu", "100m", "memory", "128Mi"));
      limits.setDefaultLimit(Fixtures.quantities("cpu", "500m", "memory", "512Mi"));
      limits.setMax(Fixtures.quantities("cpu", "2", "memory", "2Gi"));
      TenantDefaults defaults = new TenantDefaults();
      defaults.setLimitRange(limits);
      zone.getSpec().setTenantDefaults(defaults);
      zone.getSpec().getNetwork().setAllowIngressFrom(List.of(
          new LabelSelectorBuilder().withMatchLabels(Map.of("zones.lingang.io/gateway", "true")).build()));
      zones.add(zone);
    }
    return zones;
  }

  /** Tenant {@code i} lives in zone {@code i mod zones}. */
  static ZoneTenant tenant(String name, String zone) {
    ZoneTenant tenant = Fixtures.tenant(name, zone, quantities());
    tenant.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, "admin@" + name + ".example", null)));
    tenant.getSpec().setViewers(List.of(new Subject(Subject.Kind.Group, name + ":auditors", null)));
    return tenant;
  }

  static List<ZoneTenant> tenants(int n, int zones) {
    List<ZoneTenant> tenants = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tenants.add(tenant(tenantName(i), zoneName(i % zones)));
    }
    return tenants;
  }

  private static Map<String, Quantity> quantities() {
    Map<String, Quantity> quota = new TreeMap<>();
    TENANT_QUOTA.forEach((k, v) -> quota.put(k, new Quantity(v)));
    return quota;
  }
}
