package io.lingang.zones.bench;

import static org.awaitility.Awaitility.await;

import io.lingang.zones.testing.Http;
import io.lingang.zones.testing.PrometheusText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator jar as a process of its own, as a pod runs it, with explicit JVM flags
 * (printed in the report) and optionally under JFR. Its pid is written to {@code operator.pid}
 * beside the report so that {@code hack/bench.sh} can stop it should this JVM die without its
 * shutdown hooks (kill -9).
 */
final class OperatorJvm implements AutoCloseable {
  /** What JOSDK counts per finished, successful reconcile. */
  static final String RECONCILED = "operator_sdk_reconciliations_success_total";
  /** The operator's own count of the requests its client sent, by verb and resource. */
  static final String SENT = "lingang_api_requests_total";
  static final List<String> WRITE_VERBS = List.of("create", "update", "patch", "delete");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final int port;
  private final Path pidFile;
  private final Thread hook;

  private OperatorJvm(Process process, int port, Path pidFile) {
    this.process = process;
    this.port = port;
    this.pidFile = pidFile;
    this.hook = new Thread(process::destroyForcibly, "operator-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The command line: this JVM's java, the flags, the jar. */
  static List<String> command(Path jar, List<String> flags) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.add("-jar");
    command.add(jar.toString());
    return command;
  }

  /**
   * @param jfr where to write a JFR recording (settings=profile, dumped on exit), or null
   * @param env extra environment, KEY=VALUE
   */
  static OperatorJvm start(Path jar, List<String> flags, List<String> env, Path kubeconfig, Path log, Path jfr, Path pidFile) {
    List<String> all = new ArrayList<>(flags);
    if (jfr != null) {
      // A deeper stack than JFR's default 64 frames, or "total" undercounts frames near the root.
      all.add("-XX:FlightRecorderOptions=stackdepth=256");
      all.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
    }
    try {
      int port = freePort();
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command(jar, all)).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      // The flags above are all the JVM gets: nothing from the caller's shell.
      environment.remove("JAVA_TOOL_OPTIONS");
      environment.remove("JDK_JAVA_OPTIONS");
      environment.put("KUBECONFIG", kubeconfig.toString());
      environment.put("LINGANG_HEALTH_PORT", String.valueOf(port));
      for (String kv : env) {
        int eq = kv.indexOf('=');
        environment.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      Process process = builder.start();
      Files.writeString(pidFile, process.pid() + "\n");
      return new OperatorJvm(process, port, pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean ready() {
    return Http.status(port, "/readyz") == 200;
  }

  /** Polls /readyz (every 50 ms) until it answers 200: every informer has synced. */
  Duration awaitReady(Duration timeout) {
    long start = System.nanoTime();
    await("the operator's /readyz").atMost(timeout).pollInterval(Duration.ofMillis(50))
        .failFast("the operator exited before it was ready", () -> !process.isAlive())
        .until(this::ready);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * A scrape of /metrics. Allowed 30 s (the tests' helper allows 5): a busy operator on a loaded
   * machine computes the fleet gauges over a thousand tenants slowly.
   */
  PrometheusText metrics() {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("/metrics answered " + response.statusCode());
      }
      return PrometheusText.parse(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("no /metrics from the operator: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes (create, update, patch, delete) this process says it sent since it started, from its
   * {@code lingang_api_requests_total}; -1 for an operator built before it had that counter.
   */
  long writesSent() {
    return sent(WRITE_VERBS);
  }

  /** GETs and LISTs this process says it sent (watches not included); -1 as above. */
  long readsSent() {
    return sent(List.of("get"));
  }

  private long sent(List<String> verbs) {
    PrometheusText metrics = metrics();
    if (!metrics.has(SENT)) {
      return -1;
    }
    return verbs.stream().mapToLong(verb -> (long) metrics.sum(SENT, Map.of("verb", verb))).sum();
  }

  /** Successful ZoneTenant reconciles since this process started. */
  long tenantReconciles() {
    return (long) metrics().sum(RECONCILED, Map.of("kind", "ZoneTenant"));
  }

  /** Successful reconciles of every kind since this process started. */
  long allReconciles() {
    return (long) metrics().sum(RECONCILED, Map.of());
  }

  double cpuSeconds() {
    return ProcStats.cpuSeconds(pid());
  }

  /** SIGTERM, as the kubelet sends, then up to 30 s for JOSDK's grace period and the JFR dump; then SIGKILL. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // bench.sh checks the process behind a stale pid before it kills anything
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
