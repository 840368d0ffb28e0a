package io.lingang.zones.infra;

import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** lingang_tenants: tenants per zone by each condition's status. */
class FleetGaugesTest {
  @Test
  void eachConditionIsCountedPerZoneAndATenantWithoutStatusIsReadyUnknown() {
    ZoneTenant a = ready(tenant("a", "pudong", quantities("pods", "1")), "True");
    ZoneTenant b = ready(tenant("b", "pudong", quantities("pods", "1")), "True");
    ZoneTenant c = ready(tenant("c", "lingang", quantities("pods", "1")), "False");
    ZoneTenant fresh = tenant("d", "pudong", quantities("pods", "1"));

    Map<Tags, Double> rows = FleetGauges.tenantCounts(Stream.of(a, b, c, fresh));

    assertThat(rows).containsExactlyInAnyOrderEntriesOf(Map.of(
        Tags.of("zone", "pudong", "condition", "Ready", "status", "True"), 2.0,
        Tags.of("zone", "pudong", "condition", "Admitted", "status", "True"), 2.0,
        Tags.of("zone", "pudong", "condition", "Ready", "status", "Unknown"), 1.0,
        Tags.of("zone", "lingang", "condition", "Ready", "status", "False"), 1.0,
        Tags.of("zone", "lingang", "condition", "Admitted", "status", "True"), 1.0));
  }

  private static ZoneTenant ready(ZoneTenant tenant, String ready) {
    ZoneTenantStatus status = new ZoneTenantStatus();
    status.setConditions(List.of(
        new ConditionBuilder().withType("Admitted").withStatus("True").build(),
        new ConditionBuilder().withType("Ready").withStatus(ready).build()));
    tenant.setStatus(status);
    return tenant;
  }
}
