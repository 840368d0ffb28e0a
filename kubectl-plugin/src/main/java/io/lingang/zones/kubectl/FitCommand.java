package io.lingang.zones.kubectl;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.EdgeAllocation;
import io.lingang.zones.api.v1alpha1.EdgePool;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl lingang fit -f FILE}: reads the ZoneTenants and EdgeAllocations in FILE, lets the
 * API server validate them (a server-side dry run, so a spec it would refuse is reported in its
 * words), reads what the operator's decision depends on, and asks {@link FitCheck}.
 */
final class FitCommand {
  private final KubernetesClient k8s;

  FitCommand(KubernetesClient k8s) {
    this.k8s = k8s;
  }

  record Outcome(List<FitCheck.Verdict> verdicts, List<String> notes) {
    boolean allAdmitted() {
      return verdicts.stream().allMatch(FitCheck.Verdict::admitted);
    }
  }

  Outcome run(String filename) {
    List<HasMetadata> items;
    try (InputStream in = "-".equals(filename) ? System.in : new FileInputStream(filename)) {
      items = k8s.load(in).items();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + filename + ": " + e.getMessage(), e);
    }
    List<ZoneTenant> tenants = new ArrayList<>();
    List<EdgeAllocation> allocations = new ArrayList<>();
    List<FitCheck.Verdict> invalid = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    var serialization = k8s.getKubernetesSerialization();
    for (HasMetadata item : items) {
      String kind = item.getKind();
      if (!"ZoneTenant".equals(kind) && !"EdgeAllocation".equals(kind)) {
        notes.add("skipped " + kind + " " + item.getMetadata().getName() + ": fit judges ZoneTenants and EdgeAllocations");
        continue;
      }
      String refusal = dryRun(item, notes);
      if (refusal != null) {
        invalid.add(new FitCheck.Verdict(kind, item.getMetadata().getName(), "the API server", false, "Invalid", refusal,
            List.of(), Map.of(), Map.of()));
      } else if ("ZoneTenant".equals(kind)) {
        tenants.add(serialization.convertValue(item, ZoneTenant.class));
      } else {
        allocations.add(serialization.convertValue(item, EdgeAllocation.class));
      }
    }
    if (tenants.isEmpty() && allocations.isEmpty() && invalid.isEmpty()) {
      throw new Options.UsageException(filename + " holds no ZoneTenant or EdgeAllocation");
    }
    List<FitCheck.Verdict> verdicts = new ArrayList<>(invalid);
    verdicts.addAll(FitCheck.check(tenants, allocations, world(tenants, allocations)));
    return new Outcome(verdicts, notes);
  }

  /** The API server's refusal of the object, or null; a dry run we may not make is noted and skipped. */
  private String dryRun(HasMetadata item, List<String> notes) {
    try {
      k8s.resource(item).dryRun().fieldManager("kubectl-lingang-fit").forceConflicts().serverSideApply();
      return null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422 || e.getCode() == 400) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
      }
      notes.add("the API server's own checks were not run for " + item.getKind() + " " + item.getMetadata().getName()
          + " (dry run: " + (e.getCode() == 403 ? "forbidden" : e.getMessage()) + ")");
      return null;
    }
  }

  /** Every tenant (admission is oldest first across the zone), the zones and pools named, every allocation if any is asked about. */
  private FitCheck.World world(List<ZoneTenant> tenants, List<EdgeAllocation> allocations) {
    Map<String, BusinessZone> zones = new HashMap<>();
    for (ZoneTenant t : tenants) {
      BusinessZone zone = k8s.resources(BusinessZone.class).withName(t.getSpec().getZone()).get();
      if (zone != null) {
        zones.put(zone.getMetadata().getName(), zone);
      }
    }
    Map<String, EdgePool> pools = new HashMap<>();
    for (EdgeAllocation a : allocations) {
      EdgePool pool = k8s.resources(EdgePool.class).withName(a.getSpec().getPool()).get();
      if (pool != null) {
        pools.put(pool.getMetadata().getName(), pool);
      }
    }
    List<ZoneTenant> existingTenants = k8s.resources(ZoneTenant.class).list().getItems();
    List<EdgeAllocation> existingAllocations = allocations.isEmpty() ? List.of()
        : k8s.resources(EdgeAllocation.class).list().getItems();
    return new FitCheck.World(zones, existingTenants, pools, existingAllocations, Instant.now());
  }
}
