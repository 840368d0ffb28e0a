package io.lingang.zones.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one benchmark invocation measures, from its command line (see docs/PERFORMANCE.md).
 *
 * @param tenants the tenant counts N, each measured on its own fresh control planes
 * @param zones the zone layouts: 1 means one zone holding all N tenants, 10 means ten holding N/10 each
 * @param threads parallel creates of the benchmark's own ZoneTenants and of the raw client
 * @param operatorJvm the operator's JVM flags, printed with the results
 * @param operatorEnv extra environment of the operator (KEY=VALUE), e.g. LINGANG_RECONCILE_THREADS=40
 * @param profile run the operator under JFR; a recording per operator process next to the report
 * @param extrasAt the N whose operator run (with the largest zone layout) also measures restart,
 *     an idle window, drift repair and single creates; 0 for none
 * @param idleSeconds length of the idle window that must see no write
 * @param driftSamples tenants whose NetworkPolicy is deleted for the drift-repair latency
 * @param singles tenants created one at a time on an idle system
 * @param readyTimeoutSeconds how long a run may take before it is reported as timed out
 * @param repeat pairs (raw then operator) per N and layout: on a shared machine, whose speed drifts
 *     from minute to minute, the headline is the median of the pairs' ratios
 * @param sideBySide the raw client and the operator at the same time, each on its own control
 *     plane: both see the same machine, whatever its speed does, and the ratio of the CPU seconds
 *     each side spent (client, API server, etcd, controller manager) compares their work
 */
record BenchOptions(
    List<Integer> tenants,
    List<Integer> zones,
    int threads,
    List<String> operatorJvm,
    List<String> operatorEnv,
    boolean profile,
    int extrasAt,
    int idleSeconds,
    int driftSamples,
    int singles,
    int readyTimeoutSeconds,
    boolean skipRaw,
    int repeat,
    Path out,
    boolean quick,
    boolean sideBySide) {

  /**
   * As the chart runs the operator: a 512Mi container with MaxRAMPercentage=50 (256 MB of heap),
   * SerialGC, and the C1 compiler only (see docs/PERFORMANCE.md). The CPU itself is not limited
   * here.
   */
  static final List<String> CHART_LIKE_JVM = List.of(
      "-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=50", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

  static final String USAGE = """
      hack/bench.sh [options]            (make bench BENCH_ARGS="...")
        --tenants 100,500,1000     tenant counts N (default 100,500,1000)
        --zones 1,10               zone layouts: 1 zone holding N, 10 zones holding N/10 (default 1,10)
        --quick                    smoke run: N=50, short extras (10 drift samples, 5 singles, 15 s idle)
        --out FILE                 the Markdown report (default operator/target/bench-out/bench-<time>.md)
        --threads 16               parallel creates (the ZoneTenants; the raw client's tenants)
        --operator-jvm "FLAGS"     the operator's JVM flags (default: %s)
        --operator-env KEY=VALUE   extra operator environment, repeatable (LINGANG_RECONCILE_THREADS=40)
        --profile                  the operator under JFR (settings=profile); top frames in the report
        --extras-at N              restart, idle window, drift repair, single creates after this N's
                                   operator run with the largest zone layout (default 1000; 0: none)
        --repeat 1                 pairs (raw, then operator) per N and layout; the headline is the
                                   median of their ratios; the order alternates (raw first, then
                                   operator first); the extras run in the last pair only
        --side-by-side             each pair's raw client and operator at the same time, each on its
                                   own control plane: the machine's speed is the same for both, and
                                   the CPU ratio (all processes of each side) compares their work;
                                   their times do not compare (they share the cores); no extras
        --idle-seconds 60  --drift 50  --singles 20  --ready-timeout SECONDS  --skip-raw
      """.formatted(String.join(" ", CHART_LIKE_JVM));

  static BenchOptions parse(String[] args) {
    List<Integer> tenants = List.of(100, 500, 1000);
    List<Integer> zones = List.of(1, 10);
    int threads = 16;
    List<String> jvm = CHART_LIKE_JVM;
    List<String> env = new ArrayList<>();
    boolean profile = false;
    Integer extrasAt = null;
    Integer idle = null;
    Integer drift = null;
    Integer singles = null;
    int readyTimeout = 0;
    boolean skipRaw = false;
    int repeat = 1;
    Path out = null;
    boolean quick = false;
    boolean sideBySide = false;
    boolean tenantsGiven = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--tenants" -> {
          tenants = ints(value(args, ++i, a));
          tenantsGiven = true;
        }
        case "--zones" -> zones = ints(value(args, ++i, a));
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
        case "--operator-jvm" -> jvm = Arrays.stream(value(args, ++i, a).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        case "--operator-env" -> env.add(value(args, ++i, a));
        case "--profile" -> profile = true;
        case "--extras-at" -> extrasAt = Integer.parseInt(value(args, ++i, a));
        case "--idle-seconds" -> idle = Integer.parseInt(value(args, ++i, a));
        case "--drift" -> drift = Integer.parseInt(value(args, ++i, a));
        case "--singles" -> singles = Integer.parseInt(value(args, ++i, a));
        case "--ready-timeout" -> readyTimeout = Integer.parseInt(value(args, ++i, a));
        case "--skip-raw" -> skipRaw = true;
        case "--repeat" -> repeat = Integer.parseInt(value(args, ++i, a));
        case "--side-by-side" -> sideBySide = true;
        case "-h", "--help" -> throw new UsageException("");
        default -> throw new UsageException("unknown option: " + a);
      }
    }
    if (quick && !tenantsGiven) {
      tenants = List.of(50);
    }
    int lastN = tenants.get(tenants.size() - 1);
    if (sideBySide && skipRaw) {
      throw new UsageException("--side-by-side compares the raw client with the operator: drop --skip-raw");
    }
    if (extrasAt == null || sideBySide) {
      // The extras measure an operator alone on the machine.
      extrasAt = sideBySide ? 0 : quick ? lastN : 1000;
    }
    if (out == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      out = io.lingang.zones.testing.LocalControlPlane.repoRoot().resolve("operator/target/bench-out/bench-" + stamp + ".md");
    }
    for (int z : zones) {
      if (z < 1 || tenants.stream().anyMatch(n -> n < z)) {
        throw new UsageException("every N must be at least the number of zones (" + z + ")");
      }
    }
    return new BenchOptions(List.copyOf(tenants), List.copyOf(zones), threads, List.copyOf(jvm), List.copyOf(env), profile,
        extrasAt, idle != null ? idle : quick ? 15 : 60, drift != null ? drift : quick ? 10 : 50,
        singles != null ? singles : quick ? 5 : 20, readyTimeout, skipRaw, Math.max(1, repeat), out.toAbsolutePath(), quick,
        sideBySide);
  }

  /** Where a run's N may take: generous, since the machine may be loaded; --ready-timeout overrides. */
  int readyTimeoutSeconds(int n) {
    return readyTimeoutSeconds > 0 ? readyTimeoutSeconds : 300 + 2 * n;
  }

  /** The layout whose operator run at {@link #extrasAt} also runs the extra measurements. */
  boolean extrasFor(int n, int zoneCount) {
    return n == extrasAt && zoneCount == zones.stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static List<Integer> ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
  }

  /** A command line the benchmark cannot run; the message says why. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
