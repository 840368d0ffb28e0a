package io.lingang.zones.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * {@code kubectl lingang}: the zones' capacity at a glance, whether a tenant or allocation would be
 * admitted (by the operator's own admission code), and one tenant's facts with the tenant's own
 * rights. Exit codes: 0 done (fit: every object would be admitted), 1 fit: something would not be,
 * 2 a usage error or a question the cluster could not answer.
 */
public final class KubectlLingang {
  static final int OK = 0;
  static final int NOT_ADMITTED = 1;
  static final int ERROR = 2;

  static final String USAGE = """
      kubectl lingang: the Lingang Zone Operator's view, from the command line

      Usage:
        kubectl lingang zones                 capacity, allocated, available and tenants per zone and edge pool
        kubectl lingang fit -f FILE           would the ZoneTenants / EdgeAllocations in FILE be admitted now?
                                              (exit 0: yes; 1: no, and what is short; FILE '-' reads stdin)
        kubectl lingang tenant NAME           one tenant's namespaces, quota used/hard, egress, edge allocations,
                                              conditions; works with the tenant's own rights

      Flags (as kubectl's):
        --kubeconfig PATH  --context NAME  -n, --namespace NS  --as USER  --as-group GROUP
        -o, --output json|yaml
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final Function<Options, KubernetesClient> connect;

  KubectlLingang(PrintStream out, PrintStream err, Function<Options, KubernetesClient> connect) {
    this.out = out;
    this.err = err;
    this.connect = connect;
  }

  public static void main(String[] args) {
    // A command's output is its answer: the client libraries' informational logs stay out of it.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.exit(new KubectlLingang(System.out, System.err, Clients::connect).run(args));
  }

  int run(String... args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      err.println("error: " + e.getMessage());
      err.print(USAGE);
      return ERROR;
    }
    if (options.help() || options.command() == null) {
      (options.help() ? out : err).print(USAGE);
      return options.help() ? OK : ERROR;
    }
    try {
      return switch (options.command()) {
        case "zones" -> zones(options);
        case "fit" -> fit(options);
        case "tenant" -> tenant(options);
        default -> throw new Options.UsageException("unknown command " + options.command());
      };
    } catch (Options.UsageException e) {
      err.println("error: " + e.getMessage());
      err.print(USAGE);
      return ERROR;
    } catch (CommandFailure | UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return ERROR;
    } catch (KubernetesClientException e) {
      err.println("error: " + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
      return ERROR;
    }
  }

  private int zones(Options options) {
    expectOperands(options, 0, "zones takes no arguments");
    try (KubernetesClient k8s = connect.apply(options)) {
      CapacityReport report = new ZonesCommand(k8s).read();
      print(options, report, report::render);
      return OK;
    }
  }

  private int fit(Options options) {
    expectOperands(options, 0, "fit takes no arguments but -f FILE");
    if (options.filename() == null) {
      throw new Options.UsageException("fit needs -f FILE (a ZoneTenant or EdgeAllocation manifest, '-' for stdin)");
    }
    try (KubernetesClient k8s = connect.apply(options)) {
      FitCommand.Outcome outcome = new FitCommand(k8s).run(options.filename());
      print(options, outcome, () -> FitReport.render(outcome.verdicts(), outcome.notes()));
      return outcome.allAdmitted() ? OK : NOT_ADMITTED;
    }
  }

  private int tenant(Options options) {
    expectOperands(options, 1, "tenant takes one argument: the ZoneTenant's name");
    try (KubernetesClient k8s = connect.apply(options)) {
      TenantFacts facts = new TenantCommand(k8s).read(options.operands().get(0), options.namespace());
      print(options, facts, facts::render);
      return OK;
    }
  }

  private static void expectOperands(Options options, int count, String message) {
    if (options.operands().size() != count) {
      throw new Options.UsageException(message);
    }
  }

  private void print(Options options, Object value, java.util.function.Supplier<String> table) {
    if (!options.structured()) {
      out.print(table.get());
      return;
    }
    KubernetesSerialization serialization = new KubernetesSerialization();
    out.print("json".equals(options.output()) ? serialization.asJson(value) + "\n" : serialization.asYaml(value));
  }
}
