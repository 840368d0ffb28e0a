package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.lingang.zones.api.v1alpha1.QuotaUsage;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.infra.EventRecorder;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Collects what one reconcile of a ZoneTenant found, and turns it into the tenant's status:
 * Admitted, Ready (the summary), Suspended, and Stalled when only a person can fix what is wrong.
 */
final class TenantStatusBuilder {
  private final ZoneTenant tenant;
  private final Clock clock;

  private String admittedReason;
  private String admittedMessage;
  private boolean admitted;
  private ZoneAdmission.Admitted grant;
  private boolean suspended;
  private String suspendedReason = "Active";
  private String suspendedMessage = "the tenant may start pods";
  private final List<String> conflicts = new ArrayList<>();
  private List<String> namespaces = List.of();
  private List<String> appliedLinks = List.of();
  private List<String> refusedLinks = List.of();
  private QuotaUsage usage;
  private String failureReason;
  private String failureMessage;
  private List<String> repaired = List.of();
  private List<String> unboundSubjects = List.of();
  private List<String> statusNamespaces = List.of();

  TenantStatusBuilder(ZoneTenant tenant, Clock clock) {
    this.tenant = tenant;
    this.clock = clock;
  }

  void refused(String reason, String message) {
    admitted = false;
    admittedReason = reason;
    admittedMessage = message;
  }

  void admitted(ZoneAdmission.Admitted decision, String zone) {
    admitted = true;
    grant = decision;
    admittedReason = "Admitted";
    admittedMessage = "admitted to zone " + zone;
  }

  void suspension(boolean bySpec, boolean trialExpired, Instant trialEnd) {
    suspended = bySpec || trialExpired;
    if (trialExpired) {
      suspendedReason = "TrialExpired";
      suspendedMessage = "the zone's trial ended at " + trialEnd + ": no new pods may start; running pods are left alone";
    } else if (bySpec) {
      suspendedReason = "SuspendedBySpec";
      suspendedMessage = "spec.suspended is true: no new pods may start; running pods are left alone";
    }
  }

  /** A namespace the tenant should have is someone else's; whose is never said (another tenant's name is not ours to tell). */
  void conflict(String namespace) {
    conflicts.add("namespace " + namespace + " already exists and is not this tenant's");
  }

  void unboundSubjects(List<String> subjects) {
    unboundSubjects = subjects;
  }

  void provisioned(List<String> namespaces, List<String> applied, List<String> refused, QuotaUsage usage) {
    this.namespaces = namespaces;
    this.appliedLinks = applied;
    this.refusedLinks = refused;
    this.usage = usage;
  }

  void failed(String reason, String message) {
    failureReason = reason;
    failureMessage = message;
  }

  void repaired(List<String> objects) {
    repaired = objects;
  }

  void tenantStatusObjects(List<String> namespaces) {
    statusNamespaces = namespaces;
  }

  ZoneTenantStatus build() {
    ZoneTenantStatus status = new ZoneTenantStatus();
    Long generation = tenant.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    Conditions conditions = Conditions.after(tenant.getStatus(), generation, clock)
        .set(ZoneTenant.COND_ADMITTED, admitted, admittedReason, admittedMessage);

    String readyReason;
    String readyMessage;
    boolean stalled = true;
    if (!admitted) {
      readyReason = "NotAdmitted";
      readyMessage = admittedMessage;
    } else if (failureReason != null) {
      readyReason = failureReason;
      readyMessage = failureMessage;
      stalled = false;
    } else if (!conflicts.isEmpty()) {
      readyReason = "NamespaceConflict";
      readyMessage = String.join("; ", conflicts) + "; the operator leaves it untouched: rename or remove it, or change spec.namespaces";
    } else if (grant.increaseRefused() != null) {
      readyReason = "QuotaIncreaseRefused";
      readyMessage = grant.increaseRefused();
    } else if (!unboundSubjects.isEmpty()) {
      readyReason = "SubjectOutsideTenant";
      readyMessage = String.join(", ", unboundSubjects) + (unboundSubjects.size() == 1 ? " is" : " are")
          + " not in one of the tenant's namespaces (" + String.join(", ", namespaces) + ") and not bound: "
          + "a ServiceAccount elsewhere is someone else's identity; name one in the tenant's namespaces, "
          + "or remove it from spec.admins/spec.viewers";
    } else if (!refusedLinks.isEmpty()) {
      readyReason = "EgressNotApplied";
      readyMessage = "egress not opened: " + String.join("; ", refusedLinks)
          + "; fix spec.egress or the zone's network.allowedLinks";
    } else {
      readyReason = "Provisioned";
      readyMessage = namespaces.size() == 1 ? "namespace " + namespaces.get(0) + " is provisioned"
          : namespaces.size() + " namespaces are provisioned: " + String.join(", ", namespaces);
      stalled = false;
    }
    boolean ready = "Provisioned".equals(readyReason);
    conditions.set(Conditions.READY, ready, readyReason, readyMessage);
    conditions.set(ZoneTenant.COND_SUSPENDED, admitted && suspended, admitted ? suspendedReason : "NotAdmitted",
        admitted ? suspendedMessage : "the tenant is not admitted");
    if (stalled) {
      conditions.set(Conditions.STALLED, true, readyReason, readyMessage);
    }
    status.setConditions(conditions.build());
    if (admitted) {
      status.setNamespaces(namespaces);
      status.setEgress(appliedLinks);
      status.setQuota(usage);
      status.setGrantedQuota(grant.granted().toQuantities());
    }
    return status;
  }

  /** Events for what changed since the previous status, on the tenant and on its TenantStatus objects. */
  void recordTransitions(ZoneTenantStatus previous, EventRecorder events, List<TenantStatus> tenantStatuses) {
    ZoneTenantStatus now = build();
    Condition admittedNow = now.condition(ZoneTenant.COND_ADMITTED).orElseThrow();
    Condition readyNow = now.condition(Conditions.READY).orElseThrow();
    Condition suspendedNow = now.condition(ZoneTenant.COND_SUSPENDED).orElseThrow();
    if (changed(previous, admittedNow)) {
      boolean ok = "True".equals(admittedNow.getStatus());
      events.record(tenant, ok ? EventRecorder.NORMAL : EventRecorder.WARNING, ok ? "Admitted" : admittedNow.getReason(),
          admittedNow.getMessage());
    }
    if (changed(previous, readyNow)) {
      boolean ok = "True".equals(readyNow.getStatus());
      String type = ok ? EventRecorder.NORMAL : EventRecorder.WARNING;
      events.record(tenant, type, readyNow.getReason(), readyNow.getMessage());
      if (!ok) {
        tenantStatuses.forEach(ts -> events.mirror(ts, type, readyNow.getReason(), readyNow.getMessage()));
      }
    }
    if (changed(previous, suspendedNow) && (previous != null || suspended)) {
      boolean on = "True".equals(suspendedNow.getStatus());
      String reason = on ? "Suspended" : "Resumed";
      events.record(tenant, on ? EventRecorder.WARNING : EventRecorder.NORMAL, reason, suspendedNow.getMessage());
      tenantStatuses.forEach(ts -> events.mirror(ts, on ? EventRecorder.WARNING : EventRecorder.NORMAL, reason, suspendedNow.getMessage()));
    }
    if (!repaired.isEmpty()) {
      String message = "restored what someone else changed: " + String.join(", ", repaired);
      events.record(tenant, EventRecorder.NORMAL, "Repaired", message);
      tenantStatuses.forEach(ts -> events.mirror(ts, EventRecorder.NORMAL, "Repaired", message));
    }
  }

  private static boolean changed(ZoneTenantStatus previous, Condition now) {
    Optional<Condition> before = previous == null ? Optional.empty() : previous.condition(now.getType());
    return before.isEmpty()
        || !Objects.equals(before.get().getStatus(), now.getStatus())
        || !Objects.equals(before.get().getReason(), now.getReason());
  }
}
