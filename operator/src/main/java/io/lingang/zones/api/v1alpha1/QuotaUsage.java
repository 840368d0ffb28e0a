package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.Objects;

/** Quota over all of a tenant's namespaces, and the same split into its zone's and its edge namespaces. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuotaUsage {
  @JsonPropertyDescription("What the quotas allow, over all the tenant's namespaces: zone.hard plus edge.hard.")
  private Map<String, Quantity> hard;

  @JsonPropertyDescription("What is in use over all the tenant's namespaces, as counted by the quota controller.")
  private Map<String, Quantity> used;

  @JsonPropertyDescription("The part in the tenant's zone namespaces: the quota admitted by the zone.")
  private QuotaAmounts zone;

  @JsonPropertyDescription("The part in the tenant's edge namespaces: the resources its active edge allocations grant.")
  private QuotaAmounts edge;

  public QuotaUsage() {}

  public QuotaUsage(Map<String, Quantity> hard, Map<String, Quantity> used) {
    this.hard = hard;
    this.used = used;
  }

  public QuotaUsage(Map<String, Quantity> hard, Map<String, Quantity> used, QuotaAmounts zone, QuotaAmounts edge) {
    this(hard, used);
    this.zone = zone;
    this.edge = edge;
  }

  public Map<String, Quantity> getHard() {
    return hard;
  }

  public void setHard(Map<String, Quantity> hard) {
    this.hard = hard;
  }

  public Map<String, Quantity> getUsed() {
    return used;
  }

  public void setUsed(Map<String, Quantity> used) {
    this.used = used;
  }

  public QuotaAmounts getZone() {
    return zone;
  }

  public void setZone(QuotaAmounts zone) {
    this.zone = zone;
  }

  public QuotaAmounts getEdge() {
    return edge;
  }

  public void setEdge(QuotaAmounts edge) {
    this.edge = edge;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuotaUsage q && Objects.equals(hard, q.hard) && Objects.equals(used, q.used)
        && Objects.equals(zone, q.zone) && Objects.equals(edge, q.edge);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hard, used, zone, edge);
  }
}
