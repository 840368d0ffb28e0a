package io.lingang.zones.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAreAsWideAsTheirWidestCellThreeSpacesApartWithNoTrailingBlanks() {
    String text = new Table("ZONE", "RESOURCE", "CAPACITY").row("pudong-shared", "pods", "300").row("z", "requests.memory", null).render();

    assertThat(text).isEqualTo("""
        ZONE            RESOURCE          CAPACITY
        pudong-shared   pods              300
        z               requests.memory   <none>
        """);
  }
}
