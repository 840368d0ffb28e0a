package io.lingang.zones.plan;

/**
 * The summary of one resource, as its Ready, Reconciling and Stalled conditions say it.
 *
 * @param reason a CamelCase reason for Ready (and for Reconciling or Stalled when they are True)
 * @param message what is the case, and when something is wrong, what to change
 */
public record Health(State state, String reason, String message) {
  public enum State {
    /** Everything as declared. */
    READY,
    /** Working, or waiting for something that comes by itself: capacity, a resource not created yet. */
    PROGRESSING,
    /** Only a person can fix it: the message says what to change. */
    STALLED
  }

  public static Health ready(String reason, String message) {
    return new Health(State.READY, reason, message);
  }

  public static Health progressing(String reason, String message) {
    return new Health(State.PROGRESSING, reason, message);
  }

  public static Health stalled(String reason, String message) {
    return new Health(State.STALLED, reason, message);
  }
}
