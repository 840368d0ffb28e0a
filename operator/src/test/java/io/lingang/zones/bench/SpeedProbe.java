package io.lingang.zones.bench;

import static org.awaitility.Awaitility.await;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The machine's speed at one moment: how long a fixed piece of CPU work takes in the benchmark's
 * own JVM (SHA-256 over 64 MiB, the best of three). On a shared virtual machine the same run can
 * take twice as long an hour later; taken before and after each run, it tells a pair measured on
 * one machine from a pair measured on two.
 */
final class SpeedProbe {
  private static final byte[] BLOCK = new byte[64 * 1024];
  private static final int BLOCKS = 1024;

  static {
    for (int i = 0; i < 5; i++) {
      once(); // compiled before the first reading counts
    }
  }

  private SpeedProbe() {}

  /** Milliseconds for the fixed work: lower is faster. */
  static double millis() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      best = Math.min(best, once());
    }
    return best / 1e6;
  }

  /**
   * The same, once the control plane has gone quiet (under a tenth of a core for a second, at most
   * 20 s): right after a run it still counts quotas and collects garbage, which would read as a
   * slower machine.
   */
  static double millisOnceQuiet(BenchPlane plane) {
    double[] last = {Usage.controlPlaneCpuSeconds(plane)};
    try {
      // Each poll compares the control plane's CPU seconds with the previous poll's, a second apart.
      await("the control plane quiet").atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(1))
          .pollInterval(Duration.ofSeconds(1)).until(() -> {
            double now = Usage.controlPlaneCpuSeconds(plane);
            boolean quiet = now - last[0] < 0.1;
            last[0] = now;
            return quiet;
          });
    } catch (ConditionTimeoutException stillBusy) {
      // Probe anyway: the reading then says the machine was busy, which is what it was.
    }
    return millis();
  }

  private static long once() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long t0 = System.nanoTime();
      for (int i = 0; i < BLOCKS; i++) {
        sha.update(BLOCK);
      }
      BLOCK[0] = sha.digest()[0]; // the result is used: nothing to optimise away
      return System.nanoTime() - t0;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
