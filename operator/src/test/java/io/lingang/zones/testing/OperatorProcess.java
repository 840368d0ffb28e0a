package io.lingang.zones.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The packaged operator jar in a process of its own, as a pod would run it, against a local
 * control plane. Tests stop it with SIGTERM or kill it with SIGKILL.
 */
public final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private OperatorProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static OperatorProcess start(LocalControlPlane plane, Map<String, String> env) {
    Path jar = plane.repositoryRoot().resolve("operator/target/lingang-zone-operator.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: failsafe runs after `package`, run `mvn verify`");
    }
    try {
      int port = freePort();
      Path log = Files.createTempFile("operator-", ".log");
      ProcessBuilder builder = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", plane.kubeconfig().toString());
      builder.environment().put("LINGANG_HEALTH_PORT", String.valueOf(port));
      builder.environment().putAll(env);
      return new OperatorProcess(builder.start(), port, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, as the kubelet sends. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hook runs, nothing is handed over. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public Process process() {
    return process;
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PrometheusText metrics() {
    return Http.metrics(port);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
