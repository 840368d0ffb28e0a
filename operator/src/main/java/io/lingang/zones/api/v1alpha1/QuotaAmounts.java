package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.Objects;

/** Quota hard and used over one part of a tenant's namespaces. */
@JsonClassDescription("Quota hard and used over one part of the tenant's namespaces.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuotaAmounts {
  @JsonPropertyDescription("What the quotas allow.")
  private Map<String, Quantity> hard;

  @JsonPropertyDescription("What is in use, as counted by the quota controller.")
  private Map<String, Quantity> used;

  public QuotaAmounts() {}

  public QuotaAmounts(Map<String, Quantity> hard, Map<String, Quantity> used) {
    this.hard = hard;
    this.used = used;
  }

  public Map<String, Quantity> getHard() {
    return hard;
  }

  public void setHard(Map<String, Quantity> hard) {
    this.hard = hard;
  }

  public Map<String, Quantity> getUsed() {
    return used;
  }

  public void setUsed(Map<String, Quantity> used) {
    this.used = used;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuotaAmounts q && Objects.equals(hard, q.hard) && Objects.equals(used, q.used);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hard, used);
  }
}
