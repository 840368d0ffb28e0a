package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

@JsonClassDescription("Which tenant gets what from which pool, and when.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeAllocationSpec {
  @Required
  @Size(min = 1, max = ZoneTenant.MAX_NAME_LENGTH)
  @Pattern(Validation.NAME_PATTERN)
  @ValidationRule(value = "self == oldSelf", message = "tenant is immutable")
  @JsonPropertyDescription("The ZoneTenant that gets the compute. Immutable.")
  private String tenant;

  @Required
  @Size(min = 1, max = EdgePool.MAX_NAME_LENGTH)
  @Pattern(Validation.NAME_PATTERN)
  @ValidationRule(value = "self == oldSelf", message = "pool is immutable")
  @JsonPropertyDescription("The EdgePool it comes from. Immutable.")
  private String pool;

  @Required
  @Size(min = 1, max = 8)
  @ValidationRule(
      value = "self.all(k, k in " + EdgeResources.NAMES_CEL + ")",
      message = "resource names must be one of " + EdgeResources.NAMES_TEXT)
  @JsonPropertyDescription("Node resources granted: cpu, memory, nvidia.com/gpu, pods, ephemeral-storage.")
  @JsonDeserialize(contentUsing = LenientQuantity.class)
  private Map<String, Quantity> resources;

  @JsonPropertyDescription("When the grant is active; always, when omitted.")
  private TimeWindow window;

  public String getTenant() {
    return tenant;
  }

  public void setTenant(String tenant) {
    this.tenant = tenant;
  }

  public String getPool() {
    return pool;
  }

  public void setPool(String pool) {
    this.pool = pool;
  }

  public Map<String, Quantity> getResources() {
    return resources;
  }

  public void setResources(Map<String, Quantity> resources) {
    this.resources = resources;
  }

  public TimeWindow getWindow() {
    return window;
  }

  public void setWindow(TimeWindow window) {
    this.window = window;
  }
}
