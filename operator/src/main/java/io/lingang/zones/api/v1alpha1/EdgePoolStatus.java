package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

@JsonClassDescription("The pool's usable nodes, capacity, what active allocations hold, what is left, and the conditions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgePoolStatus extends ConditionedStatus {
  @JsonPropertyDescription("How many matching nodes are Ready and schedulable.")
  private Integer nodes;

  @JsonPropertyDescription("What the pool can hand out.")
  private Map<String, Quantity> capacity;

  @JsonPropertyDescription("Sum of admitted, active allocations.")
  private Map<String, Quantity> allocated;

  @JsonPropertyDescription("capacity minus allocated (negative when OverCommitted).")
  private Map<String, Quantity> available;

  public Integer getNodes() {
    return nodes;
  }

  public void setNodes(Integer nodes) {
    this.nodes = nodes;
  }

  public Map<String, Quantity> getCapacity() {
    return capacity;
  }

  public void setCapacity(Map<String, Quantity> capacity) {
    this.capacity = capacity;
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
