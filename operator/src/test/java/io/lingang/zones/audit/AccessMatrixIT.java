package io.lingang.zones.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.api.v1alpha1.Subject;
import io.lingang.zones.testing.ControlPlaneTest;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.RunningOperator;
import io.lingang.zones.testing.TestNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The isolation audit's access matrix: every admin and viewer subject of several tenants (User,
 * Group and ServiceAccount; Shared and Dedicated zones; several namespaces, an edge namespace, a
 * suspended tenant, a retained namespace, a refused tenant) × every namespace × verbs ×
 * resources, asked of the real API server's RBAC with SubjectAccessReviews, each answer held
 * against {@link SpecAccess}, written from SPEC.md.
 */
@ControlPlaneTest
class AccessMatrixIT {

  @Test
  void everyAnswerOfTheApiServerMatchesWhatSpecSays(RunningOperator operator, KubernetesClient k8s, TestNames names)
      throws Exception {
    AuditWorld w = AuditWorld.build(k8s, names);
    String operatorNs = names.name("operator");
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(operatorNs).endMetadata().build()).create();
    List<String> namespaces = new ArrayList<>();
    for (AuditWorld.Tenant t : List.of(w.alpha, w.beta, w.gamma, w.epsilon, w.delta)) {
      namespaces.addAll(t.namespaces());
    }
    namespaces.addAll(List.of("kube-system", "default", operatorNs));
    List<SpecAccess.Who> subjects = subjects(w);

    List<Check> checks = new ArrayList<>();
    for (SpecAccess.Who who : subjects) {
      for (SpecAccess.Resource r : SpecAccess.RESOURCES) {
        for (String verb : SpecAccess.VERBS) {
          if (r.namespaced()) {
            for (String ns : namespaces) {
              checks.add(new Check(who, ns, r, verb, r.resource().equals("namespaces") ? ns : null));
            }
          } else {
            checks.add(new Check(who, "", r, verb, null));
            if (r.resource().equals("zonetenants")) {
              w.tenants().forEach(t -> checks.add(new Check(who, "", r, verb, t.name())));
            }
            if (r.resource().equals("edgeallocations")) {
              checks.add(new Check(who, "", r, verb, w.alphaAllocation));
            }
          }
        }
      }
    }

    ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> blocks = new ConcurrentLinkedQueue<>();
    AtomicLong allowed = new AtomicLong();
    var pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Check c : checks) {
        futures.add(pool.submit(() -> {
          boolean answer = ask(k8s, c);
          boolean expected = SpecAccess.allowed(c.who(), c.namespace(), c.resource(), c.verb(), c.name());
          if (answer) {
            allowed.incrementAndGet();
          }
          if (answer && !expected) {
            leaks.add(c.describe());
          } else if (!answer && expected) {
            blocks.add(c.describe());
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }

    String report = "# Access matrix (SubjectAccessReview)\n\nsubjects: " + subjects.size() + ", namespaces: " + namespaces.size()
        + ", verbs: " + SpecAccess.VERBS.size() + ", resources: " + SpecAccess.RESOURCES.size() + "\n\ncases: " + checks.size()
        + ", allowed: " + allowed.get() + ", denied: " + (checks.size() - allowed.get()) + ", leaks (allowed, SPEC says no): "
        + leaks.size() + ", blocks (denied, SPEC says yes): " + blocks.size() + "\n\n"
        + String.join("\n", leaks.stream().map(l -> "- LEAK " + l).toList()) + "\n"
        + String.join("\n", blocks.stream().map(b -> "- BLOCK " + b).toList()) + "\n";
    try {
      var dir = LocalControlPlane.repoRoot().resolve("operator/target/isolation-audit");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("access-matrix.md"), report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println(report);
    assertThat(checks).hasSizeGreaterThan(20_000);
    assertThat(leaks).as("allowed though SPEC.md says no").isEmpty();
    assertThat(blocks).as("denied though SPEC.md says yes").isEmpty();
  }

  private record Check(SpecAccess.Who who, String namespace, SpecAccess.Resource resource, String verb, String name) {
    String describe() {
      return who.label() + ": " + verb + " " + resource.id() + (name == null ? "" : " " + name)
          + (namespace.isEmpty() ? "" : " in " + namespace);
    }
  }

  private static boolean ask(KubernetesClient k8s, Check c) {
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(c.who().user()).withGroups(c.who().groups())
        .withNewResourceAttributes()
        .withNamespace(c.namespace().isEmpty() ? null : c.namespace())
        .withGroup(c.resource().group()).withResource(c.resource().resource()).withSubresource(c.resource().subresource())
        .withVerb(c.verb()).withName(c.name())
        .endResourceAttributes().endSpec().build();
    return k8s.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }

  /** Every admin and viewer subject of the world's tenants, as the API server authenticates each. */
  private static List<SpecAccess.Who> subjects(AuditWorld w) {
    List<SpecAccess.Who> who = new ArrayList<>();
    for (AuditWorld.Tenant t : w.tenants()) {
      boolean exists = t != w.delta;
      Set<String> own = exists ? new HashSet<>(t.namespaces()) : Set.of();
      Set<String> allocations = t == w.alpha ? Set.of(w.alphaAllocation) : Set.of();
      for (Subject s : t.admins()) {
        who.add(as(s, t, true, exists, own, allocations));
      }
      for (Subject s : t.viewers()) {
        who.add(as(s, t, false, exists, own, allocations));
      }
    }
    // A ServiceAccount in a tenant's namespace that no one named: it gets nothing from the tenant.
    String ns = w.alpha.namespace();
    who.add(new SpecAccess.Who("unnamed ServiceAccount " + ns + "/default", "system:serviceaccount:" + ns + ":default",
        List.of("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"), w.alpha.name(), false, false,
        Set.of(), Set.of()));
    return who;
  }

  private static SpecAccess.Who as(Subject s, AuditWorld.Tenant t, boolean admin, boolean exists, Set<String> own,
      Set<String> allocations) {
    String role = (admin ? "admin " : "viewer ") + s.getKind() + " " + s.getName() + " of " + t.name();
    return switch (s.getKind()) {
      case User -> new SpecAccess.Who(role, s.getName(), List.of("system:authenticated"), t.name(), admin, exists, own, allocations);
      case Group -> new SpecAccess.Who(role, "member-of-" + s.getName(), List.of(s.getName(), "system:authenticated"), t.name(),
          admin, exists, own, allocations);
      case ServiceAccount -> new SpecAccess.Who(role + " in " + s.getNamespace(),
          "system:serviceaccount:" + s.getNamespace() + ":" + s.getName(),
          List.of("system:serviceaccounts", "system:serviceaccounts:" + s.getNamespace(), "system:authenticated"), t.name(),
          admin, exists, own, allocations);
    };
  }
}
