package io.lingang.zones.api.v1alpha1;

/** Timestamps are RFC 3339 strings; the API server checks them with a regular expression. */
final class Timestamps {
  static final String RFC3339_RULE =
      "self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$')";

  static final String RFC3339_MESSAGE = "must be an RFC 3339 time, such as 2027-06-30T00:00:00Z";

  private Timestamps() {}
}
