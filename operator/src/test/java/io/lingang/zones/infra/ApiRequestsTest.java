package io.lingang.zones.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The labels of lingang_api_requests_total: Kubernetes verbs, and resources without names. */
class ApiRequestsTest {

  @Test
  void aPathNamesItsResourceNeverItsNameOrNamespace() {
    assertThat(ApiRequests.resource("/api/v1/namespaces/acme/resourcequotas/lingang-quota")).isEqualTo("resourcequotas");
    assertThat(ApiRequests.resource("/api/v1/namespaces/acme")).isEqualTo("namespaces");
    assertThat(ApiRequests.resource("/api/v1/namespaces")).isEqualTo("namespaces");
    assertThat(ApiRequests.resource("/api/v1/namespaces/acme/finalize")).isEqualTo("namespaces/finalize");
    assertThat(ApiRequests.resource("/apis/zones.lingang.io/v1alpha1/zonetenants/acme/status")).isEqualTo("zonetenants/status");
    assertThat(ApiRequests.resource("/apis/zones.lingang.io/v1alpha1/namespaces/acme/tenantstatuses/acme/status"))
        .isEqualTo("tenantstatuses/status");
    assertThat(ApiRequests.resource("/apis/rbac.authorization.k8s.io/v1/clusterroles")).isEqualTo("clusterroles");
    assertThat(ApiRequests.resource("/version")).isEqualTo("other");
  }

  @Test
  void methodsReadAsKubernetesVerbs() {
    URI list = URI.create("https://k/api/v1/pods");
    assertThat(ApiRequests.verb("GET", URI.create("https://k/api/v1/pods?watch=true&resourceVersion=1"))).isEqualTo("watch");
    assertThat(ApiRequests.verb("GET", list)).isEqualTo("get");
    assertThat(ApiRequests.verb("PATCH", list)).isEqualTo("patch");
    assertThat(ApiRequests.verb("POST", list)).isEqualTo("create");
  }
}
