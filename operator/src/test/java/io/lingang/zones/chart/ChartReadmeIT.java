package io.lingang.zones.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.lingang.zones.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart's README.md is exactly what helm-docs makes of values.yaml and README.md.gotmpl. */
class ChartReadmeIT {
  @Test
  void readmeIsWhatHelmDocsGenerates() {
    Commands.Result check = ChartTools.run(List.of("bash", ChartTools.root().resolve("hack/helm-docs.sh").toString(), "--check"), null);
    assertThat(check.exit()).as("hack/helm-docs.sh --check (fix: make helm-docs)\n" + check.output()).isZero();
  }

  @Test
  void everyValueIsDocumented() throws Exception {
    String readme = Files.readString(ChartTools.chart().resolve("README.md"));
    String values = Files.readString(ChartTools.chart().resolve("values.yaml"));
    // Every leaf key of values.yaml has a row with a description (helm-docs leaves it empty without a `# --` comment).
    List<String> rows = readme.lines()
        .filter(l -> l.startsWith("| ") && !l.startsWith("| Key") && l.split("\\|").length == 5).toList();
    assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.split("\\|")[4].strip()).as(row).isNotEmpty());
    assertThat(readme).contains("--force-conflicts").contains("helm test");
    assertThat(values).contains("# -- ");
  }
}
