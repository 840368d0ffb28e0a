package io.lingang.zones.plan;

import static io.lingang.zones.testing.Fixtures.quantities;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.lingang.zones.api.v1alpha1.EdgeGrant;
import io.lingang.zones.api.v1alpha1.QuotaUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a tenant reads in its TenantStatus about its quota and its edge allocations. */
class TenantReportTest {

  private static ResourceQuota quota(Map<String, Quantity> hard, Map<String, Quantity> used) {
    return new ResourceQuotaBuilder().withNewMetadata().withName("lingang-quota").endMetadata()
        .withNewStatus().withHard(hard).withUsed(used).endStatus().build();
  }

  @Test
  void quotaHardSaysWhatTheZoneAdmittedAndWhatTheEdgeGranted() {
    QuotaUsage usage = QuotaTotals.of(
        List.of(quota(quantities("pods", "5", "requests.cpu", "2"), quantities("pods", "1", "requests.cpu", "500m")),
            quota(quantities("pods", "3"), quantities("pods", "0"))),
        List.of(quota(quantities("requests.cpu", "4", "limits.cpu", "4"), quantities("requests.cpu", "1", "limits.cpu", "1"))));

    assertThat(usage.getZone().getHard()).isEqualTo(quantities("pods", "8", "requests.cpu", "2"));
    assertThat(usage.getZone().getUsed()).isEqualTo(quantities("pods", "1", "requests.cpu", "500m"));
    assertThat(usage.getEdge().getHard()).isEqualTo(quantities("requests.cpu", "4", "limits.cpu", "4"));
    assertThat(usage.getHard()).as("the total is both parts").isEqualTo(quantities("pods", "8", "requests.cpu", "6", "limits.cpu", "4"));
    assertThat(usage.getUsed()).isEqualTo(quantities("pods", "1", "requests.cpu", "1500m", "limits.cpu", "1"));
  }

  @Test
  void aTenantWithoutEdgeNamespacesHasNoEdgePartAndNoQuotaMeansNothingToReport() {
    assertThat(QuotaTotals.of(List.of(quota(quantities("pods", "5"), quantities("pods", "0"))), List.of()).getEdge()).isNull();
    assertThat(QuotaTotals.of(List.of(), List.of())).isNull();
  }

  @Test
  void aQuotaNotCountedYetHasItsHardAndNothingUsedAsTheQuotaControllerWillCountIt() {
    ResourceQuota fresh = new ResourceQuotaBuilder().withNewMetadata().withName("q").endMetadata()
        .withNewSpec().withHard(quantities("pods", "5", "requests.cpu", "2")).endSpec().build();
    ResourceQuota counted = quota(quantities("pods", "5", "requests.cpu", "2"), quantities("pods", "0", "requests.cpu", "0"));

    QuotaUsage before = QuotaTotals.of(List.of(fresh), List.of());

    assertThat(before.getHard()).isEqualTo(quantities("pods", "5", "requests.cpu", "2"));
    assertThat(before.getUsed()).isEqualTo(quantities("pods", "0", "requests.cpu", "0"));
    assertThat(before).as("the report once the controller counted").isEqualTo(QuotaTotals.of(List.of(counted), List.of()));
    ResourceQuota asCreated = new ResourceQuotaBuilder(fresh).withNewStatus().endStatus().build();
    assertThat(QuotaTotals.of(List.of(asCreated), List.of())).as("as the create's response reads: an empty status").isEqualTo(before);
  }

  private static EdgeGrant grant(String name, String state, String message) {
    EdgeGrant g = new EdgeGrant();
    g.setName(name);
    g.setPool("gpu");
    g.setState(state);
    g.setMessage(message);
    g.setNamespace("Active".equals(state) ? "acme-edge-gpu" : null);
    return g;
  }

  @Test
  void anEdgeRefusalReachesTheTenantOnceAndAGrantAfterItToo() {
    List<EdgeGrant> refused = List.of(grant("train", "Refused", "pool gpu is short: cpu 2 wanted, more than is free"));

    assertThat(TenantStatusPlan.edgeAnnouncements(List.of(), refused)).singleElement().satisfies(a -> {
      assertThat(a.warning()).isTrue();
      assertThat(a.reason()).isEqualTo("EdgeAllocationRefused");
      assertThat(a.message()).contains("train").contains("cpu 2 wanted, more than is free");
    });
    assertThat(TenantStatusPlan.edgeAnnouncements(refused, refused)).as("unchanged: no second event").isEmpty();
    assertThat(TenantStatusPlan.edgeAnnouncements(refused, List.of(grant("train", "Active", null))))
        .singleElement().satisfies(a -> {
          assertThat(a.warning()).isFalse();
          assertThat(a.reason()).isEqualTo("EdgeAllocationGranted");
          assertThat(a.message()).contains("acme-edge-gpu");
        });
    assertThat(TenantStatusPlan.edgeAnnouncements(List.of(), List.of(grant("later", "Pending", null)))).isEmpty();
  }
}
