package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

@JsonClassDescription("What the operator did: admission, the granted quota, the namespaces, quota in use, applied egress, and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ZoneTenantStatus extends ConditionedStatus {
  @JsonPropertyDescription("The tenant's namespaces, edge namespaces included.")
  private List<String> namespaces;

  @JsonPropertyDescription("Quota hard and used, summed over the tenant's namespaces.")
  private QuotaUsage quota;

  @JsonPropertyDescription("DataLinks whose egress is actually applied.")
  private List<String> egress;

  @JsonPropertyDescription("The quota the zone has granted this tenant: what counts against the zone's capacity.")
  private Map<String, Quantity> grantedQuota;

  public Map<String, Quantity> getGrantedQuota() {
    return grantedQuota;
  }

  public void setGrantedQuota(Map<String, Quantity> grantedQuota) {
    this.grantedQuota = grantedQuota;
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
}
