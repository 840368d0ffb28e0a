package io.lingang.zones.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.LocalControlPlane;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chart's tools (helm, helm-docs, the Go test helpers) for tests that need no control plane:
 * {@link Commands} run in the repository.
 */
final class ChartTools {
  private ChartTools() {}

  static Path root() {
    return LocalControlPlane.repoRoot();
  }

  static Path chart() {
    return root().resolve("helm/lingang-zone-operator");
  }

  /** A binary of hack/tools.sh (helm, helm-docs, kubectl). */
  static String tool(String name) {
    return Commands.tool(name);
  }

  /** A Go helper of hack/test-tools.sh (promql, kstatus, netpol-truth). */
  static String testTool(String name) {
    return Commands.testTool(name);
  }

  /** {@code helm template} of the chart, for the Kubernetes version helm was stamped with; extra arguments after. */
  static Commands.Result helmTemplate(String... args) {
    List<String> command = new ArrayList<>(List.of(tool("helm"), "template", "lzo", chart().toString(), "--namespace", "lingang-system"));
    command.addAll(List.of(args));
    return run(command, null);
  }

  static String succeed(List<String> command, String stdin) {
    Commands.Result result = run(command, stdin);
    assertThat(result.exit()).as(String.join(" ", command) + "\n" + result.output()).isZero();
    return result.output();
  }

  /** Runs {@code command} in the repository (stderr into the output), with {@code stdin} if not null. */
  static Commands.Result run(List<String> command, String stdin) {
    return Commands.run(root(), command, stdin);
  }

  /** {@link #run(List, String)} with extra environment variables. */
  static Commands.Result run(List<String> command, String stdin, Map<String, String> env) {
    return Commands.run(root(), command, stdin, env);
  }
}
