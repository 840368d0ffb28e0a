package io.lingang.zones.kubectl;

import java.util.List;
import java.util.Map;

/** The human form of fit's verdicts: one paragraph per object, what is short as a table. */
final class FitReport {
  private FitReport() {}

  static String render(List<FitCheck.Verdict> verdicts, List<String> notes) {
    StringBuilder out = new StringBuilder();
    for (FitCheck.Verdict v : verdicts) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(v.kind()).append(' ').append(v.name()).append(" (").append(v.target()).append("): ")
          .append(v.admitted() ? "would be admitted" : "would NOT be admitted, " + v.reason()).append('\n');
      out.append("  ").append(v.message()).append('\n');
      if (!v.shortfalls().isEmpty()) {
        Table shortTable = new Table("SHORT", "WANTED", "AVAILABLE");
        v.shortfalls().forEach(s -> shortTable.row(s.resource(), s.wanted(), s.available()));
        out.append('\n').append(TenantFacts.indent(shortTable.render()));
      } else if (v.admitted() && !v.granted().isEmpty()) {
        out.append('\n').append(TenantFacts.indent(grants(v.granted(), v.left())));
      }
    }
    if (!notes.isEmpty()) {
      out.append('\n');
      notes.forEach(n -> out.append("Note: ").append(n).append('\n'));
    }
    return out.toString();
  }

  private static String grants(Map<String, String> granted, Map<String, String> left) {
    if (left.isEmpty()) {
      Table table = new Table("RESOURCE", "GRANTED");
      granted.forEach((r, q) -> table.row(r, q));
      return table.render();
    }
    // LEFT: what the zone would still have for others once this tenant holds its grant.
    Table table = new Table("RESOURCE", "GRANTED", "LEFT");
    granted.forEach((r, q) -> table.row(r, q, left.getOrDefault(r, "-")));
    return table.render();
  }
}
