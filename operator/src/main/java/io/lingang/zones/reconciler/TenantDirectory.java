package io.lingang.zones.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.AdmissionView;
import io.lingang.zones.capacity.Quantities;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.capacity.ZoneLedgers;
import io.lingang.zones.infra.CompactItemStore;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The operator's one watch on ZoneTenants serves every controller: the tenant reconciler's own
 * cache keeps each tenant, and this directory, fed by that cache's store as it changes, keeps what
 * the others read of them (each zone's admission ledger, which tenants are admitted, which links
 * their egress uses) and tells each controller which of its objects a change concerns. A watch per
 * controller would have the API server send, and this process decode and keep, every tenant again
 * for each.
 *
 * <p>Fed by the store itself, not the informer's handlers (which run later, on another thread):
 * when the tenants' cache reports synced, the directory has every tenant, so no controller judges
 * from half of them. Until then, {@link #synced()} is false and the controllers that read the
 * directory wait.
 */
public final class TenantDirectory implements CompactItemStore.Listener<ZoneTenant> {
  /** What controllers other than the tenant's own react to. */
  record Facts(String zone, long generation, boolean deleting, boolean admitted, Map<String, String> grant,
      Set<String> declaredLinks, Set<String> appliedLinks) {
    static Facts of(ZoneTenant t) {
      var spec = t.getSpec();
      var status = t.getStatus();
      return new Facts(spec == null ? null : spec.getZone(),
          Objects.requireNonNullElse(t.getMetadata().getGeneration(), 0L),
          t.getMetadata().getDeletionTimestamp() != null, ZoneTenant.isAdmitted(t),
          status == null ? null : Quantities.asText(status.getGrantedQuota()),
          spec == null || spec.getEgress() == null ? Set.of() : Set.copyOf(spec.getEgress()),
          status == null || status.getEgress() == null ? Set.of() : Set.copyOf(status.getEgress()));
    }

    /** Whether a zone's status could tell the two apart: membership, quotas, admission, grant. */
    boolean sameForZone(Facts other) {
      return Objects.equals(zone, other.zone) && generation == other.generation && deleting == other.deleting
          && admitted == other.admitted && Objects.equals(grant, other.grant);
    }
  }

  /** A tenant that came (before null), changed, or went (after null). */
  record Change(String tenant, Facts before, Facts after) {
    /** The facts before and after, those there are. */
    Stream<Facts> both() {
      return Stream.of(before, after).filter(Objects::nonNull);
    }
  }

  /** How long a controller that reads the directory waits, when the tenants' cache has not synced yet (ms). */
  static final long UNTIL_SYNCED = 200;

  private final CompactItemStore<ZoneTenant> store = new CompactItemStore<>(this);
  private final ZoneLedgers ledgers = new ZoneLedgers();
  private final Map<String, Facts> facts = new ConcurrentHashMap<>();
  private final List<Consumer<Change>> followers = new CopyOnWriteArrayList<>();
  private volatile SimpleInboundEventSource<ZoneTenant> peerWakes;
  private volatile BooleanSupplier synced = () -> false;

  /** The tenant reconciler's cache: give it to that controller's informer, and only to it. */
  public CompactItemStore<ZoneTenant> store() {
    return store;
  }

  /** Whether the tenants' cache has synced: before, the directory may not hold every tenant. */
  boolean synced() {
    return synced.getAsBoolean();
  }

  /** Called by the tenant reconciler with its primary cache, which this directory is the store of. */
  void syncedWith(Object tenantCache) {
    if (tenantCache instanceof InformerWrappingEventSourceHealthIndicator<?> informers) {
      synced = () -> informers.informerHealthIndicators().values().stream().allMatch(InformerHealthIndicator::hasSynced);
    }
  }

  /**
   * An event source that triggers the {@code P}s each tenant change concerns, as {@code concerns}
   * names them (a change that alters nothing of {@link Facts} concerns no one).
   */
  <P extends HasMetadata> SimpleInboundEventSource<P> follow(String name, Function<Change, Set<ResourceID>> concerns) {
    SimpleInboundEventSource<P> source = new SimpleInboundEventSource<>(name);
    followers.add(change -> concerns.apply(change).forEach(source::propagateEvent));
    return source;
  }

  /** The event source that wakes the tenants whose admission another tenant's change altered. */
  SimpleInboundEventSource<ZoneTenant> peerWakes(String name) {
    SimpleInboundEventSource<ZoneTenant> source = new SimpleInboundEventSource<>(name);
    peerWakes = source;
    return source;
  }

  /** The tenants of {@code zone} that admission judges, as views ({@link AdmissionView}). */
  List<ZoneTenant> members(String zone) {
    return ledgers.members(zone);
  }

  ZoneAdmission.Totals totals(BusinessZone zone) {
    return ledgers.totals(zone);
  }

  /**
   * {@code tenant}'s admission (as its reconcile sees it) in {@code zone}; wakes the other tenants
   * whose admission that changed.
   */
  ZoneAdmission.Decision admission(BusinessZone zone, ZoneTenant tenant) {
    Set<String> wake = new HashSet<>();
    ZoneAdmission.Decision decision = ledgers.decide(zone, tenant, wake);
    wakeTenants(wake);
    return decision;
  }

  boolean admitted(String tenant) {
    Facts f = facts.get(tenant);
    return f != null && f.admitted();
  }

  /** How many tenants have {@code link} applied to their egress. */
  long usersOf(String link) {
    return facts.values().stream().filter(f -> f.appliedLinks().contains(link)).count();
  }

  @Override
  public void stored(ZoneTenant tenant) {
    String name = tenant.getMetadata().getName();
    Set<String> wake = ledgers.observe(AdmissionView.of(tenant));
    Facts after = Facts.of(tenant);
    tell(new Change(name, facts.put(name, after), after));
    wakeTenants(wake);
  }

  @Override
  public void removed(ZoneTenant tenant) {
    String name = tenant.getMetadata().getName();
    Set<String> wake = ledgers.forget(tenant);
    tell(new Change(name, facts.remove(name), null));
    wakeTenants(wake);
  }

  private void tell(Change change) {
    if (!Objects.equals(change.before(), change.after())) {
      followers.forEach(f -> f.accept(change));
    }
  }

  private void wakeTenants(Set<String> tenants) {
    SimpleInboundEventSource<ZoneTenant> source = peerWakes;
    if (source != null) {
      tenants.forEach(t -> source.propagateEvent(new ResourceID(t)));
    }
  }
}
