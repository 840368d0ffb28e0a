package io.lingang.zones.plan;

import io.lingang.zones.api.v1alpha1.DataLink;
import io.lingang.zones.api.v1alpha1.DataLinkStatus;
import java.time.Clock;

/**
 * A DataLink's status. The schema already guarantees valid CIDRs and ports, so a link the API
 * server accepted is Ready; it reports how many tenants send data over it.
 */
public final class LinkPlanner {
  private LinkPlanner() {}

  public static DataLinkStatus status(DataLink link, int tenants, Clock clock) {
    DataLinkStatus status = new DataLinkStatus();
    status.setObservedGeneration(link.getMetadata().getGeneration());
    status.setTenants(tenants);
    status.setConditions(Conditions.after(link.getStatus(), link.getMetadata().getGeneration(), clock)
        .health(Health.ready("Available",
            tenants == 1 ? "1 tenant sends data over this link" : tenants + " tenants send data over this link"))
        .build());
    return status;
  }
}
