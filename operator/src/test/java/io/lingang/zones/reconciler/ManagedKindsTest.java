package io.lingang.zones.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which quota changes wake the tenant: those its report would show, and drift. */
class ManagedKindsTest {
  private static final Map<String, Quantity> HARD = Map.of("pods", new Quantity("10"), "requests.cpu", new Quantity("2"));

  @Test
  void theQuotaControllersFirstCountOfANewQuotaWakesNobody() {
    ResourceQuota uncounted = quota();
    ResourceQuota counted = new ResourceQuotaBuilder(quota()).withNewStatus().withHard(HARD)
        .withUsed(Map.of("pods", new Quantity("0"), "requests.cpu", new Quantity("0"))).endStatus().build();

    assertThat(ManagedKinds.sameAsReported(counted, uncounted)).as("nothing used: what the report already says").isTrue();
  }

  @Test
  void somethingUsedOrAnEditByHandWakesTheTenant() {
    ResourceQuota counted = new ResourceQuotaBuilder(quota()).withNewStatus().withHard(HARD)
        .withUsed(Map.of("pods", new Quantity("0"), "requests.cpu", new Quantity("0"))).endStatus().build();
    ResourceQuota used = new ResourceQuotaBuilder(counted).editStatus()
        .withUsed(Map.of("pods", new Quantity("1"), "requests.cpu", new Quantity("500m"))).endStatus().build();
    ResourceQuota edited = new ResourceQuotaBuilder(counted).editSpec().addToHard("limits.memory", new Quantity("1Ti")).endSpec().build();
    ResourceQuota relabelled = new ResourceQuotaBuilder(counted).editMetadata().addToLabels("zones.lingang.io/tenant", "other")
        .endMetadata().build();

    assertThat(ManagedKinds.sameAsReported(used, counted)).as("a pod counted").isFalse();
    assertThat(ManagedKinds.sameAsReported(edited, counted)).as("spec edited by hand").isFalse();
    assertThat(ManagedKinds.sameAsReported(relabelled, counted)).as("labels edited by hand").isFalse();
  }

  private static ResourceQuota quota() {
    return new ResourceQuotaBuilder().withNewMetadata().withName("lingang-quota").withNamespace("acme")
        .addToLabels("zones.lingang.io/tenant", "acme").endMetadata().withNewSpec().withHard(HARD).endSpec().build();
  }
}
