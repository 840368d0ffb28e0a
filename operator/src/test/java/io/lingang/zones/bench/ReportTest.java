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

  private static RunResult run(double probeBefore, double probeAfter) {
    return new RunResult("raw", 1, 1, 1, 1, new Latencies(), null, null, -1, 0, 0, 0, 0, 0, 0, probeBefore, probeAfter, null);
  }
}
