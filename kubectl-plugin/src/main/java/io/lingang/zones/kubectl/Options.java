package io.lingang.zones.kubectl;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line, read the way kubectl reads its own: flags anywhere, {@code --flag value} or
 * {@code --flag=value}. kubectl hands a plugin every argument untouched, so the plugin must
 * understand the connection flags (--kubeconfig, --context, -n, --as, --as-group) itself.
 */
record Options(
    List<String> arguments,
    String kubeconfig,
    String context,
    String namespace,
    String as,
    List<String> asGroups,
    String output,
    String filename,
    boolean help) {

  /** A command line kubectl would refuse too; exit code 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  String command() {
    return arguments.isEmpty() ? null : arguments.get(0);
  }

  /** The arguments after the command. */
  List<String> operands() {
    return arguments.isEmpty() ? List.of() : arguments.subList(1, arguments.size());
  }

  boolean structured() {
    return output != null;
  }

  private static final java.util.Set<String> FLAGS = java.util.Set.of("--kubeconfig", "--context", "-n", "--namespace", "--as",
      "--as-group", "-o", "--output", "-f", "--filename");

  static Options parse(String... args) {
    List<String> arguments = new ArrayList<>();
    List<String> asGroups = new ArrayList<>();
    String kubeconfig = null;
    String context = null;
    String namespace = null;
    String as = null;
    String output = null;
    String filename = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        arguments.add(arg);
        continue;
      }
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!FLAGS.contains(flag)) {
        throw new UsageException("unknown flag: " + flag);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException("flag needs an argument: " + flag);
        }
        value = args[++i];
      }
      switch (flag) {
        case "--kubeconfig" -> kubeconfig = value;
        case "--context" -> context = value;
        case "-n", "--namespace" -> namespace = value;
        case "--as" -> as = value;
        case "--as-group" -> asGroups.add(value);
        case "-o", "--output" -> output = value;
        case "-f", "--filename" -> filename = value;
        default -> throw new UsageException("unknown flag: " + flag);
      }
    }
    if (output != null && !output.equals("json") && !output.equals("yaml")) {
      throw new UsageException("--output must be json or yaml, not " + output);
    }
    return new Options(List.copyOf(arguments), kubeconfig, context, namespace, as, List.copyOf(asGroups), output, filename, help);
  }
}
