package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;

import dev.nnc.emit.SourceFileGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the command line in-process and checks its output and exit code. */
class MainTest {
  private static final String XOR = "../samples/xor/xor.nn";

  @TempDir Path temp;

  record Run(int code, String out, String err) {}

  static Run nnc(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void checkPrintsTheSummary() {
    Run run = nnc("check", XOR);
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out()).contains("network Xor");
    assertThat(run.out()).containsMatch("hidden\\s+dense\\s+\\(N, 4\\)\\s+tanh\\s+12");
    assertThat(run.out()).containsMatch("out\\s+dense\\s+\\(N, 1\\)\\s+sigmoid\\s+5");
    assertThat(run.out()).contains("total parameters: 17 in 4 tensors");
  }

  @Test
  void badModelExitsTwoWithThePositionedDiagnosticAndNoStackTrace() throws IOException {
    Path bad = temp.resolve("bad.nn");
    Files.writeString(
        bad,
        "network Bad {\n    input x[2]\n    dense out[1] sigmod\n    target t[1]\n"
            + "    loss squared_error(out, t)\n}\n",
        StandardCharsets.UTF_8);
    Run run = nnc("check", bad.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "bad.nn:3:18: error: unknown activation 'sigmod'; expected one of identity, sigmoid,"
                + " relu, tanh, softmax [NN212]\n"
                + "    dense out[1] sigmod\n"
                + "                 ^~~~~~\n");
    assertThat(run.err()).doesNotContain("Exception");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void missingFileIsOneLineAndTheUsage() {
    Run run = nnc("check", temp.resolve("nowhere.nn").toString());
    assertThat(run.code()).isEqualTo(2);
    List<String> lines = run.err().strip().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).endsWith("nowhere.nn: no such file");
    assertThat(lines.get(1)).isEqualTo("Usage: nnc check [-hV] MODEL.nn");
    assertThat(lines.get(2)).isEqualTo("Try 'nnc check --help' for more information.");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void unknownOptionIsOneLineAndTheUsage() {
    Run run = nnc("check", "--frobnicate", XOR);
    assertThat(run.code()).isEqualTo(2);
    List<String> lines = run.err().strip().lines().toList();
    assertThat(lines.get(0)).isEqualTo("nnc: Unknown option: '--frobnicate'");
    assertThat(lines).contains("Usage: nnc check [-hV] MODEL.nn");
    assertThat(lines.size()).isAtMost(4);
  }

  @Test
  void unknownCommandSuggestsTheNearestOne() {
    Run run = nnc("chek", XOR);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Did you mean: nnc check");
  }

  @Test
  void noCommandIsUsageErrorTwo() {
    Run run = nnc();
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("missing command");
  }

  @Test
  void versionIsPrinted() {
    Run run = nnc("--version");
    assertThat(run.code()).isEqualTo(0);
    // the version the headers of generated files carry, never a placeholder
    assertThat(run.out()).startsWith("nnc " + SourceFileGenerator.VERSION + "\n");
    assertThat(SourceFileGenerator.VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(run.out()).contains("Java " + System.getProperty("java.version"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "generate", "explain", "gradcheck", "train", "predict", "bench"})
  void everyCommandHasHelpWithAnExample(String command) {
    Run run = nnc(command, "--help");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out()).contains("Usage: nnc " + command);
    assertThat(run.out()).containsMatch("Examples?:\\n  nnc " + command + " ");
    Run listed = nnc("--help");
    assertThat(listed.out()).containsMatch("\\n  " + command + " ");
    // examples are meant to be copied: no line wraps mid-command (picocli wraps at 80 columns)
    String[] examples = run.out().substring(run.out().indexOf("Example")).split("\n");
    for (int i = 1; i < examples.length; i++) {
      assertThat(examples[i].length()).isAtMost(80);
      if (examples[i].startsWith("      ")) { // a continuation: the line above asked for it
        assertThat(examples[i - 1]).endsWith(" \\");
      }
    }
  }

  @Test
  void gradcheckPassesOnTheGeneratedClass() {
    Run run = nnc("gradcheck", XOR, "--seed", "3", "--batch", "3");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .containsMatch(
            "tensor\\s+layer \\(line\\)\\s+shape\\s+checked\\s+max rel\\. error\\s+worst index"
                + "\\s+analytic\\s+numeric\\s+result\\n");
    // name, layer (line), shape, entries, error, index, analytic, numeric, verdict
    assertThat(run.out())
        .containsMatch(
            "hidden\\.W\\s+hidden \\(4\\)\\s+2×4\\s+8\\s+\\d\\.\\d\\de-\\d\\d\\s+\\[\\d, \\d\\]"
                + "\\s+-?[0-9.e-]+\\s+-?[0-9.e-]+\\s+ok\\n");
    assertThat(run.out()).containsMatch("out\\.b\\s+out \\(5\\)\\s+1\\s+1\\s+\\S+\\s+\\[0\\]");
    assertThat(run.out()).contains("4 tensors, 17 entries checked");
    assertThat(run.out()).endsWith("gradient check passed\n");
  }

  @Test
  void failingGradcheckExitsOneWithTheLayersSourceLine() {
    // With ε = 1e-2 the central difference is off by its truncation error (f‴ε²/6), far above
    // rounding. The check retries 10ε, ε/10 and ε/100 before it blames a gradient; the output layer
    // is nearly linear in its parameters, so at ε/100 its differences are exact to rounding, but
    // the tanh layer's are not: with threshold 0 its two tensors fail.
    Run run = nnc("gradcheck", XOR, "--threshold", "0", "--epsilon", "1e-2");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).containsMatch("hidden\\.W .*FAIL\\n");
    assertThat(run.out()).containsMatch("hidden\\.b .*FAIL\\n");
    assertThat(run.out())
        .contains("hidden.W: ../samples/xor/xor.nn:4: dense   hidden[4]  tanh     init xavier()");
    assertThat(run.err()).contains("gradient check FAILED: 2 of 4 tensors");
  }

  @Test
  void gradcheckRefusesAnEmptyBatch() {
    Run run = nnc("gradcheck", XOR, "--batch", "0");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--batch must be at least 1, got 0");
  }

  /**
   * cs231n's relu layer with 1e-4 weights: tiny gradients and relu inputs near 0. The check must
   * tell rounding and kinks apart from wrong derivatives, and say how many entries it could only
   * resolve to rounding.
   */
  @Test
  void gradcheckOfAReluNetworkWithTinyWeightsPassesAndCountsItsLimits() {
    Run run = nnc("gradcheck", "../samples/cs231n/cs231n.nn", "--max-per-tensor", "3000");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out()).contains("gradient check passed");
    // Gradients of ~1e-6 against a loss of 2.3: most of hidden.W is resolvable only to rounding.
    assertThat(run.out())
        .containsMatch("\\d+ entries differ by less than the central difference's rounding");
  }

  @Test
  void trainPrintsAFallingLossAndWritesWeights() throws IOException {
    Path outDir = temp.resolve("run");
    Run run = nnc("train", XOR, "--out", outDir.toString());
    assertThat(run.code()).isEqualTo(0);
    List<Double> losses = new ArrayList<>();
    Matcher m = Pattern.compile("epoch\\s+\\d+\\s+loss (\\S+)").matcher(run.out());
    while (m.find()) {
      losses.add(Double.parseDouble(m.group(1)));
    }
    assertThat(losses.size()).isAtLeast(10);
    assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) / 10);
    assertThat(Files.exists(outDir.resolve("Xor.npz"))).isTrue();
    assertThat(Files.readString(outDir.resolve("Xor-history.csv"))).startsWith("epoch");
    assertThat(run.out()).contains("wrote " + outDir.resolve("Xor-loss.png") + "\n");
  }

  @Test
  void divergingTrainingExitsOneNamingTheEpoch() {
    Run run = nnc("train", "../samples/regression/regression_raw.nn", "--out", temp.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).containsMatch("epoch \\d+");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void generateWritesTheClassUnderItsPackage() throws IOException {
    Run run = nnc("generate", XOR, "-d", temp.toString(), "-p", "com.acme.nets");
    assertThat(run.code()).isEqualTo(0);
    Path written = temp.resolve("com/acme/nets/Xor.java");
    assertThat(Files.readString(written)).contains("public final class Xor");
  }
}
