package io.lingang.zones.infra;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HELP text for the series java-operator-sdk registers without one, so that every series on
 * /metrics says what it counts.
 */
final class MetricDescriptions implements MeterFilter {
  private static final Map<String, String> BY_PREFIX = new LinkedHashMap<>();

  static {
    BY_PREFIX.put("operator.sdk.reconciliations.started", "Reconciliations started, per kind (controller)");
    BY_PREFIX.put("operator.sdk.reconciliations.success", "Reconciliations that finished without error, per kind");
    BY_PREFIX.put("operator.sdk.reconciliations.failed", "Reconciliations that ended in an error, per kind and exception");
    BY_PREFIX.put("operator.sdk.reconciliations.retries.last", "Reconciliations that failed on their last retry, per kind");
    BY_PREFIX.put("operator.sdk.reconciliations.retries.number", "Retries of failed reconciliations, per kind");
    BY_PREFIX.put("operator.sdk.reconciliations.executions", "Reconciliations running now, per kind");
    BY_PREFIX.put("operator.sdk.reconciliations.queue.size", "Resources waiting to be reconciled, per kind");
    BY_PREFIX.put("operator.sdk.controllers.execution", "Time spent in reconcile and cleanup, per kind and outcome");
    BY_PREFIX.put("operator.sdk.events.received", "Watch events received, per kind and action");
    BY_PREFIX.put("operator.sdk.events.delete", "Delete events received, per kind");
    BY_PREFIX.put("operator.sdk.", "A java-operator-sdk measurement");
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    if (id.getDescription() != null && !id.getDescription().isBlank()) {
      return id;
    }
    return BY_PREFIX.entrySet().stream().filter(e -> id.getName().startsWith(e.getKey())).findFirst()
        .map(e -> new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
            e.getValue(), id.getType()))
        .orElse(id);
  }
}
