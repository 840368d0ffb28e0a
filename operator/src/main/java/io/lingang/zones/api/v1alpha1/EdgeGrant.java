package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** One of a tenant's edge allocations, as the tenant sees it in its TenantStatus. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeGrant {
  @JsonPropertyDescription("The EdgeAllocation's name.")
  private String name;

  @JsonPropertyDescription("The EdgePool.")
  private String pool;

  @JsonPropertyDescription("The edge namespace, once admitted.")
  private String namespace;

  @JsonPropertyDescription("Pending, Active, Refused or Expired.")
  private String state;

  @JsonPropertyDescription("The resources asked for.")
  private Map<String, Quantity> resources;

  @JsonPropertyDescription("Why it is refused, when it is: what is short, or what to change.")
  private String message;

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPool() {
    return pool;
  }

  public void setPool(String pool) {
    this.pool = pool;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public Map<String, Quantity> getResources() {
    return resources;
  }

  public void setResources(Map<String, Quantity> resources) {
    this.resources = resources;
  }
}
