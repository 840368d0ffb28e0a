package io.lingang.zones.plan;

/** A Kubernetes Event the operator records: Normal or Warning, a CamelCase reason, a message. */
public record Announcement(boolean warning, String reason, String message) {
  public static Announcement normal(String reason, String message) {
    return new Announcement(false, reason, message);
  }

  public static Announcement warning(String reason, String message) {
    return new Announcement(true, reason, message);
  }
}
