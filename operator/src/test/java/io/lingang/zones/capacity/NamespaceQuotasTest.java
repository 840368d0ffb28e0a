package io.lingang.zones.capacity;

import static io.lingang.zones.testing.Fixtures.quantities;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.lingang.zones.api.v1alpha1.TenantNamespace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceQuotasTest {
  private final ResourceList tenantQuota = ResourceList.of(quantities("requests.cpu", "4", "requests.memory", "16Gi", "pods", "9"));

  @Test
  void withoutDeclaredNamespacesTheTenantGetsOneNamespaceNamedAfterIt() {
    assertThat(NamespaceQuotas.split("acme", null, tenantQuota)).containsOnlyKeys("acme")
        .containsEntry("acme", tenantQuota);
  }

  @Test
  void declaredAmountsAreKeptAndTheRestIsSharedByNamespacesThatDeclareNothing() {
    var split = NamespaceQuotas.split("acme", List.of(
        new TenantNamespace("prod", quantities("requests.cpu", "3", "requests.memory", "4Gi")),
        new TenantNamespace("dev", null),
        new TenantNamespace("test", null)), tenantQuota);

    assertThat(split.keySet()).containsExactly("acme-prod", "acme-dev", "acme-test");
    // prod declares cpu and memory, so it shares only pods with the others.
    assertThat(split.get("acme-prod").toQuantities()).isEqualTo(Map.of(
        "requests.cpu", new Quantity("3"), "requests.memory", new Quantity("4Gi"), "pods", new Quantity("3")));
    assertThat(split.get("acme-dev").toQuantities()).isEqualTo(Map.of(
        "requests.cpu", new Quantity("500m"), "requests.memory", new Quantity("6Gi"), "pods", new Quantity("3")));
    assertThat(split.get("acme-test")).isEqualTo(split.get("acme-dev"));
  }

  @Test
  void declaredAmountsAboveTheTenantQuotaAreRefused() {
    assertThatThrownBy(() -> NamespaceQuotas.split("acme", List.of(
        new TenantNamespace("a", quantities("pods", "5")), new TenantNamespace("b", quantities("pods", "5"))), tenantQuota))
        .isInstanceOf(NamespaceQuotas.QuotaSplitException.class)
        .hasMessageContaining("pods quotas add up to more than the tenant's pods quota");
  }
}
