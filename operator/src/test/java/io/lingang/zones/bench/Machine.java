package io.lingang.zones.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the numbers were taken on: they mean little without it. */
final class Machine {
  private Machine() {}

  static String describe(String java) {
    return String.join("\n",
        "- CPU: " + Runtime.getRuntime().availableProcessors() + " (nproc), " + cpuModel(),
        "- memory: " + memTotal(),
        "- kernel: " + read("/proc/sys/kernel/osrelease"),
        "- java (operator and benchmark): " + String.join(" / ", run(java, "-version")),
        "- load average at start (1, 5, 15 min): " + read("/proc/loadavg").replaceAll("^(\\S+ \\S+ \\S+).*", "$1"));
  }

  /** The commit the operator was built from, "-dirty" when the work tree had changes, and its subject. */
  static String commit(Path repo) {
    List<String> describe = run("git", "-C", repo.toString(), "describe", "--always", "--dirty", "--abbrev=12");
    List<String> subject = run("git", "-C", repo.toString(), "log", "-1", "--format=%s");
    String line = subject.isEmpty() ? "" : subject.get(0);
    return (describe.isEmpty() ? "?" : describe.get(0)) + " (" + (line.length() > 100 ? line.substring(0, 97) + "..." : line) + ")";
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static String memTotal() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> "%.1f GiB".formatted(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).findFirst().orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static List<String> run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
      p.waitFor();
      return lines;
    } catch (IOException e) {
      return List.of("?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("?");
    }
  }
}
