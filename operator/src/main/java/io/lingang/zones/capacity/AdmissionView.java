package io.lingang.zones.capacity;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantSpec;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;

/**
 * What admission reads of a tenant, and nothing else: identity and age, zone, quotas, whether it
 * is admitted and what it was granted. The caches that feed the zone ledgers hold this view, not
 * the whole object (its subjects, contacts, usage and conditions are most of it, and each of
 * these caches holds every tenant).
 */
public final class AdmissionView {
  private AdmissionView() {}

  public static ZoneTenant of(ZoneTenant tenant) {
    ObjectMeta meta = tenant.getMetadata();
    ZoneTenant view = new ZoneTenant();
    view.setMetadata(new ObjectMetaBuilder()
        .withName(meta.getName())
        .withUid(meta.getUid())
        .withResourceVersion(meta.getResourceVersion())
        .withGeneration(meta.getGeneration())
        .withCreationTimestamp(meta.getCreationTimestamp())
        .withDeletionTimestamp(meta.getDeletionTimestamp())
        .build());
    if (tenant.getSpec() != null) {
      ZoneTenantSpec spec = new ZoneTenantSpec();
      spec.setZone(tenant.getSpec().getZone());
      spec.setQuota(tenant.getSpec().getQuota());
      spec.setNamespaces(tenant.getSpec().getNamespaces());
      view.setSpec(spec);
    }
    ZoneTenantStatus status = tenant.getStatus();
    if (status != null) {
      ZoneTenantStatus kept = new ZoneTenantStatus();
      kept.setGrantedQuota(status.getGrantedQuota());
      status.condition(ZoneTenant.COND_ADMITTED).ifPresent(c -> kept.setConditions(java.util.List.of(c)));
      view.setStatus(kept);
    }
    return view;
  }
}
