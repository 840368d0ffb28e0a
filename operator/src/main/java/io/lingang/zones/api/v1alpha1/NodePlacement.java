package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Nodes that a namespace's pods are pinned to (PodNodeSelector / PodTolerationRestriction). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodePlacement {
  @Size(max = 16)
  @ValidationRule(value = Validation.NODE_SELECTOR_RULE, message = Validation.NODE_SELECTOR_MESSAGE)
  @JsonPropertyDescription("Node labels every pod of the tenant must match.")
  private Map<String, String> nodeSelector;

  @Size(max = 16)
  @ValidationRule(value = Validation.TOLERATIONS_RULE, message = Validation.TOLERATIONS_MESSAGE)
  @JsonPropertyDescription("Tolerations every pod of the tenant gets, for the nodes' taints.")
  private List<Toleration> tolerations;

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
}
