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
  void checkWarnsAboutDataFilesThatDoNotExist() throws IOException {
    Path model = temp.resolve("model.nn");
    Files.writeString(
        model,
        "network N {\n  input x[2]\n  dense out[1] sigmoid\n  target t[1]\n"
            + "  loss binary_cross_entropy(out, t)\n}\ntrain {\n  optimizer sgd(lr = 0.1)\n"
            + "  epochs 3\n  data csv(\"train.csv\")\n  validate csv(\"held-out.csv\")\n}\n",
        StandardCharsets.UTF_8);
    Files.writeString(temp.resolve("held-out.csv"), "1,2,0\n", StandardCharsets.UTF_8);
    Run run = nnc("check", model.toString());
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out()).contains("network N");
    assertThat(run.err())
        .isEqualTo(
            model
                + ":10:8: warning: data file 'train.csv' does not exist ("
                + temp.resolve("train.csv").toAbsolutePath().normalize()
                + "); nnc train will fail until it does [NN328]\n"
                + "  data csv(\"train.csv\")\n"
                + "       ^~~~~~~~~~~~~~~~\n");
  }

  @Test
  void checkAndTrainPrintTheWarningsOfAFileThatChecks() throws IOException {
    Path model = temp.resolve("unused.nn");
    Files.writeString(
        model,
        "network U {\n  input x[2]\n  dense h[H = 3] relu\n  dense out[1] sigmoid\n"
            + "  target t[1]\n  loss squared_error(out, t)\n}\n",
        StandardCharsets.UTF_8);
    String warning =
        model
            + ":3:11: warning: dimension 'H' is never used [NN250]\n"
            + "  dense h[H = 3] relu\n"
            + "          ^\n";
    Run check = nnc("check", model.toString());
    assertThat(check.code()).isEqualTo(0);
    assertThat(check.out()).contains("total parameters: 13");
    assertThat(check.err()).isEqualTo(warning);
    // train stops later (no train block), but only after the warning was shown
    Run train = nnc("train", model.toString(), "--out", temp.resolve("runs").toString());
    assertThat(train.err()).startsWith(warning);
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
    // picocli formats descriptions: a lone % makes it warn on the real stderr and print raw text
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    Run run;
    try {
      System.setErr(
          new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
      run = nnc(command, "--help");
    } finally {
      System.setErr(stderr);
    }
    assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("WARN");
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
            "tensor\\s+layer \\(line\\)\\s+shape\\s+checked\\s+verified\\s+unverifiable\\s+failed"
                + "\\s+shown\\s+analytic\\s+numeric\\s+\\|a−n\\|/bound\\s+result\\n");
    // name, layer (line), shape, checked, verified, unverifiable, failed, entry shown, analytic,
    // numeric, error over bound, verdict
    assertThat(run.out())
        .containsMatch(
            "hidden\\.W\\s+hidden \\(4\\)\\s+2×4\\s+8\\s+8\\s+0\\s+0\\s+\\[\\d, \\d\\]"
                + "\\s+-?[0-9.e-]+\\s+-?[0-9.e-]+\\s+\\d\\.\\d\\de-\\d\\d\\s+ok\\n");
    assertThat(run.out())
        .containsMatch("out\\.b\\s+out \\(5\\)\\s+1\\s+1\\s+1\\s+0\\s+0\\s+\\[0\\]");
    // two parameter points × three batches, the first larger so the later ones meet dirty buffers
    assertThat(run.out())
        .contains("7 rows, point 0: lossAndGradient(), loss(), lossAndGradient(), loss()");
    assertThat(run.out())
        .contains("4 rows, point 1: lossAndGradient(), loss(), lossAndGradient(), loss()");
    assertThat(run.out()).endsWith("gradient check passed: 17 entries verified, 0 unverifiable\n");
  }

  @Test
  void failingGradcheckExitsOneWithTheLayersSourceLine() {
    // With ε = 0.1 and no relative slack, the differences' truncation error (f⁽⁵⁾ε⁴) is far above
    // the rounding floor: every tensor fails, each with its count and its layer's line.
    Run run = nnc("gradcheck", XOR, "--threshold", "0", "--epsilon", "1e-1");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .containsMatch("hidden\\.W .* 8\\s+0\\s+0\\s+8 .*FAIL: 8 entries disagree\\n");
    assertThat(run.out())
        .contains("hidden.W: ../samples/xor/xor.nn:4: dense   hidden[4]  tanh     init xavier()");
    assertThat(run.err()).contains("gradient check FAILED: 4 of 4 tensors, 0 problems");
  }

  @Test
  void gradcheckRefusesAnEmptyBatch() {
    Run run = nnc("gradcheck", XOR, "--batch", "0");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--batch must be at least 1, got 0");
  }

  /**
   * cs231n's relu layer with 1e-4 weights: tiny gradients and relu inputs near 0, a split path (33
   * rows, three blocks of 16, on 1, 2 and 3 threads, and block by block), 79,510 parameters: 200
   * entries of each large tensor by finite differences.
   */
  @Test
  void gradcheckOfAReluNetworkWithTinyWeightsPassesAndChecksTheSplitPath() {
    Run run = nnc("gradcheck", "../samples/cs231n/cs231n.nn");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .contains(
            "33 rows, point 0: lossAndGradient(), loss(), lossAndGradient(), loss();"
                + " threads 1, 2, 3 (split at 17 rows); 3 blocks (blockLossAndGradient) against"
                + " the whole; split path: 9 rows whole against 18 and 27 split");
    assertThat(run.out())
        .contains(
            "4 rows, point 1: lossAndGradient(), loss(), lossAndGradient(), loss(); 1 block"
                + " (blockLossAndGradient) against the whole");
    assertThat(run.out()).contains("split path: 9 rows whole against 18 and 27 split");
    assertThat(run.out()).containsMatch("hidden\\.W\\s+hidden \\(7\\)\\s+784×100\\s+200\\s+");
    assertThat(run.out()).containsMatch("gradient check passed: \\d+ entries verified");
  }

  @Test
  void gradcheckAtTheUsersWeightsAndRows() throws IOException {
    Path outDir = temp.resolve("xor-run");
    assertThat(nnc("train", XOR, "--out", outDir.toString()).code()).isEqualTo(0);
    Path rows = temp.resolve("xor.csv");
    Files.writeString(rows, "0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
    Run run =
        nnc(
            "gradcheck",
            XOR,
            "--weights",
            outDir.resolve("Xor.npz").toString(),
            "--data",
            rows.toString(),
            "--batch",
            "2");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out()).contains("the parameters of " + outDir.resolve("Xor.npz"));
    assertThat(run.out()).contains("2 rows: lossAndGradient(), loss(), lossAndGradient(), loss()");
    assertThat(run.out()).containsMatch("gradient check passed: \\d+ entries verified");
    Path inputsOnly = temp.resolve("inputs.csv");
    Files.writeString(inputsOnly, "0,0\n0,1\n");
    Run refused =
        nnc(
            "gradcheck",
            XOR,
            "--weights",
            outDir.resolve("Xor.npz").toString(),
            "--data",
            inputsOnly.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("the gradient check needs targets or labels");
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
