package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;

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
  void missingFileIsOneLine() {
    Run run = nnc("check", temp.resolve("nowhere.nn").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip().lines().count()).isEqualTo(1);
    assertThat(run.err()).contains("nowhere.nn");
    assertThat(run.err()).doesNotContain("Exception");
  }

  @Test
  void unknownOptionIsUsageErrorTwo() {
    Run run = nnc("check", "--frobnicate", XOR);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--frobnicate");
  }

  @Test
  void gradcheckPassesOnTheGeneratedClass() {
    Run run = nnc("gradcheck", XOR, "--seed", "3", "--batch", "3");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out()).contains("hidden.W");
    assertThat(run.out()).contains("out.b");
    assertThat(run.out()).contains("gradient check passed");
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
  }

  @Test
  void divergingTrainingExitsOneNamingTheEpoch() {
    Run run = nnc("train", "../samples/regression/regression_raw.nn");
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
