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

/** A cross-border core-node link (Hong Kong, Singapore, Tokyo, ...) that tenants may send data to. */
@JsonClassDescription("A cross-border core-node link (Hong Kong, Singapore, Tokyo, ...): the address ranges and ports tenants may send data to.")
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Singular("datalink")
@Plural("datalinks")
@ShortNames("dl")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Region", jsonPath = ".spec.region", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Tenants", jsonPath = ".status.tenants", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "CIDRs", jsonPath = ".spec.cidrs", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DataLink extends CustomResource<DataLinkSpec, DataLinkStatus> {}
