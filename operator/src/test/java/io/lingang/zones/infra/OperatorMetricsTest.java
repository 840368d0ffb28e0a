package io.lingang.zones.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.lingang.zones.testing.PrometheusText;
import org.junit.jupiter.api.Test;

/** Every series on /metrics says what it counts, java-operator-sdk's included. */
class OperatorMetricsTest {

  @Test
  void seriesRegisteredWithoutDescriptionGetHelpText() {
    try (OperatorMetrics metrics = new OperatorMetrics()) {
      // As java-operator-sdk's MicrometerMetrics registers them: no description.
      metrics.registry().counter("operator.sdk.reconciliations.started", "controller", "zonetenant").increment();
      metrics.registry().counter("operator.sdk.something.new").increment();
      metrics.driftRepaired("NetworkPolicy");

      String text = metrics.scrape();
      assertThat(PrometheusText.parse(text).undescribed()).isEmpty();
      assertThat(text).contains("# HELP operator_sdk_reconciliations_started_total Reconciliations started, per kind")
          .contains("# HELP lingang_drift_repairs_total Objects of a kind someone else changed or deleted");
    }
  }
}
