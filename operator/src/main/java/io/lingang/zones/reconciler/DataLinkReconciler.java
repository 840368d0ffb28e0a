package io.lingang.zones.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.ZoneTenant;
import io.lingang.zones.infra.EventRecorder;
import io.lingang.zones.plan.LinkPlanner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reports each DataLink's state and how many tenants send data over it. */
@ControllerConfiguration(name = "datalink")
public class DataLinkReconciler implements Reconciler<DataLink> {
  /** Index of ZoneTenants by the DataLinks whose egress is applied to them. */
  private static final String TENANTS_BY_LINK = "tenants-by-applied-link";

  private final Clock clock;
  private final StatusRecorder recorder;
  private InformerEventSource<ZoneTenant, DataLink> tenants;

  public DataLinkReconciler(EventRecorder events) {
    this(events, Clock.systemUTC());
  }

  DataLinkReconciler(EventRecorder events, Clock clock) {
    this.recorder = new StatusRecorder(events);
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, DataLink>> prepareEventSources(EventSourceContext<DataLink> context) {
    tenants = new InformerEventSource<>(InformerEventSourceConfiguration.from(ZoneTenant.class, DataLink.class)
        .withName("tenants")
        .withSecondaryToPrimaryMapper(tenant -> linkNames(tenant).map(ResourceID::new).collect(Collectors.toSet()))
        .build(), context);
    tenants.addIndexers(Map.of(TENANTS_BY_LINK, tenant -> appliedLinks(tenant).toList()));
    return List.of(tenants);
  }

  @Override
  public UpdateControl<DataLink> reconcile(DataLink link, Context<DataLink> context) {
    int users = tenants.byIndex(TENANTS_BY_LINK, link.getMetadata().getName()).size();
    recorder.write(link, LinkPlanner.status(link, users, clock), DataLink::new, context);
    return UpdateControl.noUpdate();
  }

  /** Links named in the tenant's spec or applied in its status: a change to either may change a count. */
  private static Stream<String> linkNames(ZoneTenant tenant) {
    Stream<String> declared = tenant.getSpec() == null || tenant.getSpec().getEgress() == null
        ? Stream.empty() : tenant.getSpec().getEgress().stream();
    return Stream.concat(declared, appliedLinks(tenant)).filter(Objects::nonNull).distinct();
  }

  private static Stream<String> appliedLinks(ZoneTenant tenant) {
    return tenant.getStatus() == null || tenant.getStatus().getEgress() == null
        ? Stream.empty() : tenant.getStatus().getEgress().stream();
  }
}
