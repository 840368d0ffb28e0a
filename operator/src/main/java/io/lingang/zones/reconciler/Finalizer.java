package io.lingang.zones.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A finalizer the reconciler adds and removes itself, in the pass that provisions or offboards
 * (rather than in a pass of JOSDK's own before the first reconcile). Each change is a JSON patch
 * that names the cached version, so it never lands on a version it did not see, and its result is
 * fed back to the primary cache.
 */
final class Finalizer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;

  Finalizer(String name) {
    this.name = name;
  }

  /** The primary with this finalizer, added if it was missing. */
  <P extends HasMetadata> P hold(P primary, Context<P> context) {
    return patch(primary, context, true, current -> {
      List<String> finalizers = current.getMetadata().getFinalizers();
      return finalizers == null || finalizers.isEmpty()
          ? Map.of("op", "add", "path", "/metadata/finalizers", "value", List.of(name))
          : Map.of("op", "add", "path", "/metadata/finalizers/-", "value", name);
    });
  }

  /** The primary without this finalizer (the API server deletes it when no other finalizer holds it). */
  <P extends HasMetadata> P release(P primary, Context<P> context) {
    return patch(primary, context, false, current ->
        Map.of("op", "remove", "path", "/metadata/finalizers/" + current.getMetadata().getFinalizers().indexOf(name)));
  }

  private <P extends HasMetadata> P patch(P primary, Context<P> context, boolean held, Function<P, Map<String, Object>> change) {
    if (primary.hasFinalizer(name) == held) {
      return primary;
    }
    // On a conflict JOSDK waits for a newer version in the cache and calls the update again with it.
    return PrimaryUpdateAndCacheUtils.updateAndCacheResource(primary, context, UnaryOperator.identity(), current -> {
      if (current.hasFinalizer(name) == held) {
        return current;
      }
      String ops = json(List.of(
          Map.of("op", "replace", "path", "/metadata/resourceVersion", "value", current.getMetadata().getResourceVersion()),
          change.apply(current)));
      return context.getClient().resource(current).patch(PatchContext.of(PatchType.JSON), ops);
    });
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
