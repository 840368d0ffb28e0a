package io.lingang.zones.bench;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.desired.TenantResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What one large operator run shows besides throughput, measured in this order on its control plane
 * once every tenant is Ready and the operator has settled: an idle window (must see no write), drift
 * repair (NetworkPolicies deleted by hand and put back), single tenants created one at a time on an
 * otherwise idle system, and a restart (caches synced, every tenant reconciled once,
 * and no write).
 */
final class Extras {
  /** Where the results go (the report). */
  interface Sink {
    void accept(Result result);
  }

  /** Starts a new operator on the same control plane. */
  interface Starter {
    OperatorJvm start();
  }

  /**
   * @param tenants tenants in the cluster after the singles (the restart reconciles them all)
   * @param idleWrites writes in the idle window, as the API server counted them; expected 0
   * @param idleSent the same as the operator counted them (-1: it has no counter)
   * @param idleCpu the operator's CPU seconds in the idle window
   * @param restartReadySeconds from the new process's start to /readyz 200 (every cache synced)
   * @param restartReconciledSeconds from the start until JOSDK counted a ZoneTenant reconcile per tenant
   * @param driftWrites the API server's count of writes for the repairs, without the benchmark's deletes
   * @param driftSent the same as the operator counted them
   * @param restartWrites writes sent after the restart until it settled, as the API server counted them; expected 0
   * @param restartSent the same as the new operator counted them
   * @param restartCpu the new operator's CPU seconds until then
   */
  record Result(int tenants, int zones, int idleSeconds, long idleWrites, long idleSent,
      double idleCpu, Latencies drift, int driftAsked, long driftWrites, long driftSent, Latencies singles,
      double restartReadySeconds, double restartReconciledSeconds, long restartWrites, long restartSent, double restartCpu,
      String restartBreakdown) {}

  private final BenchOptions options;
  private final BenchPlane plane;
  private final ReadyWatch watch;
  private final List<ZoneTenant> tenants;
  private final int zones;

  Extras(BenchOptions options, BenchPlane plane, ReadyWatch watch, List<ZoneTenant> tenants, int zones) {
    this.options = options;
    this.plane = plane;
    this.watch = watch;
    this.tenants = tenants;
    this.zones = zones;
  }

  Result run(OperatorJvm op, Starter restart) throws Exception {
    Measurement.log("idle window of %d s".formatted(options.idleSeconds()));
    long sentBefore = op.writesSent();
    Usage before = Usage.take(plane, op.pid());
    Thread.sleep(options.idleSeconds() * 1000L);
    Usage idle = Usage.take(plane, op.pid()).minus(before);
    long idleSent = delta(sentBefore, op.writesSent());

    ServerRequests beforeDrift = ServerRequests.scrape(plane.admin());
    sentBefore = op.writesSent();
    Latencies drift = driftRepair();
    Quiet.await(op);
    // Minus the benchmark's own deletes.
    long driftWrites = ServerRequests.scrape(plane.admin()).minus(beforeDrift).operatorKindWrites() - options.driftSamples();
    long driftSent = delta(sentBefore, op.writesSent());

    Latencies singles = singles();
    Quiet.await(op);

    Measurement.log("restart: SIGTERM, then a new operator");
    op.stop();
    int all = watch.known();
    ServerRequests beforeRestart = ServerRequests.scrape(plane.admin());
    long start = System.nanoTime();
    try (OperatorJvm second = restart.start()) {
      second.awaitReady(Duration.ofMinutes(5));
      double ready = (System.nanoTime() - start) / 1e9;
      await("a reconcile per tenant after the restart").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
          .until(() -> reconciles(second) >= all);
      double reconciled = (System.nanoTime() - start) / 1e9;
      Quiet.await(second);
      ServerRequests restartRequests = ServerRequests.scrape(plane.admin()).minus(beforeRestart);
      return new Result(all, zones, options.idleSeconds(), idle.requests().operatorKindWrites(), idleSent,
          idle.client(), drift, options.driftSamples(), driftWrites, driftSent, singles, ready, reconciled,
          restartRequests.operatorKindWrites(), second.writesSent(), second.cpuSeconds(), restartRequests.writesBreakdown());
    }
  }

  /** What the operator's write counter grew by; -1 when it has none. */
  private static long delta(long before, long after) {
    return before < 0 || after < 0 ? -1 : after - before;
  }

  /** ZoneTenant reconciles so far, or 0 while the operator is too busy to answer. */
  private static long reconciles(OperatorJvm op) {
    try {
      return op.tenantReconciles();
    } catch (IllegalStateException busy) {
      return 0;
    }
  }

  /**
   * Deletes {@code lingang-allow-same-tenant} in the namespaces of tenants spread over the fleet,
   * one after the other, and times each until a watch sees it created again.
   */
  private Latencies driftRepair() throws InterruptedException {
    int samples = Math.min(options.driftSamples(), tenants.size());
    Measurement.log("drift repair: deleting %s in %d namespaces".formatted(TenantResources.ALLOW_SAME_TENANT, samples));
    Map<String, Long> deletedAt = new ConcurrentHashMap<>();
    Map<String, Long> backAt = new ConcurrentHashMap<>();
    SharedIndexInformer<NetworkPolicy> informer = plane.admin().network().v1().networkPolicies().inAnyNamespace()
        .withField("metadata.name", TenantResources.ALLOW_SAME_TENANT)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(NetworkPolicy p) {
            long now = System.nanoTime();
            if (deletedAt.containsKey(p.getMetadata().getNamespace())) {
              backAt.putIfAbsent(p.getMetadata().getNamespace(), now);
            }
          }

          @Override
          public void onUpdate(NetworkPolicy before, NetworkPolicy p) {}

          @Override
          public void onDelete(NetworkPolicy p, boolean unknownFinalState) {}
        }, 0);
    try {
      for (int i = 0; i < samples; i++) {
        // The tenants' only namespace is named after them.
        String ns = tenants.get(i * tenants.size() / samples).getMetadata().getName();
        deletedAt.put(ns, System.nanoTime());
        plane.admin().network().v1().networkPolicies().inNamespace(ns).withName(TenantResources.ALLOW_SAME_TENANT).delete();
      }
      try {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> backAt.size() >= samples);
      } catch (ConditionTimeoutException e) {
        // Reported below as "k of n back": a repair that never came is part of the result.
      }
    } finally {
      informer.close();
    }
    Latencies latencies = new Latencies();
    backAt.forEach((ns, at) -> latencies.addNanos(at - deletedAt.get(ns)));
    Measurement.log("drift repair: %d of %d back, p50 %.3f s, p99 %.3f s".formatted(
        latencies.count(), samples, latencies.p50(), latencies.p99()));
    return latencies;
  }

  /** Tenants created one at a time, each waited for, a second apart: create to Ready on an idle system. */
  private Latencies singles() throws InterruptedException {
    Measurement.log("%d single tenants, one at a time".formatted(options.singles()));
    Latencies latencies = new Latencies();
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < options.singles(); i++) {
      Thread.sleep(1000);
      ZoneTenant t = Workload.tenant("single-%03d".formatted(i), Workload.zoneName(i % zones));
      plane.admin().resource(t).create();
      long created = System.nanoTime();
      if (watch.awaitAll(List.of(t.getMetadata().getName()), Duration.ofMinutes(2))) {
        latencies.addNanos(watch.readyAt(t.getMetadata().getName()) - created);
      } else {
        failed.add(t.getMetadata().getName());
      }
    }
    Measurement.log("singles: p50 %.3f s, p99 %.3f s%s".formatted(latencies.p50(), latencies.p99(),
        failed.isEmpty() ? "" : "; not Ready: " + failed));
    return latencies;
  }
}
