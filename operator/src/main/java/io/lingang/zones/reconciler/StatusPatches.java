package io.lingang.zones.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Decides whether a freshly computed status differs from the one the object already has. */
final class StatusPatches {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusPatches() {}

  /** Compares as JSON trees, so absent and empty collections written the same way compare equal. */
  static boolean sameStatus(Object current, Object desired) {
    if (current == null || desired == null) {
      return current == desired;
    }
    JsonNode a = JSON.valueToTree(current);
    JsonNode b = JSON.valueToTree(desired);
    return a.equals(b);
  }
}
