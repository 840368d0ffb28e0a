package io.lingang.zones.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Markdown report, written again after every run so that an interrupted benchmark keeps what
 * it measured. docs/PERFORMANCE.md says what each number means.
 */
final class Report {
  /** The container memory limit of helm/lingang-zone-operator/values.yaml: above it, a pod would be OOM-killed. */
  private static final int CHART_LIMIT_MIB = 512;

  private final Path file;
  private final String header;
  private final List<RunResult> runs = new ArrayList<>();
  private final List<Extras.Result> extras = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> profiles = new ArrayList<>();
  private final boolean sideBySide;

  Report(Path file, String command, String commit, String operatorCommand, BenchOptions options, String machine) {
    this.file = file;
    this.sideBySide = options.sideBySide();
    this.header = """
        # Throughput benchmark of the Lingang Zone Operator

        Taken %s%s.

        Command: `%s`

        Built from: %s

        Operator: `%s`%s. The raw client runs in a JVM of its own with the same flags and the same \
        fabric8 client; it and the benchmark's ZoneTenant creates use %d threads.

        Machine:

        %s
        """.formatted(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replaceAll("\\.\\d+", ""),
        options.quick() ? " (--quick: a smoke run)" : "", command, commit, operatorCommand,
        options.operatorEnv().isEmpty() ? "" : " with " + String.join(" ", options.operatorEnv()),
        options.threads(), machine);
  }

  synchronized void add(RunResult run) {
    runs.add(run);
    write();
  }

  synchronized void add(Extras.Result result) {
    extras.add(result);
    write();
  }

  synchronized void note(String note) {
    notes.add(note);
    write();
  }

  synchronized void profile(String top) {
    profiles.add(top);
    write();
  }

  /** Probes of one pair further apart than this factor: the machine changed speed within it. */
  static final double UNSTEADY = 1.15;

  /** Whether the machine kept its speed through both runs of a pair, by their {@link SpeedProbe} readings. */
  static boolean steady(RunResult a, RunResult b) {
    double[] probes = {a.probeBefore(), a.probeAfter(), b.probeBefore(), b.probeAfter()};
    double min = java.util.Arrays.stream(probes).min().orElse(0);
    double max = java.util.Arrays.stream(probes).max().orElse(0);
    return min <= 0 || max / min <= UNSTEADY;
  }

  synchronized String render() {
    StringBuilder md = new StringBuilder(header);
    md.append("\n## Provisioning N tenants (fresh control plane per run; with --repeat, medians and each pair's ratio)\n\n");
    if (sideBySide) {
      md.append("Side by side: each pair's two runs at the same time, each on its own control plane. They shared the cores, so "
          + "their times do not compare; the CPU ratio does (every process of each side, from its first create to its last "
          + "Ready), with the machine's speed the same for both.\n\n");
    }
    md.append("| tenants | zones | raw s | operator s | ratio | CPU ratio | create→Ready p50 / p99 s | CPU s operator / apiserver / etcd | peak RSS MiB |\n");
    md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    // With --repeat, one row per N and layout: medians, and the ratio of each pair (raw, then operator).
    Map<String, List<RunResult>> layouts = new LinkedHashMap<>();
    boolean unsteady = false;
    runs.forEach(r -> layouts.computeIfAbsent(r.tenants() + "/" + r.zones(), k -> new ArrayList<>()).add(r));
    for (List<RunResult> layout : layouts.values()) {
      List<RunResult> ops = layout.stream().filter(r -> r.who().equals("operator")).toList();
      List<RunResult> raws = layout.stream().filter(r -> r.who().equals("raw")).toList();
      if (ops.isEmpty()) {
        continue;
      }
      RunResult op = ops.get(0);
      List<Double> ratios = new ArrayList<>();
      List<String> pairs = new ArrayList<>();
      List<Double> cpuRatios = new ArrayList<>();
      for (int i = 0; i < Math.min(ops.size(), raws.size()); i++) {
        ratios.add(ops.get(i).seconds() / raws.get(i).seconds());
        cpuRatios.add(ops.get(i).cpuTotal() / raws.get(i).cpuTotal());
        boolean steady = sideBySide || steady(ops.get(i), raws.get(i));
        unsteady |= !steady;
        pairs.add("%.2f".formatted(ratios.get(i)) + (steady ? "" : "*"));
      }
      boolean complete = ops.stream().allMatch(RunResult::complete);
      md.append("| %d | %d | %s | %s%s | %s | %s | %s / %s | %s / %s / %s | %s |\n".formatted(op.tenants(), op.zones(),
          raws.isEmpty() ? "–" : f1(median(raws, RunResult::seconds)) + (raws.stream().allMatch(RunResult::complete) ? "" : " (timeout)"),
          f1(median(ops, RunResult::seconds)), complete ? "" : " (timeout)",
          ratios.isEmpty() ? "–" : "%.1f×".formatted(median(ratios, r -> r))
              + (ratios.size() > 1 ? " (" + String.join(", ", pairs) + ")" : pairs.get(0).endsWith("*") ? "*" : ""),
          cpuRatios.isEmpty() ? "–" : "%.2f×".formatted(median(cpuRatios, r -> r)) + (cpuRatios.size() > 1
              ? " (" + String.join(", ", cpuRatios.stream().map("%.2f"::formatted).toList()) + ")" : ""),
          f2(median(ops, r -> r.latency().p50())), f2(median(ops, r -> r.latency().p99())),
          f1(median(ops, r -> r.cost().client())), f1(median(ops, r -> r.cost().apiserver())), f1(median(ops, r -> r.cost().etcd())),
          mib(ops.stream().mapToLong(RunResult::peakRssKib).max().orElse(0))));
    }
    if (unsteady) {
      md.append("\n\\* The machine's speed moved by more than %d%% within this pair (the probe before and after each run, "
          .formatted(Math.round((UNSTEADY - 1) * 100)) + "in \"Every run\"): its ratio compares two different machines.\n");
    }
    List<String> over = runs.stream().filter(r -> r.who().equals("operator") && r.peakRssKib() > CHART_LIMIT_MIB * 1024L)
        .map(r -> "%d tenants in %d zone(s): %s MiB".formatted(r.tenants(), r.zones(), mib(r.peakRssKib()))).toList();
    if (!over.isEmpty()) {
      md.append("\nThe operator's peak RSS exceeded the chart's memory limit (%d Mi) in: %s.\n".formatted(CHART_LIMIT_MIB,
          String.join("; ", over)));
    }
    md.append("\n## Every run\n\n");
    md.append("| tenants | zones | run | s | settled +s | p50 / p99 s | CPU s client | CPU s apiserver | CPU s etcd "
        + "| CPU s ctrl-mgr | writes (per tenant) | reads | RSS peak / end MiB | load before → after | probe ms before → after |\n");
    md.append("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (RunResult r : runs) {
      md.append("| %d | %d | %s | %s | %s | %s / %s | %s | %s | %s | %s | %d (%.1f) | %d | %s / %s | %.1f → %.1f | %.0f → %.0f |\n".formatted(
          r.tenants(), r.zones(), r.who(), f1(r.seconds()), f1(r.settleSeconds()), f2(r.latency().p50()),
          f2(r.latency().p99()), f1(r.cost().client()), f1(r.cost().apiserver()), f1(r.cost().etcd()),
          f1(r.cost().controllerManager()), r.writes(), r.writes() / (double) r.tenants(), r.requests().reads(),
          mib(r.peakRssKib()), mib(r.endRssKib()), r.loadBefore(), r.loadAfter(), r.probeBefore(), r.probeAfter()));
    }
    md.append("\nWrites by verb and kind, as the API server counted them (including the benchmark's N ZoneTenant creates):\n\n");
    for (RunResult r : runs) {
      String check = r.selfCounted() < 0 ? "" : r.who().equals("raw")
          ? r.selfCounted() == r.writes()
              ? "; the raw client counted %d itself: the method holds".formatted(r.selfCounted())
              : "; **the raw client counted %d itself, the API server %d: the count is off**".formatted(r.selfCounted(), r.writes())
          : r.selfCounted() + r.tenants() == r.writes()
              ? "; the operator counted %d writes itself, %d with the benchmark's creates: the counts agree; it read %s times"
                  .formatted(r.selfCounted(), r.selfCounted() + r.tenants(), count(r.selfReads()))
              : "; **the operator counted %d writes itself, %d with the benchmark's creates, the API server %d**".formatted(
                  r.selfCounted(), r.selfCounted() + r.tenants(), r.writes());
      md.append("- %d tenants, %d zone(s), %s%s: %s\n".formatted(r.tenants(), r.zones(), r.who(), check,
          r.requests().writesBreakdown()));
    }
    for (Extras.Result x : extras) {
      md.append("\n## Operator at rest, drift, single tenants, restart (%d zones, %d tenants at the end)\n\n".formatted(
          x.zones(), x.tenants()));
      md.append("| measurement | value |\n| --- | ---: |\n");
      md.append("| writes in an idle window of %d s (expected 0): API server / operator's count | %d / %s |\n".formatted(
          x.idleSeconds(), x.idleWrites(), count(x.idleSent())));
      md.append("| operator CPU in that window | %s s |\n".formatted(f2(x.idleCpu())));
      md.append("| drift repair, %d NetworkPolicies deleted: back | %d |\n".formatted(x.driftAsked(), x.drift().count()));
      md.append("| drift repair latency p50 / p99 | %s / %s s |\n".formatted(f3(x.drift().p50()), f3(x.drift().p99())));
      md.append("| operator writes for those repairs: API server / operator's count | %d / %s |\n".formatted(
          x.driftWrites(), count(x.driftSent())));
      md.append("| one tenant create→Ready on an idle system, p50 / p99 (%d tenants) | %s / %s s |\n".formatted(
          x.singles().count(), f3(x.singles().p50()), f3(x.singles().p99())));
      md.append("| restart: process start → /readyz 200 (caches synced) | %s s |\n".formatted(f1(x.restartReadySeconds())));
      md.append("| restart: process start → a ZoneTenant reconcile per tenant | %s s |\n".formatted(
          f1(x.restartReconciledSeconds())));
      md.append("| restart: writes by the new operator (expected 0): API server / operator's count | %d / %s%s |\n".formatted(
          x.restartWrites(), count(x.restartSent()), x.restartWrites() == 0 ? "" : " (" + x.restartBreakdown() + ")"));
      md.append("| restart: CPU s of the new operator until settled | %s |\n".formatted(f1(x.restartCpu())));
    }
    if (!notes.isEmpty()) {
      md.append("\n## Notes\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    for (String p : profiles) {
      md.append("\n## Profile\n\n```\n").append(p).append("```\n");
    }
    return md.toString();
  }

  /** The median (the mean of the middle two for an even count). */
  private static <T> double median(List<T> items, java.util.function.ToDoubleFunction<T> value) {
    double[] sorted = items.stream().mapToDouble(value).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private void write() {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, render());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String f1(double v) {
    return Double.isNaN(v) || v < 0 ? "–" : "%.1f".formatted(v);
  }

  private static String f2(double v) {
    return Double.isNaN(v) || v < 0 ? "–" : "%.2f".formatted(v);
  }

  private static String f3(double v) {
    return Double.isNaN(v) || v < 0 ? "–" : "%.3f".formatted(v);
  }

  /** The operator's own count, or a dash for an operator without {@code lingang_api_requests_total}. */
  private static String count(long n) {
    return n < 0 ? "–" : String.valueOf(n);
  }

  private static String mib(long kib) {
    return kib < 0 ? "–" : String.valueOf(Math.round(kib / 1024.0));
  }
}
