package io.lingang.zones.kubectl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;

/** A client configured like kubectl's: KUBECONFIG or ~/.kube/config, or --kubeconfig, --context, -n, --as. */
final class Clients {
  private Clients() {}

  static KubernetesClient connect(Options options) {
    Config config = options.kubeconfig() != null
        ? Config.fromKubeconfig(options.context(), new File(options.kubeconfig()))
        : Config.autoConfigure(options.context());
    if (options.namespace() != null) {
      config.setNamespace(options.namespace());
    }
    if (options.as() != null) {
      config.setImpersonateUsername(options.as());
      config.setImpersonateGroups(options.asGroups().toArray(String[]::new));
    }
    config.setUserAgent("kubectl-lingang");
    // Named, not discovered: the JDK's client starts fastest in a short-lived command, and the
    // tests run the operator (with its Vert.x client) in the same JVM.
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }
}
