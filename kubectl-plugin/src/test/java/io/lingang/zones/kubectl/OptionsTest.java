package io.lingang.zones.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void flagsMayComeAnywhereInBothFormsLikeKubectls() {
    Options o = Options.parse("--context=prod", "tenant", "-n", "acme-app", "acme", "--as", "alice", "--as-group", "ops",
        "--as-group=auditors", "-o", "json", "--kubeconfig", "/tmp/k");

    assertThat(o.command()).isEqualTo("tenant");
    assertThat(o.operands()).containsExactly("acme");
    assertThat(o.context()).isEqualTo("prod");
    assertThat(o.namespace()).isEqualTo("acme-app");
    assertThat(o.as()).isEqualTo("alice");
    assertThat(o.asGroups()).isEqualTo(List.of("ops", "auditors"));
    assertThat(o.output()).isEqualTo("json");
    assertThat(o.kubeconfig()).isEqualTo("/tmp/k");
  }

  @Test
  void stdinIsAFileNameAndNotAFlag() {
    assertThat(Options.parse("fit", "-f", "-").filename()).isEqualTo("-");
  }

  @Test
  void anUnknownFlagAMissingValueOrAnUnknownFormatIsAUsageError() {
    assertThatThrownBy(() -> Options.parse("zones", "--all")).hasMessageContaining("unknown flag: --all");
    assertThatThrownBy(() -> Options.parse("fit", "-f")).hasMessageContaining("flag needs an argument: -f");
    assertThatThrownBy(() -> Options.parse("zones", "-o", "wide")).hasMessageContaining("json or yaml");
  }

  @Test
  void usageErrorsExitWith2AndHelpWith0() {
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    KubectlLingang plugin = new KubectlLingang(new java.io.PrintStream(out), new java.io.PrintStream(err), o -> {
      throw new AssertionError("no cluster is needed to refuse a command line");
    });

    assertThat(plugin.run("--help")).isZero();
    assertThat(out.toString()).contains("kubectl lingang fit -f FILE");
    assertThat(plugin.run()).isEqualTo(2);
    assertThat(plugin.run("frobnicate")).isEqualTo(2);
    assertThat(plugin.run("fit")).isEqualTo(2);
    assertThat(plugin.run("tenant")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command frobnicate").contains("fit needs -f FILE")
        .contains("tenant takes one argument");
  }
}
