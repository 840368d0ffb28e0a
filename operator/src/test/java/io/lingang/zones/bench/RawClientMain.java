package io.lingang.zones.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lingang.zones.api.v1alpha1.BusinessZone;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The raw client as a process of its own, started by {@link RawClientProcess} with the operator's
 * JVM flags, so that both sides of the comparison are a fresh JVM that has connected and read what
 * it needs before the clock starts. It talks over stdin/stdout, one line each:
 *
 * <pre>
 *   -> ready                  client built, zones read
 *   <- go                     the benchmark took its first reading
 *   -> created NAME NANOS     per tenant, System.nanoTime() when its ZoneTenant create returned
 *   -> request KEY COUNT      per "VERB resource[/subresource]" sent
 *   -> done
 *   <- exit                   the benchmark read this process's CPU and memory
 * </pre>
 *
 * Arguments: KUBECONFIG TENANTS ZONES THREADS.
 */
public final class RawClientMain {
  private RawClientMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.log.io.lingang", "warn");
    Path kubeconfig = Path.of(args[0]);
    int tenants = Integer.parseInt(args[1]);
    int zones = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    config.setUserAgent("lingang-bench-raw");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // The operator's own HTTP client factory (ChaCha20 first): the same client, so that the ratio
    // measures what the operator does, not how it encrypts.
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
        .withHttpClientFactory(io.lingang.zones.infra.ChaCha20First.httpClientFactory()).build()) {
      Map<String, BusinessZone> byName = client.resources(BusinessZone.class).list().getItems().stream()
          .collect(Collectors.toMap(z -> z.getMetadata().getName(), Function.identity()));
      RawProvisioner raw = new RawProvisioner(client, byName);
      say("ready");
      expect(in, "go");
      raw.provision(Workload.tenants(tenants, zones), threads);
      raw.createdAt().forEach((name, at) -> say("created " + name + " " + at));
      raw.requests().forEach((key, count) -> say("request " + key.replace(' ', '_') + " " + count));
      say("done");
      expect(in, "exit");
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void expect(BufferedReader in, String word) throws java.io.IOException {
    String line = in.readLine();
    if (!word.equals(line)) {
      throw new IllegalStateException("expected '" + word + "' from the benchmark, got " + line);
    }
  }
}
