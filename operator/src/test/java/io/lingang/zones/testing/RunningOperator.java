package io.lingang.zones.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.LingangZoneOperator;
import io.lingang.zones.infra.ApiRequests;
import io.lingang.zones.infra.OperatorSettings;

/**
 * The operator, in this JVM, against the local control plane; one per test run. Its client
 * counts every request it sends ({@link ApiRequests}, as in production), so tests can prove that
 * an unchanged world causes no write.
 */
public final class RunningOperator implements AutoCloseable {
  private KubernetesClient client;
  private LingangZoneOperator operator;
  private ApiRequests requests;
  private final java.util.Queue<String> fatal = new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** An operator of its own on {@code plane} (a control plane a test started itself); close it when done. */
  public static RunningOperator on(LocalControlPlane plane) {
    return new RunningOperator(plane);
  }

  RunningOperator(LocalControlPlane plane) {
    try {
      start(plane);
    } catch (RuntimeException e) {
      if (!connectionClosed(e)) {
        throw e;
      }
      // A control plane that has just started sometimes drops a first connection; a real process
      // would exit and be restarted by its Deployment: so is this one, once.
      try {
        operator.close();
      } catch (RuntimeException stopping) {
        // It never started.
      }
      client.close();
      fatal.clear();
      start(plane);
    }
  }

  private void start(LocalControlPlane plane) {
    Config config = plane.config();
    config.setUserAgent(LingangZoneOperator.USER_AGENT);
    requests = new ApiRequests();
    client = requests.client(config);
    // A fatal error would end a real process; here it is recorded, and tests assert there was none.
    operator = new LingangZoneOperator(client, OperatorSettings.defaults().withHealthPort(0), fatal::add);
    operator.serveMetricsOf(requests);
    operator.start();
  }

  private static boolean connectionClosed(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getClass().getSimpleName().equals("HttpClosedException")) {
        return true;
      }
    }
    return false;
  }

  public LingangZoneOperator operator() {
    return operator;
  }

  public int healthPort() {
    return operator.healthPort();
  }

  /** Mutating requests (POST, PUT, PATCH, DELETE) the operator has sent since it started. */
  public long writes() {
    return requests.writes();
  }

  public long reconciliations() {
    return operator.reconciliations();
  }

  public long reconciliations(String kind) {
    return operator.reconciliations(kind);
  }

  /** Why the operator would have exited, had it been a process of its own (empty: it never would). */
  public java.util.List<String> fatalErrors() {
    return java.util.List.copyOf(fatal);
  }

  @Override
  public void close() {
    operator.close();
    client.close();
  }
}
