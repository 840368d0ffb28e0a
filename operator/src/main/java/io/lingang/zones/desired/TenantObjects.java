package io.lingang.zones.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.List;

/**
 * The objects a tenant should have, apart from its TenantStatus (which reports on them).
 *
 * @param namespaces the tenant's namespaces
 * @param namespaced objects inside those namespaces (quota, limits, network policies, bindings)
 * @param clusterScoped the tenant's own ClusterRole and ClusterRoleBinding
 * @param appliedLinks DataLinks whose egress the network policies open
 * @param missingLinks DataLinks named in spec.egress and allowed by the zone that do not exist (yet)
 * @param notAllowedLinks DataLinks named in spec.egress that the zone's allowedLinks does not list
 * @param unboundSubjects ServiceAccount subjects outside the tenant's namespaces, left unbound
 */
public record TenantObjects(
    List<Namespace> namespaces,
    List<HasMetadata> namespaced,
    List<HasMetadata> clusterScoped,
    List<String> appliedLinks,
    List<String> missingLinks,
    List<String> notAllowedLinks,
    List<String> unboundSubjects) {}
