package io.lingang.zones.audit;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.testing.LocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Escape attempts made as real requests, each with the refusal SPEC.md leads us to expect, and
 * a few controls that must succeed (so that "refused" is not simply "everything is refused").
 * Every outcome is kept for the report in {@code operator/target/isolation-audit/}.
 */
final class Attempts {
  enum Outcome { REFUSED, ALLOWED, LEAK, WRONG_REFUSAL, CONTROL_FAILED }

  record Result(String category, String attempt, Outcome outcome, String message) {}

  private final List<Result> results = new ArrayList<>();

  /** The call must be refused by the API server, with a message containing {@code expected}. */
  void refused(String category, String attempt, String expected, ThrowingCallable call) {
    refused(category, attempt, expected, List.of(), call);
  }

  /**
   * As {@link #refused(String, String, String, ThrowingCallable)}, and the refusal must not name
   * any of {@code othersFacts} (another tenant's zone, a reserved label's value): an answer that
   * does is a leak of what SPEC.md keeps from a tenant.
   */
  void refused(String category, String attempt, String expected, List<String> othersFacts, ThrowingCallable call) {
    try {
      call.call();
      results.add(new Result(category, attempt, Outcome.LEAK, "accepted"));
    } catch (KubernetesClientException e) {
      String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
      boolean refusal = e.getCode() == 403 || e.getCode() == 422 || e.getCode() == 400;
      List<String> named = othersFacts.stream().filter(message::contains).toList();
      Outcome outcome = !named.isEmpty() ? Outcome.LEAK : refusal && message.contains(expected) ? Outcome.REFUSED : Outcome.WRONG_REFUSAL;
      results.add(new Result(category, attempt, outcome,
          (named.isEmpty() ? "" : "refused, but names " + String.join(", ", named) + ": ") + e.getCode() + " " + oneLine(message)));
    } catch (Throwable t) {
      results.add(new Result(category, attempt, Outcome.WRONG_REFUSAL, oneLine(t.toString())));
    }
  }

  /** A control: the call must succeed, or the refusals around it prove nothing. */
  void allowed(String category, String attempt, ThrowingCallable call) {
    try {
      call.call();
      results.add(new Result(category, attempt, Outcome.ALLOWED, "accepted"));
    } catch (Throwable t) {
      results.add(new Result(category, attempt, Outcome.CONTROL_FAILED, oneLine(t.getMessage())));
    }
  }

  /** A fact about the cluster after an attempt (a shared role unchanged, a namespace untouched). */
  void holds(String category, String attempt, String what, BooleanSupplier check) {
    boolean ok;
    try {
      ok = check.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
      what = what + ": " + oneLine(e.getMessage());
    }
    results.add(new Result(category, attempt, ok ? Outcome.REFUSED : Outcome.LEAK, what));
  }

  /** The HTTP code a call was answered with: 200 when it went through. */
  static int refusedWith(ThrowingCallable call) {
    try {
      call.call();
      return 200;
    } catch (KubernetesClientException e) {
      return e.getCode();
    } catch (Throwable t) {
      return -1;
    }
  }

  List<Result> results() {
    return List.copyOf(results);
  }

  List<Result> failures() {
    return results.stream().filter(r -> r.outcome() != Outcome.REFUSED && r.outcome() != Outcome.ALLOWED).toList();
  }

  long count(Outcome outcome) {
    return results.stream().filter(r -> r.outcome() == outcome).count();
  }

  /** A Markdown table of every attempt and its answer, for docs/SECURITY.md and the closing note. */
  void writeReport(String file, String title) {
    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n")
        .append("attempts: ").append(results.size()).append(", refused as expected: ").append(count(Outcome.REFUSED))
        .append(", controls allowed: ").append(count(Outcome.ALLOWED)).append(", leaks: ").append(count(Outcome.LEAK))
        .append(", wrong refusals: ").append(count(Outcome.WRONG_REFUSAL)).append(", failed controls: ")
        .append(count(Outcome.CONTROL_FAILED)).append("\n\n| category | attempt | outcome | answer |\n| --- | --- | --- | --- |\n");
    for (Result r : results) {
      md.append("| ").append(r.category()).append(" | ").append(r.attempt()).append(" | ").append(r.outcome())
          .append(" | ").append(r.message().replace("|", "\\|")).append(" |\n");
    }
    Path dir = LocalControlPlane.repoRoot().resolve("operator/target/isolation-audit");
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(file), md.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println(md);
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.replaceAll("\\s+", " ").strip();
    return line.length() > 400 ? line.substring(0, 397) + "..." : line;
  }
}
