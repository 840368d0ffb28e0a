package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Per-container LimitRange values (resource name to quantity). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerLimits {
  @Size(max = 16)
  @JsonPropertyDescription("Requests given to a container that sets none.")
  private Map<String, Quantity> defaultRequest;

  @JsonProperty("default")
  @Size(max = 16)
  @JsonPropertyDescription("Limits given to a container that sets none.")
  private Map<String, Quantity> defaultLimit;

  @Size(max = 16)
  @JsonPropertyDescription("The most one container may ask for.")
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
