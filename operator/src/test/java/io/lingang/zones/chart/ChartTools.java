package io.lingang.zones.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.lingang.zones.testing.LocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The chart's tools (helm, helm-docs, the Go test helpers) for tests that need no control plane. */
final class ChartTools {
  record Result(int exit, String output) {}

  private static String binDir;
  private static String testToolsDir;

  private ChartTools() {}

  static Path root() {
    return LocalControlPlane.repoRoot();
  }

  static Path chart() {
    return root().resolve("helm/lingang-zone-operator");
  }

  /** A binary of hack/tools.sh (helm, helm-docs, kubectl). */
  static synchronized String tool(String name) {
    if (binDir == null) {
      binDir = lastLine(succeed(List.of("bash", root().resolve("hack/tools.sh").toString()), null));
    }
    return binDir + "/" + name;
  }

  /** A Go helper of hack/test-tools.sh (promql, kstatus, netpol-truth). */
  static synchronized String testTool(String name) {
    if (testToolsDir == null) {
      testToolsDir = lastLine(succeed(List.of("bash", root().resolve("hack/test-tools.sh").toString()), null));
    }
    return testToolsDir + "/" + name;
  }

  /** {@code helm template} of the chart, for the Kubernetes version helm was stamped with; extra arguments after. */
  static Result helmTemplate(String... args) {
    List<String> command = new ArrayList<>(List.of(tool("helm"), "template", "lzo", chart().toString(), "--namespace", "lingang-system"));
    command.addAll(List.of(args));
    return run(command, null);
  }

  static String succeed(List<String> command, String stdin) {
    Result result = run(command, stdin);
    assertThat(result.exit()).as(String.join(" ", command) + "\n" + result.output()).isZero();
    return result.output();
  }

  /** Runs {@code command} in the repository (stderr into the output), with {@code stdin} if not null. */
  static Result run(List<String> command, String stdin) {
    return run(command, stdin, java.util.Map.of());
  }

  /** {@link #run(List, String)} with extra environment variables. */
  static Result run(List<String> command, String stdin, java.util.Map<String, String> env) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process process = builder.start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // A cold build of a tool may take minutes; everything else returns in seconds.
      assertThat(process.waitFor(10, TimeUnit.MINUTES)).as(String.join(" ", command) + " finished").isTrue();
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String lastLine(String output) {
    return output.strip().lines().reduce((a, b) -> b).orElseThrow();
  }
}
