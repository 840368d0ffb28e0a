package io.lingang.zones.audit;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * What a tenant admin could reach through the zone's shared ingress controller. An Ingress by
 * itself names only its own namespace's Services and Secrets; controllers widen that with
 * annotations. The controller may read every Secret, and the zone's {@code allowIngressFrom} lets
 * it into every tenant of the zone: an annotation that writes its configuration, has it request an
 * address of the author's choosing, or load another namespace's Secret makes it a deputy into the
 * neighbours. No controller runs in the audit: what is shown is that the API server refuses to
 * store such an Ingress, so no controller ever reads it.
 */
final class IngressAttempts {
  static final String SNIPPET = "configuration snippets are not allowed in a tenant namespace";
  static final String URL = "may have the ingress controller request only Services of its own namespace";
  static final String SECRET = "may name only Secrets of its own namespace";

  private IngressAttempts() {}

  /** @param alpha an admin of the world's Shared tenant, whose zone admits a gateway namespace */
  static void tryAll(Attempts a, KubernetesClient alpha, AuditWorld w) {
    String app = w.alpha.namespace();
    String neighbour = w.beta.namespace();
    String c = "Ingress (shared controller)";
    a.refused(c, "a server snippet (ingress-nginx): configuration that runs in the controller", SNIPPET,
        () -> create(alpha, app, "snippet", Map.of("nginx.ingress.kubernetes.io/server-snippet",
            "location /steal { alias /var/run/secrets/kubernetes.io/serviceaccount/; }")));
    a.refused(c, "location snippets (NGINX Inc's controller)", SNIPPET, () -> create(alpha, app, "snippets",
        Map.of("nginx.org/location-snippets", "proxy_pass http://10.96.0.1;")));
    a.refused(c, "a snippet under a controller's own annotation prefix", SNIPPET, () -> create(alpha, app, "prefixed",
        Map.of("gateway.example.com/configuration-snippet", "return 200;")));
    a.refused(c, "external auth sent to another tenant's Service", URL, () -> create(alpha, app, "auth-neighbour",
        Map.of("nginx.ingress.kubernetes.io/auth-url", "http://api." + neighbour + ".svc.cluster.local/admin")));
    a.refused(c, "external auth sent to a pod address", URL, () -> create(alpha, app, "auth-ip",
        Map.of("nginx.ingress.kubernetes.io/auth-url", "http://10.244.1.7:8080/")));
    a.refused(c, "external auth sent to a name that merely starts like its own Service's", URL, () -> create(alpha, app,
        "auth-lookalike", Map.of("nginx.ingress.kubernetes.io/auth-url", "http://api." + app + ".svc.example.net/")));
    a.refused(c, "traffic mirrored to another tenant's Service", URL, () -> create(alpha, app, "mirror",
        Map.of("nginx.ingress.kubernetes.io/mirror-target", "http://api." + neighbour + ".svc.cluster.local$request_uri")));
    a.refused(c, "another tenant's Secret as client CA", SECRET, () -> create(alpha, app, "ca",
        Map.of("nginx.ingress.kubernetes.io/auth-tls-secret", neighbour + "/tls")));
    a.refused(c, "another tenant's Secret as the upstream client certificate", SECRET, () -> create(alpha, app, "upstream-cert",
        Map.of("nginx.ingress.kubernetes.io/proxy-ssl-secret", neighbour + "/client")));
    a.allowed(c, "control: an Ingress to its own Service, external auth and a mirror by its own Services, its own Secret",
        () -> create(alpha, app, "own", Map.of("nginx.ingress.kubernetes.io/auth-url",
            "http://oauth2-proxy." + app + ".svc.cluster.local/oauth2/auth", "nginx.ingress.kubernetes.io/mirror-target",
            "http://shadow." + app + ".svc.cluster.local$request_uri", "nginx.ingress.kubernetes.io/auth-tls-secret",
            app + "/ca", "nginx.ingress.kubernetes.io/rewrite-target", "/")));
  }

  private static Ingress create(KubernetesClient client, String ns, String name, Map<String, String> annotations) {
    return client.network().v1().ingresses().inNamespace(ns).resource(new IngressBuilder().withNewMetadata().withName(name)
        .withAnnotations(annotations).endMetadata().withNewSpec().addNewRule().withHost(name + ".example.com").withNewHttp()
        .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName("web").withNewPort()
        .withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build()).create();
  }
}
