package io.lingang.zones.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.Company;
import io.lingang.zones.api.v1alpha1.ConditionedStatus;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.DataLinkSpec;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgeAllocationSpec;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.EdgePoolSpec;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.ZoneNetwork;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for the custom resources tests create, and waits on their conditions. */
public final class Fixtures {
  private Fixtures() {}

  /** {@code quantities("requests.cpu", "2", "pods", "10")} */
  public static Map<String, Quantity> quantities(String... pairs) {
    Map<String, Quantity> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], new Quantity(pairs[i + 1]));
    }
    return map;
  }

  public static BusinessZone sharedZone(String name, Map<String, Quantity> capacity, String... allowedLinks) {
    BusinessZone zone = new BusinessZone();
    zone.getMetadata().setName(name);
    BusinessZoneSpec spec = new BusinessZoneSpec();
    spec.setMode(BusinessZoneSpec.Mode.Shared);
    spec.setCapacity(capacity);
    ZoneNetwork network = new ZoneNetwork();
    network.setAllowedLinks(List.of(allowedLinks));
    spec.setNetwork(network);
    zone.setSpec(spec);
    return zone;
  }

  public static ZoneTenant tenant(String name, String zone, Map<String, Quantity> quota) {
    ZoneTenant tenant = new ZoneTenant();
    tenant.getMetadata().setName(name);
    ZoneTenantSpec spec = new ZoneTenantSpec();
    spec.setZone(zone);
    Company company = new Company();
    company.setName("Company " + name);
    spec.setCompany(company);
    spec.setQuota(quota);
    tenant.setSpec(spec);
    return tenant;
  }

  public static ZoneTenant withAdmin(ZoneTenant tenant, String user) {
    tenant.getSpec().setAdmins(List.of(new Subject(Subject.Kind.User, user, null)));
    return tenant;
  }

  public static DataLink link(String name, String... cidrs) {
    DataLink link = new DataLink();
    link.getMetadata().setName(name);
    DataLinkSpec spec = new DataLinkSpec();
    spec.setRegion("HK");
    spec.setCidrs(List.of(cidrs));
    link.setSpec(spec);
    return link;
  }

  public static EdgePool edgePool(String name, Map<String, String> nodeSelector, Map<String, Quantity> capacity,
      Toleration... tolerations) {
    EdgePool pool = new EdgePool();
    pool.getMetadata().setName(name);
    EdgePoolSpec spec = new EdgePoolSpec();
    spec.setNodeSelector(nodeSelector);
    spec.setTolerations(tolerations.length == 0 ? null : List.of(tolerations));
    spec.setCapacity(capacity);
    pool.setSpec(spec);
    return pool;
  }

  public static EdgeAllocation allocation(String name, String tenant, String pool, Map<String, Quantity> resources) {
    EdgeAllocation allocation = new EdgeAllocation();
    allocation.getMetadata().setName(name);
    EdgeAllocationSpec spec = new EdgeAllocationSpec();
    spec.setTenant(tenant);
    spec.setPool(pool);
    spec.setResources(resources);
    allocation.setSpec(spec);
    return allocation;
  }

  /** A Shared zone with room for 10 pods and one tenant of 5 in it, once the tenant is Ready. */
  public static ZoneTenant zoneWithReadyTenant(KubernetesClient k8s, String zone, ZoneTenant tenant) {
    k8s.resource(sharedZone(zone, quantities("pods", "10"))).create();
    tenant.getSpec().setZone(zone);
    k8s.resource(tenant).create();
    return awaitCondition(k8s, ZoneTenant.class, tenant.getMetadata().getName(), "Ready", true);
  }

  public static ZoneTenant zoneWithReadyTenant(KubernetesClient k8s, String zone, String tenant) {
    return zoneWithReadyTenant(k8s, zone, tenant(tenant, zone, quantities("pods", "5")));
  }

  /** Waits until the cluster-scoped custom resource has the condition with the given status. */
  public static <T extends CustomResource<?, ? extends ConditionedStatus>> T awaitCondition(
      KubernetesClient k8s, Class<T> kind, String name, String type, boolean status) {
    await(kind.getSimpleName() + " " + name + " " + type + "=" + status).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      T current = k8s.resources(kind).withName(name).get();
      assertThat(current).isNotNull();
      assertThat(current.getStatus()).isNotNull();
      assertThat(current.getStatus().condition(type))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo(status ? "True" : "False"));
    });
    return k8s.resources(kind).withName(name).get();
  }
}
