package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static dev.nnc.cli.MainTest.nnc;

import dev.nnc.cli.MainTest.Run;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc predict}: outputs, scores, numpy-made weights, and weights that do not fit. */
class PredictCommandTest {
  private static final String XOR = "../samples/xor/xor.nn";
  static final Path ORACLE = Path.of("../testdata/oracle/S2toy_init.npz");

  @TempDir static Path trained;
  @TempDir Path temp;

  @BeforeAll
  static void trainXor() {
    Run run = nnc("train", XOR, "--out", trained.toString(), "--plot", "none");
    assertThat(run.code()).isEqualTo(0);
  }

  private static String weights() {
    return trained.resolve("Xor.npz").toString();
  }

  @Test
  void printsOneCsvLinePerRow() throws IOException {
    Path points = temp.resolve("points.csv");
    Files.writeString(points, "0,0\n0,1\n1,0\n1,1\n");
    Run run = nnc("predict", XOR, "--weights", weights(), "--data", points.toString());
    assertThat(run.code()).isEqualTo(0);
    List<String> lines = run.out().strip().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).isEqualTo("row,class,t_0");
    double[] outputs = new double[4];
    for (int r = 0; r < 4; r++) {
      String[] fields = lines.get(r + 1).split(",");
      assertThat(fields[0]).isEqualTo(Integer.toString(r));
      outputs[r] = Double.parseDouble(fields[2]);
      assertThat(fields[1]).isEqualTo(r == 1 || r == 2 ? "1" : "0");
    }
    assertThat(outputs[0]).isLessThan(0.1);
    assertThat(outputs[1]).isGreaterThan(0.9);
    assertThat(outputs[2]).isGreaterThan(0.9);
    assertThat(outputs[3]).isLessThan(0.1);
  }

  @Test
  void withTargetsItPrintsTheLossAndTheAccuracy() throws IOException {
    Path labelled = temp.resolve("xor.csv");
    Files.writeString(labelled, "x1,x2,t\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
    Run run =
        nnc("predict", XOR, "--weights", weights(), "--data", labelled.toString(), "--header");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out()).contains("Xor on xor.csv: 4 rows");
    assertThat(run.out())
        .containsMatch("loss      0\\.00\\d+   \\(binary_cross_entropy reduce batch_mean");
    assertThat(run.out()).contains("accuracy  100.00%   (4 of 4 rows)");
    assertThat(run.out())
        .contains("\nf1        1.00000   (the harmonic mean of precision and recall)");
    assertThat(run.out()).contains("\nauc       1.00000   (area under the ROC curve");
  }

  static final String THREE_CLASSES =
      """
      network Three {
          input   x[2]
          dense   hidden[4]  tanh  init xavier()
          dense   scores[3]        init xavier()
          label   y
          loss    softmax_cross_entropy(scores, y)
      }
      train {
          optimizer sgd(lr = 0.5)
          epochs    300
          seed      2
          data inline {
              x = [[0, 0], [0, 1], [1, 1], [1, 2], [2, 0], [2, 1]]
              y = [0, 0, 1, 1, 2, 2]
          }
      }
      """;

  @Test
  void aSoftmaxNetworkPrintsTheClassAndItsProbabilitiesOrOnRequestTheLogits() throws IOException {
    Path model = temp.resolve("three.nn");
    Files.writeString(model, THREE_CLASSES);
    Path out = temp.resolve("three");
    assertThat(nnc("train", model.toString(), "--out", out.toString(), "--plot", "none").code())
        .isEqualTo(0);
    Path points = temp.resolve("points.csv");
    Files.writeString(points, "0,0.5\n1,1.5\n2,0.5\n");
    String weights = out.resolve("Three.npz").toString();
    Run run = nnc("predict", model.toString(), "--weights", weights, "--data", points.toString());
    assertThat(run.code()).isEqualTo(0);
    List<String> lines = run.out().strip().lines().toList();
    assertThat(lines.get(0)).isEqualTo("row,class,p_0,p_1,p_2");
    Run raw =
        nnc(
            "predict",
            model.toString(),
            "--weights",
            weights,
            "--data",
            points.toString(),
            "--logits");
    List<String> rawLines = raw.out().strip().lines().toList();
    assertThat(rawLines.get(0)).isEqualTo("row,class,logit_0,logit_1,logit_2");
    for (int r = 0; r < 3; r++) {
      String[] fields = lines.get(r + 1).split(",");
      String[] rawFields = rawLines.get(r + 1).split(",");
      assertThat(fields[1]).isEqualTo(Integer.toString(r)); // trained: each point its own class
      assertThat(rawFields[1]).isEqualTo(fields[1]);
      double sum = 0;
      double exps = 0;
      for (int j = 0; j < 3; j++) {
        sum += Double.parseDouble(fields[2 + j]);
        exps += Math.exp(Double.parseDouble(rawFields[2 + j]));
      }
      assertThat(sum).isWithin(1e-5).of(1.0);
      for (int j = 0; j < 3; j++) {
        double softmax = Math.exp(Double.parseDouble(rawFields[2 + j])) / exps;
        assertThat(Double.parseDouble(fields[2 + j])).isWithin(1e-5).of(softmax);
      }
    }
    Run refused =
        nnc("predict", XOR, "--weights", weights(), "--data", points.toString(), "--logits");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err())
        .contains(
            "--logits needs a softmax_cross_entropy network; the outputs of Xor are probabilities"
                + " already (binary_cross_entropy)");
  }

  @Test
  void weightsThatDoNotFitNameTheTensorAndBothShapes() throws IOException {
    Path wider = temp.resolve("wide.nn");
    Files.writeString(wider, Files.readString(Path.of(XOR)).replace("hidden[4]", "hidden[3]"));
    Path points = temp.resolve("points.csv");
    Files.writeString(points, "0,0\n");
    Run run = nnc("predict", wider.toString(), "--weights", weights(), "--data", points.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo(
            "nnc: Xor.npz: member 'hidden.W': shape (2, 4), the network needs (2, 3) for hidden.W"
                + " (layer 'hidden', line 4)");
  }

  @Test
  void dataOfTheWrongWidthIsNamed() throws IOException {
    Path points = temp.resolve("three.csv");
    Files.writeString(points, "0,0,0,1\n");
    Run run = nnc("predict", XOR, "--weights", weights(), "--data", points.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "three.csv: rows have 4 fields; the network takes 2 input columns,"
                + " optionally followed by 1 target column");
  }

  @Test
  void missingWeightsFileIsAUsageError() {
    Run run = nnc("predict", XOR, "--weights", temp.resolve("none.npz").toString(), "--data", XOR);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("nnc: --weights " + temp.resolve("none.npz") + ": no such file\n");
    assertThat(run.err()).contains("Usage: nnc predict");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Run run = nnc("predict", XOR, "--data", XOR);
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option: '--weights=WEIGHTS.npz'");
  }

  /**
   * The oracle's numpy weights (W1 b1 W2 b2, with the batch X, y) go straight into the toy network:
   * the loss nnc prints is the oracle's, 1.3037878913298 (the cs231n notebook's correct_loss).
   */
  @Test
  void numpyMadeWeightsLoadWithAMap() throws IOException {
    Path toy = temp.resolve("toy.nn");
    Files.writeString(toy, ExplainCommandTest.TOY, StandardCharsets.UTF_8);
    String[] common = {
      "predict",
      toy.toString(),
      "--weights",
      ORACLE.toString(),
      "--data",
      ORACLE.toString(),
      "--x",
      "X",
      "--y",
      "y"
    };
    Run named = nnc(concat(common, "--map", "W1=hidden.W,b1=hidden.b,W2=scores.W,b2=scores.b"));
    assertThat(named.code()).isEqualTo(0);
    assertThat(named.out()).contains("TwoLayerToy on S2toy_init.npz: 5 rows");
    assertThat(named.out())
        .contains(
            "loss      1.30378789   (softmax_cross_entropy reduce batch_mean, penalty included)");
    Run positional = nnc(concat(common, "--map", "positional"));
    assertThat(positional.code()).isEqualTo(0);
    assertThat(positional.out()).isEqualTo(named.out());

    Run unmapped = nnc(common);
    assertThat(unmapped.code()).isEqualTo(2);
    assertThat(unmapped.err())
        .contains(
            "no member 'hidden.W' for the tensor hidden.W (members: W1, b1, W2, b2, X, y, reg, lr)");
    assertThat(unmapped.err()).contains("--map");

    Run swapped = nnc(concat(common, "--map", "W2=hidden.W,b1=hidden.b,W1=scores.W,b2=scores.b"));
    assertThat(swapped.code()).isEqualTo(2);
    assertThat(swapped.err())
        .contains("member 'W2' (for hidden.W): shape (10, 3), the network needs (4, 10)");
  }

  @Test
  void predictionsMatchTheArithmeticOfTheNumpyWeights() throws IOException {
    Map<String, NpyArray> oracle = Npz.read(ORACLE);
    Map<String, NpyArray> inputs = new LinkedHashMap<>();
    inputs.put("x", oracle.get("X"));
    Path data = temp.resolve("inputs.npz");
    Npz.write(data, inputs);
    Path toy = temp.resolve("toy.nn");
    Files.writeString(toy, ExplainCommandTest.TOY, StandardCharsets.UTF_8);
    Run run =
        nnc(
            "predict",
            toy.toString(),
            "--weights",
            ORACLE.toString(),
            "--map",
            "positional",
            "--data",
            data.toString());
    assertThat(run.code()).isEqualTo(0);
    List<String> lines = run.out().strip().lines().toList();
    // softmax_cross_entropy: the class probabilities, the softmax of numpy's scores
    assertThat(lines.get(0)).isEqualTo("row,class,p_0,p_1,p_2");
    double[] x = oracle.get("X").data();
    double[] w1 = oracle.get("W1").data();
    double[] b1 = oracle.get("b1").data();
    double[] w2 = oracle.get("W2").data();
    double[] b2 = oracle.get("b2").data();
    for (int r = 0; r < 5; r++) {
      double[] scores = b2.clone();
      for (int h = 0; h < 10; h++) {
        double z = b1[h];
        for (int i = 0; i < 4; i++) {
          z += x[r * 4 + i] * w1[i * 10 + h];
        }
        for (int c = 0; c < 3; c++) {
          scores[c] += Math.max(0, z) * w2[h * 3 + c];
        }
      }
      String[] fields = lines.get(r + 1).split(",");
      double exps = Math.exp(scores[0]) + Math.exp(scores[1]) + Math.exp(scores[2]);
      for (int c = 0; c < 3; c++) {
        assertThat(Double.parseDouble(fields[2 + c])).isWithin(1e-5).of(Math.exp(scores[c]) / exps);
      }
    }
  }

  static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
