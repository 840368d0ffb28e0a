package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ZoneNetwork {
  @Size(max = 32)
  @JsonPropertyDescription("Names of the DataLinks that tenants of this zone may send data to.")
  private List<@Size(max = 253) String> allowedLinks;

  @Size(max = 8)
  @ValidationRule(value = Validation.LABEL_SELECTORS_RULE, message = Validation.LABEL_SELECTORS_MESSAGE)
  @JsonPropertyDescription("Namespace label selectors whose pods may reach tenant pods (a zone gateway, say).")
  private List<LabelSelector> allowIngressFrom;

  @Size(max = 3)
  @ValidationRule(value = "self.all(t, self.exists_one(u, u == t))", message = "each Service type may appear once")
  @JsonPropertyDescription("The Service types tenants of the zone may create: ClusterIP (the default), NodePort, "
      + "LoadBalancer. ExternalName and externalIPs are never allowed.")
  private List<ServiceType> serviceTypes;

  /** Service types a zone can allow; ExternalName is not one of them. */
  public enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer
  }

  /** The Service types tenants may create: the declared ones, or ClusterIP only. */
  public static List<ServiceType> serviceTypesOf(ZoneNetwork network) {
    return network == null || network.serviceTypes == null || network.serviceTypes.isEmpty()
        ? List.of(ServiceType.ClusterIP) : network.serviceTypes;
  }

  public List<String> getAllowedLinks() {
    return allowedLinks;
  }

  public void setAllowedLinks(List<String> allowedLinks) {
    this.allowedLinks = allowedLinks;
  }

  public List<LabelSelector> getAllowIngressFrom() {
    return allowIngressFrom;
  }

  public void setAllowIngressFrom(List<LabelSelector> allowIngressFrom) {
    this.allowIngressFrom = allowIngressFrom;
  }

  public List<ServiceType> getServiceTypes() {
    return serviceTypes;
  }

  public void setServiceTypes(List<ServiceType> serviceTypes) {
    this.serviceTypes = serviceTypes;
  }
}
