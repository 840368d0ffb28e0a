package io.lingang.zones.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of a process, read from Linux's /proc as `top` would: utime + stime of
 * /proc/PID/stat (in clock ticks) and VmHWM / VmRSS of /proc/PID/status. A process that is gone
 * reads as -1, so a crash shows in the report instead of stopping it.
 */
final class ProcStats {
  private static final long TICKS_PER_SECOND = clockTicks();

  private ProcStats() {}

  /** CPU seconds (user + system) the process has used since it started, or -1. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Peak resident set size in KiB (VmHWM), or -1. */
  static long peakRssKib(long pid) {
    return statusKib(pid, "VmHWM:");
  }

  /** Current resident set size in KiB (VmRSS), or -1. */
  static long rssKib(long pid) {
    return statusKib(pid, "VmRSS:");
  }

  private static long statusKib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  /** USER_HZ; 100 on every Linux we know of, asked anyway. */
  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
