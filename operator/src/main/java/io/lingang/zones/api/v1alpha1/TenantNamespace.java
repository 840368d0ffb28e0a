package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** One of a tenant's namespaces, named {@code <tenant>-<name>}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenantNamespace {
  public static final int MAX_NAME_LENGTH = 63 - ZoneTenant.MAX_NAME_LENGTH - 1;

  @Required
  @Size(min = 1, max = MAX_NAME_LENGTH)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @ValidationRule(value = "!self.startsWith('edge-')", message = "names starting with 'edge-' are kept for edge allocations")
  @JsonPropertyDescription("Suffix of the namespace name: <tenant>-<name>.")
  private String name;

  @Size(max = 32)
  @ValidationRule(value = Validation.QUOTA_KEYS_RULE, message = Validation.QUOTA_KEYS_MESSAGE)
  @JsonPropertyDescription("This namespace's share of the tenant quota.")
  @JsonDeserialize(contentUsing = LenientQuantity.class)
  private Map<String, Quantity> quota;

  public TenantNamespace() {}

  public TenantNamespace(String name, Map<String, Quantity> quota) {
    this.name = name;
    this.quota = quota;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Map<String, Quantity> getQuota() {
    return quota;
  }

  public void setQuota(Map<String, Quantity> quota) {
    this.quota = quota;
  }
}
