package io.lingang.zones.operator;

import static io.lingang.zones.testing.Fixtures.quantities;
import static io.lingang.zones.testing.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Fixtures;
import io.lingang.zones.testing.Http;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OperatorProcess;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged operator against a control plane of their own (the shared test
 * operator would otherwise do their work): one leads and reconciles, the other waits; kill the
 * leader and the standby takes over within the lease time.
 */
class LeaderElectionIT {
  private static final String LEASE_NAMESPACE = "lingang-system";
  /** JOSDK's default lease duration and retry period, which the operator keeps. */
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  private static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
  private static final String LEADER = "lingang_leader";
  private static final String RECONCILIATIONS = "operator_sdk_reconciliations_started_total";

  private static LocalControlPlane plane;
  private static KubernetesClient k8s;

  @BeforeAll
  static void startControlPlane() {
    plane = LocalControlPlane.start("control-plane-ha");
    k8s = plane.admin();
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(LEASE_NAMESPACE).endMetadata().build()).create();
  }

  @AfterAll
  static void stopControlPlane() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItIsKilled() throws Exception {
    TestNames names = TestNames.random();
    String lease = names.name("lease");
    try (OperatorProcess first = replica(lease); OperatorProcess second = replica(lease)) {
      List<OperatorProcess> replicas = awaitOneLeader(first, second);
      OperatorProcess leader = replicas.get(0);
      OperatorProcess standby = replicas.get(1);

      Fixtures.zoneWithReadyTenant(k8s, names.name("zone"), names.name("first"));

      assertThat(leader.metrics().sum(RECONCILIATIONS, Map.of())).as("leader reconciled").isPositive();
      assertThat(standby.metrics().sum(RECONCILIATIONS, Map.of())).as("standby reconciled nothing").isZero();
      String holder = k8s.resources(Lease.class).inNamespace(LEASE_NAMESPACE).withName(lease).get().getSpec().getHolderIdentity();
      assertThat(leader.log()).as("the Lease names the leader").contains("this replica is " + holder);

      long killedAt = System.nanoTime();
      leader.kill();
      k8s.resource(tenant(names.name("second"), names.name("zone"), quantities("pods", "5"))).create();

      await("the standby leads and provisions the new tenant")
          .atMost(LEASE_DURATION.plus(RETRY_PERIOD).plusSeconds(8))
          .untilAsserted(() -> {
            ZoneTenant created = k8s.resources(ZoneTenant.class).withName(names.name("second")).get();
            assertThat(created.getStatus()).as("status of the tenant created after the kill").isNotNull();
            assertThat(created.getStatus().isTrue("Ready")).isTrue();
          });
      Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
      System.out.printf("failover: the standby converged %d ms after the leader was killed%n", takeover.toMillis());

      assertThat(standby.metrics().sum(LEADER, Map.of())).isEqualTo(1.0);
      assertThat(standby.metrics().sum(RECONCILIATIONS, Map.of())).isPositive();
      assertThat(k8s.resources(Lease.class).inNamespace(LEASE_NAMESPACE).withName(lease).get().getSpec().getHolderIdentity())
          .isNotEqualTo(holder);
    }
  }

  @Test
  void aLeaderStoppedWithSigtermHandsTheLeaseOverAtOnce() throws Exception {
    TestNames names = TestNames.random();
    String lease = names.name("lease");
    try (OperatorProcess first = replica(lease); OperatorProcess second = replica(lease)) {
      List<OperatorProcess> replicas = awaitOneLeader(first, second);

      long stoppedAt = System.nanoTime();
      replicas.get(0).terminate();
      assertThat(replicas.get(0).process().waitFor(20, TimeUnit.SECONDS)).as("the leader exits on SIGTERM").isTrue();
      assertThat(replicas.get(0).log()).contains("Released Lease");

      // Well before the lease would expire: the standby did not wait for it.
      await("the standby leads").atMost(RETRY_PERIOD.plusSeconds(3))
          .until(() -> replicas.get(1).metrics().sum(LEADER, Map.of()) == 1.0);
      System.out.printf("handover: the standby led %d ms after SIGTERM%n", Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis());
      Fixtures.zoneWithReadyTenant(k8s, names.name("zone"), names.name("after"));
    }
  }

  private static OperatorProcess replica(String lease) {
    return OperatorProcess.start(plane, Map.of("LINGANG_LEASE_NAMESPACE", LEASE_NAMESPACE, "LINGANG_LEASE_NAME", lease));
  }

  /** Both replicas ready, exactly one leading; the leader first. */
  private static List<OperatorProcess> awaitOneLeader(OperatorProcess a, OperatorProcess b) {
    // Two JVMs starting on a small machine that other test runs may share: be patient, and say why
    // when it is not enough.
    try {
      await("both replicas ready").atMost(Duration.ofMinutes(2))
          .until(() -> Http.status(a.port(), "/readyz") == 200 && Http.status(b.port(), "/readyz") == 200);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\nfirst replica (alive: " + a.isAlive() + "):\n" + a.log()
          + "\nsecond replica (alive: " + b.isAlive() + "):\n" + b.log(), e);
    }
    await("one leader").atMost(LEASE_DURATION.plus(RETRY_PERIOD))
        .until(() -> a.metrics().sum(LEADER, Map.of()) + b.metrics().sum(LEADER, Map.of()) == 1.0);
    return a.metrics().sum(LEADER, Map.of()) == 1.0 ? List.of(a, b) : List.of(b, a);
  }
}
