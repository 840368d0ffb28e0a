package io.lingang.zones.reconciler;

import io.lingang.zones.api.v1alpha1.BusinessZone;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** When a zone's trial ends. */
final class Trials {
  private Trials() {}

  /** The zone's spec.trial.endsAt, or null when it has none (the schema ensures it parses). */
  static Instant endOf(BusinessZone zone) {
    var trial = zone.getSpec().getTrial();
    if (trial == null || trial.getEndsAt() == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(trial.getEndsAt()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
