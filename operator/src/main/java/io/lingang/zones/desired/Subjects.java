package io.lingang.zones.desired;

import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The tenant's admins and viewers that may be bound, and those that may not: a ServiceAccount is
 * bound only when it lives in one of the tenant's own namespaces. An account anywhere else
 * belongs to someone else (another tenant, the platform), and binding it would hand that
 * someone this tenant's rights.
 *
 * <p>The rule holds for every spelling of an account: Kubernetes authenticates a ServiceAccount
 * as the user {@code system:serviceaccount:<namespace>:<name>}, in the groups
 * {@code system:serviceaccounts:<namespace>} and {@code system:serviceaccounts}. Those names are
 * bound only for the tenant's own namespaces; every other {@code system:} user or group
 * (all accounts, {@code system:authenticated}, the nodes, the control plane) is Kubernetes' own
 * identity for callers that are not this tenant's, and is never bound.
 *
 * @param unbound the subjects left out, each as {@code <Kind> <name>}, a ServiceAccount as
 *     {@code ServiceAccount <namespace>/<name>}
 */
public record Subjects(List<Subject> admins, List<Subject> viewers, List<String> unbound) {
  private static final String SYSTEM = "system:";
  private static final String ACCOUNT_USER = "system:serviceaccount:";
  private static final String ACCOUNTS_GROUP = "system:serviceaccounts:";

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
      if (isOwn(s, ownNamespaces)) {
        bound.add(s);
      } else {
        unbound.add(s.getKind() == Subject.Kind.ServiceAccount ? "ServiceAccount " + s.getNamespace() + "/" + s.getName()
            : s.getKind() + " " + s.getName());
      }
    }
    return bound;
  }

  /** Whether binding {@code s} gives rights to this tenant's callers only (as far as the operator can tell). */
  static boolean isOwn(Subject s, Set<String> ownNamespaces) {
    String name = s.getName();
    return switch (s.getKind()) {
      case ServiceAccount -> ownNamespaces.contains(s.getNamespace());
      case User -> !name.startsWith(SYSTEM) || accountUserNamespace(name).map(ownNamespaces::contains).orElse(false);
      case Group -> !name.startsWith(SYSTEM)
          || (name.startsWith(ACCOUNTS_GROUP) && ownNamespaces.contains(name.substring(ACCOUNTS_GROUP.length())));
    };
  }

  /** The namespace of {@code system:serviceaccount:<namespace>:<name>}, if the user name is one. */
  private static Optional<String> accountUserNamespace(String user) {
    if (!user.startsWith(ACCOUNT_USER)) {
      return Optional.empty();
    }
    String[] parts = user.substring(ACCOUNT_USER.length()).split(":", -1);
    return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? Optional.of(parts[0])
        : Optional.empty();
  }

  public Stream<Subject> all() {
    return Stream.concat(admins.stream(), viewers.stream());
  }
}
