package io.lingang.zones.infra;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counts finished reconciliations, whatever their outcome: a cheap liveness signal for tests and metrics. */
public final class ReconcileCounter implements Metrics {
  private final AtomicLong finished = new AtomicLong();

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    finished.incrementAndGet();
  }

  public long finished() {
    return finished.get();
  }
}
