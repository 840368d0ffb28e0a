package io.lingang.zones.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latencies in seconds and their percentiles (nearest rank: p99 of 20 samples is the largest). */
final class Latencies {
  private final List<Double> seconds = new ArrayList<>();

  void addNanos(long nanos) {
    seconds.add(nanos / 1e9);
  }

  int count() {
    return seconds.size();
  }

  /** The p-th percentile (0 < p <= 100), NaN without samples. */
  double percentile(double p) {
    if (seconds.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(seconds);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  double p50() {
    return percentile(50);
  }

  double p99() {
    return percentile(99);
  }
}
