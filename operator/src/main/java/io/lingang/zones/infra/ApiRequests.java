package io.lingang.zones.infra;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests the operator's client sends, by verb and resource, and serves them as
 * {@code lingang_api_requests_total}: the writes of a reconcile that changed nothing must stay at
 * zero, and this is where an operator in production shows it.
 */
public final class ApiRequests implements Interceptor {
  public static final String METRIC = "lingang.api.requests";

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  private record Key(String verb, String resource) {}

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  /** A client for {@code config} whose requests this counts (and which prefers ChaCha20, see {@link ChaCha20First}). */
  public KubernetesClient client(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(ChaCha20First.httpClientFactory())
        .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("api-requests", this))
        .build();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String verb = verb(request.method(), request.uri());
    Key key = new Key(verb, resource(request.uri().getRawPath()));
    counts.computeIfAbsent(key, k -> {
      LongAdder adder = new LongAdder();
      MeterRegistry bound = registry;
      if (bound != null) {
        register(bound, k, adder);
      }
      return adder;
    }).increment();
  }

  /** Serves the counts, those so far and those to come, on {@code registry}. */
  public synchronized void bindTo(MeterRegistry registry) {
    this.registry = registry;
    counts.forEach((key, adder) -> register(registry, key, adder));
  }

  /** Requests that change something (create, update, patch, delete) sent so far. */
  public long writes() {
    return counts.entrySet().stream().filter(e -> isWrite(e.getKey().verb())).mapToLong(e -> e.getValue().sum()).sum();
  }

  private static boolean isWrite(String verb) {
    return switch (verb) {
      case "create", "update", "patch", "delete" -> true;
      default -> false;
    };
  }

  private static void register(MeterRegistry registry, Key key, LongAdder adder) {
    FunctionCounter.builder(METRIC, adder, LongAdder::doubleValue)
        .description("Requests the operator sent to the API server, by verb and resource; writes are create, update, patch and delete")
        .tag("verb", key.verb())
        .tag("resource", key.resource())
        .register(registry);
  }

  /** Kubernetes' own verbs, so the numbers read like the API server's audit log. */
  static String verb(String method, URI uri) {
    return switch (method) {
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> uri.getRawQuery() != null && uri.getRawQuery().contains("watch=true") ? "watch" : "get";
    };
  }

  /**
   * The resource a path names: {@code /api/v1/namespaces/a/resourcequotas/q} is resourcequotas,
   * {@code /apis/zones.lingang.io/v1alpha1/zonetenants/x/status} zonetenants/status. A bounded set,
   * never a name or a namespace.
   */
  static String resource(String path) {
    String[] parts = path.replaceAll("^/+", "").split("/");
    int i = parts.length > 0 && parts[0].equals("api") ? 2 : parts.length > 0 && parts[0].equals("apis") ? 3 : parts.length;
    if (i + 2 < parts.length && parts[i].equals("namespaces") && !NAMESPACE_SUBRESOURCES.contains(parts[i + 2])) {
      i += 2;
    }
    if (i >= parts.length) {
      return "other";
    }
    String resource = parts[i];
    return i + 2 < parts.length ? resource + "/" + parts[i + 2] : resource;
  }
}
