package io.lingang.zones.infra;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The chart's {@code helm test}: run from the operator image itself (no other image is needed),
 * it checks that the operator answers through its Service: every URL must answer 200, and a
 * {@code /metrics} URL must serve the operator's own metrics ({@value #MARKER}), not just any page.
 *
 * <pre>
 *   java -jar lingang-zone-operator.jar self-check [--within SECONDS] URL...
 *   java -cp ... io.lingang.zones.infra.SelfCheck [--within SECONDS] URL...
 * </pre>
 *
 * With {@code --within}, a failing URL is tried again (every 2 s) until that many seconds have
 * passed: a pod network that is still being set up does not fail the test. Exit 0 when every URL
 * passed, 1 when one did not, 2 on bad arguments.
 */
public final class SelfCheck {
  /** A metric that every replica of the operator serves, leader or standby. */
  static final String MARKER = "lingang_leader";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final long RETRY_MILLIS = 2000;

  private SelfCheck() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Runs the checks, reporting each to {@code out}; returns the exit code. */
  public static int run(String[] args, PrintStream out) {
    long within = 0;
    List<URI> urls = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--within")) {
          within = Long.parseLong(args[++i]);
        } else {
          URI uri = URI.create(args[i]);
          if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http URL: " + args[i]);
          }
          urls.add(uri);
        }
      }
    } catch (RuntimeException e) {
      out.println("usage: self-check [--within SECONDS] URL... (" + e.getMessage() + ")");
      return 2;
    }
    if (urls.isEmpty()) {
      out.println("usage: self-check [--within SECONDS] URL...");
      return 2;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(within).toNanos();
    boolean allPassed = true;
    for (URI url : urls) {
      allPassed &= check(http, url, deadline, System::nanoTime, out);
    }
    out.println(allPassed ? "PASS: the operator is ready and serves its metrics" : "FAIL");
    return allPassed ? 0 : 1;
  }

  private static boolean check(HttpClient http, URI url, long deadline, LongSupplier now, PrintStream out) {
    while (true) {
      String problem = problem(http, url);
      if (problem == null) {
        out.println("ok   " + url);
        return true;
      }
      if (now.getAsLong() + RETRY_MILLIS * 1_000_000 > deadline) {
        out.println("FAIL " + url + ": " + problem);
        return false;
      }
      out.println("...  " + url + ": " + problem + "; trying again");
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** What is wrong with the answer of {@code url}, or null when nothing is. */
  static String problem(HttpClient http, URI url) {
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return "no answer (" + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    if (response.statusCode() != 200) {
      return "HTTP " + response.statusCode() + " " + response.body().strip();
    }
    if (url.getPath().endsWith("/metrics")
        && response.body().lines().noneMatch(l -> l.startsWith(MARKER + " ") || l.startsWith(MARKER + "{"))) {
      return "HTTP 200, but no " + MARKER + " metric: not the Lingang Zone Operator's metrics";
    }
    return null;
  }
}
