package io.lingang.zones.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a JFR recording: the methods seen most often in {@code jdk.ExecutionSample}
 * events (a thread running Java code, sampled every 10 ms per thread by settings=profile), counted
 * <em>self</em> (the method was the top frame: it was executing) and <em>total</em> (anywhere on the
 * stack: it or something it called was executing); then the same total for the operator's own code
 * alone (what can be changed here), and self samples by package. Execution samples show Java code
 * only: the JVM's own work (JIT compilation, garbage collection) is summed from its events.
 *
 * <pre>
 *   hack/bench.sh top operator/target/bench-out/bench-<time>/operator-1000-10z.jfr [N] [FROM TO]
 * </pre>
 *
 * FROM and TO (ISO instants) keep only samples in that window; the benchmark passes the window from
 * the first create to the last Ready, leaving out the JVM's start. JDK 17's {@code jfr} tool has no
 * such view ({@code jfr view hot-methods} came with JDK 21); {@code jfr print --events
 * jdk.ExecutionSample FILE} prints the raw samples.
 */
public final class JfrTop {
  private static final String OWN_CODE = "io.lingang.";

  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrTop FILE.jfr [N] [FROM TO]");
      System.exit(2);
    }
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Instant from = args.length > 3 ? Instant.parse(args[2]) : Instant.MIN;
    Instant to = args.length > 3 ? Instant.parse(args[3]) : Instant.MAX;
    System.out.print(top(Path.of(args[0]), n, from, to));
  }

  static String top(Path recording, int n, Instant from, Instant to) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    Map<String, Integer> own = new HashMap<>();
    Map<String, Integer> packages = new HashMap<>();
    int samples = 0;
    int truncated = 0;
    // jdk.CompilerStatistics is cumulative: the first reading in the window (0 from the start) and the last.
    long[] compiled = {from.equals(Instant.MIN) ? 0 : -1, 0};
    long[] compileMillis = {from.equals(Instant.MIN) ? 0 : -1, 0};
    int collections = 0;
    double gcSeconds = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        String type = event.getEventType().getName();
        if (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
          continue;
        }
        if (type.equals("jdk.CompilerStatistics")) {
          reading(compiled, event.getLong("compileCount"));
          reading(compileMillis, event.getDuration("totalTimeSpent").toMillis());
        } else if (type.equals("jdk.GarbageCollection")) {
          collections++;
          gcSeconds += event.getDuration().toNanos() / 1e9;
        }
        if (!type.equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        List<RecordedFrame> frames = stack.getFrames();
        if (frames.isEmpty()) {
          continue;
        }
        samples++;
        truncated += stack.isTruncated() ? 1 : 0;
        self.merge(name(frames.get(0)), 1, Integer::sum);
        packages.merge(packageOf(frames.get(0)), 1, Integer::sum);
        // A method on the stack twice (recursion) counts once per sample.
        Set<String> onStack = new HashSet<>();
        frames.forEach(f -> onStack.add(name(f)));
        onStack.forEach(m -> total.merge(m, 1, Integer::sum));
        onStack.stream().filter(m -> m.startsWith(OWN_CODE)).forEach(m -> own.merge(m, 1, Integer::sum));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("%s: %d execution samples%s%s%n".formatted(recording.getFileName(), samples,
        from.equals(Instant.MIN) ? "" : " from %s to %s".formatted(from, to),
        truncated == 0 ? "" : " (%d with truncated stacks: totals near the root undercount)".formatted(truncated)));
    table(out, "top " + n + " by self samples", self, samples, n);
    table(out, "top " + n + " by total samples (self + callees)", total, samples, n);
    table(out, "top " + n + " of the operator's own methods (" + OWN_CODE + "*) by total samples", own, samples, n);
    table(out, "self samples by package", packages, samples, 15);
    out.append(("%nJVM: %d methods JIT-compiled in %.1f s of compiler time; %d garbage collections pausing %.2f s "
        + "(both wall-clock: on a loaded machine they include waiting for a CPU)%n").formatted(
        compiled[1] - Math.max(0, compiled[0]), (compileMillis[1] - Math.max(0, compileMillis[0])) / 1e3, collections, gcSeconds));
    return out.toString();
  }

  /** Keeps the first (unless set) and the last value of a cumulative counter. */
  private static void reading(long[] firstAndLast, long value) {
    if (firstAndLast[0] < 0) {
      firstAndLast[0] = value;
    }
    firstAndLast[1] = value;
  }

  private static void table(StringBuilder out, String title, Map<String, Integer> counts, int samples, int n) {
    out.append("%n%s%n".formatted(title));
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(n)
        .forEach(e -> out.append("%7d %5.1f%%  %s%n".formatted(e.getValue(), 100.0 * e.getValue() / Math.max(1, samples), e.getKey())));
  }

  /** Type and method; a lambda's generated class is named once, not once per JVM-made suffix. */
  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName().replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda") + "." + f.getMethod().getName();
  }

  /** The first three parts of the package: io.fabric8.kubernetes, com.fasterxml.jackson, io.lingang.zones. */
  private static String packageOf(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    int dot = type.lastIndexOf('.');
    if (dot < 0) {
      return "(no package)";
    }
    return Arrays.stream(type.substring(0, dot).split("\\.")).limit(3).collect(Collectors.joining("."));
  }
}
