package io.lingang.zones.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lingang.zones.testing.Commands;
import io.lingang.zones.testing.NodesCluster;
import io.lingang.zones.testing.NodesClusterTest;
import io.lingang.zones.testing.TestNames;
import io.lingang.zones.testing.TestPods;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The kubelets of {@code hack/nodes.sh} take no anonymous calls (docs/SECURITY.md): without a
 * client certificate from the cluster's CA, every kubelet answers 401 to listing its pods, to exec,
 * to logs and to its configuration, whether the caller is on the machine or in a pod. The API
 * server, which holds such a certificate, gets through: the same endpoints by its node proxy work.
 */
@NodesClusterTest
class KubeletAccessOnNodesIT {
  @Test
  void kubeletsAnswerCallersWithoutACertificateWith401(NodesCluster cluster, KubernetesClient k8s, TestNames names) throws Exception {
    String ns = names.name("kubelet");
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Pod pod = k8s.resource(TestPods.restricted("caller", "50m").edit().editMetadata().withNamespace(ns).endMetadata().build()).create();
    await("the calling pod runs").atMost(Duration.ofMinutes(2)).until(() -> "Running".equals(
        k8s.pods().inNamespace(ns).withName("caller").get().getStatus().getPhase()));
    String container = pod.getSpec().getContainers().get(0).getName();
    // A real pod's paths, so that a refusal cannot be a 404 in disguise.
    List<String> paths = List.of("/pods", "/runningpods/", "/configz", "/containerLogs/" + ns + "/caller/" + container,
        "/exec/" + ns + "/caller/" + container + "?command=id&output=1");

    HttpClient machine = HttpClient.newBuilder().sslContext(trusting(cluster)).connectTimeout(Duration.ofSeconds(5)).build();
    List<Node> nodes = k8s.nodes().list().getItems();
    assertThat(nodes).hasSize(3);
    for (Node node : nodes) {
      String base = "https://" + internalIp(node) + ":" + node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
      for (String path : paths) {
        // The certificate is checked (the kubelet's own, for its IP): this is the kubelet, not something else.
        HttpResponse<String> response = machine.send(HttpRequest.newBuilder(URI.create(base + path))
            .method(path.startsWith("/exec") ? "POST" : "GET", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("from the machine, without a certificate: " + base + path).isEqualTo(401);

        Commands.Result fromPod = cluster.kubectl("exec", "-n", ns, "caller", "--", "wget", "-q", "-O-", "--no-check-certificate",
            base + path);
        assertThat(fromPod.output()).as("from a pod: " + base + path).contains("401 Unauthorized");
      }
      // The API server, with its kubelet client certificate, is let in.
      Commands.Result proxied = cluster.kubectl("get", "--raw", "/api/v1/nodes/" + node.getMetadata().getName() + "/proxy/pods");
      assertThat(proxied.exit()).as(proxied.output()).isZero();
      assertThat(proxied.output()).contains("\"kind\":\"PodList\"");
    }
  }

  private static String internalIp(Node node) {
    return node.getStatus().getAddresses().stream().filter(a -> a.getType().equals("InternalIP")).map(NodeAddress::getAddress)
        .findFirst().orElseThrow();
  }

  /** TLS that trusts the cluster's CA and nothing else; no client certificate. */
  private static SSLContext trusting(NodesCluster cluster) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream ca = Files.newInputStream(cluster.caCertificate())) {
      trust.setCertificateEntry("cluster-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }
}
