package io.lingang.zones.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lingang.zones.testing.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs in crds/ and in the chart are the ones this build generates from the Java API types.
 * When this fails, run {@code make crds} and commit the result.
 */
class CrdsInSyncTest {
  private static final Path ROOT = LocalControlPlane.repoRoot();
  private static final Path GENERATED = ROOT.resolve("operator/target/classes/META-INF/fabric8");

  @ParameterizedTest(name = "{0} holds exactly the generated CRDs")
  @ValueSource(strings = {"crds", "helm/lingang-zone-operator/crds"})
  void committedCopyMatchesGenerated(String folder) throws IOException {
    Path committed = ROOT.resolve(folder);
    List<String> generatedNames = crdFiles(GENERATED);
    assertThat(generatedNames).as("generated CRDs").hasSize(6);
    assertThat(crdFiles(committed)).as("CRD files in %s (run: make crds)", folder).isEqualTo(generatedNames);
    for (String name : generatedNames) {
      assertThat(Files.readString(committed.resolve(name)))
          .as("%s/%s is out of date: run make crds", folder, name)
          .isEqualTo(Files.readString(GENERATED.resolve(name)));
    }
  }

  private static List<String> crdFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-v1.yml")).sorted().toList();
    }
  }
}
