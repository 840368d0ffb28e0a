package io.lingang.zones.infra;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The operator's metrics, served in the Prometheus text format on /metrics: JOSDK's reconcile
 * metrics per controller (not per resource: a thousand tenants must not make a thousand series),
 * the JVM's memory, GC and threads, the drift-repair counter and the fleet gauges.
 */
public final class OperatorMetrics implements AutoCloseable {
  public static final String DRIFT_REPAIRS = "lingang.drift.repairs";
  public static final String LEADER = "lingang.leader";
  public static final String RECONCILE_ERRORS = "lingang.reconcile.errors";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ReconcileCounter reconciliations = new ReconcileCounter();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Metrics josdk;
  private Runnable beforeScrape = () -> {};

  public OperatorMetrics() {
    registry.config().meterFilter(new MetricDescriptions());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gc.bindTo(registry);
    // Micrometer first: AggregatedMetrics times controller executions with the first one only.
    josdk = new AggregatedMetrics(List.of(MicrometerMetrics.withoutPerResourceMetrics(registry), reconciliations,
        new Metrics() {
          @Override
          public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
            reconcileErrors(resource.getKind()).increment();
          }
        }));
  }

  /**
   * Counters that alerts read start at 0 for every kind, so that Prometheus sees the first
   * increase (a counter that appears at 1 has no increase) and the names are always served.
   *
   * @param reconciled the kinds the operator reconciles
   * @param managed the kinds it generates and repairs
   */
  public void startCounters(Collection<String> reconciled, Collection<String> managed) {
    reconciled.forEach(this::reconcileErrors);
    managed.forEach(this::driftRepairs);
  }

  private Counter reconcileErrors(String kind) {
    return Counter.builder(RECONCILE_ERRORS).tag("kind", kind)
        .description("Reconciliations of a kind that failed (each is retried with back-off)").register(registry);
  }

  private Counter driftRepairs(String kind) {
    return Counter.builder(DRIFT_REPAIRS).tag("kind", kind)
        .description("Objects of a kind someone else changed or deleted that the operator put back").register(registry);
  }

  /** What JOSDK reports reconciliations to. */
  public Metrics josdkMetrics() {
    return josdk;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Refreshes values that are computed from the caches, just before each scrape. */
  public void beforeScrape(Runnable refresh) {
    this.beforeScrape = refresh;
  }

  /** 1 while this replica holds the lease (or runs alone), 0 while it stands by. */
  public void leader(BooleanSupplier isLeader) {
    Gauge.builder(LEADER, () -> isLeader.getAsBoolean() ? 1 : 0)
        .description("1 on the replica that reconciles, 0 on a standby").register(registry);
  }

  /** Someone else changed or deleted an object of {@code kind} that the operator keeps; it was put back. */
  public void driftRepaired(String kind) {
    driftRepairs(kind).increment();
  }

  /** Reconciliations finished since start, of every kind and outcome. */
  public long reconciliations() {
    return reconciliations.finished();
  }

  /** Reconciliations of one kind finished since start. */
  public long reconciliations(String kind) {
    return reconciliations.finished(kind);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    beforeScrape.run();
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
