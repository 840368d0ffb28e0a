package io.lingang.zones.plan;

import io.lingang.zones.api.v1alpha1.Company;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgeGrant;
import io.lingang.zones.api.v1alpha1.TenantReport;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.lingang.zones.capacity.ZoneAdmission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ZoneTenant's status, its TenantStatus report and its events, from the plan and what applying
 * it found: pure, so every state is a unit test away.
 */
public final class TenantStatusPlan {
  /** Refusals that end by themselves: room frees up, the zone gets created. */
  private static final Set<String> WAITING = Set.of("InsufficientCapacity", "ZoneNotFound");

  private TenantStatusPlan() {}

  public static ZoneTenantStatus status(ZoneTenant tenant, TenantPlan plan, TenantOutcome outcome, Clock clock) {
    ZoneTenantStatus status = new ZoneTenantStatus();
    Long generation = tenant.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    Conditions conditions = Conditions.after(tenant.getStatus(), generation, clock);
    if (plan.admission() instanceof ZoneAdmission.Refused refused) {
      conditions.set(ZoneTenant.COND_ADMITTED, false, refused.reason(), refused.message());
      conditions.health(WAITING.contains(refused.reason())
          ? Health.progressing(refused.reason(), refused.message() + "; admitted by itself once possible")
          : Health.stalled(refused.reason(), refused.message()));
      conditions.set(ZoneTenant.COND_SUSPENDED, false, "NotAdmitted", "the tenant is not admitted");
      status.setConditions(conditions.build());
      return status;
    }
    ZoneAdmission.Admitted admitted = (ZoneAdmission.Admitted) plan.admission();
    conditions.set(ZoneTenant.COND_ADMITTED, true, "Admitted", "admitted to zone " + tenant.getSpec().getZone());
    conditions.health(health(admitted, outcome));
    suspension(conditions, plan.suspension());
    status.setConditions(conditions.build());
    status.setNamespaces(outcome.namespaces());
    status.setEgress(outcome.appliedLinks());
    status.setQuota(outcome.usage());
    status.setGrantedQuota(admitted.granted().toQuantities());
    return status;
  }

  /** The most pressing thing first: what a person must fix, then what resolves itself, then Ready. */
  static Health health(ZoneAdmission.Admitted admitted, TenantOutcome o) {
    if (!o.conflicts().isEmpty()) {
      return Health.stalled("NamespaceConflict", o.conflicts().stream()
          .map(ns -> "namespace " + ns + " already exists and is not this tenant's").reduce((a, b) -> a + "; " + b).orElseThrow()
          + "; the operator leaves it untouched: rename or remove it, or change spec.namespaces");
    }
    if (!o.unboundSubjects().isEmpty()) {
      return Health.stalled("SubjectOutsideTenant", String.join(", ", o.unboundSubjects())
          + (o.unboundSubjects().size() == 1 ? " is" : " are") + " not bound: only ServiceAccounts in the tenant's own "
          + "namespaces (" + String.join(", ", o.namespaces()) + ") may be named, as a ServiceAccount or by their system: "
          + "user or group name; an account elsewhere, and every other system: identity, is someone else's; "
          + "name one in the tenant's namespaces, or remove it from spec.admins/spec.viewers");
    }
    if (!o.notAllowedLinks().isEmpty() || !o.missingLinks().isEmpty()) {
      List<String> why = new ArrayList<>();
      o.notAllowedLinks().forEach(l -> why.add(l + " is not in the zone's allowedLinks"));
      o.missingLinks().forEach(l -> why.add("DataLink " + l + " does not exist"));
      String message = "egress not opened: " + String.join("; ", why) + "; fix spec.egress or the zone's network.allowedLinks";
      return o.notAllowedLinks().isEmpty() ? Health.progressing("EgressNotApplied", message + ", or create the link")
          : Health.stalled("EgressNotApplied", message);
    }
    if (admitted.increaseRefused() != null) {
      return admitted.waitsForCapacity() ? Health.progressing("QuotaIncreaseRefused", admitted.increaseRefused())
          : Health.stalled("QuotaIncreaseRefused", admitted.increaseRefused());
    }
    List<String> ns = o.namespaces();
    return Health.ready("Provisioned", ns.size() == 1 ? "namespace " + ns.get(0) + " is provisioned"
        : ns.size() + " namespaces are provisioned: " + String.join(", ", ns));
  }

  private static void suspension(Conditions conditions, TenantPlan.Suspension s) {
    if (s.trialExpired()) {
      conditions.set(ZoneTenant.COND_SUSPENDED, true, "TrialExpired",
          "the zone's trial ended at " + s.trialEnd() + ": no new pods may start; running pods are left alone");
    } else if (s.bySpec()) {
      conditions.set(ZoneTenant.COND_SUSPENDED, true, "SuspendedBySpec",
          "spec.suspended is true: no new pods may start; running pods are left alone");
    } else {
      conditions.set(ZoneTenant.COND_SUSPENDED, false, "Active", "the tenant may start pods");
    }
  }

  /** The tenant's own view for its TenantStatus: only this tenant's facts. */
  public static TenantReport report(ZoneTenant tenant, String mode, ZoneTenantStatus status, TenantPlan plan,
      List<EdgeAllocation> allocations, long tenantStatusGeneration) {
    TenantReport report = new TenantReport();
    report.setTenant(tenant.getMetadata().getName());
    report.setZone(tenant.getSpec().getZone());
    report.setMode(mode);
    Company company = new Company();
    company.setName(tenant.getSpec().getCompany().getName());
    company.setContact(tenant.getSpec().getCompany().getContact());
    report.setCompany(company);
    report.setNamespaces(status.getNamespaces());
    report.setQuota(status.getQuota());
    report.setEgress(status.getEgress());
    report.setTrialEndsAt(plan.suspension().trialEnd() == null ? null : plan.suspension().trialEnd().toString());
    report.setSuspended(plan.suspension().suspended());
    report.setEdgeAllocations(allocations.stream().map(TenantStatusPlan::grant).toList());
    // The TenantStatus's own generation: it has no spec, so this is what kstatus compares.
    report.setObservedGeneration(tenantStatusGeneration);
    report.setConditions(status.getConditions());
    return report;
  }

  static EdgeGrant grant(EdgeAllocation a) {
    EdgeGrant grant = new EdgeGrant();
    grant.setName(a.getMetadata().getName());
    grant.setPool(a.getSpec().getPool());
    grant.setResources(a.getSpec().getResources());
    String state = "Pending";
    if (a.getStatus() != null) {
      grant.setNamespace(a.getStatus().getNamespace());
      var admitted = a.getStatus().condition(EdgeAllocation.COND_ADMITTED);
      if (EdgeAllocation.isActive(a)) {
        state = "Active";
      } else if (EdgeAllocation.isExpired(a)) {
        state = "Expired";
      } else if (admitted.isPresent() && !"WindowNotStarted".equals(admitted.get().getReason())) {
        state = "Refused";
        grant.setMessage(admitted.get().getMessage());
      }
    }
    grant.setState(state);
    return grant;
  }

  /**
   * Events for the tenant's edge allocations whose state changed, for its TenantStatus: the
   * EdgeAllocation's own events are cluster-scoped, out of the tenant's reach.
   */
  public static List<Announcement> edgeAnnouncements(List<EdgeGrant> before, List<EdgeGrant> now) {
    Map<String, EdgeGrant> previous = new LinkedHashMap<>();
    (before == null ? List.<EdgeGrant>of() : before).forEach(g -> previous.put(g.getName(), g));
    List<Announcement> events = new ArrayList<>();
    for (EdgeGrant g : now == null ? List.<EdgeGrant>of() : now) {
      EdgeGrant was = previous.get(g.getName());
      if (was != null && Objects.equals(was.getState(), g.getState()) && Objects.equals(was.getMessage(), g.getMessage())) {
        continue;
      }
      switch (g.getState()) {
        case "Refused" -> events.add(Announcement.warning("EdgeAllocationRefused",
            "edge allocation " + g.getName() + " on pool " + g.getPool() + " is refused: " + g.getMessage()));
        case "Active" -> events.add(Announcement.normal("EdgeAllocationGranted",
            "edge allocation " + g.getName() + " on pool " + g.getPool() + " is granted in namespace " + g.getNamespace()));
        case "Expired" -> events.add(Announcement.normal("EdgeAllocationExpired",
            "edge allocation " + g.getName() + " on pool " + g.getPool() + " has expired"));
        default -> { }
      }
    }
    return events;
  }

  private static final Map<String, Transitions.Rule> RULES = new LinkedHashMap<>();

  static {
    RULES.put(ZoneTenant.COND_ADMITTED, Transitions.goodWhenTrue("Admitted"));
    RULES.put(Conditions.READY, Transitions.goodWhenTrue(null));
    RULES.put(ZoneTenant.COND_SUSPENDED, Transitions.toggle("Suspended", "Resumed"));
  }

  /**
   * Events for what changed since the status last written, and for repairs. A refused tenant's
   * Ready says what Admitted already said, so it is not announced twice.
   */
  public static List<Announcement> announcements(ZoneTenantStatus before, ZoneTenantStatus now, TenantOutcome outcome) {
    Map<String, Transitions.Rule> rules = new LinkedHashMap<>(RULES);
    if (!now.isTrue(ZoneTenant.COND_ADMITTED)) {
      rules.remove(Conditions.READY);
      rules.remove(ZoneTenant.COND_SUSPENDED);
    }
    List<Announcement> events = new ArrayList<>(Transitions.between(before, now, rules));
    if (!outcome.repaired().isEmpty()) {
      events.add(Announcement.normal("Repaired", "restored what someone else changed: " + String.join(", ", outcome.repaired())));
    }
    return events;
  }
}
