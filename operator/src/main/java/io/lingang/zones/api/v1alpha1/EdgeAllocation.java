package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Optional;

/** Edge compute from one pool granted to one tenant, optionally for a time window. */
@JsonClassDescription("Edge compute from one EdgePool granted to one ZoneTenant, optionally for a time window; it lands in the namespace <tenant>-edge-<pool>.")
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Singular("edgeallocation")
@Plural("edgeallocations")
@ShortNames("ea")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Tenant", jsonPath = ".spec.tenant", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Pool", jsonPath = ".spec.pool", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Resources", jsonPath = ".spec.resources", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Namespace", jsonPath = ".status.namespace", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class EdgeAllocation extends CustomResource<EdgeAllocationSpec, EdgeAllocationStatus> {
  public static final String COND_ADMITTED = "Admitted";
  public static final String COND_EXPIRED = "Expired";

  /** Holds its grant now: admitted, inside its window. */
  public static boolean isActive(EdgeAllocation allocation) {
    return allocation.getStatus() != null && allocation.getStatus().isTrue(COND_ADMITTED);
  }

  public static boolean isExpired(EdgeAllocation allocation) {
    return allocation.getStatus() != null && allocation.getStatus().isTrue(COND_EXPIRED);
  }

  /** The namespace every allocation of one tenant on one pool shares: {@code <tenant>-edge-<pool>}. */
  public static String namespaceOf(EdgeAllocation allocation) {
    return namespaceOf(allocation.getSpec().getTenant(), allocation.getSpec().getPool());
  }

  public static String namespaceOf(String tenant, String pool) {
    return tenant + EDGE_INFIX + pool;
  }

  /**
   * The pool of one of {@code tenant}'s own namespaces, if it is an edge namespace: a tenant's
   * other namespaces are {@code <tenant>} and {@code <tenant>-<name>}, whose names may not start
   * with {@code edge-}.
   */
  public static Optional<String> poolOfNamespace(String tenant, String namespace) {
    String prefix = tenant + EDGE_INFIX;
    return namespace.startsWith(prefix) && namespace.length() > prefix.length()
        ? Optional.of(namespace.substring(prefix.length())) : Optional.empty();
  }

  private static final String EDGE_INFIX = "-edge-";
}
