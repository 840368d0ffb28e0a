package io.lingang.zones.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scrape of a /metrics endpoint in the Prometheus text format, read the way a query would. */
public final class PrometheusText {
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;
  private final Map<String, String> help;

  private PrometheusText(List<Sample> samples, Map<String, String> help) {
    this.samples = samples;
    this.help = help;
  }

  /** Families whose HELP line is missing or says nothing. */
  public List<String> undescribed() {
    List<String> families = new ArrayList<>();
    help.forEach((name, text) -> {
      if (text.isBlank()) {
        families.add(name);
      }
    });
    return families;
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> help = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        help.putIfAbsent(line.split(" ")[2], "");
      }
      if (line.startsWith("# HELP ")) {
        String[] parts = line.split(" ", 4);
        help.put(parts[2], parts.length > 3 ? parts[3] : "");
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        String body = line.substring(brace + 1, line.lastIndexOf('}'));
        for (String pair : body.split(",(?=[a-zA-Z_]+=\")")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
          }
        }
      }
      samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
    }
    return new PrometheusText(samples, help);
  }

  /** Samples of {@code name} whose labels include all of {@code labels}. */
  public List<Sample> select(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  /** The sum over {@link #select}, 0 when there is no such sample (as `sum(...) or 0` in PromQL). */
  public double sum(String name, Map<String, String> labels) {
    return select(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }
}
