package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pool of edge nodes, found by their labels. */
@JsonClassDescription("A pool of edge nodes, found by their labels; its capacity is theirs (or a fixed spec.capacity) and is handed out by EdgeAllocations.")
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Singular("edgepool")
@Plural("edgepools")
@ShortNames("epool")
@Categories(ApiGroup.CATEGORY)
@ValidationRule(
    value = "size(self.metadata.name) <= " + EdgePool.MAX_NAME_LENGTH
        + " && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    message = "a pool name becomes part of namespace names (<tenant>-edge-<pool>): at most "
        + EdgePool.MAX_NAME_LENGTH + " lowercase letters, digits and '-'")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.nodes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Capacity", jsonPath = ".status.capacity", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Available", jsonPath = ".status.available", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Allocated", jsonPath = ".status.allocated", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class EdgePool extends CustomResource<EdgePoolSpec, EdgePoolStatus> {
  /** 63 minus a tenant name and "-edge-" (6). */
  public static final int MAX_NAME_LENGTH = 63 - ZoneTenant.MAX_NAME_LENGTH - 6;
  public static final String COND_OVER_COMMITTED = "OverCommitted";
}
