package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which generated objects someone else deleted, as the informers saw it: re-creating one of those
 * is a repair. An object that was simply never created (a first reconcile, or one cut short by a
 * crash or a change of leader) was never seen deleted, and is no repair. The operator's own
 * deletions are registered before they are made and do not count.
 */
final class DriftLedger {
  private static final int REMEMBERED = 50_000;

  private final Set<String> ownDeletes = Collections.synchronizedSet(Collections.newSetFromMap(bounded()));
  private final Set<String> deletedByOthers = Collections.synchronizedSet(Collections.newSetFromMap(bounded()));
  /** Namespaces we delete: what goes with them goes by our hand too. */
  private final Set<String> namespacesDeleted = Collections.synchronizedSet(Collections.newSetFromMap(bounded()));

  void deletingOurselves(HasMetadata object) {
    ownDeletes.add(key(object));
    if ("Namespace".equals(object.getKind())) {
      namespacesDeleted.add(object.getMetadata().getName());
    }
  }

  /** Called for every deletion an informer sees. */
  void deleted(HasMetadata object) {
    String key = key(object);
    if ("Namespace".equals(object.getKind())) {
      namespacesDeleted.remove(object.getMetadata().getName());
    }
    boolean ours = ownDeletes.remove(key)
        || object.getMetadata().getNamespace() != null && namespacesDeleted.contains(object.getMetadata().getNamespace());
    if (!ours) {
      deletedByOthers.add(key);
    }
  }

  /** Whether re-creating {@code object} puts back what someone else deleted (asked once per re-creation). */
  boolean recreates(HasMetadata object) {
    return deletedByOthers.remove(key(object));
  }

  private static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static <V> Map<String, V> bounded() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > REMEMBERED;
      }
    };
  }
}
