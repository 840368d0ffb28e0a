package io.lingang.zones.capacity;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints an exact amount the way Kubernetes quantities are written, and reads quantities as text. */
public final class Quantities {
  private static final Map<String, BigDecimal> BINARY = Map.of(
      "Ki", BigDecimal.valueOf(1L << 10), "Mi", BigDecimal.valueOf(1L << 20), "Gi", BigDecimal.valueOf(1L << 30),
      "Ti", BigDecimal.valueOf(1L << 40), "Pi", BigDecimal.valueOf(1L << 50), "Ei", BigDecimal.valueOf(1L << 60));
  private static final List<String> BINARY_ORDER = List.of("Ei", "Pi", "Ti", "Gi", "Mi", "Ki");

  private Quantities() {}

  /**
   * Quantities as written, unparsed, in key order (null for null): to compare what changed, since a
   * Quantity's equals parses it and throws on what a relaxed schema let through.
   */
  public static Map<String, String> asText(Map<String, Quantity> quantities) {
    if (quantities == null) {
      return null;
    }
    Map<String, String> text = new TreeMap<>();
    quantities.forEach((k, v) -> text.put(k, v == null ? null : v.getAmount() + v.getFormat()));
    return text;
  }

  /**
   * Uses the largest binary suffix that divides the amount when the original was binary
   * ({@code 96Gi}), and milli-units for fractions ({@code 1500m}); otherwise a plain number.
   */
  static String format(BigDecimal amount, String originalFormat) {
    boolean negative = amount.signum() < 0;
    BigDecimal abs = amount.abs();
    String text;
    if (BINARY.containsKey(originalFormat) && abs.signum() != 0) {
      text = null;
      for (String suffix : BINARY_ORDER) {
        BigDecimal[] qr = abs.divideAndRemainder(BINARY.get(suffix));
        if (qr[1].signum() == 0 && qr[0].signum() > 0) {
          text = qr[0].toPlainString() + suffix;
          break;
        }
      }
      if (text == null) {
        text = plain(abs);
      }
    } else {
      text = plain(abs);
    }
    return negative ? "-" + text : text;
  }

  private static String plain(BigDecimal abs) {
    if (abs.stripTrailingZeros().scale() <= 0) {
      return abs.setScale(0, RoundingMode.UNNECESSARY).toPlainString();
    }
    BigDecimal milli = abs.movePointRight(3);
    if (milli.stripTrailingZeros().scale() <= 0) {
      return milli.setScale(0, RoundingMode.UNNECESSARY).toPlainString() + "m";
    }
    return abs.stripTrailingZeros().toPlainString();
  }
}
