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
  private final Map<String, V> items = new ConcurrentHashMap<>();

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
    return items.put(key, object);
  }

  @Override
  public V remove(String key) {
    return items.remove(key);
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
