package io.lingang.zones.plan;

import io.fabric8.kubernetes.api.model.Condition;
import io.lingang.zones.api.v1alpha1.ConditionedStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Events derived from what changed between the status last written and the one about to be: one
 * per transition of a condition's status or reason, never one for a status that did not change.
 */
public final class Transitions {
  private Transitions() {}

  /** How one condition type is announced. */
  public interface Rule {
    /** The event for {@code now}, given the condition before (empty on the first reconcile), or none. */
    Optional<Announcement> announce(Optional<Condition> before, Condition now);
  }

  /** True is Normal with {@code onTrue} as reason, False is a Warning with the condition's own reason. */
  public static Rule goodWhenTrue(String onTrue) {
    return (before, now) -> Optional.of("True".equals(now.getStatus())
        ? Announcement.normal(onTrue == null ? now.getReason() : onTrue, now.getMessage())
        : Announcement.warning(now.getReason(), now.getMessage()));
  }

  /** Announced only when it becomes True (a Warning with its reason); False says nothing. */
  public static Rule warnWhenTrue() {
    return (before, now) -> "True".equals(now.getStatus())
        ? Optional.of(Announcement.warning(now.getReason(), now.getMessage())) : Optional.empty();
  }

  /** Announced only when it becomes False (a Warning with its reason); True says nothing. */
  public static Rule warnWhenFalse() {
    return (before, now) -> "False".equals(now.getStatus())
        ? Optional.of(Announcement.warning(now.getReason(), now.getMessage())) : Optional.empty();
  }

  /** {@code on} (Warning) when it becomes True, {@code off} (Normal) when it goes back to False. */
  public static Rule toggle(String on, String off) {
    return (before, now) -> {
      boolean isOn = "True".equals(now.getStatus());
      if (!isOn && (before.isEmpty() || !"True".equals(before.get().getStatus()))) {
        return Optional.empty();
      }
      return Optional.of(isOn ? Announcement.warning(on, now.getMessage()) : Announcement.normal(off, now.getMessage()));
    };
  }

  /** The events for every condition of {@code now} whose status or reason differs from {@code before}. */
  public static List<Announcement> between(ConditionedStatus before, ConditionedStatus now, java.util.Map<String, Rule> rules) {
    List<Announcement> events = new ArrayList<>();
    rules.forEach((type, rule) -> now.condition(type).ifPresent(c -> {
      Optional<Condition> previous = before == null ? Optional.empty() : before.condition(type);
      boolean changed = previous.isEmpty() || !Objects.equals(previous.get().getStatus(), c.getStatus())
          || !Objects.equals(previous.get().getReason(), c.getReason());
      if (changed) {
        rule.announce(previous, c).ifPresent(events::add);
      }
    }));
    return events;
  }
}
