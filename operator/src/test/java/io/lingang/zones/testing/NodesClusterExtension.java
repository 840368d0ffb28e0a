package io.lingang.zones.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Starts the {@link NodesCluster} on first use; JUnit stops it (hack/nodes.sh down) when the whole run ends. */
public final class NodesClusterExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NodesClusterExtension.class);

  static NodesCluster nodesCluster(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).computeIfAbsent(NodesCluster.class, k -> NodesCluster.start(), NodesCluster.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == NodesCluster.class || type == KubernetesClient.class || type == TestNames.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == TestNames.class) {
      return TestNames.random();
    }
    NodesCluster cluster = nodesCluster(context);
    return type == NodesCluster.class ? cluster : cluster.admin();
  }
}
