package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

@JsonClassDescription("The company, its zone, quota, namespaces, people and egress, as the platform engineer declares them.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ZoneTenantSpec {
  public enum DeletionPolicy {
    Retain,
    Delete
  }

  @Required
  @Size(min = 1, max = 63)
  @Pattern(Validation.NAME_PATTERN)
  @ValidationRule(value = "self == oldSelf", message = "zone is immutable; create a new tenant to move a company")
  @JsonPropertyDescription("The BusinessZone this company is admitted to. Immutable.")
  private String zone;

  @Required
  @JsonPropertyDescription("The pilot company.")
  private Company company;

  @Size(max = 32)
  @JsonPropertyDescription("Who may manage workloads in the tenant's namespaces.")
  private List<Subject> admins;

  @Size(max = 32)
  @JsonPropertyDescription("Who may read the tenant's namespaces.")
  private List<Subject> viewers;

  @Size(max = 32)
  @ValidationRule(value = Validation.QUOTA_KEYS_RULE, message = Validation.QUOTA_KEYS_MESSAGE)
  @JsonPropertyDescription("The tenant's total quota (ResourceQuota terms); the zone's tenantDefaults.quota when omitted.")
  @JsonDeserialize(contentUsing = LenientQuantity.class)
  private Map<String, Quantity> quota;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.name == a.name))",
      message = "namespace names must be unique")
  @JsonPropertyDescription("The tenant's namespaces, named <tenant>-<name>. Omitted: one namespace named as the tenant.")
  private List<TenantNamespace> namespaces;

  @Size(max = 32)
  @JsonPropertyDescription("DataLink names the tenant sends data to; each must be in the zone's allowedLinks.")
  private List<@Size(max = 253) String> egress;

  @Default("false")
  @JsonPropertyDescription("Cordons the tenant: its quota allows no new pods; running pods are left alone.")
  private Boolean suspended = false;

  @Default("Retain")
  @JsonPropertyDescription("Retain (default) keeps the namespaces and their data when the tenant is deleted; Delete removes them.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public Company getCompany() {
    return company;
  }

  public void setCompany(Company company) {
    this.company = company;
  }

  public List<Subject> getAdmins() {
    return admins;
  }

  public void setAdmins(List<Subject> admins) {
    this.admins = admins;
  }

  public List<Subject> getViewers() {
    return viewers;
  }

  public void setViewers(List<Subject> viewers) {
    this.viewers = viewers;
  }

  public Map<String, Quantity> getQuota() {
    return quota;
  }

  public void setQuota(Map<String, Quantity> quota) {
    this.quota = quota;
  }

  public List<TenantNamespace> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<TenantNamespace> namespaces) {
    this.namespaces = namespaces;
  }

  public List<String> getEgress() {
    return egress;
  }

  public void setEgress(List<String> egress) {
    this.egress = egress;
  }

  public Boolean getSuspended() {
    return suspended;
  }

  public void setSuspended(Boolean suspended) {
    this.suspended = suspended;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
