package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("The admission decision, the edge namespace, and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeAllocationStatus extends ConditionedStatus {
  @JsonPropertyDescription("The edge namespace <tenant>-edge-<pool> the grant lands in.")
  private String namespace;

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }
}
