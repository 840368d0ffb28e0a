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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZoneAdmissionTest {
  private final BusinessZone zone = sharedZone("pudong", quantities("requests.cpu", "4", "pods", "10"));

  @Test
  void waitingTenantsAreAdmittedOldestFirstWhileTheyFit() {
    ZoneTenant young = created(tenant("young", "pudong", quantities("requests.cpu", "2", "pods", "2")), "2026-01-03T00:00:00Z");
    ZoneTenant old = created(tenant("old", "pudong", quantities("requests.cpu", "3", "pods", "2")), "2026-01-01T00:00:00Z");
    ZoneTenant small = created(tenant("small", "pudong", quantities("requests.cpu", "1", "pods", "2")), "2026-01-04T00:00:00Z");

    ZoneAdmission.Result result = ZoneAdmission.decide(zone, List.of(young, old, small));

    assertThat(result.of("old")).isInstanceOf(ZoneAdmission.Admitted.class);
    assertThat(result.of("young")).isInstanceOfSatisfying(ZoneAdmission.Refused.class, r -> {
      assertThat(r.reason()).isEqualTo("InsufficientCapacity");
      assertThat(r.message()).contains("requests.cpu 2 wanted, more than is free").contains("lower spec.quota");
      assertThat(r.shortfalls()).as("what is short, for tools that show it resource by resource")
          .containsExactly(new ResourceList.Shortfall("requests.cpu", "2", "1", true));
    });
    assertThat(result.of("small")).as("a younger tenant that fits is not blocked").isInstanceOf(ZoneAdmission.Admitted.class);
    assertThat(result.available().toQuantities()).containsEntry("requests.cpu", new Quantity("0")).containsEntry("pods", new Quantity("6"));
  }

  @Test
  void shrinkingTheZoneNeverRevokesAnAdmittedTenant() {
    ZoneTenant admitted = admitted(tenant("acme", "pudong", quantities("requests.cpu", "3", "pods", "5")), quantities("requests.cpu", "3", "pods", "5"));
    zone.getSpec().setCapacity(quantities("requests.cpu", "1", "pods", "10"));

    ZoneAdmission.Result result = ZoneAdmission.decide(zone, List.of(admitted));

    assertThat(result.of("acme")).isInstanceOf(ZoneAdmission.Admitted.class);
    assertThat(result.overCommitted()).isTrue();
    assertThat(result.available().toQuantities()).containsEntry("requests.cpu", new Quantity("-2"));
  }

  @Test
  void aQuotaIncreaseThatDoesNotFitKeepsThePreviousGrant() {
    ZoneTenant grown = admitted(tenant("acme", "pudong", quantities("requests.cpu", "8", "pods", "5")), quantities("requests.cpu", "2", "pods", "5"));

    ZoneAdmission.Admitted decision = (ZoneAdmission.Admitted) ZoneAdmission.decide(zone, List.of(grown)).of("acme");

    assertThat(decision.granted().toQuantities()).containsEntry("requests.cpu", new Quantity("2"));
    assertThat(decision.increaseRefused()).contains("requests.cpu 8 wanted, more than is free");
    assertThat(decision.increaseShortfalls()).containsExactly(new ResourceList.Shortfall("requests.cpu", "8", "4", true));
  }

  @Test
  void aDedicatedZoneAdmitsOneTenant() {
    zone.getSpec().setMode(BusinessZoneSpec.Mode.Dedicated);
    ZoneTenant first = created(tenant("first", "pudong", quantities("requests.cpu", "1", "pods", "1")), "2026-01-01T00:00:00Z");
    ZoneTenant second = created(tenant("second", "pudong", quantities("requests.cpu", "1", "pods", "1")), "2026-01-02T00:00:00Z");

    ZoneAdmission.Result result = ZoneAdmission.decide(zone, List.of(second, first));

    assertThat(result.of("first")).isInstanceOf(ZoneAdmission.Admitted.class);
    assertThat(result.of("second")).isInstanceOfSatisfying(ZoneAdmission.Refused.class,
        r -> assertThat(r.message()).contains("Dedicated and already admits another tenant")
            .as("another tenant's name is never told").doesNotContain("first"));
  }

  @Test
  void aQuotaMustCapEverythingTheZoneCaps() {
    ZoneTenant partial = tenant("acme", "pudong", quantities("requests.cpu", "1"));

    assertThat(ZoneAdmission.decide(zone, List.of(partial)).of("acme")).isInstanceOfSatisfying(ZoneAdmission.Refused.class, r -> {
      assertThat(r.reason()).isEqualTo("QuotaIncomplete");
      assertThat(r.message()).contains("missing: pods");
    });
  }

  @Test
  void aTenantWithoutQuotaGetsTheZoneDefaultOrIsToldToSetOne() {
    ZoneTenant none = tenant("acme", "pudong", null);
    assertThat(ZoneAdmission.decide(zone, List.of(none)).of("acme"))
        .isInstanceOfSatisfying(ZoneAdmission.Refused.class, r -> assertThat(r.reason()).isEqualTo("NoQuota"));

    var defaults = new io.lingang.zones.api.v1alpha1.TenantDefaults();
    defaults.setQuota(quantities("requests.cpu", "1", "pods", "3"));
    zone.getSpec().setTenantDefaults(defaults);
    assertThat(ZoneAdmission.decide(zone, List.of(none)).of("acme")).isInstanceOfSatisfying(ZoneAdmission.Admitted.class,
        a -> assertThat(a.granted().toQuantities()).isEqualTo(Map.of("pods", new Quantity("3"), "requests.cpu", new Quantity("1"))));
  }

  @Test
  void aNegativeOrMalformedQuantityIsRefusedWithTheEntryNamed() {
    ZoneTenant bad = tenant("acme", "pudong", quantities("requests.cpu", "-1", "pods", "1"));

    assertThat(ZoneAdmission.decide(zone, List.of(bad)).of("acme")).isInstanceOfSatisfying(ZoneAdmission.Refused.class, r -> {
      assertThat(r.reason()).isEqualTo("InvalidQuantity");
      assertThat(r.message()).contains("spec.quota.requests.cpu");
    });
  }

  private static ZoneTenant created(ZoneTenant t, String at) {
    t.getMetadata().setCreationTimestamp(at);
    return t;
  }

  private static ZoneTenant admitted(ZoneTenant t, Map<String, Quantity> granted) {
    ZoneTenantStatus status = new ZoneTenantStatus();
    status.setConditions(List.of(new ConditionBuilder().withType("Admitted").withStatus("True").withReason("Admitted").build()));
    status.setGrantedQuota(granted);
    t.setStatus(status);
    return created(t, "2026-01-01T00:00:00Z");
  }
}
