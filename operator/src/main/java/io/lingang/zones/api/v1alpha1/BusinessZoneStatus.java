package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

@JsonClassDescription("What the operator observed: admitted tenants, what they hold, what is left, and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BusinessZoneStatus extends ConditionedStatus {
  @JsonPropertyDescription("How many tenants are admitted.")
  private Integer tenants;

  @JsonPropertyDescription("Sum of the admitted tenants' quotas.")
  private Map<String, Quantity> allocated;

  @JsonPropertyDescription("capacity minus allocated (negative when OverCommitted).")
  private Map<String, Quantity> available;

  public Integer getTenants() {
    return tenants;
  }

  public void setTenants(Integer tenants) {
    this.tenants = tenants;
  }

  public Map<String, Quantity> getAllocated() {
    return allocated;
  }

  public void setAllocated(Map<String, Quantity> allocated) {
    this.allocated = allocated;
  }

  public Map<String, Quantity> getAvailable() {
    return available;
  }

  public void setAvailable(Map<String, Quantity> available) {
    this.available = available;
  }
}
