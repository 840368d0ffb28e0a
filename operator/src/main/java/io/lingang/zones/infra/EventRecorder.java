package io.lingang.zones.infra;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events (core/v1) on custom resources, as `kubectl describe` shows them, and
 * logs each one as a line that names the resource. Events of cluster-scoped objects go to the
 * {@code default} namespace, as the API expects. Reconcilers derive events from status
 * transitions; like Kubernetes' own event recorder, this one also drops an identical event
 * (same object, reason and message) recorded within the last {@link #REPEAT_WINDOW}, so a
 * transition reported twice is recorded once.
 */
public final class EventRecorder {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);
  private static final int REMEMBERED = 10_000;

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "lingang-zone-operator";

  private final KubernetesClient client;
  private final Map<String, Instant> recent = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > REMEMBERED;
    }
  };

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void record(HasMetadata regarding, String type, String reason, String message) {
    if (!firstTime(regarding, reason, message)) {
      return;
    }
    if (WARNING.equals(type)) {
      log.warn("{} {}: {}: {}", regarding.getKind(), regarding.getMetadata().getName(), reason, message);
    } else {
      log.info("{} {}: {}: {}", regarding.getKind(), regarding.getMetadata().getName(), reason, message);
    }
    create(regarding, type, reason, message);
  }

  /** The same event again on another object (a tenant's TenantStatus copies), logged once already. */
  public void mirror(HasMetadata regarding, String type, String reason, String message) {
    if (firstTime(regarding, reason, message)) {
      create(regarding, type, reason, message);
    }
  }

  private boolean firstTime(HasMetadata regarding, String reason, String message) {
    String key = regarding.getKind() + "/" + regarding.getMetadata().getNamespace() + "/" + regarding.getMetadata().getName()
        + "/" + regarding.getMetadata().getUid() + "/" + reason + "/" + message;
    Instant now = Instant.now();
    synchronized (recent) {
      Instant last = recent.get(key);
      if (last != null && last.plus(REPEAT_WINDOW).isAfter(now)) {
        return false;
      }
      recent.put(key, now);
      return true;
    }
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
