package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(
    value = "!has(self.startsAt) || !has(self.endsAt) || timestamp(self.endsAt) > timestamp(self.startsAt)",
    message = "endsAt must be after startsAt")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimeWindow {
  @Size(max = 64)
  @ValidationRule(value = Validation.TIMESTAMP_RULE, message = Validation.TIMESTAMP_MESSAGE)
  @JsonPropertyDescription("Nothing is granted before this time (RFC 3339, e.g. 2027-01-01T00:00:00Z).")
  private String startsAt;

  @Size(max = 64)
  @ValidationRule(value = Validation.TIMESTAMP_RULE, message = Validation.TIMESTAMP_MESSAGE)
  @JsonPropertyDescription("After this time the quota allows no new pods and capacity returns to the pool (RFC 3339).")
  private String endsAt;

  public String getStartsAt() {
    return startsAt;
  }

  public void setStartsAt(String startsAt) {
    this.startsAt = startsAt;
  }

  public String getEndsAt() {
    return endsAt;
  }

  public void setEndsAt(String endsAt) {
    this.endsAt = endsAt;
  }
}
