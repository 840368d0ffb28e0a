package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

@ValidationRule(
    value = "!has(self.dedicatedNodes) || self.mode == 'Dedicated'",
    message = "dedicatedNodes is only allowed when mode is Dedicated")
@JsonClassDescription("What the zone is and offers: its mode, capacity, tenant defaults, network rules, Pod Security level and trial.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BusinessZoneSpec {
  public enum Mode {
    Shared,
    Dedicated
  }

  /** The Pod Security Standards a zone may enforce; there is no privileged zone. */
  public enum PodSecurity {
    restricted,
    baseline
  }

  @Required
  @ValidationRule(value = "self == oldSelf", message = "mode is immutable; create a new zone instead")
  @JsonPropertyDescription("Shared (many companies) or Dedicated (one company on its own nodes). Immutable.")
  private Mode mode;

  @Size(max = 256)
  @JsonPropertyDescription("A human-readable name for the zone.")
  private String displayName;

  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(value = Validation.QUOTA_KEYS_RULE, message = Validation.QUOTA_KEYS_MESSAGE)
  @JsonPropertyDescription("What the zone can give its tenants, in ResourceQuota terms (requests.cpu, limits.memory, pods, ...). "
      + "The sum of admitted tenants' quotas never exceeds it.")
  @JsonDeserialize(contentUsing = LenientQuantity.class)
  private Map<String, Quantity> capacity;

  @JsonPropertyDescription("Quota and container limits for tenants that declare none.")
  private TenantDefaults tenantDefaults;

  @JsonPropertyDescription("Dedicated zones only: the nodes the tenant's pods are pinned to.")
  private NodePlacement dedicatedNodes;

  @JsonPropertyDescription("Which data links tenants may use and who may reach tenant pods.")
  private ZoneNetwork network;

  @JsonPropertyDescription("When the trial ends and what happens then.")
  private Trial trial;

  @Default("restricted")
  @JsonPropertyDescription("The Pod Security Standard every tenant namespace of the zone enforces: restricted (default) "
      + "or baseline. Namespaces also warn and audit at restricted. There is no privileged zone.")
  private PodSecurity podSecurity = PodSecurity.restricted;

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public Map<String, Quantity> getCapacity() {
    return capacity;
  }

  public void setCapacity(Map<String, Quantity> capacity) {
    this.capacity = capacity;
  }

  public TenantDefaults getTenantDefaults() {
    return tenantDefaults;
  }

  public void setTenantDefaults(TenantDefaults tenantDefaults) {
    this.tenantDefaults = tenantDefaults;
  }

  public NodePlacement getDedicatedNodes() {
    return dedicatedNodes;
  }

  public void setDedicatedNodes(NodePlacement dedicatedNodes) {
    this.dedicatedNodes = dedicatedNodes;
  }

  public ZoneNetwork getNetwork() {
    return network;
  }

  public void setNetwork(ZoneNetwork network) {
    this.network = network;
  }

  public PodSecurity getPodSecurity() {
    return podSecurity;
  }

  public void setPodSecurity(PodSecurity podSecurity) {
    this.podSecurity = podSecurity;
  }

  public Trial getTrial() {
    return trial;
  }

  public void setTrial(Trial trial) {
    this.trial = trial;
  }
}
