package io.lingang.zones.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lingang.zones.api.v1alpha1.ApiGroup;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.desired.TenantResources;
import io.lingang.zones.desired.TenantRoles;
import java.util.List;
import java.util.Map;
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
        return new ClaimResult(Claim.CONFLICT, Outcome.UNCHANGED);
      }
      return new ClaimResult(Claim.OURS, apply(desired, cached));
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
      return new ClaimResult(Claim.OURS, Outcome.CREATED);
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
      return new ClaimResult(Claim.OURS, Outcome.UPDATED);
    }
    return new ClaimResult(Claim.CONFLICT, Outcome.UNCHANGED);
  }

  record ClaimResult(Claim claim, Outcome outcome) {}

  /**
   * Made by this operator for this tenant: it carries the tenant's name and zone, as every tenant
   * namespace does from its first write. Whether it is still labelled managed-by (not yet cached,
   * or stripped by hand) does not matter. A namespace retained from an earlier tenant of this name
   * carries {@code retained-from} instead, and is never taken: a platform engineer who wants it
   * adopted labels it for the tenant by hand.
   */
  static boolean madeForTenant(Namespace ns, String tenant, String zone) {
    Map<String, String> labels = ns.getMetadata().getLabels();
    return labels != null && tenant.equals(labels.get(ApiGroup.LABEL_TENANT)) && zone.equals(labels.get(ApiGroup.LABEL_ZONE));
  }

  /**
   * Lets go of a namespace its tenant no longer has (deletionPolicy Retain): the data stays, closed.
   * The default deny stays, every allow policy and the tenant's RoleBindings go, the quota allows no
   * pods, the TenantStatus goes, and what remains carries {@code retained-from} instead of the tenant
   * label, so that no later tenant of the same name matches, reaches or adopts it. Each step is by
   * name and idempotent; the namespace is relabelled last, so a release cut short is found again as
   * the tenant's and finished by the next reconcile.
   */
  void release(Namespace ns, String tenant) {
    String name = ns.getMetadata().getName();
    for (String policy : TenantResources.ALLOW_POLICIES) {
      client.network().v1().networkPolicies().inNamespace(name).withName(policy).withTimeoutInMillis(0).delete();
    }
    for (String binding : List.of(TenantRoles.ADMINS_BINDING, TenantRoles.VIEWERS_BINDING)) {
      client.rbac().roleBindings().inNamespace(name).withName(binding).withTimeoutInMillis(0).delete();
    }
    client.resources(TenantStatus.class).inNamespace(name).withName(tenant).withTimeoutInMillis(0).delete();
    String retainedLabels = "\"labels\":{\"" + ApiGroup.LABEL_MANAGED_BY + "\":null,\"" + ApiGroup.LABEL_TENANT
        + "\":null,\"" + ApiGroup.LABEL_RETAINED_FROM + "\":\"" + tenant + "\"}";
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

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(String name, String namespace) {
    return new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace).build();
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
}
