package io.lingang.zones;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.infra.HealthServer;
import io.lingang.zones.infra.OperatorSettings;
import io.lingang.zones.infra.ReconcileCounter;
import io.lingang.zones.reconciler.BusinessZoneReconciler;
import io.lingang.zones.reconciler.DataLinkReconciler;
import io.lingang.zones.reconciler.EdgeAllocationReconciler;
import io.lingang.zones.reconciler.EdgePoolReconciler;
import io.lingang.zones.reconciler.ZoneTenantReconciler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: one JOSDK {@link Operator} with a reconciler per kind, plus the health
 * endpoints. {@link #main} wires it to the usual kubeconfig rules (KUBECONFIG, ~/.kube/config, or
 * the in-cluster service account); tests build it around a client of their own.
 */
public final class LingangZoneOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LingangZoneOperator.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final Operator operator;
  private final HealthServer health;
  private final ReconcileCounter reconciliations = new ReconcileCounter();

  public LingangZoneOperator(KubernetesClient client, OperatorSettings settings) {
    operator = new Operator(o -> o
        .withKubernetesClient(client)
        .withMetrics(reconciliations)
        .withConcurrentReconciliationThreads(settings.reconcileThreads())
        .withReconciliationTerminationTimeout(SHUTDOWN_GRACE)
        .withCloseClientOnStop(false));
    EventRecorder events = new EventRecorder(client);
    operator.register(new BusinessZoneReconciler(events));
    operator.register(new ZoneTenantReconciler(events));
    operator.register(new DataLinkReconciler());
    operator.register(new EdgePoolReconciler());
    operator.register(new EdgeAllocationReconciler(events));
    health = new HealthServer(settings.healthPort(), this::isLive, this::isReady);
  }

  public void start() {
    health.start();
    operator.start();
    log.info("Lingang Zone Operator started; health endpoints on port {}", health.port());
  }

  /** Alive while every informer is healthy; a stopped informer means the cache can no longer be trusted. */
  public boolean isLive() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** Ready once started and every cache is in sync. */
  public boolean isReady() {
    return operator.getRuntimeInfo().isStarted() && isLive();
  }

  /** Reconciliations finished since start, of every kind. */
  public long reconciliations() {
    return reconciliations.finished();
  }

  public int healthPort() {
    return health.port();
  }

  @Override
  public void close() {
    log.info("Stopping the Lingang Zone Operator");
    operator.stop();
    health.close();
  }

  public static void main(String[] args) {
    OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    LingangZoneOperator app = new LingangZoneOperator(client, settings);
    // SIGTERM (kubelet, Ctrl-C) runs this: reconciliations in flight get SHUTDOWN_GRACE to finish.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      client.close();
    }, "shutdown"));
    app.start();
  }
}
