package io.lingang.zones.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.DataLinkSpec;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@ControlPlaneTest
class OperatorLifecycleIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void operatorReportsReadyAndReconcilesADataLink(RunningOperator operator, KubernetesClient k8s, TestNames names) {
    await().atMost(Duration.ofSeconds(30)).until(() -> httpStatus(operator.healthPort(), "/readyz") == 200);
    assertThat(httpStatus(operator.healthPort(), "/healthz")).isEqualTo(200);

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
    Path jar = plane.repositoryRoot().resolve("operator/target/lingang-zone-operator.jar");
    assertThat(jar).as("the packaged operator (failsafe runs after package)").exists();
    int port = freePort();
    Path log = Files.createTempFile("operator-", ".log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", plane.kubeconfig().toString());
    builder.environment().put("LINGANG_HEALTH_PORT", String.valueOf(port));
    Process process = builder.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> httpStatus(port, "/readyz") == 200);

      process.destroy(); // SIGTERM, as the kubelet sends

      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("operator exited after SIGTERM").isTrue();
      assertThat(Files.readString(log)).contains("Stopping the Lingang Zone Operator");
      assertThat(httpStatus(port, "/healthz")).as("health port closed").isEqualTo(-1);
    } finally {
      process.destroyForcibly();
    }
  }

  private static int httpStatus(int port, String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
