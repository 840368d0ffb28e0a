package io.lingang.zones.desired;

import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The tenant's admins and viewers that may be bound, and those that may not: a ServiceAccount is
 * bound only when it lives in one of the tenant's own namespaces. An account anywhere else
 * belongs to someone else (another tenant, the platform), and binding it would hand that
 * someone this tenant's rights.
 *
 * @param unbound the subjects left out, each as {@code ServiceAccount <namespace>/<name>}
 */
public record Subjects(List<Subject> admins, List<Subject> viewers, List<String> unbound) {

  public static Subjects of(ZoneTenant tenant, Set<String> ownNamespaces) {
    List<String> unbound = new ArrayList<>();
    List<Subject> admins = bindable(tenant.getSpec().getAdmins(), ownNamespaces, unbound);
    List<Subject> viewers = bindable(tenant.getSpec().getViewers(), ownNamespaces, unbound);
    return new Subjects(admins, viewers, unbound.stream().distinct().sorted().toList());
  }

  private static List<Subject> bindable(List<Subject> declared, Set<String> ownNamespaces, List<String> unbound) {
    if (declared == null) {
      return List.of();
    }
    List<Subject> bound = new ArrayList<>();
    for (Subject s : declared) {
      if (s.getKind() != Subject.Kind.ServiceAccount || ownNamespaces.contains(s.getNamespace())) {
        bound.add(s);
      } else {
        unbound.add("ServiceAccount " + s.getNamespace() + "/" + s.getName());
      }
    }
    return bound;
  }

  public Stream<Subject> all() {
    return Stream.concat(admins.stream(), viewers.stream());
  }
}
