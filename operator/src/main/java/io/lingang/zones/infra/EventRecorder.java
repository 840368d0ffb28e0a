package io.lingang.zones.infra;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events (core/v1) on custom resources, as `kubectl describe` shows them, and
 * logs each one as a line that names the resource. Events of cluster-scoped objects go to the
 * {@code default} namespace, as the API expects. Reconcilers call it on transitions only, so an
 * unchanged world records nothing.
 */
public final class EventRecorder {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "lingang-zone-operator";

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void record(HasMetadata regarding, String type, String reason, String message) {
    if (WARNING.equals(type)) {
      log.warn("{} {}: {}: {}", regarding.getKind(), regarding.getMetadata().getName(), reason, message);
    } else {
      log.info("{} {}: {}: {}", regarding.getKind(), regarding.getMetadata().getName(), reason, message);
    }
    create(regarding, type, reason, message);
  }

  /** The same event again on another object (a tenant's TenantStatus copies), logged once already. */
  public void mirror(HasMetadata regarding, String type, String reason, String message) {
    create(regarding, type, reason, message);
  }

  private void create(HasMetadata regarding, String type, String reason, String message) {
    String namespace = regarding.getMetadata().getNamespace() == null ? "default" : regarding.getMetadata().getNamespace();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
        .withGenerateName(regarding.getMetadata().getName() + ".")
        .withNamespace(namespace)
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(regarding.getApiVersion())
            .withKind(regarding.getKind())
            .withName(regarding.getMetadata().getName())
            .withNamespace(regarding.getMetadata().getNamespace())
            .withUid(regarding.getMetadata().getUid())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: losing one must not fail a reconcile.
      log.debug("could not record event {} on {}: {}", reason, regarding.getMetadata().getName(), e.getMessage());
    }
  }
}
