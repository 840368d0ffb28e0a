package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One pilot company admitted to one zone. */
@JsonClassDescription("One pilot company admitted to one BusinessZone: its quota, namespaces, admins and viewers, and the DataLinks it sends data to.")
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Singular("zonetenant")
@Plural("zonetenants")
@ShortNames("zt")
@Categories(ApiGroup.CATEGORY)
@ValidationRule(
    value = "size(self.metadata.name) <= " + ZoneTenant.MAX_NAME_LENGTH
        + " && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    message = "a tenant name becomes a namespace name: at most " + ZoneTenant.MAX_NAME_LENGTH
        + " lowercase letters, digits and '-', starting and ending with a letter or digit")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Zone", jsonPath = ".spec.zone", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Company", jsonPath = ".spec.company.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Admitted", jsonPath = ".status.conditions[?(@.type==\"Admitted\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Suspended", jsonPath = ".status.conditions[?(@.type==\"Suspended\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ZoneTenant extends CustomResource<ZoneTenantSpec, ZoneTenantStatus> {
  /**
   * Namespace names are DNS labels (63 characters): the tenant name, '-' and a namespace suffix
   * of up to {@link TenantNamespace#MAX_NAME_LENGTH}, or '-edge-' and a pool name, must fit.
   */
  public static final int MAX_NAME_LENGTH = 30;

  public static final String COND_ADMITTED = "Admitted";
  public static final String COND_SUSPENDED = "Suspended";

  /** Admitted to its zone: its status says so, and admission is never revoked by the zone. */
  public static boolean isAdmitted(ZoneTenant tenant) {
    return tenant.getStatus() != null && tenant.getStatus().isTrue(COND_ADMITTED);
  }
}
