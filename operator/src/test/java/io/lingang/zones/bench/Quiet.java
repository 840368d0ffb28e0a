package io.lingang.zones.bench;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for the operator to settle: its reconcile counter (JOSDK's, on /metrics) unchanged for 5 s.
 * A reconcile that takes longer than that would look settled; none does here. Read twice a second:
 * a scrape costs the operator some CPU (the fleet gauges are computed from its caches).
 */
final class Quiet {
  static final Duration STILL = Duration.ofSeconds(5);
  private static final Duration AT_MOST = Duration.ofMinutes(5);

  private Quiet() {}

  /** Seconds from now until the last change of the counter before it stood still (all 5 minutes if it never does). */
  static double await(OperatorJvm op) {
    long start = System.nanoTime();
    var counter = new Object() {
      Long last;
      long changedAt = start;

      boolean stillFor(Duration still) {
        Long now;
        try {
          now = op.allReconciles();
        } catch (IllegalStateException busy) {
          now = null; // no answer in time: not still, as far as we know
        }
        if (now == null || !now.equals(last)) {
          last = now;
          changedAt = System.nanoTime();
          return false;
        }
        return System.nanoTime() - changedAt >= still.toNanos();
      }
    };
    try {
      Awaitility.await("the operator's reconcile counter unchanged for " + STILL.toSeconds() + " s").atMost(AT_MOST)
          .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).until(() -> counter.stillFor(STILL));
      return (counter.changedAt - start) / 1e9;
    } catch (ConditionTimeoutException e) {
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
