package io.lingang.zones.capacity;

import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.ZoneAdmission.Admitted;
import io.lingang.zones.capacity.ZoneAdmission.Decision;
import io.lingang.zones.capacity.ZoneAdmission.Member;
import io.lingang.zones.capacity.ZoneAdmission.Pass;
import io.lingang.zones.capacity.ZoneAdmission.Refused;
import io.lingang.zones.capacity.ZoneAdmission.Terms;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One zone's admission, kept up to date tenant by tenant: the decisions always equal
 * {@link ZoneAdmission#decide} over the tenants it was told about, without a pass over the whole
 * zone for every change. A tenant is parsed once per change of what admission reads from it.
 *
 * <p>The common changes cost O(log n): a tenant arriving (newest, or fitting while every other
 * tenant is satisfied), a tenant's own grant being recorded, a tenant leaving while no one waits.
 * Anything else (a quota change, a departure while others wait) runs one pass over the zone and
 * returns the tenants whose decision it changed, so that exactly those are woken.
 *
 * <p>Thread-safe: informer threads report changes while reconcilers ask for decisions.
 */
public final class ZoneLedger {
  /**
   * What admission reads from a tenant, as text (a Quantity's equals parses it, and throws on what
   * a relaxed schema let through); any other change (labels, conditions) costs nothing.
   */
  private record Facts(String created, Map<String, String> quota, List<String> namespaces, Map<String, String> grant,
      boolean admitted, boolean deleting) {
    static Facts of(ZoneTenant t) {
      var status = t.getStatus();
      List<String> namespaces = t.getSpec().getNamespaces() == null ? null : t.getSpec().getNamespaces().stream()
          .map(ns -> ns.getName() + "=" + Quantities.asText(ns.getQuota())).toList();
      return new Facts(t.getMetadata().getCreationTimestamp(), Quantities.asText(t.getSpec().getQuota()), namespaces,
          status == null ? null : Quantities.asText(status.getGrantedQuota()), ZoneTenant.isAdmitted(t),
          t.getMetadata().getDeletionTimestamp() != null);
    }
  }

  private record Known(ZoneTenant tenant, Facts facts) {}

  private final Map<String, Known> known = new HashMap<>();
  private final Map<String, Member> members = new HashMap<>();
  private final TreeSet<Member> byAge = new TreeSet<>(Member.BY_AGE);
  private String zoneKey;
  private Terms terms;
  private Pass pass;
  /** Decisions in the pass that are refusals, or grants kept while a larger quota is refused. */
  private int unsatisfied;

  /**
   * The decision for {@code tenant} (as its reconcile sees it) under {@code zone}; {@code wake}
   * receives the other tenants whose decision changed with it.
   */
  public synchronized Decision decide(BusinessZone zone, ZoneTenant tenant, Set<String> wake) {
    useZone(zone);
    // Its view, not the reconcile's whole object: the ledger keeps what it observes.
    wake.addAll(observe(AdmissionView.of(tenant)));
    wake.remove(tenant.getMetadata().getName());
    ensurePass();
    return pass.decisions().get(tenant.getMetadata().getName());
  }

  /** The zone's totals, as {@link ZoneAdmission#decide} would give them. */
  public synchronized ZoneAdmission.Totals totals(BusinessZone zone) {
    useZone(zone);
    ensurePass();
    return new ZoneAdmission.Totals(terms.capacity(), pass.allocated(), pass.admitted(), terms.capacityError());
  }

  /** A tenant of this zone was added or changed; returns the tenants whose decision that changed. */
  public synchronized Set<String> observe(ZoneTenant tenant) {
    String name = tenant.getMetadata().getName();
    Known before = known.get(name);
    if (before != null && olderThan(tenant, before.tenant())) {
      return Set.of();
    }
    Facts facts = Facts.of(tenant);
    known.put(name, new Known(tenant, facts));
    if (before != null && before.facts().equals(facts)) {
      return Set.of();
    }
    if (terms == null) {
      return Set.of();
    }
    Member old = members.get(name);
    Member now = facts.deleting() ? null : Member.of(terms, tenant);
    place(name, old, now);
    return pass == null ? Set.of() : afterChange(name, old, now);
  }

  /** A tenant of this zone is gone; returns the tenants whose decision that changed. */
  public synchronized Set<String> forget(ZoneTenant tenant) {
    String name = tenant.getMetadata().getName();
    if (known.remove(name) == null || terms == null) {
      return Set.of();
    }
    Member old = members.get(name);
    place(name, old, null);
    return pass == null ? Set.of() : afterChange(name, old, null);
  }

  /** Every tenant of this zone it was told about, being deleted or not, as observed. */
  public synchronized List<ZoneTenant> tenants() {
    return known.values().stream().map(Known::tenant).toList();
  }

  public synchronized boolean isEmpty() {
    return known.isEmpty();
  }

  private void useZone(BusinessZone zone) {
    String key = zone.getMetadata().getUid() + "/" + zone.getMetadata().getGeneration() + "/"
        + (zone.getMetadata().getDeletionTimestamp() != null);
    if (key.equals(zoneKey)) {
      return;
    }
    zoneKey = key;
    Terms next = Terms.of(zone);
    if (next.equals(terms)) {
      return;
    }
    // What every tenant asks for depends on the zone's terms: read them all again, once.
    terms = next;
    members.clear();
    byAge.clear();
    known.forEach((name, k) -> {
      if (!k.facts().deleting()) {
        place(name, null, Member.of(terms, k.tenant()));
      }
    });
    pass = null;
  }

  private void place(String name, Member old, Member now) {
    if (old != null) {
      byAge.remove(old);
      members.remove(name);
    }
    if (now != null) {
      byAge.add(now);
      members.put(name, now);
    }
  }

  private void ensurePass() {
    if (pass == null) {
      pass = Pass.over(terms, List.copyOf(byAge));
      unsatisfied = countUnsatisfied(pass);
    }
  }

  /** Applies one member's change to the pass: in place where no one else's decision can change, else anew. */
  private Set<String> afterChange(String name, Member old, Member now) {
    Decision was = pass.decisions().get(name);
    if (old == null && now != null && now.waiting() && arrivesWithoutEffect(now)) {
      count(pass.admitWaiting(now), +1);
      return Set.of();
    }
    if (now == null && (was instanceof Refused || unsatisfied == 0)) {
      // A refused tenant held nothing; with no one waiting, the room freed helps no one.
      count(was, -1);
      pass.forget(name);
      return Set.of();
    }
    if (old != null && now != null && old.waiting() && !now.waiting() && unsatisfied == 0
        && was instanceof Admitted a && a.increaseRefused() == null && a.granted().equals(now.previous())
        && sameRequest(old, now)) {
      // Its own admission being recorded: the pass already counted exactly this grant.
      return Set.of();
    }
    Pass before = pass;
    pass = Pass.over(terms, List.copyOf(byAge));
    unsatisfied = countUnsatisfied(pass);
    Set<String> changed = new HashSet<>();
    pass.decisions().forEach((n, d) -> {
      if (!n.equals(name) && !Objects.equals(before.decisions().get(n), d)) {
        changed.add(n);
      }
    });
    return changed;
  }

  /**
   * A new waiting tenant changes no one else's decision when it comes after everyone (the pass
   * considers it last), when it is refused for reasons of its own or of the zone, or when it fits
   * while every other tenant is satisfied (then everyone after it still fits: the total fits).
   */
  private boolean arrivesWithoutEffect(Member m) {
    if (byAge.last() == m) {
      return true;
    }
    if (terms.terminating() || terms.capacityError() != null || m.requested().refusal() != null) {
      return true;
    }
    return !terms.dedicated() && unsatisfied == 0 && terms.capacity().minus(pass.allocated()).covers(m.requested().quota());
  }

  private void count(Decision d, int sign) {
    if (isUnsatisfied(d)) {
      unsatisfied += sign;
    }
  }

  private static int countUnsatisfied(Pass pass) {
    return (int) pass.decisions().values().stream().filter(ZoneLedger::isUnsatisfied).count();
  }

  private static boolean isUnsatisfied(Decision d) {
    return d instanceof Refused || d instanceof Admitted a && a.increaseRefused() != null;
  }

  private static boolean sameRequest(Member a, Member b) {
    return Objects.equals(a.requested(), b.requested()) && a.created().equals(b.created());
  }

  /** Whether {@code candidate} is an older version than {@code known} (resource versions of one object). */
  private static boolean olderThan(ZoneTenant candidate, ZoneTenant known) {
    try {
      return Long.parseLong(candidate.getMetadata().getResourceVersion()) < Long.parseLong(known.getMetadata().getResourceVersion());
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }
}
