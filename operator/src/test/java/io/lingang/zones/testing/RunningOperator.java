package io.lingang.zones.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.LingangZoneOperator;
import io.lingang.zones.infra.OperatorSettings;

/** The operator, in this JVM, against the local control plane; one per test run. */
public final class RunningOperator implements AutoCloseable {
  private final KubernetesClient client;
  private final LingangZoneOperator operator;

  RunningOperator(LocalControlPlane plane) {
    client = LocalControlPlane.newClient(plane.config());
    operator = new LingangZoneOperator(client, OperatorSettings.defaults().withHealthPort(0));
    operator.start();
  }

  public LingangZoneOperator operator() {
    return operator;
  }

  public int healthPort() {
    return operator.healthPort();
  }

  @Override
  public void close() {
    operator.close();
    client.close();
  }
}
