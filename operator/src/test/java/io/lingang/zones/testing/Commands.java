package io.lingang.zones.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The project's command-line tools (helm, kubectl), built and cached by hack/tools.sh. */
public final class Commands {
  public record Result(int exit, String output) {}

  private static String binDir;
  private static String testToolsDir;

  private Commands() {}

  public static String tool(LocalControlPlane plane, String name) {
    return tool(name);
  }

  /** kubectl, helm, etcd, kube-apiserver or kube-controller-manager, as hack/tools.sh built them. */
  public static String tool(String name) {
    synchronized (Commands.class) {
      if (binDir == null) {
        Path root = LocalControlPlane.repoRoot();
        Result built = run(root, List.of("bash", root.resolve("hack/tools.sh").toString()), null);
        assertThat(built.exit()).as(built.output()).isZero();
        // The path is the last line; a cold build logs before it (stderr is in the output too).
        binDir = built.output().strip().lines().reduce((a, b) -> b).orElseThrow();
      }
    }
    return binDir + "/" + name;
  }

  /** A Go helper of the tests (netpol-truth, kstatus), built and cached by hack/test-tools.sh. */
  public static String testTool(LocalControlPlane plane, String name) {
    return testTool(name);
  }

  /** {@link #testTool(LocalControlPlane, String)} for tests without a control plane. */
  public static String testTool(String name) {
    synchronized (Commands.class) {
      if (testToolsDir == null) {
        Path root = LocalControlPlane.repoRoot();
        Result built = run(root, List.of("bash", root.resolve("hack/test-tools.sh").toString()), null);
        assertThat(built.exit()).as(built.output()).isZero();
        testToolsDir = built.output().strip().lines().reduce((a, b) -> b).orElseThrow();
      }
    }
    return testToolsDir + "/" + name;
  }

  /** {@code helm template} of the project's chart; {@code values} are --set expressions. */
  public static Result helmTemplate(LocalControlPlane plane, String release, String namespace, String values) {
    List<String> command = new ArrayList<>(List.of(tool(plane, "helm"), "template", release,
        plane.repositoryRoot().resolve("helm/lingang-zone-operator").toString(), "--namespace", namespace, "--kube-version", "1.34.4"));
    if (values != null && !values.isEmpty()) {
      command.addAll(List.of("--set", values));
    }
    return run(plane, command, null);
  }

  public static Result run(LocalControlPlane plane, List<String> command, String stdin) {
    return run(plane.repositoryRoot(), command, stdin);
  }

  /** Runs {@code command} in {@code directory}; stdout and stderr together in the result. */
  public static Result run(Path directory, List<String> command, String stdin) {
    return run(directory, command, stdin, java.util.Map.of());
  }

  /** {@link #run(Path, List, String)} with extra environment variables. */
  public static Result run(Path directory, List<String> command, String stdin, java.util.Map<String, String> env) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
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
}
