package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;
import static dev.nnc.cli.MainTest.nnc;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nnc.cli.MainTest.Run;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.data.Weights;
import java.io.IOException;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's round trip, command by command: a PyTorch-exported model (the float64 softmax
 * fixture) → {@code nnc import} → {@code nnc train --init} (fine-tuning) → {@code nnc export} →
 * ONNX Runtime, which must give the fine-tuned network's probabilities to 1e-12.
 */
class OnnxRoundTripTest {
  private static final Path FIXTURES = Path.of("../testdata/onnx");

  @TempDir Path temp;

  @Test
  void importFineTuneExportRunsInOnnxRuntime() throws Exception {
    Run imported =
        nnc("import", FIXTURES.resolve("mlp_softmax_f64.onnx").toString(), "-o", temp.toString());
    assertThat(imported.err()).isEmpty();
    assertThat(imported.code()).isEqualTo(0);
    Path nn = temp.resolve("mlp_softmax_f64.nn");
    Path weights = temp.resolve("mlp_softmax_f64.npz");
    assertThat(imported.out()).contains("wrote " + nn + " and " + weights);

    // The data to fine-tune on: the fixture's inputs with labels PyTorch's model gets wrong.
    NpyArray x = Npz.read(FIXTURES.resolve("mlp_softmax_f64_io.npz")).get("X");
    NpyArray y = Npz.read(FIXTURES.resolve("mlp_softmax_f64_io.npz")).get("Y");
    int rows = x.shape()[0];
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = (argmax(y.data(), r * 4, 4) + 1) % 4;
    }
    Map<String, NpyArray> data = new LinkedHashMap<>();
    data.put("X", x);
    data.put("y", NpyArray.ofInts(labels, rows));
    Npz.write(temp.resolve("train.npz"), data);
    String text = Files.readString(nn);
    String completed =
        text.replace(
                "// data npz(\"train.npz\", x = \"X\", y = \"Y\")",
                "data npz(\"train.npz\", x = \"X\", y = \"y\")")
            .replace("adam(lr = 0.001)", "adam(lr = 0.01)");
    assertThat(completed).isNotEqualTo(text);
    Files.writeString(nn, completed);

    Path run = temp.resolve("run");
    Run trained =
        nnc(
            "train",
            nn.toString(),
            "--init",
            weights.toString(),
            "--epochs",
            "20",
            "--plot",
            "none",
            "--out",
            run.toString());
    assertThat(trained.err()).isEmpty();
    assertThat(trained.code()).isEqualTo(0);
    assertThat(trained.out()).contains("starting from the weights of " + weights);

    // Epoch 1 is one full step (5 rows, batches of 32): its loss is the imported weights' loss.
    CompiledModel model = CompiledModel.load(nn);
    Dataset dataset = new Dataset("train.npz", rows, 5, x.data(), 0, null, labels);
    double importedLoss = loss(model, weights, dataset);
    Matcher first = Pattern.compile("epoch +1 +loss (\\S+)").matcher(trained.out());
    assertThat(first.find()).isTrue();
    assertThat(first.group(1)).isEqualTo(String.format(Locale.ROOT, "%.8f", importedLoss));
    Path tuned = run.resolve("MlpSoftmaxF64.npz");
    assertThat(loss(model, tuned, dataset)).isLessThan(importedLoss / 2);

    Path onnx = temp.resolve("tuned.onnx");
    Run exported =
        nnc("export", nn.toString(), "--weights", tuned.toString(), "-o", onnx.toString());
    assertThat(exported.err()).isEmpty();
    assertThat(exported.out())
        .isEqualTo(
            "wrote "
                + onnx
                + ": ONNX opset 17, float64, input 'x' (N, 5), output 'y' (N, 4), 5 nodes\n");

    double[] expected = probabilities(model, tuned, x.data(), rows);
    double[] runtime = onnxRuntime(onnx, x.data(), rows);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(runtime[i] - expected[i]) / Math.abs(expected[i]));
    }
    assertThat(worst).isAtMost(1e-12);
    // The comparison can fail: the model before fine-tuning gives other probabilities.
    double[] before = probabilities(model, weights, x.data(), rows);
    assertThat(Math.abs(before[0] - runtime[0])).isGreaterThan(1e-3);

    // And the inference class of the import, with its weights resource.
    Run generated =
        nnc(
            "generate",
            nn.toString(),
            "--inference",
            "--weights",
            weights.toString(),
            "-d",
            temp.resolve("src").toString());
    assertThat(generated.code()).isEqualTo(0);
    assertThat(Files.exists(temp.resolve("src/MlpSoftmaxF64.java"))).isTrue();
  }

  @Test
  void lenet5ImportsWithItsConvolutionsUnderAnotherName() throws Exception {
    Run run =
        nnc(
            "import",
            FIXTURES.resolve("lenet5.onnx").toString(),
            "-o",
            temp.toString(),
            "--name",
            "Digits");
    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out()).contains("as Digits: 4 conv/pool layers, 3 dense layers");
    String nn = Files.readString(temp.resolve("lenet5.nn"));
    assertThat(nn).contains("network Digits {");
    assertThat(nn).contains("input   x[1, 28, 28]");
    assertThat(nn).containsMatch("conv +\\w+\\[6\\] kernel 5 stride 1 pad 2 relu");
    assertThat(nn).containsMatch("maxpool +\\w+ kernel 2 stride 2");
    Map<String, NpyArray> weights = Npz.read(temp.resolve("lenet5.npz"));
    assertThat(weights.values().iterator().next().shape()).isEqualTo(new int[] {6, 1, 5, 5});
    Run check = nnc("check", temp.resolve("lenet5.nn").toString());
    assertThat(check.code()).isEqualTo(0);
  }

  @Test
  void aRefusedModelIsOneLineExitTwoAndNothingWritten() {
    Run run =
        nnc("import", FIXTURES.resolve("unsupported_lstm.onnx").toString(), "-o", temp.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith(
            "unsupported_lstm.onnx: error: LSTM node '/LSTM' is not supported; nnc imports");
    assertThat(run.err().lines().count()).isEqualTo(1);
    assertThat(temp.toFile().list()).isEmpty();
  }

  @Test
  void aTruncatedFileIsADiagnosticNotAStackTrace() throws IOException {
    byte[] model = Files.readAllBytes(FIXTURES.resolve("mlp_gemm.onnx"));
    Path cut = temp.resolve("cut.onnx");
    Files.write(cut, java.util.Arrays.copyOf(model, model.length / 2));
    Run run = nnc("import", cut.toString(), "-o", temp.resolve("out").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("cut.onnx: error: not an ONNX model: the protobuf data is damaged");
    assertThat(run.err()).endsWith("[NX001]\n");
    assertThat(run.err()).doesNotContain("\tat ");
    assertThat(Files.exists(temp.resolve("out"))).isFalse();
  }

  @Test
  void anEarlierImportIsNotReplacedWithoutForce() throws IOException {
    String model = FIXTURES.resolve("mlp_gemm.onnx").toString();
    assertThat(nnc("import", model, "-o", temp.toString()).code()).isEqualTo(0);
    Path nn = temp.resolve("mlp_gemm.nn");
    Files.writeString(nn, Files.readString(nn) + "// my edits\n");
    Run again = nnc("import", model, "-o", temp.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err())
        .isEqualTo(
            "nnc: "
                + nn
                + " exists; nnc import does not replace it (its train block may be completed):"
                + " --force replaces it, or -o DIR writes elsewhere\n");
    assertThat(Files.readString(nn)).endsWith("// my edits\n");
    assertThat(nnc("import", model, "-o", temp.toString(), "--force").code()).isEqualTo(0);
    assertThat(Files.readString(nn)).doesNotContain("// my edits");
  }

  private static double loss(CompiledModel model, Path weights, Dataset data) throws IOException {
    Network network = model.newNetwork(data.rows());
    Weights.load(weights, network);
    network.setPenaltyExampleCount(data.rows());
    return network.loss(Batch.of(network.spec(), data));
  }

  private static double[] probabilities(CompiledModel model, Path weights, double[] x, int rows)
      throws IOException {
    Network network = model.newNetwork(rows);
    Weights.load(weights, network);
    double[] out = new double[rows * 4];
    network.predict(x, rows, out);
    if (sumToOne(out)) {
      return out; // predict gives a softmax_cross_entropy network's probabilities already
    }
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < 4; j++) {
        max = Math.max(max, out[r * 4 + j]);
      }
      double sum = 0;
      for (int j = 0; j < 4; j++) {
        out[r * 4 + j] = Math.exp(out[r * 4 + j] - max);
        sum += out[r * 4 + j];
      }
      for (int j = 0; j < 4; j++) {
        out[r * 4 + j] /= sum;
      }
    }
    return out;
  }

  private static double[] onnxRuntime(Path model, double[] x, int rows) throws Exception {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession session =
            environment.createSession(model.toString(), new OrtSession.SessionOptions());
        OnnxTensor input =
            OnnxTensor.createTensor(environment, DoubleBuffer.wrap(x), new long[] {rows, 5});
        OrtSession.Result result = session.run(Map.of("x", input))) {
      assertThat(List.copyOf(session.getOutputNames())).containsExactly("y");
      DoubleBuffer buffer = ((OnnxTensor) result.get(0)).getDoubleBuffer();
      double[] values = new double[buffer.remaining()];
      buffer.get(values);
      return values;
    }
  }

  private static boolean sumToOne(double[] rowsOfFour) {
    for (int r = 0; r < rowsOfFour.length / 4; r++) {
      double sum = 0;
      for (int j = 0; j < 4; j++) {
        sum += rowsOfFour[r * 4 + j];
      }
      if (Math.abs(sum - 1) > 1e-9) {
        return false;
      }
    }
    return true;
  }

  private static int argmax(double[] values, int offset, int length) {
    int best = 0;
    for (int j = 1; j < length; j++) {
      if (values[offset + j] > values[offset + best]) {
        best = j;
      }
    }
    return best;
  }
}
