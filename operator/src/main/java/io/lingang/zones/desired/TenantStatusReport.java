package io.lingang.zones.desired;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;

/**
 * The TenantStatus object of one tenant namespace (its content is {@code plan.TenantStatusPlan}'s):
 * labelled as the tenant's, owned by its ZoneTenant so it goes with it.
 */
public final class TenantStatusReport {
  private TenantStatusReport() {}

  /** The TenantStatus object without its status: what server-side apply creates. */
  public static TenantStatus object(ZoneTenant tenant, String zone, String namespace) {
    TenantStatus ts = new TenantStatus();
    ts.setMetadata(new ObjectMetaBuilder()
        .withName(tenant.getMetadata().getName())
        .withNamespace(namespace)
        .withLabels(ManagedLabels.of(zone, tenant.getMetadata().getName()))
        .withOwnerReferences(TenantResources.ownerReference(tenant))
        .build());
    return ts;
  }
}
