package io.lingang.zones.desired;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lingang.zones.api.v1alpha1.Company;
import io.lingang.zones.api.v1alpha1.TenantReport;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;

/**
 * A tenant's own view, copied from its ZoneTenant and zone: only facts about this tenant, so it
 * can be shown to anyone who can read the tenant's namespace.
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

  public static TenantReport report(ZoneTenant tenant, String mode, ZoneTenantStatus status, String trialEndsAt,
      boolean suspended) {
    TenantReport report = new TenantReport();
    report.setTenant(tenant.getMetadata().getName());
    report.setZone(tenant.getSpec().getZone());
    report.setMode(mode);
    Company company = new Company();
    company.setName(tenant.getSpec().getCompany().getName());
    company.setContact(tenant.getSpec().getCompany().getContact());
    report.setCompany(company);
    report.setNamespaces(status.getNamespaces());
    report.setQuota(status.getQuota());
    report.setEgress(status.getEgress());
    report.setTrialEndsAt(trialEndsAt);
    report.setSuspended(suspended);
    report.setObservedGeneration(status.getObservedGeneration());
    report.setConditions(status.getConditions());
    return report;
  }
}
