package io.lingang.zones;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.lingang.zones.infra.ApiRequests;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.infra.FleetGauges;
import io.lingang.zones.infra.HealthServer;
import io.lingang.zones.infra.LeaderElection;
import io.lingang.zones.infra.OperatorMetrics;
import io.lingang.zones.infra.OperatorSettings;
import io.lingang.zones.infra.SelfCheck;
import io.lingang.zones.reconciler.BusinessZoneReconciler;
import io.lingang.zones.reconciler.DataLinkReconciler;
import io.lingang.zones.reconciler.EdgeAllocationReconciler;
import io.lingang.zones.reconciler.EdgePoolReconciler;
import io.lingang.zones.reconciler.TenantDirectory;
import io.lingang.zones.reconciler.ZoneTenantReconciler;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: one JOSDK {@link Operator} with a reconciler per kind, plus the health
 * and metrics endpoints. {@link #main} wires it to the usual kubeconfig rules (KUBECONFIG,
 * ~/.kube/config, or the in-cluster service account); tests build it around a client of their own.
 *
 * <p>With a lease namespace configured, replicas elect a leader through a Lease: every replica
 * fills its caches and serves metrics, only the leader reconciles, and a leader that loses its
 * lease exits so that two never write at once.
 */
public final class LingangZoneOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LingangZoneOperator.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
  /**
   * The operator's client announces itself with this User-Agent, which the API server also uses
   * as the field manager of plain creates: that tells its own writes from anyone else's.
   */
  public static final String USER_AGENT = "lingang-zone-operator";

  private final KubernetesClient client;
  private final Operator operator;
  private final HealthServer health;
  private final OperatorMetrics metrics = new OperatorMetrics();
  private final Optional<LeaderElection> election;

  public LingangZoneOperator(KubernetesClient client, OperatorSettings settings) {
    this(client, settings, LingangZoneOperator::exit);
  }

  /**
   * @param onFatal what to do when this process can no longer be trusted to act: its lease was
   *     lost, or an informer stopped after it had synced. The process exits; tests record it.
   */
  public LingangZoneOperator(KubernetesClient client, OperatorSettings settings, Consumer<String> onFatal) {
    this.client = client;
    election = settings.leaderElection()
        ? Optional.of(new LeaderElection(settings.leaseNamespace(), settings.leaseName(), onFatal))
        : Optional.empty();
    operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withInformerStoppedHandler((informer, e) -> {
            if (e != null && informer.hasSynced()) {
              onFatal.accept("the informer for " + informer.getApiTypeClass().getSimpleName() + " stopped: " + e.getMessage());
            }
          })
          .withMetrics(metrics.josdkMetrics())
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          .withReconciliationTerminationTimeout(SHUTDOWN_GRACE)
          .withCloseClientOnStop(false)
          // A zone's finalizer goes in by a JSON patch rather than a server-side apply, which costs
          // the API server several times more. (Statuses are written by StatusRecorder, and a
          // tenant's finalizer by its reconciler, not by JOSDK, so this changes nothing else.)
          .withUseSSAToPatchPrimaryResource(false);
      election.ifPresent(e -> o.withLeaderElectionConfiguration(e.configuration()));
    });
    EventRecorder events = new EventRecorder(client);
    // One watch on ZoneTenants for the whole operator: the tenant controller's, whose cache feeds
    // the directory the other controllers read.
    TenantDirectory directory = new TenantDirectory();
    BusinessZoneReconciler zones = new BusinessZoneReconciler(events, directory);
    ZoneTenantReconciler tenants = new ZoneTenantReconciler(events, metrics, directory);
    EdgePoolReconciler pools = new EdgePoolReconciler(events);
    operator.register(zones);
    operator.register(tenants, o -> o.withItemStore(directory.store()));
    operator.register(new DataLinkReconciler(events, directory));
    operator.register(pools);
    operator.register(new EdgeAllocationReconciler(events, directory));
    metrics.startCounters(Stream.of(BusinessZone.class, ZoneTenant.class, DataLink.class, EdgePool.class, EdgeAllocation.class)
        .map(HasMetadata::getKind).toList(), ZoneTenantReconciler.managedKinds());
    metrics.beforeScrape(new FleetGauges(metrics.registry(), zones::cached, tenants::cached, pools::cached)::refresh);
    metrics.leader(this::isLeader);
    health = new HealthServer(settings.healthPort(), this::isLive, this::isReady);
    health.addTextEndpoint("/metrics", metrics::scrape);
    election.ifPresent(e -> log.info("Leader election through Lease {}/{}; this replica is {}",
        settings.leaseNamespace(), settings.leaseName(), e.identity()));
  }

  /** Serves the counts of the requests its client sends (the client built by {@code requests}). */
  public void serveMetricsOf(ApiRequests requests) {
    requests.bindTo(metrics.registry());
  }

  public void start() {
    health.start();
    operator.start();
    log.info("Lingang Zone Operator started; health and metrics on port {}", health.port());
  }

  /** Alive while every informer is healthy; a stopped informer means the cache can no longer be trusted. */
  public boolean isLive() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** Ready once started and every cache is in sync; a standby is ready too (it serves metrics). */
  public boolean isReady() {
    return operator.getRuntimeInfo().isStarted() && isLive();
  }

  /** Whether this replica reconciles: it holds the lease, or runs without leader election. */
  public boolean isLeader() {
    return election.map(LeaderElection::isLeader).orElse(true);
  }

  /** Reconciliations finished since start, of every kind. */
  public long reconciliations() {
    return metrics.reconciliations();
  }

  /** Reconciliations of one kind ("ZoneTenant", ...) finished since start. */
  public long reconciliations(String kind) {
    return metrics.reconciliations(kind);
  }

  public int healthPort() {
    return health.port();
  }

  @Override
  public void close() {
    log.info("Stopping the Lingang Zone Operator");
    boolean wasLeader = election.map(LeaderElection::stopping).orElse(false);
    operator.stop();
    if (wasLeader) {
      election.get().release(client);
    }
    health.close();
    metrics.close();
  }

  /** Exits from a thread of its own: System.exit on a client or shutdown-hook thread can deadlock. */
  private static void exit(String why) {
    log.error("Exiting: {}", why);
    new Thread(() -> System.exit(1), "fatal-exit").start();
  }

  public static void main(String[] args) {
    // The chart's `helm test` runs the image's own entrypoint with these arguments (see SelfCheck).
    if (args.length > 0 && args[0].equals("self-check")) {
      System.exit(SelfCheck.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out));
    }
    OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
    Config config = new ConfigBuilder().build();
    config.setUserAgent(USER_AGENT);
    ApiRequests requests = new ApiRequests();
    KubernetesClient client = requests.client(config);
    LingangZoneOperator app = new LingangZoneOperator(client, settings);
    app.serveMetricsOf(requests);
    // SIGTERM (kubelet, Ctrl-C) runs this: reconciliations in flight get SHUTDOWN_GRACE to finish.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      client.close();
    }, "shutdown"));
    try {
      app.start();
    } catch (RuntimeException e) {
      // Caches that cannot fill (the CRDs missing, no rights) mean this process can do nothing:
      // exit for real, so that the kubelet restarts it and its state shows, rather than linger.
      log.error("Could not start: {}", e.getMessage(), e);
      app.close();
      System.exit(1);
    }
  }
}
