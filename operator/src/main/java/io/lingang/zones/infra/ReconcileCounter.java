package io.lingang.zones.infra;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts finished reconciliations, in all and per kind, whatever their outcome: a cheap signal for
 * tests (a no-op reconcile of every kind really happened) and benchmarks.
 */
public final class ReconcileCounter implements Metrics {
  private final AtomicLong finished = new AtomicLong();
  private final Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    finished.incrementAndGet();
    byKind.computeIfAbsent(resource.getKind(), k -> new AtomicLong()).incrementAndGet();
  }

  public long finished() {
    return finished.get();
  }

  /** Reconciliations of one kind ("ZoneTenant", ...) finished so far. */
  public long finished(String kind) {
    AtomicLong count = byKind.get(kind);
    return count == null ? 0 : count.get();
  }
}
