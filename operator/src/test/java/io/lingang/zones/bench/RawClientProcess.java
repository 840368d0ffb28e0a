package io.lingang.zones.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's side of {@link RawClientMain}: starts it with the given JVM flags on this JVM's
 * classpath, waits until it is ready, lets it go, and reads back when each ZoneTenant was created
 * and which requests it sent. Create times are {@link System#nanoTime()} of the child: on Linux both
 * JVMs read the same CLOCK_MONOTONIC, so they compare with this JVM's readings.
 */
final class RawClientProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final Thread hook;
  final Map<String, Long> createdAt = new TreeMap<>();
  final Map<String, Long> requests = new TreeMap<>();

  private RawClientProcess(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.hook = new Thread(process::destroyForcibly, "raw-client-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static RawClientProcess start(List<String> jvmFlags, Path kubeconfig, int tenants, int zones, int threads, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawClientMain.class.getName(),
        kubeconfig.toString(), String.valueOf(tenants), String.valueOf(zones), String.valueOf(threads)));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
      builder.environment().remove("JAVA_TOOL_OPTIONS");
      builder.environment().remove("JDK_JAVA_OPTIONS");
      return new RawClientProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  void awaitReady() throws IOException {
    expect("ready");
  }

  void go() throws IOException {
    send("go");
  }

  /** Reads its results until "done"; the process then waits, so that its CPU and memory can be read. */
  void awaitDone() throws IOException {
    for (String line = next(); !line.equals("done"); line = next()) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "created" -> createdAt.put(f[1], Long.parseLong(f[2]));
        case "request" -> requests.put(f[1].replace('_', ' '), Long.parseLong(f[2]));
        default -> throw new IllegalStateException("unexpected line from the raw client: " + line);
      }
    }
  }

  long requestCount() {
    return requests.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The raw client reads once, the zones, before the clock starts; it counts only what it sends after. */
  long reads() {
    return 0;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      send("exit");
    } catch (IOException gone) {
      // it has already exited
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private void expect(String word) throws IOException {
    String line = next();
    if (!line.equals(word)) {
      throw new IllegalStateException("expected '" + word + "' from the raw client, got " + line);
    }
  }

  private String next() throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IllegalStateException("the raw client exited (code " + waitExit() + "); see its log");
    }
    return line;
  }

  private int waitExit() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void send(String word) throws IOException {
    in.write(word + "\n");
    in.flush();
  }
}
