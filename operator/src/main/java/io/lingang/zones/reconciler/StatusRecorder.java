package io.lingang.zones.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.lingang.zones.api.v1alpha1.ConditionedStatus;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.plan.Announcement;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one way every reconciler writes a custom resource's status: a replace of the status
 * subresource with a fresh object carrying only name, version and status (fields the new status
 * leaves out go), only when it changed, and fed back to the primary cache so the next reconcile judges from what it just wrote.
 * Events are recorded after the write, so a failed write announces nothing that did not happen.
 */
final class StatusRecorder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventRecorder events;

  StatusRecorder(EventRecorder events) {
    this.events = events;
  }

  /** Writes {@code status} unless it equals the current one; returns the primary as it now is. */
  <S extends ConditionedStatus, R extends CustomResource<?, S>> R write(R primary, S status, Supplier<R> fresh, Context<R> context) {
    if (same(primary.getStatus(), status)) {
      return primary;
    }
    R patch = fresh.get();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(primary.getMetadata().getName())
        .withNamespace(primary.getMetadata().getNamespace())
        .build());
    patch.setStatus(status);
    // A replace of the status subresource at the cached version: the API server keeps everything
    // but the status from what it stores, and an update costs it much less than a server-side apply.
    return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(primary, context, unused -> patch);
  }

  /** Records each announcement on {@code regarding}, and copies on {@code mirrors} (a tenant's TenantStatus objects). */
  void announce(HasMetadata regarding, List<Announcement> announcements, List<? extends HasMetadata> mirrors) {
    for (Announcement a : announcements) {
      String type = a.warning() ? EventRecorder.WARNING : EventRecorder.NORMAL;
      events.record(regarding, type, a.reason(), a.message());
      mirrors.forEach(m -> events.mirror(m, type, a.reason(), a.message()));
    }
  }

  /** Records each announcement on the tenant's TenantStatus objects only: news about the tenant's other objects. */
  void announce(List<? extends HasMetadata> mirrors, List<Announcement> announcements) {
    for (Announcement a : announcements) {
      String type = a.warning() ? EventRecorder.WARNING : EventRecorder.NORMAL;
      mirrors.forEach(m -> events.mirror(m, type, a.reason(), a.message()));
    }
  }

  /** Compares as JSON trees, as the API server would store them. */
  static boolean same(Object current, Object desired) {
    if (current == null || desired == null) {
      return current == desired;
    }
    return JSON.valueToTree(current).equals(JSON.valueToTree(desired));
  }
}
