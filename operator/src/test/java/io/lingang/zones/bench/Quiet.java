package io.lingang.zones.bench;

import java.time.Duration;

/**
 * Waits for the operator to settle: its reconcile counter (JOSDK's, on /metrics) unchanged for 5 s.
 * A reconcile that takes longer than that would look settled; none does here. Read twice a second:
 * a scrape costs the operator some CPU (the fleet gauges are computed from its caches).
 */
final class Quiet {
  static final Duration STILL = Duration.ofSeconds(5);

  private Quiet() {}

  /** Seconds from now until the last change of the counter before it stood still (at most 5 minutes). */
  static double await(OperatorJvm op) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(5).toNanos();
    long last = -1;
    long changedAt = start;
    while (System.nanoTime() < deadline) {
      long now;
      try {
        now = op.allReconciles();
      } catch (IllegalStateException busy) {
        now = -2; // no answer in time: not still, as far as we know
      }
      if (now != last || now == -2) {
        last = now;
        changedAt = System.nanoTime();
      } else if (System.nanoTime() - changedAt >= STILL.toNanos()) {
        return (changedAt - start) / 1e9;
      }
      Thread.sleep(500);
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
