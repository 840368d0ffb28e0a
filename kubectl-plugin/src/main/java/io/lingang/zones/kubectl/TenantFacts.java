package io.lingang.zones.kubectl;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.lingang.zones.api.v1alpha1.EdgeGrant;
import io.lingang.zones.api.v1alpha1.QuotaUsage;
import java.util.List;
import java.util.Map;

/**
 * One tenant's facts as {@code kubectl lingang tenant NAME} shows them, whichever objects the
 * caller could read.
 *
 * @param source where they came from: {@code ZoneTenant NAME}, or {@code TenantStatus NS/NAME}
 *     when the caller may not read the cluster-scoped ZoneTenant
 * @param namespaceQuotas each namespace's ResourceQuota, where readable
 * @param notes what could not be read, so the caller knows what is missing and why
 */
record TenantFacts(String name, String source, String zone, String mode, String company, Boolean suspended, String trialEndsAt,
    List<String> namespaces, QuotaUsage quota, Map<String, QuotaUsage> namespaceQuotas, List<String> egress,
    List<EdgeGrant> edgeAllocations, List<Condition> conditions, List<String> notes) {

  String render() {
    StringBuilder out = new StringBuilder();
    out.append(line("Tenant:", name))
        .append(line("Zone:", zone + (mode == null ? "" : " (" + mode + ")")))
        .append(line("Company:", company))
        .append(line("Namespaces:", join(namespaces)))
        .append(line("Egress:", join(egress)))
        .append(line("Suspended:", suspended == null ? "-" : suspended.toString()));
    if (trialEndsAt != null) {
      out.append(line("Trial ends:", trialEndsAt));
    }
    out.append(line("Source:", source));

    out.append("\nQuota:\n");
    Table quotaTable = new Table("NAMESPACE", "RESOURCE", "USED", "HARD");
    namespaceQuotas.forEach((ns, q) -> rows(quotaTable, ns, q));
    if (quota != null) {
      rows(quotaTable, "(total)", quota);
    }
    out.append(quotaTable.isEmpty() ? "  none\n" : indent(quotaTable.render()));

    out.append("\nEdge allocations:\n");
    Table edge = new Table("NAME", "POOL", "STATE", "NAMESPACE", "MESSAGE");
    if (edgeAllocations != null) {
      edgeAllocations.forEach(g -> edge.row(g.getName(), g.getPool(), g.getState(), dash(g.getNamespace()), dash(g.getMessage())));
    }
    out.append(edgeAllocations == null ? "  not readable\n" : edge.isEmpty() ? "  none\n" : indent(edge.render()));

    out.append("\nConditions:\n");
    Table conditionTable = new Table("TYPE", "STATUS", "REASON", "MESSAGE");
    conditions.forEach(c -> conditionTable.row(c.getType(), c.getStatus(), c.getReason(), dash(c.getMessage())));
    out.append(conditionTable.isEmpty() ? "  none yet\n" : indent(conditionTable.render()));
    if (!notes.isEmpty()) {
      out.append('\n');
      notes.forEach(n -> out.append("Note: ").append(n).append('\n'));
    }
    return out.toString();
  }

  private static void rows(Table table, String namespace, QuotaUsage q) {
    Map<String, Quantity> hard = q.getHard() == null ? Map.of() : q.getHard();
    Map<String, Quantity> used = q.getUsed() == null ? Map.of() : q.getUsed();
    new java.util.TreeSet<>(hard.keySet()).forEach(r -> table.row(namespace, r, used.containsKey(r) ? used.get(r).toString() : "-",
        hard.get(r).toString()));
  }

  private static String line(String label, String value) {
    return String.format("%-12s%s%n", label, value == null ? "-" : value);
  }

  private static String join(List<String> list) {
    return list == null || list.isEmpty() ? "-" : String.join(", ", list);
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  static String indent(String text) {
    return text.lines().map(l -> "  " + l).reduce(new StringBuilder(), (b, l) -> b.append(l).append('\n'), StringBuilder::append).toString();
  }
}
