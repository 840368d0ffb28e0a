package io.lingang.zones.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void aPairIsSteadyWhileItsProbesStayWithinFifteenPercent() {
    assertThat(Report.steady(run(100, 108), run(104, 114))).isTrue();
    assertThat(Report.steady(run(100, 108), run(104, 125))).as("the machine slowed down during the operator's run").isFalse();
    assertThat(Report.steady(run(230, 210), run(100, 104))).as("a slow raw run, then a fast operator run").isFalse();
  }

  @Test
  void theCpuRatioComparesEveryProcessOfEachSide() {
    RunResult operator = spent("operator", 20, 43, 6, 4);
    RunResult raw = spent("raw", 14, 36, 5, 4);
    assertThat(operator.cpuTotal()).as("operator, API server, etcd and controller manager").isEqualTo(73.0);
    assertThat(raw.cpuTotal()).isEqualTo(59.0);
  }

  private static RunResult spent(String who, double client, double apiserver, double etcd, double controllerManager) {
    Usage cost = new Usage(0, apiserver, etcd, controllerManager, client, null);
    return new RunResult(who, 1, 1, 1, 1, new Latencies(), cost, null, -1, 0, 0, 0, 0, 0, 0, 40, 40, null);
  }

  private static RunResult run(double probeBefore, double probeAfter) {
    return new RunResult("raw", 1, 1, 1, 1, new Latencies(), null, null, -1, 0, 0, 0, 0, 0, 0, probeBefore, probeAfter, null);
  }
}
