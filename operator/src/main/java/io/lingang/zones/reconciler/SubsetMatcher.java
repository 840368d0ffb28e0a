package io.lingang.zones.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Does the cluster's object already say what we want? Every field of the desired object must be
 * in the actual one with the same value; fields the API server or others add are ignored. Lists
 * must match element by element. Quantities compare by value ({@code 1} equals {@code 1000m}).
 * Maps named in {@code exactMaps} (such as a quota's {@code spec.hard}) must also have no extra
 * keys, so that a resource removed from the desired object is noticed.
 */
final class SubsetMatcher {
  private SubsetMatcher() {}

  static boolean matches(JsonNode desired, JsonNode actual, Set<String> exactMaps) {
    return matches(desired, actual, "", exactMaps);
  }

  /**
   * The keys that {@code actual} has and {@code desired} does not, in the maps named in
   * {@code exactMaps}, as JSON Pointers ({@code /spec/hard/limits.memory}) for a JSON patch remove.
   */
  static List<String> extraKeys(JsonNode desired, JsonNode actual, Set<String> exactMaps) {
    List<String> extra = new ArrayList<>();
    for (String path : exactMaps) {
      String pointer = path.replace('.', '/');
      JsonNode want = desired.at(pointer);
      JsonNode have = actual.at(pointer);
      if (want.isObject() && have.isObject()) {
        have.fieldNames().forEachRemaining(key -> {
          if (!want.has(key)) {
            extra.add(pointer + "/" + escaped(key));
          }
        });
      }
    }
    return extra;
  }

  /** A key as one JSON Pointer token (RFC 6901): {@code ~} and {@code /} escaped. */
  static String escaped(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static boolean matches(JsonNode desired, JsonNode actual, String path, Set<String> exactMaps) {
    if (desired == null || desired.isNull()) {
      return true;
    }
    if (actual == null || actual.isNull() || actual.isMissingNode()) {
      return desired.isObject() && desired.isEmpty() || desired.isArray() && desired.isEmpty();
    }
    if (desired.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      if (exactMaps.contains(path) && actual.size() != desired.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!matches(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey(), exactMaps)) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!actual.isArray() || actual.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!matches(desired.get(i), actual.get(i), path + "[]", exactMaps)) {
          return false;
        }
      }
      return true;
    }
    return sameScalar(desired, actual);
  }

  private static boolean sameScalar(JsonNode desired, JsonNode actual) {
    if (desired.equals(actual) || desired.asText().equals(actual.asText())) {
      return true;
    }
    BigDecimal a = quantity(desired);
    BigDecimal b = quantity(actual);
    return a != null && b != null && a.compareTo(b) == 0;
  }

  private static BigDecimal quantity(JsonNode node) {
    try {
      return Quantity.getAmountInBytes(new Quantity(node.asText()));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
