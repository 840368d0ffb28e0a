package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The facts of one tenant, and nothing about any other tenant. */
@JsonClassDescription("The tenant's facts, copied by the operator: zone and mode, company, namespaces, quota, egress, trial end, suspension, edge allocations and conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenantReport extends ConditionedStatus {
  @JsonPropertyDescription("The ZoneTenant this is about.")
  private String tenant;

  @JsonPropertyDescription("The tenant's zone.")
  private String zone;

  @JsonPropertyDescription("The zone's mode: Shared or Dedicated.")
  private String mode;

  @JsonPropertyDescription("The company.")
  private Company company;

  @JsonPropertyDescription("The tenant's namespaces, edge namespaces included.")
  private List<String> namespaces;

  @JsonPropertyDescription("Quota hard and used, summed over the tenant's namespaces.")
  private QuotaUsage quota;

  @JsonPropertyDescription("DataLinks whose egress is applied.")
  private List<String> egress;

  @JsonPropertyDescription("When the zone's trial ends (RFC 3339), if it does.")
  private String trialEndsAt;

  @JsonPropertyDescription("Whether the tenant is suspended (no new pods).")
  private Boolean suspended;

  @JsonPropertyDescription("The tenant's edge allocations and their state.")
  private List<EdgeGrant> edgeAllocations;

  public String getTenant() {
    return tenant;
  }

  public void setTenant(String tenant) {
    this.tenant = tenant;
  }

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public Company getCompany() {
    return company;
  }

  public void setCompany(Company company) {
    this.company = company;
  }

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public QuotaUsage getQuota() {
    return quota;
  }

  public void setQuota(QuotaUsage quota) {
    this.quota = quota;
  }

  public List<String> getEgress() {
    return egress;
  }

  public void setEgress(List<String> egress) {
    this.egress = egress;
  }

  public String getTrialEndsAt() {
    return trialEndsAt;
  }

  public void setTrialEndsAt(String trialEndsAt) {
    this.trialEndsAt = trialEndsAt;
  }

  public Boolean getSuspended() {
    return suspended;
  }

  public void setSuspended(Boolean suspended) {
    this.suspended = suspended;
  }

  public List<EdgeGrant> getEdgeAllocations() {
    return edgeAllocations;
  }

  public void setEdgeAllocations(List<EdgeGrant> edgeAllocations) {
    this.edgeAllocations = edgeAllocations;
  }
}
