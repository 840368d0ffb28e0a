package io.lingang.zones.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the control plane (and, for tests that ask, the operator) on first use; JUnit closes
 * both when the whole run ends.
 */
public final class ControlPlaneExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ControlPlaneExtension.class);

  static LocalControlPlane controlPlane(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent(LocalControlPlane.class, k -> LocalControlPlane.start(), LocalControlPlane.class);
  }

  static RunningOperator runningOperator(ExtensionContext context) {
    LocalControlPlane plane = controlPlane(context);
    return context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent(RunningOperator.class, k -> new RunningOperator(plane), RunningOperator.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalControlPlane.class || type == KubernetesClient.class || type == TestNames.class
        || type == RunningOperator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == TestNames.class) {
      return TestNames.random();
    }
    if (type == RunningOperator.class) {
      return runningOperator(context);
    }
    LocalControlPlane plane = controlPlane(context);
    return type == LocalControlPlane.class ? plane : plane.admin();
  }
}
