package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("How many tenants send data over the link, and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataLinkStatus extends ConditionedStatus {
  @JsonPropertyDescription("How many tenants send data over this link.")
  private Integer tenants;

  public Integer getTenants() {
    return tenants;
  }

  public void setTenants(Integer tenants) {
    this.tenants = tenants;
  }
}
