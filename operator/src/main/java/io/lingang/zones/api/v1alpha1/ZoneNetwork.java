package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ZoneNetwork {
  @Size(max = 32)
  @JsonPropertyDescription("Names of the DataLinks that tenants of this zone may send data to.")
  private List<@Size(max = 253) String> allowedLinks;

  @Size(max = 16)
  @JsonPropertyDescription("Namespace label selectors whose pods may reach tenant pods (a zone gateway, say).")
  private List<LabelSelector> allowIngressFrom;

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
}
