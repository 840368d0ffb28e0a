package io.lingang.zones.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lingang.zones.api.v1alpha1.ApiGroup;
import io.lingang.zones.api.v1alpha1.TenantReport;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.desired.PlacementAnnotations;
import io.lingang.zones.desired.TenantResources;
import io.lingang.zones.desired.TenantRoles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one tenant's generated objects (a new one by a plain create, a changed one by server-side
 * apply), and only when the cached object differs: a reconcile that finds everything in place
 * sends nothing. Each write is fed back to
 * the cache and logged once, naming the tenant. It also tells a repair (someone else changed or
 * deleted the object) from the desired state moving on.
 */
final class ObjectWriter {
  private static final Logger log = LoggerFactory.getLogger(ObjectWriter.class);
  /** Maps that must hold exactly what we want: a key someone else adds to a quota is removed. */
  private static final Set<String> EXACT_MAPS = Set.of(".spec.hard");

  /** Where the writer reads what the cluster has, and tells what it wrote (the informers' caches). */
  interface Caches {
    <T extends HasMetadata> java.util.Optional<T> cached(T like);

    void wrote(ZoneTenant tenant, HasMetadata written, HasMetadata before);

    /**
     * Marks {@code object} as being written by this operator (or no longer): its watch events,
     * which often arrive before the write's own response, then wake nobody; the write is fed back
     * to the cache before the mark goes.
     */
    default void writing(HasMetadata object, boolean inFlight) {}
  }

  /** What one write did. */
  record Written(boolean wrote, boolean repaired) {
    static final Written NOTHING = new Written(false, false);
  }

  private final KubernetesClient client;
  private final String fieldManager;
  private final ZoneTenant tenant;
  private final Caches kinds;
  private final DriftLedger drift;

  ObjectWriter(KubernetesClient client, String fieldManager, ZoneTenant tenant, Caches kinds, DriftLedger drift) {
    this.client = client;
    this.fieldManager = fieldManager;
    this.tenant = tenant;
    this.kinds = kinds;
    this.drift = drift;
  }

  /** Makes the cluster's object say what {@code desired} says (and no more, in exact maps). */
  <T extends HasMetadata> Written apply(T desired) {
    T cached = kinds.cached(desired).orElse(null);
    if (cached != null) {
      JsonNode want = json(desired);
      JsonNode have = json(cached);
      List<String> foreign = unwanted(desired, cached, want, have);
      if (foreign.isEmpty() && SubsetMatcher.matches(want, have, EXACT_MAPS)) {
        return Written.NOTHING;
      }
      return write(desired, cached, foreign);
    }
    return write(desired, null, List.of());
  }

  private <T extends HasMetadata> Written write(T desired, T cached, List<String> foreign) {
    return whileWriting(desired, () -> send(desired, cached, foreign));
  }

  /** Runs {@code write} with {@code object} marked as being written (see {@link Caches#writing}). */
  private <R> R whileWriting(HasMetadata object, Supplier<R> write) {
    kinds.writing(object, true);
    try {
      return write.get();
    } finally {
      kinds.writing(object, false);
    }
  }

  private <T extends HasMetadata> Written send(T desired, T cached, List<String> foreign) {
    boolean repaired = cached == null ? drift.recreates(desired) : changedBySomeoneElse(cached);
    HasMetadata written = cached == null && !(desired instanceof Namespace) ? createIfAbsent(desired) : null;
    if (written == null) {
      written = client.resource(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
    }
    if (!foreign.isEmpty()) {
      // Server-side apply cannot take away a field another manager owns: remove exactly those keys.
      String patch = "[" + String.join(",", foreign.stream()
          .map(path -> "{\"op\":\"remove\",\"path\":\"" + path + "\"}").toList()) + "]";
      written = client.resource(written).patch(PatchContext.of(PatchType.JSON), patch);
    }
    kinds.wrote(tenant, written, cached);
    logWrite(cached == null ? "created" : "updated", desired);
    return new Written(true, repaired);
  }

  /**
   * What the cached object has that must go: keys of exact maps, and placement annotations a
   * namespace no longer gets (a namespace is created with a plain create, whose fields a later
   * server-side apply cannot take away).
   */
  private static List<String> unwanted(HasMetadata desired, HasMetadata cached, JsonNode want, JsonNode have) {
    List<String> extra = new ArrayList<>(SubsetMatcher.extraKeys(want, have, EXACT_MAPS));
    if (desired instanceof Namespace) {
      Map<String, String> wanted = Optional.ofNullable(desired.getMetadata().getAnnotations()).orElse(Map.of());
      Map<String, String> held = Optional.ofNullable(cached.getMetadata().getAnnotations()).orElse(Map.of());
      PlacementAnnotations.KEYS.stream().filter(key -> held.containsKey(key) && !wanted.containsKey(key))
          .forEach(key -> extra.add("/metadata/annotations/" + SubsetMatcher.escaped(key)));
    }
    return extra;
  }

  /**
   * A new object is created with a plain create, which costs the API server a third less than a
   * server-side apply. Safe for these kinds: their lists are atomic, their labels never change and
   * the one map that must lose keys (a quota's spec.hard) is kept exact by a JSON patch; the
   * create's field manager is our own (the User-Agent's). Null when it already exists: then apply.
   */
  private HasMetadata createIfAbsent(HasMetadata desired) {
    try {
      return client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Whether someone other than this operator changed the object's spec or metadata. Not counted:
   * our server-side apply manager, our client's plain creates and patches (the API server names
   * that manager after the User-Agent), and status subresources (the quota controller's counts).
   */
  private boolean changedBySomeoneElse(HasMetadata actual) {
    var fields = actual.getMetadata().getManagedFields();
    String ownUpdates = managerOf(client.getConfiguration().getUserAgent());
    return fields != null && fields.stream().anyMatch(f -> !fieldManager.equals(f.getManager())
        && !ownUpdates.equals(f.getManager()) && !"status".equals(f.getSubresource()));
  }

  /** The API server's default field manager: the User-Agent up to its first '/'. */
  private static String managerOf(String userAgent) {
    int slash = userAgent == null ? -1 : userAgent.indexOf('/');
    return userAgent == null ? "" : slash < 0 ? userAgent : userAgent.substring(0, slash);
  }

  /**
   * Replaces a TenantStatus's status subresource with {@code report} (fields the report no
   * longer has go) at the version the cache holds, which is the one this operator last wrote: the
   * cheapest write the API server has (a patch costs it the patch's application on top, a
   * server-side apply much more). A conflict (someone changed it meanwhile) fails the reconcile,
   * and JOSDK's retry judges again from the cache the watch brought up to date.
   */
  void writeStatus(TenantStatus cached, TenantReport report) {
    TenantStatus replacement = new TenantStatus();
    replacement.setMetadata(new ObjectMetaBuilder().withName(cached.getMetadata().getName())
        .withNamespace(cached.getMetadata().getNamespace()).withResourceVersion(cached.getMetadata().getResourceVersion())
        .build());
    replacement.setStatus(report);
    whileWriting(replacement, () -> {
      TenantStatus written = client.resource(replacement).subresource("status").update();
      kinds.wrote(tenant, written, cached);
      return written;
    });
    logWrite("reported status on", replacement);
  }

  /** What became of a namespace the tenant should have. */
  record Claim(boolean ours, boolean wrote, boolean repaired) {}

  /**
   * Creates or updates a tenant namespace, unless a namespace of that name exists that this
   * operator did not make for this tenant. A namespace the cache does not hold is created with a
   * plain create, which fails rather than merges when the name is taken.
   */
  Claim claimNamespace(Namespace desired) {
    String name = tenant.getMetadata().getName();
    Namespace cached = kinds.cached(desired).orElse(null);
    if (cached != null) {
      if (!name.equals(cached.getMetadata().getLabels().get(ApiGroup.LABEL_TENANT))) {
        return new Claim(false, false, false);
      }
      Written w = apply(desired);
      return new Claim(true, w.wrote(), w.repaired());
    }
    // A plain create fails rather than merges when the name is taken, and writes the whole
    // namespace at once. Later changes are applied; the one kind of key that may later go (a
    // placement annotation) is removed by name (unwanted).
    Namespace created = whileWriting(desired, () -> {
      try {
        Namespace written = client.namespaces().resource(desired).create();
        kinds.wrote(tenant, written, null);
        return written;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        return null;
      }
    });
    if (created != null) {
      logWrite("created", desired);
      return new Claim(true, true, drift.recreates(desired));
    }
    Namespace existing = client.namespaces().withName(desired.getMetadata().getName()).get();
    if (existing != null && madeForTenant(existing, name, desired.getMetadata().getLabels().get(ApiGroup.LABEL_ZONE))) {
      // Ours, but not in the cache yet (its managed-by label stripped by hand, say).
      Namespace written = client.resource(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
      kinds.wrote(tenant, written, null);
      logWrite("took back", desired);
      return new Claim(true, true, true);
    }
    return new Claim(false, false, false);
  }

  /**
   * Made by this operator for this tenant: it carries the tenant's name and zone, as every tenant
   * namespace does from its first write. A namespace retained from an earlier tenant of this name
   * carries {@code retained-from} instead, and is never taken: a platform engineer who wants it
   * adopted labels it for the tenant by hand.
   */
  static boolean madeForTenant(Namespace ns, String tenant, String zone) {
    Map<String, String> labels = ns.getMetadata().getLabels();
    return labels != null && tenant.equals(labels.get(ApiGroup.LABEL_TENANT)) && zone.equals(labels.get(ApiGroup.LABEL_ZONE));
  }

  void delete(HasMetadata actual) {
    drift.deletingOurselves(actual);
    client.resource(actual).withTimeoutInMillis(0).delete();
    logWrite("deleted", actual);
  }

  /**
   * Lets go of a namespace its tenant no longer has (deletionPolicy Retain): the data stays, closed.
   * The default deny stays, every allow policy and the tenant's RoleBindings go, the quota allows no
   * pods, the TenantStatus goes, and what remains carries {@code retained-from} instead of the tenant
   * label, so that no later tenant of the same name matches, reaches or adopts it. Each step is by
   * name and idempotent; the namespace is relabelled last, so a release cut short is found again as
   * the tenant's and finished by the next reconcile.
   */
  void release(Namespace ns) {
    String name = ns.getMetadata().getName();
    String tenantName = tenant.getMetadata().getName();
    List<HasMetadata> gone = new ArrayList<>();
    TenantResources.ALLOW_POLICIES.forEach(p -> gone.add(new NetworkPolicyBuilder().withMetadata(meta(p, name)).build()));
    for (String binding : List.of(TenantRoles.ADMINS_BINDING, TenantRoles.VIEWERS_BINDING)) {
      gone.add(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withMetadata(meta(binding, name)).build());
    }
    TenantStatus status = new TenantStatus();
    status.setMetadata(meta(tenantName, name));
    gone.add(status);
    for (HasMetadata object : gone) {
      drift.deletingOurselves(object);
      client.resource(object).withTimeoutInMillis(0).delete();
    }
    String retainedLabels = "\"labels\":{\"" + ApiGroup.LABEL_MANAGED_BY + "\":null,\"" + ApiGroup.LABEL_TENANT
        + "\":null,\"" + ApiGroup.LABEL_RETAINED_FROM + "\":\"" + tenantName + "\"}";
    mergePatchIfPresent(new ResourceQuotaBuilder().withMetadata(meta(TenantResources.QUOTA, name)).build(),
        "{\"metadata\":{" + retainedLabels + "},\"spec\":{\"hard\":{\"pods\":\"0\"}}}");
    mergePatchIfPresent(new NetworkPolicyBuilder().withMetadata(meta(TenantResources.DENY_ALL, name)).build(),
        "{\"metadata\":{" + retainedLabels + "}}");
    mergePatchIfPresent(new LimitRangeBuilder().withMetadata(meta(TenantResources.LIMITS, name)).build(),
        "{\"metadata\":{" + retainedLabels + "}}");
    mergePatchIfPresent(new NamespaceBuilder().withMetadata(meta(name, null)).build(), "{\"metadata\":{" + retainedLabels + "}}");
    logWrite("retained (closed: default deny only, no pods, no bindings; no longer managed)", ns);
  }

  /** A JSON merge patch of the named object (no read first: the operator may not read what it patches). */
  private void mergePatchIfPresent(HasMetadata named, String mergePatch) {
    try {
      client.resource(named).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static ObjectMeta meta(String name, String namespace) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).build();
  }

  /** Whether the CRD of {@code kind} is absent or being deleted; when it cannot tell, it says so (keep the data). */
  boolean crdGoneOrDeleting(Class<? extends HasMetadata> kind) {
    try {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
          .withName(HasMetadata.getFullResourceName(kind)).get();
      return crd == null || crd.getMetadata().getDeletionTimestamp() != null;
    } catch (KubernetesClientException e) {
      return true;
    }
  }

  /** Removes our labels and owner references from an object that is not ours to keep or delete. */
  void disown(HasMetadata actual) {
    client.resource(actual).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"ownerReferences\":null,\"labels\":{\""
        + ApiGroup.LABEL_MANAGED_BY + "\":null,\"" + ApiGroup.LABEL_TENANT + "\":null,\"" + ApiGroup.LABEL_ZONE + "\":null}}}");
    logWrite("let go of", actual);
  }

  private JsonNode json(HasMetadata object) {
    return client.getKubernetesSerialization().convertValue(object, JsonNode.class);
  }

  private void logWrite(String action, HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    log.info("ZoneTenant {}: {} {} {}", tenant.getMetadata().getName(), action, object.getKind(),
        ns == null ? object.getMetadata().getName() : ns + "/" + object.getMetadata().getName());
  }
}
