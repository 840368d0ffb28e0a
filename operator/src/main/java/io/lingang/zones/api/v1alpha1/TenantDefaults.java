package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenantDefaults {
  @Size(max = 32)
  @ValidationRule(value = Validation.QUOTA_KEYS_RULE, message = Validation.QUOTA_KEYS_MESSAGE)
  @JsonPropertyDescription("Quota of a tenant that declares none.")
  @JsonDeserialize(contentUsing = LenientQuantity.class)
  private Map<String, Quantity> quota;

  @JsonPropertyDescription("Per-container defaults and maximum; becomes a LimitRange in every tenant namespace.")
  private ContainerLimits limitRange;

  public Map<String, Quantity> getQuota() {
    return quota;
  }

  public void setQuota(Map<String, Quantity> quota) {
    this.quota = quota;
  }

  public ContainerLimits getLimitRange() {
    return limitRange;
  }

  public void setLimitRange(ContainerLimits limitRange) {
    this.limitRange = limitRange;
  }
}
