package io.lingang.zones.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `helm test` check against the operator's own HealthServer: it passes only on a ready operator's metrics. */
class SelfCheckTest {
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private String metrics = "# HELP lingang_leader 1 on the replica that reconciles\nlingang_leader 0.0\n";
  private HealthServer server;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    server = new HealthServer(0, () -> true, ready::get);
    server.addTextEndpoint("/metrics", () -> metrics);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void passesWhenReadyAndServingTheOperatorsMetrics() {
    assertThat(check(url("/readyz"), url("/metrics"))).as(output()).isZero();
    assertThat(output()).contains("PASS");
  }

  @Test
  void failsWhenNotReady() {
    ready.set(false);
    assertThat(check(url("/readyz"), url("/metrics"))).isEqualTo(1);
    assertThat(output()).contains("FAIL " + url("/readyz") + ": HTTP 503");
  }

  @Test
  void failsOnMetricsThatAreNotTheOperators() {
    metrics = "# some other exporter\nup 1\nlingang_leader_something_else 1\n";
    assertThat(check(url("/readyz"), url("/metrics"))).isEqualTo(1);
    assertThat(output()).contains("no lingang_leader metric");
  }

  @Test
  void failsWhenNothingAnswers() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    assertThat(check("http://127.0.0.1:" + closed + "/readyz")).isEqualTo(1);
    assertThat(output()).contains("no answer");
  }

  @Test
  void anHttpsUrlIsAskedWithTheServiceAccountsCredentialsAndFailsWithoutThem(@TempDir Path empty) {
    assertThat(check("--credentials", empty.toString(), "https://127.0.0.1:1/api/v1/namespaces/x/services/y:8080/proxy/readyz"))
        .isEqualTo(1);
    assertThat(output()).contains("FAIL no ServiceAccount credentials in " + empty);
  }

  @Test
  void refusesBadArguments() {
    assertThat(check()).isEqualTo(2);
    assertThat(check("ftp://x/readyz")).isEqualTo(2);
    assertThat(check("--within", "soon", url("/readyz"))).isEqualTo(2);
  }

  private int check(String... args) {
    return SelfCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }
}
