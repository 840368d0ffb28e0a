package io.lingang.zones.capacity;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable resource-name-to-amount map with the arithmetic capacity accounting needs. Amounts
 * are exact decimals; each name remembers the unit style it was written in (Gi, m, plain), so sums
 * and remainders print the way a person wrote them.
 */
public final class ResourceList {
  public static final ResourceList EMPTY = new ResourceList(Map.of(), Map.of());

  private final Map<String, BigDecimal> amounts;
  private final Map<String, String> formats;

  private ResourceList(Map<String, BigDecimal> amounts, Map<String, String> formats) {
    this.amounts = Collections.unmodifiableMap(new TreeMap<>(amounts));
    this.formats = Map.copyOf(formats);
  }

  /**
   * Parses a map from the API; throws {@link InvalidQuantityException} naming the first entry that
   * is not a non-negative quantity.
   */
  public static ResourceList of(Map<String, Quantity> quantities) {
    if (quantities == null || quantities.isEmpty()) {
      return EMPTY;
    }
    Map<String, BigDecimal> amounts = new TreeMap<>();
    Map<String, String> formats = new TreeMap<>();
    quantities.forEach((name, quantity) -> {
      BigDecimal amount;
      try {
        amount = quantity == null ? null : quantity.getNumericalAmount();
      } catch (IllegalArgumentException | ArithmeticException e) {
        amount = null;
      }
      // Beyond 10^30 (or below 10^-30) no resource is meant, and arithmetic on such exponents
      // would take the operator's CPU and memory: refused like a typo.
      if (amount == null || amount.signum() < 0 || amount.precision() - amount.scale() > 30 || amount.scale() > 30) {
        throw new InvalidQuantityException(name, quantity == null ? "" : quantity.toString());
      }
      amounts.put(name, amount);
      formats.put(name, quantity.getFormat() == null ? "" : quantity.getFormat());
    });
    return new ResourceList(amounts, formats);
  }

  public boolean isEmpty() {
    return amounts.isEmpty();
  }

  public java.util.Set<String> names() {
    return amounts.keySet();
  }

  public BigDecimal amount(String name) {
    return amounts.getOrDefault(name, BigDecimal.ZERO);
  }

  /** The unit style the amount of {@code name} was written in ("Gi", "m", "" ...). */
  public String formatOf(String name) {
    return formats.getOrDefault(name, "");
  }

  public boolean has(String name) {
    return amounts.containsKey(name);
  }

  public ResourceList plus(ResourceList other) {
    Map<String, BigDecimal> sum = new TreeMap<>(amounts);
    Map<String, String> fmt = new TreeMap<>(other.formats);
    fmt.putAll(formats);
    other.amounts.forEach((k, v) -> sum.merge(k, v, BigDecimal::add));
    return new ResourceList(sum, fmt);
  }

  /** Subtracts per name; the result may be negative (an over-committed remainder). */
  public ResourceList minus(ResourceList other) {
    Map<String, BigDecimal> diff = new TreeMap<>(amounts);
    Map<String, String> fmt = new TreeMap<>(other.formats);
    fmt.putAll(formats);
    other.amounts.forEach((k, v) -> diff.merge(k, v.negate(), BigDecimal::add));
    return new ResourceList(diff, fmt);
  }

  /** The same names, with {@code value} for each. */
  public ResourceList with(String name, BigDecimal value, String format) {
    Map<String, BigDecimal> next = new TreeMap<>(amounts);
    Map<String, String> fmt = new TreeMap<>(formats);
    next.put(name, value);
    fmt.putIfAbsent(name, format);
    return new ResourceList(next, fmt);
  }

  /** Only the given names. */
  public ResourceList only(java.util.Collection<String> names) {
    Map<String, BigDecimal> kept = new TreeMap<>(amounts);
    kept.keySet().retainAll(names);
    return new ResourceList(kept, formats);
  }

  /** Every amount divided by {@code parts}, rounded down to a thousandth for cpu and to whole units otherwise. */
  public ResourceList dividedBy(int parts) {
    Map<String, BigDecimal> share = new TreeMap<>();
    amounts.forEach((k, v) -> share.put(k, v.divide(BigDecimal.valueOf(parts), k.endsWith("cpu") ? 3 : 0, RoundingMode.FLOOR)));
    return new ResourceList(share, formats);
  }

  /** True when every amount is zero or more. */
  public boolean isNonNegative() {
    return amounts.values().stream().allMatch(v -> v.signum() >= 0);
  }

  /** Names where {@code this} is short of {@code wanted}, with how much is missing. */
  public List<Shortfall> shortfalls(ResourceList wanted) {
    List<Shortfall> missing = new ArrayList<>();
    wanted.amounts.forEach((name, want) -> {
      BigDecimal have = amount(name);
      if (want.compareTo(have) > 0) {
        missing.add(new Shortfall(name, format(name, want), format(name, have.max(BigDecimal.ZERO)),
            has(name)));
      }
    });
    return missing;
  }

  /** True when {@code wanted} fits within this, name by name (a missing name has room for nothing). */
  public boolean covers(ResourceList wanted) {
    return shortfalls(wanted).isEmpty();
  }

  public Map<String, Quantity> toQuantities() {
    Map<String, Quantity> out = new TreeMap<>();
    amounts.forEach((k, v) -> out.put(k, new Quantity(format(k, v))));
    return out;
  }

  /** Numeric equality, independent of how the amounts were written. */
  public boolean sameAmounts(ResourceList other) {
    if (!amounts.keySet().equals(other.amounts.keySet())) {
      return false;
    }
    return amounts.entrySet().stream().allMatch(e -> e.getValue().compareTo(other.amounts.get(e.getKey())) == 0);
  }

  private String format(String name, BigDecimal amount) {
    return Quantities.format(amount, formats.getOrDefault(name, ""));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceList r && sameAmounts(r);
  }

  @Override
  public int hashCode() {
    return amounts.keySet().hashCode();
  }

  @Override
  public String toString() {
    return toQuantities().toString();
  }

  /**
   * How much of one resource is missing. What is free is kept for the platform's tools (the
   * kubectl plugin) but never described: a tenant reads the description in its own status, and
   * what its zone or pool has free is what the other tenants leave.
   */
  public record Shortfall(String resource, String wanted, String available, boolean offered) {
    public String describe() {
      return offered
          ? resource + " " + wanted + " wanted, more than is free"
          : resource + " " + wanted + " wanted, but the capacity does not offer " + resource;
    }
  }
}
