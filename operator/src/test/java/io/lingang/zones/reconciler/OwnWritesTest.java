package io.lingang.zones.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which watch events are of the operator's own writes, whenever they arrive. */
class OwnWritesTest {
  private final OwnWrites own = new OwnWrites();
  private static final String POLICY = "NetworkPolicy/acme/lingang-default-deny";

  @Test
  void theEventOfOurWriteWakesNobodyBeforeOrAfterTheResponse() {
    own.begin(POLICY);
    assertThat(own.ours(POLICY, "100")).as("before the response").isTrue();
    own.made(POLICY, "100");
    assertThat(own.end(POLICY)).as("nothing but our own version seen").isFalse();

    own.begin(POLICY);
    own.made(POLICY, "120");
    assertThat(own.end(POLICY)).isFalse();
    assertThat(own.ours(POLICY, "120")).as("after the response: the version it made, once").isTrue();
    assertThat(own.ours(POLICY, "120")).as("a second time is not ours").isFalse();
  }

  @Test
  void someoneElsesChangeWhileWeWriteStillWakesTheTenant() {
    own.begin(POLICY);
    assertThat(own.ours(POLICY, "100")).isTrue();
    assertThat(own.ours(POLICY, "101")).as("held back while writing").isTrue();
    own.made(POLICY, "100");
    assertThat(own.end(POLICY)).as("101 came after our 100: someone else's").isTrue();
  }

  @Test
  void anEarlierVersionSeenWhileWritingIsOneOurWriteReplaced() {
    own.begin(POLICY);
    assertThat(own.ours(POLICY, "90")).isTrue();
    own.made(POLICY, "100");
    assertThat(own.end(POLICY)).isFalse();
  }

  @Test
  void otherObjectsAndLaterChangesAreNotOurs() {
    own.begin(POLICY);
    own.made(POLICY, "100");
    own.end(POLICY);
    assertThat(own.ours("NetworkPolicy/acme/lingang-allow-dns", "100")).isFalse();
    assertThat(own.ours(POLICY, "130")).as("someone else's later edit").isFalse();
    own.forget(POLICY);
    assertThat(own.ours(POLICY, "100")).as("forgotten once the object is gone").isFalse();
  }
}
