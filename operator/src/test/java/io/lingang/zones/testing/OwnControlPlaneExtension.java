package io.lingang.zones.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Starts and stops the control plane {@link OwnControlPlane} asks for. */
final class OwnControlPlaneExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OwnControlPlaneExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    OwnControlPlane own = context.getRequiredTestClass().getAnnotation(OwnControlPlane.class);
    context.getStore(NAMESPACE).put(LocalControlPlane.class, LocalControlPlane.start(own.value(), own.flags()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LocalControlPlane plane = context.getStore(NAMESPACE).remove(LocalControlPlane.class, LocalControlPlane.class);
    if (plane != null) {
      plane.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalControlPlane.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalControlPlane plane = context.getStore(NAMESPACE).get(LocalControlPlane.class, LocalControlPlane.class);
    return parameter.getParameter().getType() == LocalControlPlane.class ? plane : plane.admin();
  }
}
