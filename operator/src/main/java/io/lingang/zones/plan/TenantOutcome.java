package io.lingang.zones.plan;

import io.lingang.zones.api.v1alpha1.QuotaUsage;
import java.util.List;

/**
 * What applying a {@link TenantPlan} found and did, for the status to report.
 *
 * @param namespaces the tenant's namespaces (claimed: made by the operator for this tenant)
 * @param conflicts namespaces it should have that exist and are someone else's
 * @param appliedLinks DataLinks whose egress is open
 * @param missingLinks DataLinks named and allowed that do not exist
 * @param notAllowedLinks DataLinks named that the zone does not allow
 * @param unboundSubjects ServiceAccount subjects outside the tenant's namespaces
 * @param repaired objects someone else had changed or deleted, now put back
 * @param usage quota hard and used over the tenant's namespaces
 */
public record TenantOutcome(
    List<String> namespaces,
    List<String> conflicts,
    List<String> appliedLinks,
    List<String> missingLinks,
    List<String> notAllowedLinks,
    List<String> unboundSubjects,
    List<String> repaired,
    QuotaUsage usage) {

  /** A tenant that is not admitted has nothing applied but its read access. */
  public static TenantOutcome nothing() {
    return new TenantOutcome(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null);
  }
}
