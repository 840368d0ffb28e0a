package io.lingang.zones.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import java.util.List;

/** {@code kubectl lingang zones}: a platform engineer's question, answered from cluster-scoped reads. */
final class ZonesCommand {
  private final KubernetesClient k8s;

  ZonesCommand(KubernetesClient k8s) {
    this.k8s = k8s;
  }

  CapacityReport read() {
    try {
      List<BusinessZone> zones = k8s.resources(BusinessZone.class).list().getItems();
      List<EdgePool> pools = k8s.resources(EdgePool.class).list().getItems();
      List<EdgeAllocation> allocations;
      try {
        allocations = k8s.resources(EdgeAllocation.class).list().getItems();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 403) {
          throw e;
        }
        allocations = null;
      }
      return CapacityReport.of(zones, pools, allocations);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new CommandFailure("zones lists BusinessZones and EdgePools, which your rights do not allow; "
            + "a tenant sees its own facts with: kubectl lingang tenant NAME");
      }
      throw e;
    }
  }
}
