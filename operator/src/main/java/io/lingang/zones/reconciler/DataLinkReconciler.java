package io.lingang.zones.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.plan.LinkPlanner;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reports each DataLink's state and how many tenants send data over it. */
@ControllerConfiguration(name = "datalink")
public class DataLinkReconciler implements Reconciler<DataLink> {
  private final Clock clock;
  private final StatusRecorder recorder;
  private final TenantDirectory tenants;

  public DataLinkReconciler(EventRecorder events, TenantDirectory tenants) {
    this(events, tenants, Clock.systemUTC());
  }

  DataLinkReconciler(EventRecorder events, TenantDirectory tenants, Clock clock) {
    this.recorder = new StatusRecorder(events);
    this.tenants = tenants;
    this.clock = clock;
  }

  /** A tenant's change wakes the links it names or has applied, when either changed. */
  @Override
  public List<EventSource<?, DataLink>> prepareEventSources(EventSourceContext<DataLink> context) {
    return List.of(tenants.follow("tenants", change -> change.before() != null && change.after() != null
        && change.before().declaredLinks().equals(change.after().declaredLinks())
        && change.before().appliedLinks().equals(change.after().appliedLinks()) ? Set.of()
        : change.both().flatMap(f -> Stream.concat(f.declaredLinks().stream(), f.appliedLinks().stream()))
            .map(ResourceID::new).collect(Collectors.toSet())));
  }

  @Override
  public UpdateControl<DataLink> reconcile(DataLink link, Context<DataLink> context) {
    if (!tenants.synced()) {
      return UpdateControl.<DataLink>noUpdate().rescheduleAfter(TenantDirectory.UNTIL_SYNCED);
    }
    int users = (int) tenants.usersOf(link.getMetadata().getName());
    recorder.write(link, LinkPlanner.status(link, users, clock), DataLink::new, context);
    return UpdateControl.noUpdate();
  }
}
