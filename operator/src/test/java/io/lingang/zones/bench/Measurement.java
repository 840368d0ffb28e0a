package io.lingang.zones.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The two runs of one N and zone layout, each on a fresh control plane: the raw client making the
 * objects itself, then the operator making them from ZoneTenants. Both runs start the clock at the
 * first ZoneTenant create and stop it when the watch has seen every tenant Ready=True.
 */
final class Measurement {
  private final BenchOptions options;
  private final Path jar;
  /** Where the logs and recordings of this invocation go: a directory named after the report. */
  private final Path outDir;
  /** The running operator's pid, where hack/bench.sh looks for it. */
  private final Path pidFile;
  private final Extras.Sink extrasSink;
  /** JFR recordings (--profile), each with the window to read: the run, or the whole process for a restart. */
  private final Map<Path, Instant[]> recordings = new java.util.LinkedHashMap<>();

  Measurement(BenchOptions options, Path jar, Path outDir, Path pidFile, Extras.Sink extrasSink) {
    this.options = options;
    this.jar = jar;
    this.outDir = outDir;
    this.pidFile = pidFile;
    this.extrasSink = extrasSink;
  }

  RunResult raw(int n, int zoneCount) throws Exception {
    return raw(n, zoneCount, BenchPlane.NAME, () -> {});
  }

  /**
   * @param planeName the control plane's directory (another than the operator's when both run at once)
   * @param atStart called just before the clock starts, once everything is in place (both sides meet there)
   */
  RunResult raw(int n, int zoneCount, String planeName, StartGate atStart) throws Exception {
    String tag = "%d-%dz".formatted(n, zoneCount);
    log("raw client: %d tenants in %d zone(s), fresh control plane".formatted(n, zoneCount));
    try (BenchPlane plane = BenchPlane.start(planeName); ReadyWatch watch = new ReadyWatch(plane.admin())) {
      createZones(plane.admin(), n, zoneCount);
      List<ZoneTenant> tenants = Workload.tenants(n, zoneCount);
      try (RawClientProcess raw = RawClientProcess.start(options.operatorJvm(), plane.kubeconfig(), n, zoneCount,
          options.threads(), outDir.resolve("raw-" + tag + ".log"))) {
        raw.awaitReady();
        atStart.await();
        double probe = SpeedProbe.millis();
        double load = Usage.loadAverage();
        Usage before = Usage.take(plane, raw.pid());
        long t0 = System.nanoTime();
        raw.go();
        raw.awaitDone();
        boolean all = watch.awaitAll(names(tenants), Duration.ofSeconds(options.readyTimeoutSeconds(n)));
        Usage cost = Usage.take(plane, raw.pid()).minus(before);
        long peak = ProcStats.peakRssKib(raw.pid());
        long end = ProcStats.rssKib(raw.pid());
        return result("raw", n, zoneCount, tenants, watch, raw.createdAt, t0, cost, cost.requests(), -1, peak, end,
            raw.requestCount(), raw.reads(), load, probe, SpeedProbe.millisOnceQuiet(plane), all, null);
      }
    }
  }

  /** @param last the last pair of this N and layout: the one that may run the extras */
  RunResult operator(int n, int zoneCount, boolean last) throws Exception {
    return operator(n, zoneCount, last, () -> {});
  }

  /** @param atStart called just before the clock starts, once the operator has settled (both sides meet there) */
  RunResult operator(int n, int zoneCount, boolean last, StartGate atStart) throws Exception {
    String tag = "%d-%dz".formatted(n, zoneCount);
    log("operator: %d tenants in %d zone(s), fresh control plane".formatted(n, zoneCount));
    Path opLog = outDir.resolve("operator-" + tag + ".log");
    try (BenchPlane plane = BenchPlane.start();
        OperatorJvm op = startOperator(plane, opLog, tag);
        ReadyWatch watch = new ReadyWatch(plane.admin())) {
      op.awaitReady(Duration.ofMinutes(3));
      Map<String, BusinessZone> zones = createZones(plane.admin(), n, zoneCount);
      awaitZonesReady(plane.admin(), zones.keySet());
      Quiet.await(op);
      List<ZoneTenant> tenants = Workload.tenants(n, zoneCount);
      atStart.await();
      double probe = SpeedProbe.millis();
      double load = Usage.loadAverage();
      long sentBefore = op.writesSent();
      long readBefore = op.readsSent();
      Usage before = Usage.take(plane, op.pid());
      Instant wallStart = Instant.now();
      long t0 = System.nanoTime();
      Map<String, Long> createdAt = new ConcurrentHashMap<>();
      Parallel.forEach(tenants, options.threads(), t -> {
        plane.admin().resource(t).create();
        createdAt.put(t.getMetadata().getName(), System.nanoTime());
      });
      boolean all = watch.awaitAll(names(tenants), Duration.ofSeconds(options.readyTimeoutSeconds(n)));
      Usage cost = Usage.take(plane, op.pid()).minus(before);
      recordings.computeIfPresent(outDir.resolve("operator-" + tag + ".jfr"), (f, w) -> new Instant[] {wallStart, Instant.now()});
      long peak = ProcStats.peakRssKib(op.pid());
      long end = ProcStats.rssKib(op.pid());
      double settle = Quiet.await(op);
      ServerRequests requests = ServerRequests.scrape(plane.admin()).minus(before.requests());
      long sent = op.writesSent();
      long read = op.readsSent();
      RunResult result = result("operator", n, zoneCount, tenants, watch, createdAt, t0, cost, requests, settle, peak, end,
          sent < 0 ? -1 : sent - sentBefore, read < 0 ? -1 : read - readBefore, load, probe, SpeedProbe.millisOnceQuiet(plane),
          all, opLog);
      if (all && last && options.extrasFor(n, zoneCount)) {
        log("extra measurements on this operator run");
        Extras extras = new Extras(options, plane, watch, tenants, zoneCount);
        extrasSink.accept(extras.run(op, () -> startOperator(plane, outDir.resolve("operator-" + tag + "-restart.log"),
            tag + "-restart")));
      }
      return result;
    }
  }

  private OperatorJvm startOperator(BenchPlane plane, Path log, String tag) {
    Path jfr = options.profile() ? outDir.resolve("operator-" + tag + ".jfr") : null;
    if (jfr != null) {
      recordings.put(jfr, new Instant[] {Instant.MIN, Instant.MAX});
    }
    return OperatorJvm.start(jar, options.operatorJvm(), options.operatorEnv(), plane.kubeconfig(), log, jfr,
        pidFile);
  }

  /** The JFR recordings of the operators started so far (--profile), complete once they stopped. */
  Map<Path, Instant[]> recordings() {
    return recordings;
  }

  private static Map<String, BusinessZone> createZones(KubernetesClient admin, int n, int zoneCount) {
    return Workload.zones(zoneCount, (n + zoneCount - 1) / zoneCount).stream()
        .map(z -> admin.resource(z).create())
        .collect(Collectors.toMap(z -> z.getMetadata().getName(), Function.identity()));
  }

  /** Zones first, so that the run measures tenants only; ten objects, polled. */
  private static void awaitZonesReady(KubernetesClient admin, java.util.Set<String> names) {
    await("zones " + names + " Ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
        .until(() -> names.stream().map(name -> admin.resources(BusinessZone.class).withName(name).get())
            .allMatch(zone -> zone.getStatus() != null && zone.getStatus().isTrue("Ready")));
  }


  private static RunResult result(String who, int n, int zoneCount, List<ZoneTenant> tenants, ReadyWatch watch,
      Map<String, Long> createdAt, long t0, Usage cost, ServerRequests requests, double settle, long peak, long end,
      long selfCounted, long selfReads, double load, double probe, double probeAfter, boolean all, Path opLog) {
    Latencies latency = new Latencies();
    long last = t0;
    for (ZoneTenant t : tenants) {
      Long ready = watch.readyAt(t.getMetadata().getName());
      Long created = createdAt.get(t.getMetadata().getName());
      if (ready != null && created != null) {
        latency.addNanos(ready - created);
        last = Math.max(last, ready);
      }
    }
    int ready = watch.readyCount(names(tenants));
    if (!all) {
      log("TIMEOUT: %d of %d tenants Ready".formatted(ready, n));
    }
    RunResult r = new RunResult(who, n, zoneCount, ready, (last - t0) / 1e9, latency, cost, requests, settle, peak, end,
        selfCounted, selfReads, load, Usage.loadAverage(), probe, probeAfter, opLog);
    log("%s: %d/%d Ready in %.1f s (p50 %.2f s, p99 %.2f s); CPU s %s %.1f, apiserver %.1f, etcd %.1f; %d writes".formatted(
        who, ready, n, r.seconds(), latency.p50(), latency.p99(), who, cost.client(), cost.apiserver(), cost.etcd(), r.writes()));
    return r;
  }

  private static List<String> names(List<ZoneTenant> tenants) {
    return tenants.stream().map(t -> t.getMetadata().getName()).toList();
  }

  /** Where a run waits, ready to start its clock, for the other side of a pair run at once. */
  @FunctionalInterface
  interface StartGate {
    void await() throws Exception;
  }

  static void log(String message) {
    System.err.println("[bench] " + message);
  }
}
