package io.lingang.zones.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lingang.zones.testing.Http;
import io.lingang.zones.testing.LocalControlPlane;
import io.lingang.zones.testing.OwnControlPlane;
import io.lingang.zones.testing.OperatorProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing a user can write stops the operator: 2,000 random mutations of the valid objects in
 * examples/ (fields deleted, wrong types, huge and negative numbers, malformed quantities and
 * times, unicode, long strings, stray keys), sent to the real API server, against the packaged
 * operator in a process of its own. It ends with the process alive, no stack trace in its log,
 * every accepted object with conditions, and a fresh valid tenant Ready. The seed is printed, so a
 * failing run can be repeated ({@code -Dlingang.fuzz.seed=...}).
 */
@OwnControlPlane("control-plane-fuzz")
class FuzzIT {
  private static final int MUTATIONS = 2_000;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static LocalControlPlane plane;
  private static KubernetesClient k8s;

  @BeforeEach
  void controlPlane(LocalControlPlane own) {
    plane = own;
    k8s = own.admin();
  }

  @Test
  void noMutationOfAValidObjectStopsTheOperatorOrLeavesAnObjectWithoutConditions() throws Exception {
    long seed = Long.getLong("lingang.fuzz.seed", System.nanoTime());
    System.out.println("FuzzIT seed: " + seed);
    Random random = new Random(seed);
    List<ObjectNode> examples = examples();
    List<GenericKubernetesResource> accepted = new ArrayList<>();
    int refused = 0;
    try (OperatorProcess operator = OperatorProcess.start(plane, Map.of())) {
      examples.forEach(e -> create(e.deepCopy()).ifPresent(accepted::add));
      for (int i = 0; i < MUTATIONS; i++) {
        ObjectNode mutant = examples.get(random.nextInt(examples.size())).deepCopy();
        ((ObjectNode) mutant.get("metadata")).put("name", "fuzz-" + i);
        ((ObjectNode) mutant.get("metadata")).remove("labels");
        int changes = 1 + random.nextInt(3);
        for (int c = 0; c < changes; c++) {
          mutate(mutant.get("spec"), random);
        }
        var created = create(mutant);
        if (created.isPresent()) {
          accepted.add(created.get());
        } else {
          refused++;
        }
      }
      System.out.printf("FuzzIT: %d mutations, %d accepted, %d refused by the API server %s%n", MUTATIONS,
          accepted.size() - examples.size(), refused, REFUSALS);

      try {
        await("every accepted object has conditions").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
            .untilAsserted(() -> assertThat(withoutConditions(accepted)).isEmpty());
      } finally {
        Files.writeString(LocalControlPlane.repoRoot().resolve("operator/target/fuzz-operator.log"), operator.log());
      }
      String zone = "fuzz-fresh-zone";
      String tenant = "fuzz-fresh";
      create((ObjectNode) YAML.readTree("""
          {apiVersion: zones.lingang.io/v1alpha1, kind: BusinessZone, metadata: {name: %s},
           spec: {mode: Shared, capacity: {pods: 5}}}""".formatted(zone))).orElseThrow();
      create((ObjectNode) YAML.readTree("""
          {apiVersion: zones.lingang.io/v1alpha1, kind: ZoneTenant, metadata: {name: %s},
           spec: {zone: %s, company: {name: Fresh}, quota: {pods: 2}}}""".formatted(tenant, zone))).orElseThrow();
      await("a fresh valid tenant Ready").atMost(Duration.ofSeconds(60)).until(() -> ready(tenant));

      Files.writeString(LocalControlPlane.repoRoot().resolve("operator/target/fuzz-operator.log"), operator.log());
      assertThat(operator.isAlive()).as("the operator process is alive (exits: 0)").isTrue();
      assertThat(Http.status(operator.port(), "/healthz")).isEqualTo(200);
      List<String> traces = operator.log().lines().filter(l -> l.startsWith("\tat ") || l.contains("Exception in thread")).toList();
      assertThat(traces).as("stack trace lines in the operator's log (operator/target/fuzz-operator.log)").isEmpty();
    }
  }

  /** Mutates one random place below {@code node}. */
  private static void mutate(JsonNode node, Random random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(node, containers);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ObjectNode object) {
      List<String> keys = new ArrayList<>();
      object.fieldNames().forEachRemaining(keys::add);
      String key = keys.isEmpty() || random.nextInt(5) == 0 ? "fuzz" + random.nextInt(3) : keys.get(random.nextInt(keys.size()));
      if (random.nextInt(4) == 0) {
        object.remove(key);
      } else {
        object.set(key, value(random));
      }
    } else if (target instanceof ArrayNode array) {
      if (array.isEmpty() || random.nextBoolean()) {
        array.add(value(random));
      } else {
        array.set(random.nextInt(array.size()), value(random));
      }
    }
  }

  private static void collect(JsonNode node, List<JsonNode> into) {
    if (node != null && node.isContainerNode()) {
      into.add(node);
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        collect(it.next(), into);
      }
    }
  }

  private static JsonNode value(Random random) {
    return switch (random.nextInt(14)) {
      case 0 -> F.textNode("");
      case 1 -> F.textNode(List.of("5e3x", "1e1a", "2m5x", "lots", "-1", "1e999999999", "1e5000000", "0.5", "4Gi").get(random.nextInt(9)));
      case 2 -> F.textNode(List.of("2027-13-01T00:00:00Z", "yesterday", "2027-02-30T00:00:00Z", "2030-01-01T00:00:00Z").get(random.nextInt(4)));
      case 3 -> F.numberNode(List.of(-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE, 70000L).get(random.nextInt(5)));
      case 4 -> F.numberNode(1e308);
      case 5 -> F.booleanNode(random.nextBoolean());
      case 6 -> F.nullNode();
      case 7 -> F.textNode("租户🚀" + "é".repeat(random.nextInt(5)));
      case 8 -> F.textNode("x".repeat(1 + random.nextInt(12_000)));
      case 9 -> F.arrayNode().add("a").add(1);
      case 10 -> F.objectNode().put("a,b", "c=d").put("pods", "1");
      case 11 -> F.textNode(List.of("Shared", "Dedicated", "Delete", "Retain", "ClusterIP", "NodePort", "privileged", "baseline",
          "Exists", "NoSchedule").get(random.nextInt(10)));
      case 12 -> F.textNode("pudong-shared");
      default -> F.textNode("fuzz-" + random.nextInt(MUTATIONS));
    };
  }

  private static final Map<String, Integer> REFUSALS = new java.util.TreeMap<>();

  private static java.util.Optional<GenericKubernetesResource> create(ObjectNode object) {
    try {
      var resource = k8s.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
      return java.util.Optional.of(k8s.resource(resource).create());
    } catch (KubernetesClientException | IllegalArgumentException e) {
      String why = e instanceof KubernetesClientException k && k.getStatus() != null ? k.getStatus().getReason() + " " + k.getCode()
          : e.getClass().getSimpleName();
      REFUSALS.merge(why, 1, Integer::sum);
      return java.util.Optional.empty();
    }
  }

  private static List<String> withoutConditions(List<GenericKubernetesResource> accepted) {
    List<String> missing = new ArrayList<>();
    for (GenericKubernetesResource r : accepted) {
      String plural = plural(r.getKind());
      GenericKubernetesResource now = k8s.genericKubernetesResources("zones.lingang.io/v1alpha1", r.getKind())
          .withName(r.getMetadata().getName()).get();
      Object status = now == null ? null : now.getAdditionalProperties().get("status");
      boolean hasConditions = status instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> c && !c.isEmpty();
      if (now != null && !hasConditions) {
        missing.add(plural + "/" + r.getMetadata().getName());
      }
    }
    return missing;
  }

  private static boolean ready(String name) {
    var t = k8s.genericKubernetesResources("zones.lingang.io/v1alpha1", "ZoneTenant").withName(name).get();
    Object status = t == null ? null : t.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> conditions && conditions.stream()
        .anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
  }

  private static String plural(String kind) {
    return kind.toLowerCase() + "s";
  }

  /** Every object of examples/, as JSON trees. */
  private static List<ObjectNode> examples() throws IOException {
    List<ObjectNode> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(LocalControlPlane.repoRoot().resolve("examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (String doc : Files.readString(file).split("(?m)^---$")) {
          JsonNode node = YAML.readTree(doc);
          if (node instanceof ObjectNode o && o.has("kind")) {
            all.add(o);
          }
        }
      }
    }
    return all;
  }
}
