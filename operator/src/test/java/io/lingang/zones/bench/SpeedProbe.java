package io.lingang.zones.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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
