package io.lingang.zones.infra;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's part in leader election through a Lease. JOSDK starts reconciling when the lease
 * is won. A replica that loses it exits at once, so two never write at the same time; a replica
 * that stops on purpose (SIGTERM) hands the lease over instead, so its successor need not wait
 * for the lease to expire.
 */
public final class LeaderElection {
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

  private final String namespace;
  private final String leaseName;
  private final String identity = newIdentity();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final Consumer<String> onLost;
  private volatile boolean stopping;

  /** @param onLost called when the lease is lost other than by stopping: the process must exit */
  public LeaderElection(String namespace, String leaseName, Consumer<String> onLost) {
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.onLost = onLost;
  }

  public LeaderElectionConfiguration configuration() {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
        .withLeaseNamespace(namespace)
        .withIdentity(identity)
        // JOSDK would call System.exit from the thread that stops the operator, which deadlocks
        // inside a shutdown hook; stoppedLeading tells a lost lease from a stop.
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading,
            leader -> log.info("Lease {}/{} is held by {}", namespace, leaseName, leader)))
        .build();
  }

  public boolean isLeader() {
    return leading.get();
  }

  public String identity() {
    return identity;
  }

  /** Call before stopping the operator: losing the lease from now on is expected. */
  public boolean stopping() {
    stopping = true;
    return leading.get();
  }

  /** Gives the lease up (holder cleared, one-second duration), as client-go does on a clean stop. */
  public void release(KubernetesClient client) {
    LeaseLock lock = new LeaseLock(namespace, leaseName, identity);
    try {
      LeaderElectionRecord current = lock.get(client);
      if (current == null || !identity.equals(current.getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now();
      lock.update(client, new LeaderElectionRecord(null, Duration.ofSeconds(1), now, now, current.getLeaderTransitions()));
      log.info("Released Lease {}/{}", namespace, leaseName);
    } catch (KubernetesClientException e) {
      // The lease then expires on its own: the successor waits the lease duration.
      log.warn("Could not release Lease {}/{}: {}", namespace, leaseName, e.getMessage());
    }
  }

  private void startedLeading() {
    leading.set(true);
    log.info("{} is the leader now and starts reconciling", identity);
  }

  private void stoppedLeading() {
    leading.set(false);
    if (stopping) {
      return;
    }
    onLost.accept(identity + " lost Lease " + namespace + "/" + leaseName + "; only the new leader may write");
  }

  /** The host name (the pod's name in a cluster) and a suffix that tells two processes on one host apart. */
  private static String newIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "_" + UUID.randomUUID().toString().substring(0, 8);
  }
}
