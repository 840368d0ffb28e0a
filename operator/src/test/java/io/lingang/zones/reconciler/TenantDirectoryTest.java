package io.lingang.zones.reconciler;

import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.sharedZone;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.api.v1alpha1.ZoneTenantStatus;
import io.lingang.zones.capacity.ZoneAdmission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The directory the operator's one ZoneTenant cache feeds: what each controller hears of a
 * tenant's change, and what it reads back.
 */
class TenantDirectoryTest {
  private final TenantDirectory directory = new TenantDirectory();
  private long resourceVersion;

  @Test
  void eachControllerHearsOnlyOfTheChangesThatConcernIt() {
    List<String> zones = heard(directory.follow("zones", change -> change.both()
        .map(TenantDirectory.Facts::zone).map(io.javaoperatorsdk.operator.processing.event.ResourceID::new)
        .collect(Collectors.toSet())));
    ZoneTenant alpha = tenant("alpha", "pudong", quantities("pods", "4"));
    store(alpha);
    assertThat(zones).containsExactly("pudong");

    // Labels, contacts, conditions other than Admitted: nothing any other controller reads.
    alpha.getMetadata().setLabels(Map.of("team", "data"));
    store(alpha);
    assertThat(zones).containsExactly("pudong");

    alpha.setStatus(admitted(true));
    store(alpha);
    assertThat(zones).containsExactly("pudong", "pudong");

    directory.store().remove(directory.store().getKey(alpha));
    assertThat(zones).containsExactly("pudong", "pudong", "pudong");
  }

  @Test
  void readsWhatTheCacheHoldsAdmittedTenantsAndLinkUsers() {
    ZoneTenant alpha = tenant("alpha", "pudong", quantities("pods", "4"));
    alpha.setStatus(admitted(true));
    alpha.getStatus().setEgress(List.of("hk-link"));
    ZoneTenant beta = tenant("beta", "pudong", quantities("pods", "4"));
    beta.getSpec().setEgress(List.of("hk-link"));
    store(alpha);
    store(beta);

    assertThat(directory.admitted("alpha")).isTrue();
    assertThat(directory.admitted("beta")).isFalse();
    assertThat(directory.admitted("nobody")).isFalse();
    assertThat(directory.usersOf("hk-link")).as("applied to alpha only; beta only asks").isEqualTo(1);
    assertThat(directory.members("pudong")).extracting(t -> t.getMetadata().getName()).containsExactlyInAnyOrder("alpha", "beta");
    assertThat(directory.members("elsewhere")).isEmpty();
  }

  @Test
  void aTenantLeavingAFullZoneWakesTheOneWaitingForItsRoom() {
    List<String> woken = heard(directory.peerWakes("peers"));
    BusinessZone zone = sharedZone("pudong", quantities("pods", "4"));
    zone.getMetadata().setUid("uid-1");
    zone.getMetadata().setGeneration(1L);
    ZoneTenant first = tenant("first", "pudong", quantities("pods", "4"));
    first.getMetadata().setCreationTimestamp("2027-01-01T00:00:00Z");
    ZoneTenant second = tenant("second", "pudong", quantities("pods", "4"));
    second.getMetadata().setCreationTimestamp("2027-01-01T00:01:00Z");
    store(first);
    store(second);
    assertThat(directory.admission(zone, first)).isInstanceOf(ZoneAdmission.Admitted.class);
    assertThat(directory.admission(zone, second)).isInstanceOf(ZoneAdmission.Refused.class);
    woken.clear();

    directory.store().remove(directory.store().getKey(first));

    assertThat(woken).containsExactly("second");
    assertThat(directory.admission(zone, second)).isInstanceOf(ZoneAdmission.Admitted.class);
  }

  @Test
  void notSyncedUntilTheTenantCacheSaysSo() {
    assertThat(directory.synced()).as("before the tenant controller has prepared its cache").isFalse();
    directory.syncedWith(new Object());
    assertThat(directory.synced()).as("a cache that cannot say").isFalse();
  }

  private void store(ZoneTenant tenant) {
    tenant.getMetadata().setResourceVersion(String.valueOf(++resourceVersion));
    directory.store().put(directory.store().getKey(tenant), copy(tenant));
  }

  private static ZoneTenant copy(ZoneTenant tenant) {
    return io.fabric8.kubernetes.client.utils.Serialization.clone(tenant);
  }

  private static ZoneTenantStatus admitted(boolean admitted) {
    ZoneTenantStatus status = new ZoneTenantStatus();
    status.setConditions(List.of(new ConditionBuilder().withType(ZoneTenant.COND_ADMITTED)
        .withStatus(admitted ? "True" : "False").withReason("Test").build()));
    return status;
  }

  /** The names an event source propagates, in order. */
  private static <P extends HasMetadata> List<String> heard(SimpleInboundEventSource<P> source) {
    List<String> names = new ArrayList<>();
    source.setEventHandler((Event e) -> names.add(e.getRelatedCustomResourceID().getName()));
    source.start();
    return names;
  }
}
