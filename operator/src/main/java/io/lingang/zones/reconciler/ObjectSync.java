package io.lingang.zones.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.api.v1alpha1.ApiGroup;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes desired objects with server-side apply, and only when the cached object differs: a
 * reconcile that finds everything in place sends nothing to the API server. Each write is logged
 * once, naming the custom resource it is made for.
 */
final class ObjectSync {
  private static final Logger log = LoggerFactory.getLogger(ObjectSync.class);

  /** Label on a namespace the operator made and then let go of (Retain). */
  static final String LABEL_RETAINED = ApiGroup.GROUP + "/retained";

  private static final Set<String> EXACT_MAPS = Set.of(".spec.hard");

  enum Outcome {
    UNCHANGED,
    CREATED,
    /** The object existed and differed: someone changed it, or the desired state moved on. */
    UPDATED
  }

  private final KubernetesClient client;
  private final String fieldManager;
  private final String owner;

  /** @param owner the custom resource the writes are for, as logs name it ("ZoneTenant acme") */
  ObjectSync(KubernetesClient client, String fieldManager, String owner) {
    this.client = client;
    this.fieldManager = fieldManager;
    this.owner = owner;
  }

  <T extends HasMetadata> Outcome apply(T desired, T cached) {
    if (cached != null && matches(desired, cached)) {
      return Outcome.UNCHANGED;
    }
    client.resource(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
    Outcome outcome = cached == null ? Outcome.CREATED : Outcome.UPDATED;
    logWrite(outcome == Outcome.CREATED ? "created" : "updated", desired);
    return outcome;
  }

  private void logWrite(String action, HasMetadata object) {
    log.info("{}: {} {} {}", owner, action, object.getKind(), describe(object));
  }

  private static String describe(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return ns == null ? object.getMetadata().getName() : ns + "/" + object.getMetadata().getName();
  }

  /**
   * Whether someone other than this operator changed the object's spec or metadata. Not counted:
   * our server-side apply manager, our client's plain creates (the first step of a namespace; the
   * API server names that manager after the User-Agent), and status subresources (the quota
   * controller's counts).
   */
  boolean changedBySomeoneElse(HasMetadata actual) {
    var fields = actual.getMetadata().getManagedFields();
    String ownCreates = managerOf(client.getConfiguration().getUserAgent());
    return fields != null && fields.stream().anyMatch(f -> !fieldManager.equals(f.getManager())
        && !ownCreates.equals(f.getManager())
        && !"status".equals(f.getSubresource()));
  }

  /** The API server's default field manager: the User-Agent up to its first '/'. */
  private static String managerOf(String userAgent) {
    int slash = userAgent == null ? -1 : userAgent.indexOf('/');
    return userAgent == null ? "" : slash < 0 ? userAgent : userAgent.substring(0, slash);
  }

  /** Writes only the status subresource (a merge patch of a fresh object: no resourceVersion, no conflict). */
  void applyStatus(HasMetadata withStatus) {
    client.resource(withStatus).patchStatus();
    logWrite("reported status on", withStatus);
  }

  boolean matches(HasMetadata desired, HasMetadata actual) {
    var json = client.getKubernetesSerialization();
    return SubsetMatcher.matches(json.convertValue(desired, JsonNode.class), json.convertValue(actual, JsonNode.class), EXACT_MAPS);
  }

  void delete(HasMetadata actual) {
    client.resource(actual).withTimeoutInMillis(0).delete();
    logWrite("deleted", actual);
  }

  /** What became of a namespace the tenant should have. */
  enum Claim {
    OURS,
    /** Exists and was made by someone else (or for another tenant): never touched. */
    CONFLICT
  }

  /**
   * Creates or updates a tenant namespace, unless a namespace of that name exists that this
   * operator did not make for this tenant. A namespace the cache does not hold is created with a
   * plain create, which fails rather than merges when the name is taken.
   */
  ClaimResult claimNamespace(Namespace desired, Namespace cached, String tenant) {
    if (cached != null) {
      if (!tenant.equals(cached.getMetadata().getLabels().get(ApiGroup.LABEL_TENANT))) {
        return new ClaimResult(Claim.CONFLICT, Outcome.UNCHANGED, "belongs to tenant "
            + cached.getMetadata().getLabels().get(ApiGroup.LABEL_TENANT));
      }
      return new ClaimResult(Claim.OURS, apply(desired, cached), null);
    }
    try {
      // A plain create fails rather than merges when the name is taken. It sets only the name and
      // the tenant and zone labels (which never change), so every other field is owned by our
      // server-side apply alone, and a later apply can remove it (the managed-by label on release).
      Map<String, String> identity = Map.of(ApiGroup.LABEL_TENANT, tenant,
          ApiGroup.LABEL_ZONE, desired.getMetadata().getLabels().get(ApiGroup.LABEL_ZONE));
      client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
          .withNewMetadata().withName(desired.getMetadata().getName()).withLabels(identity).endMetadata().build())
          .create();
      client.resource(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
      logWrite("created", desired);
      return new ClaimResult(Claim.OURS, Outcome.CREATED, null);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    Namespace existing = client.namespaces().withName(desired.getMetadata().getName()).get();
    if (existing != null && madeForTenant(existing, tenant, desired.getMetadata().getLabels().get(ApiGroup.LABEL_ZONE))) {
      // Ours, but not yet in the cache, or retained from an earlier ZoneTenant of this name.
      client.resource(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
      logWrite("took back", desired);
      return new ClaimResult(Claim.OURS, Outcome.UPDATED, null);
    }
    return new ClaimResult(Claim.CONFLICT, Outcome.UNCHANGED, "was not created by the operator for this tenant");
  }

  record ClaimResult(Claim claim, Outcome outcome, String why) {}

  /**
   * Made by this operator for this tenant: it carries the tenant's name and zone, as every tenant
   * namespace does from its first write. Whether it is still labelled managed-by (not yet cached,
   * retained from an earlier ZoneTenant of this name, or stripped by hand) does not matter.
   */
  static boolean madeForTenant(Namespace ns, String tenant, String zone) {
    Map<String, String> labels = ns.getMetadata().getLabels();
    return labels != null && tenant.equals(labels.get(ApiGroup.LABEL_TENANT)) && zone.equals(labels.get(ApiGroup.LABEL_ZONE));
  }

  /**
   * Lets go of a namespace but keeps it isolated: the tenant and zone labels (which the network
   * policies select on) stay, the managed-by label goes, and a retained label says what happened.
   */
  void release(Namespace ns) {
    Map<String, String> labels = new java.util.TreeMap<>(ns.getMetadata().getLabels());
    labels.remove(ApiGroup.LABEL_MANAGED_BY);
    labels.put(LABEL_RETAINED, "true");
    Namespace released = new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName(ns.getMetadata().getName()).withLabels(labels)
        .withAnnotations(ns.getMetadata().getAnnotations() == null ? null : placementAnnotations(ns.getMetadata().getAnnotations()))
        .endMetadata().build();
    client.resource(released).fieldManager(fieldManager).forceConflicts().serverSideApply();
    logWrite("retained (no longer managed, still isolated)", ns);
  }

  private static Map<String, String> placementAnnotations(Map<String, String> annotations) {
    Map<String, String> kept = new java.util.TreeMap<>();
    annotations.forEach((k, v) -> {
      if (k.startsWith("scheduler.alpha.kubernetes.io/")) {
        kept.put(k, v);
      }
    });
    return kept.isEmpty() ? null : kept;
  }

  static boolean sameName(HasMetadata a, HasMetadata b) {
    return Objects.equals(a.getMetadata().getName(), b.getMetadata().getName())
        && Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
  }
}
