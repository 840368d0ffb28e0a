package io.lingang.zones.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The chart's {@code helm test}: run from the operator image itself (no other image is needed),
 * it checks that the operator answers through its Service: every URL must answer 200, and a
 * {@code /metrics} URL must serve the operator's own metrics ({@value #MARKER}), not just any page.
 *
 * <pre>
 *   java -jar lingang-zone-operator.jar self-check [--within SECONDS] [--credentials DIR] URL...
 *   java -cp ... io.lingang.zones.infra.SelfCheck [--within SECONDS] [--credentials DIR] URL...
 * </pre>
 *
 * With {@code --within}, a failing URL is tried again (every 2 s) until that many seconds have
 * passed: a pod network that is still being set up does not fail the test. An https URL is the
 * API server's proxy to the metrics Service (for clusters without cluster DNS or kube-proxy): it
 * is asked with the pod's ServiceAccount token and trusted by the ServiceAccount's CA
 * ({@code --credentials DIR}, by default where the kubelet mounts them). Exit 0 when every URL
 * passed, 1 when one did not, 2 on bad arguments.
 */
public final class SelfCheck {
  /** A metric that every replica of the operator serves, leader or standby. */
  static final String MARKER = "lingang_leader";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final long RETRY_MILLIS = 2000;
  private static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  private SelfCheck() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Runs the checks, reporting each to {@code out}; returns the exit code. */
  public static int run(String[] args, PrintStream out) {
    long within = 0;
    Path credentials = SERVICE_ACCOUNT;
    List<URI> urls = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--within")) {
          within = Long.parseLong(args[++i]);
        } else if (args[i].equals("--credentials")) {
          credentials = Path.of(args[++i]);
        } else {
          URI uri = URI.create(args[i]);
          if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + args[i]);
          }
          urls.add(uri);
        }
      }
    } catch (RuntimeException e) {
      out.println("usage: self-check [--within SECONDS] [--credentials DIR] URL... (" + e.getMessage() + ")");
      return 2;
    }
    if (urls.isEmpty()) {
      out.println("usage: self-check [--within SECONDS] [--credentials DIR] URL...");
      return 2;
    }
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT);
    String token = null;
    if (urls.stream().anyMatch(u -> "https".equals(u.getScheme()))) {
      try {
        builder.sslContext(trusting(credentials.resolve("ca.crt")));
        token = Files.readString(credentials.resolve("token")).strip();
      } catch (IOException | GeneralSecurityException e) {
        out.println("FAIL no ServiceAccount credentials in " + credentials + ": " + e);
        return 1;
      }
    }
    HttpClient http = builder.build();
    long deadline = System.nanoTime() + Duration.ofSeconds(within).toNanos();
    boolean allPassed = true;
    for (URI url : urls) {
      allPassed &= check(http, url, "https".equals(url.getScheme()) ? token : null, deadline, System::nanoTime, out);
    }
    out.println(allPassed ? "PASS: the operator is ready and serves its metrics" : "FAIL");
    return allPassed ? 0 : 1;
  }

  /** TLS that trusts exactly the certificates in {@code caFile} (PEM). */
  static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      int n = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + n++, certificate);
      }
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return tls;
  }

  private static boolean check(HttpClient http, URI url, String token, long deadline, LongSupplier now, PrintStream out) {
    while (true) {
      String problem = problem(http, url, token);
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

  /** What is wrong with the answer of {@code url} (asked with {@code token}, if any), or null when nothing is. */
  static String problem(HttpClient http, URI url, String token) {
    HttpResponse<String> response;
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT);
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
