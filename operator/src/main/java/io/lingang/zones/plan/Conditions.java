package io.lingang.zones.plan;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lingang.zones.api.v1alpha1.ConditionedStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the next list of metav1.Conditions from the previous one. A condition whose status does
 * not change keeps its lastTransitionTime, so a reconcile that finds nothing new produces an
 * identical status and writes nothing.
 *
 * <p>Every kind carries {@code Ready} (the summary, for {@code kubectl wait}) and, for kstatus
 * (Flux, Argo CD), {@code Reconciling} and {@code Stalled}: Reconciling=True while the operator
 * is working or waiting for something that comes by itself (capacity, a zone not created yet),
 * Stalled=True when only a person can fix what is wrong.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private final Map<String, Condition> previous = new LinkedHashMap<>();
  private final List<Condition> next = new ArrayList<>();
  private final long generation;
  private final Clock clock;

  private Conditions(ConditionedStatus previousStatus, long generation, Clock clock) {
    if (previousStatus != null && previousStatus.getConditions() != null) {
      previousStatus.getConditions().forEach(c -> previous.put(c.getType(), c));
    }
    this.generation = generation;
    this.clock = clock;
  }

  public static Conditions after(ConditionedStatus previousStatus, Long generation, Clock clock) {
    return new Conditions(previousStatus, generation == null ? 0 : generation, clock);
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    String value = status ? "True" : "False";
    Condition before = previous.get(type);
    String since = before != null && value.equals(before.getStatus())
        ? before.getLastTransitionTime()
        : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    next.removeIf(c -> c.getType().equals(type));
    next.add(new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build());
    return this;
  }

  /** Ready, Reconciling and Stalled for one {@link Health}. */
  public Conditions health(Health health) {
    set(READY, health.state() == Health.State.READY, health.reason(), health.message());
    boolean working = health.state() == Health.State.PROGRESSING;
    set(RECONCILING, working, working ? health.reason() : "Idle",
        working ? health.message() : "nothing left to do");
    boolean stuck = health.state() == Health.State.STALLED;
    set(STALLED, stuck, stuck ? health.reason() : "NotStalled", stuck ? health.message() : "no person needs to act");
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(next);
  }
}
