package io.lingang.zones.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

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
  static double millisOnceQuiet(BenchPlane plane) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    double before = cpuSeconds(plane);
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      double now = cpuSeconds(plane);
      if (now - before < 0.1) {
        break;
      }
      before = now;
    }
    return millis();
  }

  private static double cpuSeconds(BenchPlane plane) {
    return ProcStats.cpuSeconds(plane.pid("kube-apiserver")) + ProcStats.cpuSeconds(plane.pid("etcd"))
        + ProcStats.cpuSeconds(plane.pid("kube-controller-manager"));
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
