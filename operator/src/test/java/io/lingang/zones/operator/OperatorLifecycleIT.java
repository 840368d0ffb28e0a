package io.lingang.zones.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.DataLinkSpec;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.Http;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OperatorProcess;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@ControlPlaneTest
class OperatorLifecycleIT {
  @Test
  void operatorReportsReadyAndReconcilesADataLink(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    await().atMost(Duration.ofSeconds(30)).until(() -> Http.status(operator.healthPort(), "/readyz") == 200);
    assertThat(Http.status(operator.healthPort(), "/healthz")).isEqualTo(200);

    DataLink link = new DataLink();
    link.getMetadata().setName(names.name("hk"));
    DataLinkSpec spec = new DataLinkSpec();
    spec.setRegion("HK");
    spec.setCidrs(List.of("203.0.113.0/24"));
    link.setSpec(spec);
    k8s.resource(link).create();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      DataLink current = k8s.resources(DataLink.class).withName(names.name("hk")).get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(current.getStatus().isTrue("Ready")).isTrue();
      assertThat(current.getStatus().getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
      assertThat(current.getStatus().getTenants()).isZero();
    });
  }

  @Test
  void packagedOperatorStopsCleanlyOnSigterm(LocalControlPlane plane) throws Exception {
    try (OperatorProcess process = OperatorProcess.start(plane, Map.of())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> Http.status(process.port(), "/readyz") == 200);

      process.terminate();

      assertThat(process.process().waitFor(20, TimeUnit.SECONDS)).as("operator exited after SIGTERM").isTrue();
      assertThat(process.log()).contains("Stopping the Lingang Zone Operator");
      assertThat(Http.status(process.port(), "/healthz")).as("health port closed").isEqualTo(-1);
    }
  }

  /** A process that cannot fill its caches exits for real, so that it is restarted and seen, instead of lingering. */
  @Test
  void aPackagedOperatorThatCannotStartExits(LocalControlPlane plane) throws Exception {
    java.nio.file.Path nowhere = java.nio.file.Files.createTempFile("kubeconfig-", ".yaml");
    java.nio.file.Files.writeString(nowhere, java.nio.file.Files.readString(plane.kubeconfig())
        .replaceAll("server: https://127\\.0\\.0\\.1:[0-9]+", "server: https://127.0.0.1:1"));
    try (OperatorProcess process = OperatorProcess.start(plane, Map.of("KUBECONFIG", nowhere.toString()))) {
      assertThat(process.process().waitFor(180, TimeUnit.SECONDS)).as("exited by itself").isTrue();
      assertThat(process.process().exitValue()).isEqualTo(1);
      assertThat(process.log()).contains("Could not start");
    }
  }
}
