package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Per-container LimitRange values (resource name to quantity). */
@ValidationRule(
    value = "!has(self.default) || !has(self.max) || self.default.all(k, !(k in self.max) "
        + "|| quantity(string(self.default[k])).compareTo(quantity(string(self.max[k]))) <= 0)",
    message = "a default limit may not exceed max")
@ValidationRule(
    value = "!has(self.defaultRequest) || !has(self.default) || self.defaultRequest.all(k, !(k in self.default) "
        + "|| quantity(string(self.defaultRequest[k])).compareTo(quantity(string(self.default[k]))) <= 0)",
    message = "a defaultRequest may not exceed the default limit")
@ValidationRule(
    value = "!has(self.defaultRequest) || !has(self.max) || self.defaultRequest.all(k, !(k in self.max) "
        + "|| quantity(string(self.defaultRequest[k])).compareTo(quantity(string(self.max[k]))) <= 0)",
    message = "a defaultRequest may not exceed max")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerLimits {
  @Size(max = 16)
  @ValidationRule(value = Validation.LIMIT_KEYS_RULE, message = Validation.LIMIT_KEYS_MESSAGE)
  @JsonPropertyDescription("Requests given to a container that sets none.")
  @JsonDeserialize(contentUsing = LenientQuantity.class)
  private Map<String, Quantity> defaultRequest;

  @JsonProperty("default")
  @Size(max = 16)
  @ValidationRule(value = Validation.LIMIT_KEYS_RULE, message = Validation.LIMIT_KEYS_MESSAGE)
  @JsonPropertyDescription("Limits given to a container that sets none.")
  @JsonDeserialize(contentUsing = LenientQuantity.class)
  private Map<String, Quantity> defaultLimit;

  @Size(max = 16)
  @ValidationRule(value = Validation.LIMIT_KEYS_RULE, message = Validation.LIMIT_KEYS_MESSAGE)
  @JsonPropertyDescription("The most one container may ask for.")
  @JsonDeserialize(contentUsing = LenientQuantity.class)
  private Map<String, Quantity> max;

  public Map<String, Quantity> getDefaultRequest() {
    return defaultRequest;
  }

  public void setDefaultRequest(Map<String, Quantity> defaultRequest) {
    this.defaultRequest = defaultRequest;
  }

  public Map<String, Quantity> getDefaultLimit() {
    return defaultLimit;
  }

  public void setDefaultLimit(Map<String, Quantity> defaultLimit) {
    this.defaultLimit = defaultLimit;
  }

  public Map<String, Quantity> getMax() {
    return max;
  }

  public void setMax(Map<String, Quantity> max) {
    this.max = max;
  }
}
