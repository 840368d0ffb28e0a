package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(
    value = "!has(self.endPort) || self.endPort >= self.port",
    message = "endPort must not be below port")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LinkPort {
  public enum Protocol {
    TCP,
    UDP,
    SCTP
  }

  @Default("TCP")
  @JsonPropertyDescription("TCP (default), UDP or SCTP.")
  private Protocol protocol = Protocol.TCP;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("The port, or the first of a range.")
  private Integer port;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("The last port of a range (inclusive).")
  private Integer endPort;

  public LinkPort() {}

  public LinkPort(Protocol protocol, Integer port, Integer endPort) {
    this.protocol = protocol;
    this.port = port;
    this.endPort = endPort;
  }

  public Protocol getProtocol() {
    return protocol;
  }

  public void setProtocol(Protocol protocol) {
    this.protocol = protocol;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Integer getEndPort() {
    return endPort;
  }

  public void setEndPort(Integer endPort) {
    this.endPort = endPort;
  }
}
