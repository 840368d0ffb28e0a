package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

@JsonClassDescription("Which nodes form the pool, the tolerations their taints need, and an optional fixed capacity.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgePoolSpec {
  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(value = Validation.NODE_SELECTOR_RULE, message = Validation.NODE_SELECTOR_MESSAGE)
  @JsonPropertyDescription("Labels that find the pool's nodes.")
  private Map<String, String> nodeSelector;

  @Size(max = 16)
  @ValidationRule(value = Validation.TOLERATIONS_RULE, message = Validation.TOLERATIONS_MESSAGE)
  @JsonPropertyDescription("Tolerations for the pool nodes' taints, given to every pod in the pool.")
  private List<Toleration> tolerations;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(k, k in " + EdgeResources.NAMES_CEL + ")",
      message = "resource names must be one of " + EdgeResources.NAMES_TEXT)
  @JsonPropertyDescription("Capacity to hand out; when omitted, the allocatable sum of the matching Ready, schedulable nodes.")
  @JsonDeserialize(contentUsing = LenientQuantity.class)
  private Map<String, Quantity> capacity;

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Map<String, Quantity> getCapacity() {
    return capacity;
  }

  public void setCapacity(Map<String, Quantity> capacity) {
    this.capacity = capacity;
  }
}
