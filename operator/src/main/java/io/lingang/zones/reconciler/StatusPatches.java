package io.lingang.zones.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.function.Supplier;

/** Writes a custom resource's status once per reconcile, and only when it changed. */
final class StatusPatches {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusPatches() {}

  /**
   * No update when {@code status} equals the current one; otherwise a status patch of a fresh
   * object that carries only the name and the status (the object we received would send its
   * resourceVersion and turn the server-side apply into optimistic locking).
   */
  static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(R current, S status, Supplier<R> fresh) {
    return sameStatus(current.getStatus(), status) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(statusOnly(current, status, fresh));
  }

  static <S, R extends CustomResource<?, S>> R statusOnly(R current, S status, Supplier<R> fresh) {
    R patch = fresh.get();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(current.getMetadata().getName())
        .withNamespace(current.getMetadata().getNamespace())
        .build());
    patch.setStatus(status);
    return patch;
  }

  /** Compares as JSON trees, as the API server would store them. */
  static boolean sameStatus(Object current, Object desired) {
    if (current == null || desired == null) {
      return current == desired;
    }
    JsonNode a = JSON.valueToTree(current);
    JsonNode b = JSON.valueToTree(desired);
    return a.equals(b);
  }
}
