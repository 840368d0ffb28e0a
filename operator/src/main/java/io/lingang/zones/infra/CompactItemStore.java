package io.lingang.zones.infra;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer's store that keeps each object without the field sets of its managedFields (their
 * {@code fieldsV1}), often the larger half of an object: the operator reads only who manages an
 * object, never which fields. At 1,000 tenants that is the difference between fitting the chart's
 * memory limit and not.
 */
public final class CompactItemStore<V extends HasMetadata> implements ItemStore<V> {
  /**
   * Told of every change as the store takes it, before the informer's handlers hear of it (they
   * are called later, on another thread). State derived from the cache through this listener is
   * complete as soon as the cache is synced, which is when a controller starts reconciling.
   */
  public interface Listener<V> {
    void stored(V object);

    void removed(V object);
  }

  private static final Listener<Object> NONE = new Listener<>() {
    @Override
    public void stored(Object object) {}

    @Override
    public void removed(Object object) {}
  };

  private final Map<String, V> items = new ConcurrentHashMap<>();
  private final Listener<? super V> listener;

  public CompactItemStore() {
    this(NONE);
  }

  /** @param listener told of each change as it is stored */
  public CompactItemStore(Listener<? super V> listener) {
    this.listener = listener;
  }

  @Override
  public String getKey(V object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public V put(String key, V object) {
    var fields = object.getMetadata().getManagedFields();
    if (fields != null) {
      fields.forEach(f -> f.setFieldsV1(null));
    }
    if (object instanceof Node node && node.getStatus() != null) {
      // A node's image list is its largest part, and nothing the operator reads.
      node.getStatus().setImages(null);
    }
    V previous = items.put(key, object);
    listener.stored(object);
    return previous;
  }

  @Override
  public V remove(String key) {
    V removed = items.remove(key);
    if (removed != null) {
      listener.removed(removed);
    }
    return removed;
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<V> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public V get(String key) {
    return items.get(key);
  }
}
