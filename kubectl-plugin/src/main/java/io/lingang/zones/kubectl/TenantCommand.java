package io.lingang.zones.kubectl;

import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.api.v1alpha1.QuotaUsage;
import io.lingang.zones.api.v1alpha1.TenantReport;
import io.lingang.zones.api.v1alpha1.TenantStatus;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.desired.TenantResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code kubectl lingang tenant NAME}, with whatever rights the caller has. A platform engineer,
 * and a tenant's own admins and viewers (the operator binds them a role that reads their own
 * ZoneTenant), start from the ZoneTenant; anyone else who may read one of the tenant's namespaces
 * gets the same facts from the TenantStatus the operator keeps there. Someone who may read neither
 * learns nothing, not even whether the tenant exists.
 */
final class TenantCommand {
  private final KubernetesClient k8s;

  TenantCommand(KubernetesClient k8s) {
    this.k8s = k8s;
  }

  TenantFacts read(String name, String namespaceFlag) {
    List<String> notes = new ArrayList<>();
    Read<ZoneTenant> tenant = read(() -> k8s.resources(ZoneTenant.class).withName(name).get());
    if (tenant.forbidden()) {
      notes.add("ZoneTenant " + name + " is not readable with your rights; these facts come from its TenantStatus");
    } else if (tenant.value() == null) {
      throw new CommandFailure("ZoneTenant " + name + " not found");
    }
    Set<String> where = new LinkedHashSet<>();
    if (namespaceFlag != null) {
      where.add(namespaceFlag);
    }
    ZoneTenant zt = tenant.value();
    if (zt != null && zt.getStatus() != null && zt.getStatus().getNamespaces() != null) {
      where.addAll(zt.getStatus().getNamespaces());
    }
    if (namespaceFlag == null) {
      // Without -n: a tenant's only (or first) namespace is named as the tenant; then the context's namespace.
      where.add(name);
      if (k8s.getNamespace() != null) {
        where.add(k8s.getNamespace());
      }
    }
    TenantStatus status = null;
    for (String ns : where) {
      Read<TenantStatus> r = read(() -> k8s.resources(TenantStatus.class).inNamespace(ns).withName(name).get());
      if (r.value() != null) {
        status = r.value();
        break;
      }
    }
    if (zt == null && status == null) {
      throw new CommandFailure("cannot read tenant " + name + ": ZoneTenant " + name + " is forbidden to you, and no TenantStatus "
          + name + " is readable in namespace " + String.join(", ", where) + "; pass -n with one of the tenant's namespaces");
    }
    TenantReport report = status == null ? null : status.getStatus();
    if (report == null) {
      notes.add(zt != null && (zt.getStatus() == null || zt.getStatus().getNamespaces() == null
          || zt.getStatus().getNamespaces().isEmpty())
          ? "the tenant has no namespace, hence no TenantStatus: edge allocations are not shown"
          : "no TenantStatus " + name + " is readable: edge allocations are not shown");
    }
    List<String> namespaces = zt != null && zt.getStatus() != null ? zt.getStatus().getNamespaces()
        : report == null ? null : report.getNamespaces();
    return new TenantFacts(name,
        zt != null ? "ZoneTenant " + name : "TenantStatus " + status.getMetadata().getNamespace() + "/" + name,
        zt != null ? zt.getSpec().getZone() : report.getZone(),
        report == null ? null : report.getMode(),
        zt != null ? zt.getSpec().getCompany().getName() : report.getCompany() == null ? null : report.getCompany().getName(),
        report != null && report.getSuspended() != null ? report.getSuspended() : zt == null ? null : Boolean.TRUE.equals(zt.getSpec().getSuspended()),
        report == null ? null : report.getTrialEndsAt(),
        namespaces,
        zt != null ? (zt.getStatus() == null ? null : zt.getStatus().getQuota()) : report.getQuota(),
        namespaceQuotas(namespaces, notes),
        zt != null ? (zt.getStatus() == null ? null : zt.getStatus().getEgress()) : report.getEgress(),
        report == null ? null : report.getEdgeAllocations() == null ? List.of() : report.getEdgeAllocations(),
        zt != null ? (zt.getStatus() == null ? List.of() : zt.getStatus().getConditions()) : report.getConditions(),
        notes);
  }

  /** Each namespace's own quota (hard and used, as the quota controller counts), where the caller may read it. */
  private Map<String, QuotaUsage> namespaceQuotas(List<String> namespaces, List<String> notes) {
    Map<String, QuotaUsage> result = new LinkedHashMap<>();
    if (namespaces == null) {
      return result;
    }
    List<String> unreadable = new ArrayList<>();
    for (String ns : namespaces) {
      Read<ResourceQuota> r = read(() -> k8s.resourceQuotas().inNamespace(ns).withName(TenantResources.QUOTA).get());
      ResourceQuota quota = r.value();
      if (quota == null) {
        unreadable.add(ns);
        continue;
      }
      var hard = quota.getStatus() != null && quota.getStatus().getHard() != null ? quota.getStatus().getHard() : quota.getSpec().getHard();
      result.put(ns, new QuotaUsage(hard, quota.getStatus() == null ? null : quota.getStatus().getUsed()));
    }
    if (!unreadable.isEmpty()) {
      notes.add("the ResourceQuota of " + String.join(", ", unreadable) + " is not readable; only the tenant's total is shown for it");
    }
    return result;
  }

  private record Read<T>(T value, boolean forbidden) {}

  /** A read that may be refused: 403 is an answer (the caller lacks the right), not an error. */
  private static <T> Read<T> read(Supplier<T> get) {
    try {
      return new Read<>(get.get(), false);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return new Read<>(null, true);
      }
      throw e;
    }
  }
}
