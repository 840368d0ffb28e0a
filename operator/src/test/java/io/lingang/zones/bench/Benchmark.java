package io.lingang.zones.bench;

import io.lingang.zones.testing.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The throughput benchmark (docs/PERFORMANCE.md): for each N and zone layout, the raw client and the
 * operator provision N tenants, each on a fresh local control plane, and the report compares them.
 * Run it with {@code hack/bench.sh} (or {@code make bench}), which builds the jar and the classpath.
 * Not a test: nothing here is named *Test or *IT, so {@code make test} never runs it.
 */
public final class Benchmark {
  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    // The raw client records events through the operator's EventRecorder, which logs each one.
    System.setProperty("org.slf4j.simpleLogger.log.io.lingang", "warn");
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (BenchOptions.UsageException e) {
      System.err.println(e.getMessage().isEmpty() ? BenchOptions.USAGE : e.getMessage() + "\n\n" + BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    Path root = LocalControlPlane.repoRoot();
    Path jar = root.resolve("operator/target/lingang-zone-operator.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: hack/bench.sh builds it");
    }
    Path outDir = options.out().getParent();
    // Logs and recordings beside the report, in a directory of its name: later runs overwrite nothing.
    String name = options.out().getFileName().toString();
    Path artifacts = outDir.resolve(name.endsWith(".md") ? name.substring(0, name.length() - 3) : name + ".d");
    Files.createDirectories(artifacts);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String operatorCommand = String.join(" ", OperatorJvm.command(root.relativize(jar), options.operatorJvm()))
        .replace(java, "java");
    String command = System.getProperty("bench.command", "Benchmark " + String.join(" ", args));
    Report report = new Report(options.out(), command, Machine.commit(root), operatorCommand, options, Machine.describe(java));
    Measurement.log("operator: " + operatorCommand);
    Measurement.log("report: " + options.out());

    Measurement.log("logs: " + artifacts);
    Measurement measurement = new Measurement(options, jar, artifacts, outDir.resolve("operator.pid"), report::add);
    for (int n : options.tenants()) {
      for (int zones : options.zones()) {
        try {
          for (int pair = 1; pair <= options.repeat(); pair++) {
            if (options.sideBySide()) {
              sideBySide(measurement, report, n, zones);
              continue;
            }
            // The second run of a pair may find the machine busier than the first (the first
            // cluster's teardown, a neighbour's load): with --repeat the order alternates.
            boolean rawFirst = pair % 2 == 1;
            RunResult raw = !options.skipRaw() && rawFirst ? measurement.raw(n, zones) : null;
            RunResult op = measurement.operator(n, zones, pair == options.repeat());
            if (!options.skipRaw() && !rawFirst) {
              raw = measurement.raw(n, zones);
            }
            if (raw != null) {
              report.add(raw);
            }
            report.add(op);
          }
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception | AssertionError e) {
          // One failed measurement (a port race, a timeout at startup) should not cost the others.
          Measurement.log("FAILED: %d tenants in %d zone(s): %s".formatted(n, zones, e));
          report.note("%d tenants in %d zone(s) failed: %s".formatted(n, zones, e.getMessage()));
        }
      }
    }
    if (options.profile()) {
      for (var jfr : measurement.recordings().entrySet()) {
        if (Files.exists(jfr.getKey())) {
          report.profile(JfrTop.top(jfr.getKey(), 20, jfr.getValue()[0], jfr.getValue()[1]));
        }
      }
    }
    System.out.println(report.render());
    Measurement.log("report written to " + options.out());
  }

  /**
   * One pair at once: each side sets up its own control plane, and both start their clocks
   * together, so that whatever the machine's speed does, it does to both.
   */
  private static void sideBySide(Measurement measurement, Report report, int n, int zones) throws Exception {
    CyclicBarrier gate = new CyclicBarrier(2);
    Measurement.StartGate atStart = () -> gate.await(10, TimeUnit.MINUTES);
    ExecutorService sides = Executors.newFixedThreadPool(2);
    try {
      Future<RunResult> raw = sides.submit(() -> breakingTheGate(gate,
          () -> measurement.raw(n, zones, BenchPlane.SIDE_NAME, atStart)));
      Future<RunResult> op = sides.submit(() -> breakingTheGate(gate, () -> measurement.operator(n, zones, false, atStart)));
      report.add(raw.get());
      report.add(op.get());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      sides.shutdownNow();
    }
  }

  /** A side that fails before the start lets the other one go instead of waiting for it. */
  private static RunResult breakingTheGate(CyclicBarrier gate, Callable<RunResult> side) throws Exception {
    try {
      return side.call();
    } catch (Exception | Error e) {
      gate.reset();
      throw e;
    }
  }
}
