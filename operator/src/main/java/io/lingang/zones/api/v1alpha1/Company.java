package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Company {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("The company's legal or trading name.")
  private String name;

  @Size(max = 253)
  @JsonPropertyDescription("Who to call about this tenant (an e-mail address, say).")
  private String contact;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getContact() {
    return contact;
  }

  public void setContact(String contact) {
    this.contact = contact;
  }
}
