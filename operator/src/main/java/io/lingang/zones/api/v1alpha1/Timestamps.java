package io.lingang.zones.api.v1alpha1;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The API's times are RFC 3339 strings, checked by the schema ({@code format: date-time}). An
 * object stored before that check, or by a CRD without it, may still hold one that does not parse:
 * callers get a clear exception for that one object and go on with the others.
 */
public final class Timestamps {
  private Timestamps() {}

  /** The instant, or null when absent; throws {@link InvalidTimeException} when it is not RFC 3339. */
  public static Instant parse(String field, String rfc3339) {
    if (rfc3339 == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidTimeException(field + " is not an RFC 3339 time: " + rfc3339 + " (such as 2027-06-30T00:00:00Z)");
    }
  }

  /** A time the operator cannot read. */
  public static final class InvalidTimeException extends IllegalArgumentException {
    public InvalidTimeException(String message) {
      super(message);
    }
  }
}
