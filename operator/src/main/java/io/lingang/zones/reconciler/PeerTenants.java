package io.lingang.zones.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.capacity.AdmissionView;
import io.lingang.zones.capacity.ZoneAdmission;
import io.lingang.zones.capacity.ZoneLedgers;
import io.lingang.zones.infra.CompactItemStore;
import java.util.HashSet;
import java.util.Set;

/**
 * Every ZoneTenant, kept in one {@link io.lingang.zones.capacity.ZoneLedger} per zone, and the tenants to reconcile again
 * when a peer's arrival, change or departure alters their admission: exactly those, never the
 * whole zone. It propagates nothing by itself (no index from peers to tenants, whose size would
 * grow with the square of a zone's).
 */
final class PeerTenants extends InformerEventSource<ZoneTenant, ZoneTenant> {
  private final ZoneLedgers ledgers;

  PeerTenants(EventSourceContext<ZoneTenant> context) {
    this(context, new LedgerFeed());
  }

  /**
   * The ledgers are fed by the informer's store itself, not its event handlers (which run later,
   * on another thread): a tenant reconciled right after a start is judged against every peer the
   * cache holds. Judged against a partial ledger, a waiting tenant could be admitted into room
   * that an admitted peer, not yet heard of, already holds.
   */
  private PeerTenants(EventSourceContext<ZoneTenant> context, LedgerFeed feed) {
    super(InformerEventSourceConfiguration.from(ZoneTenant.class, ZoneTenant.class)
        .withName("peers")
        .withItemStore(new CompactItemStore<>(feed, AdmissionView::of))
        .withSecondaryToPrimaryMapper(peer -> Set.of())
        .withPrimaryToSecondaryMapper(tenant -> Set.of())
        .build(), context);
    this.ledgers = feed.ledgers;
    feed.wakes = this;
  }

  /** Keeps the ledgers as the store changes and wakes the peers each change moves. */
  private static final class LedgerFeed implements CompactItemStore.Listener<ZoneTenant> {
    final ZoneLedgers ledgers = new ZoneLedgers();
    volatile PeerTenants wakes;

    @Override
    public void stored(ZoneTenant tenant) {
      wake(ledgers.observe(tenant));
    }

    @Override
    public void removed(ZoneTenant tenant) {
      wake(ledgers.forget(tenant));
    }

    private void wake(Set<String> tenants) {
      if (wakes != null) {
        wakes.wake(tenants);
      }
    }
  }

  /** The admission of {@code tenant} (as its reconcile sees it) in {@code zone}; wakes the peers it changes. */
  ZoneAdmission.Decision admission(BusinessZone zone, ZoneTenant tenant) {
    Set<String> wake = new HashSet<>();
    ZoneAdmission.Decision decision = ledgers.decide(zone, tenant, wake);
    wake(wake);
    return decision;
  }

  private void wake(Set<String> tenants) {
    if (!tenants.isEmpty() && getEventHandler() != null) {
      tenants.forEach(name -> getEventHandler().handleEvent(new Event(new ResourceID(name))));
    }
  }
}
