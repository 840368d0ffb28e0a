package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonClassDescription("Where the link leads: its region, address ranges and ports.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataLinkSpec {
  @Size(max = 16)
  @Pattern("^[A-Z][A-Z0-9-]*$")
  @JsonPropertyDescription("Region code of the far end, e.g. HK, SG, JP.")
  private String region;

  @Size(max = 256)
  @JsonPropertyDescription("A human-readable name for the link.")
  private String displayName;

  @Required
  @Size(min = 1, max = 64)
  @ValidationRule(value = "self.all(c, isCIDR(c))", message = "every entry must be a valid CIDR, such as 203.0.113.0/24")
  @JsonPropertyDescription("Address ranges at the far end that tenants may send to.")
  private List<@Size(max = 43) String> cidrs;

  @Size(max = 32)
  @JsonPropertyDescription("Ports that may be used; empty means all ports.")
  private List<LinkPort> ports;

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public List<String> getCidrs() {
    return cidrs;
  }

  public void setCidrs(List<String> cidrs) {
    this.cidrs = cidrs;
  }

  public List<LinkPort> getPorts() {
    return ports;
  }

  public void setPorts(List<LinkPort> ports) {
    this.ports = ports;
  }
}
