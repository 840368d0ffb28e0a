package io.lingang.zones.infra;

import static io.lingang.zones.testing.Fixtures.quantities;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.testing.Fixtures;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The store under an informer: what it keeps, and that state fed from it is complete when the
 * informer reports itself synced, while the informer's event handlers may still be catching up
 * (the zone ledgers rely on it; fed from handlers, a restarted operator judged tenants against
 * half a zone).
 */
@EnableKubernetesMockClient(crud = true)
class CompactItemStoreTest {
  KubernetesClient client;

  @Test
  void aListenerHasSeenEveryObjectWhenTheInformerIsSyncedThoughItsHandlersHaveNot() throws Exception {
    List<String> names = IntStream.range(0, 50).mapToObj(i -> "t" + i).toList();
    names.forEach(n -> client.resource(Fixtures.tenant(n, "zone", quantities("pods", "1"))).create());
    Set<String> stored = ConcurrentHashMap.newKeySet();
    Set<String> handled = ConcurrentHashMap.newKeySet();
    CountDownLatch handlersMayGo = new CountDownLatch(1);

    SharedIndexInformer<ZoneTenant> informer = client.resources(ZoneTenant.class).runnableInformer(0);
    informer.itemStore(new CompactItemStore<>(new CompactItemStore.Listener<ZoneTenant>() {
      @Override
      public void stored(ZoneTenant tenant) {
        stored.add(tenant.getMetadata().getName());
      }

      @Override
      public void removed(ZoneTenant tenant) {
        stored.remove(tenant.getMetadata().getName());
      }
    }));
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ZoneTenant tenant) {
        await(handlersMayGo);
        handled.add(tenant.getMetadata().getName());
      }

      @Override
      public void onUpdate(ZoneTenant previous, ZoneTenant tenant) {}

      @Override
      public void onDelete(ZoneTenant tenant, boolean unknown) {}
    });
    try {
      informer.start().toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertThat(informer.hasSynced()).isTrue();
      assertThat(stored).as("what the listener heard once synced").containsExactlyInAnyOrderElementsOf(names);
      assertThat(handled).as("what the event handlers heard by then").isEmpty();

      client.resources(ZoneTenant.class).withName("t7").delete();
      org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(stored).doesNotContain("t7").hasSize(49));
    } finally {
      handlersMayGo.countDown();
      informer.close();
    }
  }

  @Test
  void keepsWhoManagesAnObjectButNotWhichFields() {
    ZoneTenant tenant = Fixtures.tenant("t", "zone", quantities("pods", "1"));
    tenant.getMetadata().setNamespace(null);
    tenant.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl")
        .withOperation("Apply").withNewFieldsV1().addToAdditionalProperties("f:spec", java.util.Map.of()).endFieldsV1().build()));
    CompactItemStore<ZoneTenant> store = new CompactItemStore<>();

    store.put(store.getKey(tenant), tenant);

    var kept = store.get("t").getMetadata().getManagedFields();
    assertThat(kept).extracting(f -> f.getManager()).containsExactly("kubectl");
    assertThat(kept.get(0).getFieldsV1()).isNull();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
