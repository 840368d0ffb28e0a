package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Trial {
  public enum OnExpiry {
    Suspend
  }

  @Size(max = 64)
  @ValidationRule(value = Validation.TIMESTAMP_RULE, message = Validation.TIMESTAMP_MESSAGE)
  @JsonPropertyDescription("When the trial ends (RFC 3339, e.g. 2027-06-30T00:00:00Z).")
  private String endsAt;

  @Default("Suspend")
  @JsonPropertyDescription("What happens to every tenant of the zone after endsAt: Suspend.")
  private OnExpiry onExpiry = OnExpiry.Suspend;

  public String getEndsAt() {
    return endsAt;
  }

  public void setEndsAt(String endsAt) {
    this.endsAt = endsAt;
  }

  public OnExpiry getOnExpiry() {
    return onExpiry;
  }

  public void setOnExpiry(OnExpiry onExpiry) {
    this.onExpiry = onExpiry;
  }
}
