package io.lingang.zones.capacity;

import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.BusinessZoneSpec;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.lingang.zones.capacity.ZoneAdmission.Admitted;
import io.lingang.zones.capacity.ZoneAdmission.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ledger against the definition: after every change, in any order, each tenant's decision
 * equals what {@link ZoneAdmission#decide} says over the whole zone, and every other tenant whose
 * decision the change altered is among those the ledger says to wake.
 */
class ZoneLedgerTest {
  private static final Instant EPOCH = Instant.parse("2027-01-01T00:00:00Z");

  /** A zone and its tenants as the API server would hold them, changed at random. */
  private static final class World {
    final Random random;
    final AtomicLong resourceVersion = new AtomicLong(1);
    final Map<String, ZoneTenant> tenants = new LinkedHashMap<>();
    BusinessZone zone;
    int next;

    World(long seed) {
      random = new Random(seed);
      zone = sharedZone("z", quantities("pods", String.valueOf(6 + random.nextInt(20))));
      zone.getMetadata().setUid("uid-1");
      zone.getMetadata().setGeneration(1L);
      if (random.nextInt(5) == 0) {
        zone.getSpec().setMode(BusinessZoneSpec.Mode.Dedicated);
      }
    }

    ZoneTenant fresh(ZoneTenant t) {
      t.getMetadata().setResourceVersion(String.valueOf(resourceVersion.incrementAndGet()));
      tenants.put(t.getMetadata().getName(), t);
      return t;
    }

    Map<String, Quantity> randomQuota() {
      return switch (random.nextInt(8)) {
        case 0 -> quantities("requests.cpu", "1");
        default -> quantities("pods", String.valueOf(1 + random.nextInt(6)));
      };
    }

    ZoneTenant create() {
      // Seconds collide on purpose: then names decide the order, as in a burst.
      ZoneTenant t = tenant("t" + Integer.toString(random.nextInt(10_000), 36) + "-" + next++, "z", randomQuota());
      t.getMetadata().setCreationTimestamp(EPOCH.plusSeconds(next / 3 + random.nextInt(2)).toString());
      return fresh(t);
    }

    ZoneTenant pick() {
      List<ZoneTenant> all = new ArrayList<>(tenants.values());
      return all.get(random.nextInt(all.size()));
    }

    ZoneTenant copy(ZoneTenant t) {
      ZoneTenant c = tenant(t.getMetadata().getName(), "z", t.getSpec().getQuota());
      c.getMetadata().setCreationTimestamp(t.getMetadata().getCreationTimestamp());
      c.getMetadata().setDeletionTimestamp(t.getMetadata().getDeletionTimestamp());
      c.setStatus(t.getStatus());
      return c;
    }

    /** What the operator writes after deciding: Admitted and the grant, as the status says. */
    ZoneTenant record(ZoneTenant t, Decision d) {
      ZoneTenant c = copy(t);
      ZoneTenantStatus status = new ZoneTenantStatus();
      boolean admitted = d instanceof Admitted;
      status.setConditions(List.of(new ConditionBuilder().withType("Admitted").withStatus(admitted ? "True" : "False")
          .withReason("x").withMessage("x").withLastTransitionTime(EPOCH.toString()).build()));
      if (d instanceof Admitted a) {
        status.setGrantedQuota(a.granted().toQuantities());
      }
      c.setStatus(status);
      return fresh(c);
    }

    Map<String, Decision> reference() {
      Map<String, Decision> out = new LinkedHashMap<>();
      ZoneAdmission.Result r = ZoneAdmission.decide(zone, tenants.values());
      tenants.keySet().forEach(n -> out.put(n, r.of(n)));
      return out;
    }
  }

  @Test
  void anOlderTenantArrivingInADedicatedZoneTakesItFromTheOneNotYetRecorded() {
    BusinessZone zone = sharedZone("z", quantities("pods", "10"));
    zone.getSpec().setMode(BusinessZoneSpec.Mode.Dedicated);
    zone.getMetadata().setUid("u");
    zone.getMetadata().setGeneration(1L);
    ZoneTenant younger = tenant("younger", "z", quantities("pods", "2"));
    younger.getMetadata().setCreationTimestamp(EPOCH.plusSeconds(10).toString());
    younger.getMetadata().setResourceVersion("2");
    ZoneTenant older = tenant("older", "z", quantities("pods", "2"));
    older.getMetadata().setCreationTimestamp(EPOCH.toString());
    older.getMetadata().setResourceVersion("3");
    ZoneLedger ledger = new ZoneLedger();
    assertThat(ledger.decide(zone, younger, new HashSet<>())).isInstanceOf(Admitted.class);

    // The older one was created first but reached the operator second (a watch that lagged).
    assertThat(ledger.observe(older)).containsExactly("younger");
    assertThat(ledger.decide(zone, older, new HashSet<>())).isInstanceOf(Admitted.class);
    assertThat(ledger.decide(zone, younger, new HashSet<>())).isInstanceOfSatisfying(ZoneAdmission.Refused.class,
        r -> assertThat(r.reason()).isEqualTo("ZoneDedicated"));
  }

  @Test
  void aQuotaTheApiServerShouldHaveRefusedIsARefusalNotAnError() {
    BusinessZone zone = sharedZone("z", quantities("pods", "10"));
    zone.getMetadata().setUid("u");
    zone.getMetadata().setGeneration(1L);
    Quantity empty = new Quantity();
    empty.setAmount("");
    ZoneTenant broken = tenant("broken", "z", Map.of("pods", empty));
    broken.getMetadata().setCreationTimestamp(EPOCH.toString());
    broken.getMetadata().setResourceVersion("2");
    ZoneLedger ledger = new ZoneLedger();
    ledger.observe(broken);

    // Seen again (its next reconcile): the facts are compared, never parsed.
    assertThat(ledger.decide(zone, broken, new HashSet<>())).isInstanceOfSatisfying(ZoneAdmission.Refused.class,
        r -> assertThat(r.reason()).isEqualTo("InvalidQuantity"));
    assertThat(ledger.observe(broken)).isEmpty();
  }

  /** The ledger sees what the operator's caches hold (each tenant's admission view); the reference, whole tenants. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
      29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40})
  void decisionsEqualTheWholeZonePassAfterEveryChange(long seed) {
    World w = new World(seed);
    ZoneLedger ledger = new ZoneLedger();
    for (int i = 0; i < 4; i++) {
      ledger.observe(AdmissionView.of(w.create()));
    }
    ledger.totals(w.zone);
    for (int step = 0; step < 250; step++) {
      Map<String, Decision> before = w.reference();
      int op = w.random.nextInt(100);
      String subject = null;
      Set<String> wake = new HashSet<>();
      boolean zoneChanged = false;
      if (op < 30 || w.tenants.isEmpty()) {
        ZoneTenant t = w.create();
        subject = t.getMetadata().getName();
        wake.addAll(ledger.observe(AdmissionView.of(t)));
      } else if (op < 60) {
        // The operator records the decision the ledger gave (as its reconcile would).
        ZoneTenant t = w.pick();
        subject = t.getMetadata().getName();
        Decision d = ledger.decide(w.zone, t, new HashSet<>());
        wake.addAll(ledger.observe(AdmissionView.of(w.record(t, d))));
      } else if (op < 72) {
        ZoneTenant t = w.copy(w.pick());
        subject = t.getMetadata().getName();
        t.getSpec().setQuota(w.randomQuota());
        wake.addAll(ledger.observe(AdmissionView.of(w.fresh(t))));
      } else if (op < 84) {
        ZoneTenant t = w.pick();
        subject = t.getMetadata().getName();
        w.tenants.remove(subject);
        wake.addAll(ledger.forget(AdmissionView.of(t)));
      } else if (op < 92) {
        ZoneTenant t = w.copy(w.pick());
        subject = t.getMetadata().getName();
        t.getMetadata().setDeletionTimestamp(EPOCH.toString());
        wake.addAll(ledger.observe(AdmissionView.of(w.fresh(t))));
      } else if (op < 96) {
        // A status-only change that admission does not read.
        ZoneTenant t = w.copy(w.pick());
        subject = t.getMetadata().getName();
        t.getMetadata().setLabels(Map.of("touched", String.valueOf(step)));
        wake.addAll(ledger.observe(AdmissionView.of(w.fresh(t))));
      } else {
        zoneChanged = true;
        BusinessZone z = sharedZone("z", quantities("pods", String.valueOf(4 + w.random.nextInt(30))));
        z.getSpec().setMode(w.zone.getSpec().getMode());
        z.getMetadata().setUid("uid-1");
        z.getMetadata().setGeneration(w.zone.getMetadata().getGeneration() + 1);
        w.zone = z;
      }

      Map<String, Decision> after = w.reference();
      for (ZoneTenant t : w.tenants.values()) {
        String name = t.getMetadata().getName();
        assertThat(ledger.decide(w.zone, t, new HashSet<>())).as("seed %d step %d: %s", seed, step, name).isEqualTo(after.get(name));
      }
      ZoneAdmission.Totals expected = ZoneAdmission.decide(w.zone, w.tenants.values()).totals();
      ZoneAdmission.Totals totals = ledger.totals(w.zone);
      // As the zone's status shows it: every resource of the capacity, 0 when nothing is allocated.
      ResourceList zero = expected.capacity().minus(expected.capacity());
      assertThat(zero.plus(totals.allocated()).only(expected.capacity().names())).as("seed %d step %d: allocated", seed, step)
          .isEqualTo(zero.plus(expected.allocated()).only(expected.capacity().names()));
      assertThat(totals.admitted()).as("seed %d step %d: admitted", seed, step).isEqualTo(expected.admitted());
      if (!zoneChanged) {
        for (String name : after.keySet()) {
          if (!name.equals(subject) && before.get(name) != null && after.get(name) != null && !before.get(name).equals(after.get(name))) {
            assertThat(wake).as("seed %d step %d: %s's decision changed", seed, step, name).contains(name);
          }
        }
      }
    }
  }
}
