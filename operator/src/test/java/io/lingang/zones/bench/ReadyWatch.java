package io.lingang.zones.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each ZoneTenant first reads Ready=True, as seen through one watch on all of them (an
 * informer: list once, then watch), timed on arrival with {@link System#nanoTime()}. Started before
 * the first create, so no transition is missed and nothing is polled.
 */
final class ReadyWatch implements AutoCloseable {
  private final Map<String, Long> readyAt = new ConcurrentHashMap<>();
  private final SharedIndexInformer<ZoneTenant> informer;

  ReadyWatch(KubernetesClient client) {
    informer = client.resources(ZoneTenant.class).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ZoneTenant tenant) {
        seen(tenant);
      }

      @Override
      public void onUpdate(ZoneTenant before, ZoneTenant tenant) {
        seen(tenant);
      }

      @Override
      public void onDelete(ZoneTenant tenant, boolean unknownFinalState) {}
    }, 0);
  }

  private void seen(ZoneTenant tenant) {
    if (tenant.getStatus() != null && tenant.getStatus().isTrue("Ready")) {
      long now = System.nanoTime();
      if (readyAt.putIfAbsent(tenant.getMetadata().getName(), now) == null) {
        synchronized (this) {
          notifyAll();
        }
      }
    }
  }

  /** Waits until every one of {@code names} has been Ready; false on timeout. */
  synchronized boolean awaitAll(Collection<String> names, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!readyAt.keySet().containsAll(names)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** nanoTime of the first Ready=True seen, or null. */
  Long readyAt(String name) {
    return readyAt.get(name);
  }

  int readyCount(Collection<String> names) {
    return (int) names.stream().filter(readyAt::containsKey).count();
  }

  /** How many ZoneTenants exist, as the watch knows them. */
  int known() {
    return informer.getStore().list().size();
  }

  @Override
  public void close() {
    informer.close();
  }
}
