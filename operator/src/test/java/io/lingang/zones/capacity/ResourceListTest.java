package io.lingang.zones.capacity;

import static io.lingang.zones.testing.Fixtures.quantities;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class ResourceListTest {
  @Test
  void sumsAndRemaindersPrintInTheUnitsTheyWereWrittenIn() {
    ResourceList a = ResourceList.of(quantities("requests.memory", "96Gi", "requests.cpu", "1500m"));
    ResourceList b = ResourceList.of(quantities("requests.memory", "32Gi", "requests.cpu", "1"));

    assertThat(a.plus(b).toQuantities()).containsEntry("requests.memory", new Quantity("128Gi"))
        .containsEntry("requests.cpu", new Quantity("2500m"));
    assertThat(a.minus(b).toQuantities().get("requests.memory").toString()).isEqualTo("64Gi");
    assertThat(a.minus(b).toQuantities().get("requests.cpu").toString()).isEqualTo("500m");
  }

  @Test
  void shortfallsKeepTheAmountsAndDescribeOnlyWhatWasWanted() {
    ResourceList left = ResourceList.of(quantities("requests.cpu", "1"));
    ResourceList wanted = ResourceList.of(quantities("requests.cpu", "2", "nvidia.com/gpu", "1"));

    assertThat(left.shortfalls(wanted)).extracting(ResourceList.Shortfall::describe).containsExactly(
        "nvidia.com/gpu 1 wanted, but the capacity does not offer nvidia.com/gpu",
        "requests.cpu 2 wanted, more than is free");
    assertThat(left.shortfalls(wanted)).extracting(ResourceList.Shortfall::available).containsExactly("0", "1");
    assertThat(left.covers(wanted)).isFalse();
  }

  @Test
  void rejectsNegativeAndMalformedAmounts() {
    assertThatThrownBy(() -> ResourceList.of(quantities("pods", "-3"))).isInstanceOf(InvalidQuantityException.class)
        .hasMessageContaining("pods: '-3' is not a non-negative quantity");
    assertThatThrownBy(() -> ResourceList.of(quantities("pods", "lots"))).isInstanceOf(InvalidQuantityException.class);
  }

  @Test
  void refusesAmountsNoResourceMeansAtOnceRatherThanComputingWithThem() {
    // 1e999999999 once made every admission of its zone throw, and 1e5000000 burned seconds of CPU.
    for (String huge : new String[] {"1e999999999", "1e5000000", "1e31"}) {
      assertThatThrownBy(() -> ResourceList.of(java.util.Map.of("pods", new Quantity(huge, ""))))
          .isInstanceOf(InvalidQuantityException.class);
    }
    assertThat(ResourceList.of(quantities("requests.memory", "1e12")).amount("requests.memory")).isEqualByComparingTo("1000000000000");
  }
}
