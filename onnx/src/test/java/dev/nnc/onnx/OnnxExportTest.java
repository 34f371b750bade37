package dev.nnc.onnx;

import static com.google.common.truth.Truth.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.ir.Model;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.Training;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.data.Weights;
import dev.nnc.runtime.train.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * nnc's networks exported to ONNX and run by ONNX Runtime on raw inputs, against nnc's predict
 * (powers, standardisation and target units included): 1e-12 relative in float64, 1e-5 in float32.
 */
class OnnxExportTest {
  @TempDir Path temp;

  /** Powers, standardised inputs and targets, two layers, float64; trained a few epochs. */
  private static final String REGRESSION =
      """
      network Poly {
          input   x[2]  powers(1, 2, 3)  standardize(ddof = 1)
          dense   hidden[5]  tanh
          dense   out[2]
          target  y[2]  standardize(ddof = 0)
          loss    squared_error(out, y)
      }
      train {
          optimizer sgd(lr = 0.05)
          batch     full
          epochs    20
          seed      3
          data inline {
              x = [[1, 0.5], [2, -1], [3, 0], [-1, 2], [0.5, 0.25], [4, 1]]
              y = [[1, 10], [4, 12], [9, 11], [1, 15], [0.2, 10.5], [16, 9]]
          }
      }
      """;

  /** A float32 classifier: standardised inputs, a nobias layer, scores through softmax. */
  private static final String CLASSIFIER =
      """
      network Classes {
          precision float
          input   x[3]  standardize(ddof = 0)
          dense   h[6]  relu
          dense   g[4]  sigmoid  nobias
          dense   out[3]
          label   y
          loss    softmax_cross_entropy(out, y)
      }
      train {
          optimizer adam(lr = 0.01)
          batch     full
          epochs    15
          seed      5
          data inline {
              x = [[1, 2, 3], [2, 1, 0], [0, 0, 1], [3, 3, 3], [1, 0, 2], [2, 2, 0]]
              y = [0, 1, 2, 0, 1, 2]
          }
      }
      """;

  /** Rows the networks never trained on, some outside the training range. */
  private static final double[] REGRESSION_X = {1.5, 0.1, -2, 3, 5, -0.5, 0, 0};

  private static final double[] CLASSIFIER_X = {0.5, 1, 4, -1, 2, 2, 3, 0, 1, 10, -3, 0.25};

  @Test
  void standardisedPolynomialRegressionRunsInOnnxRuntimeAsNncPredictsIt() throws Exception {
    Trained trained = train(REGRESSION);
    ModelProto exported = export(trained);
    List<String> ops =
        exported.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    assertThat(ops)
        .containsExactly(
            "Unsqueeze",
            "Pow",
            "Reshape",
            "Sub",
            "Div",
            "Gemm",
            "Tanh",
            "Gemm",
            "Mul",
            "Add",
            "Identity")
        .inOrder();
    int rows = REGRESSION_X.length / 2;
    double[] nnc = Weights.predict(trained.network, trained.preprocessing, REGRESSION_X, rows);
    double[] runtime =
        OnnxTesting.onnxRuntime(
            exported.toByteArray(), "x", REGRESSION_X, new long[] {rows, 2}, true);
    OnnxTesting.assertClose("ONNX Runtime vs nnc predict", runtime, nnc, 1e-12);
    // The comparison can fail: the untrained network predicts something else.
    CompiledModel untrained = CompiledModel.of(trained.model);
    Network fresh = untrained.newNetwork(rows);
    fresh.initialize(99);
    double[] other = Weights.predict(fresh, trained.preprocessing, REGRESSION_X, rows);
    assertThat(OnnxTesting.relativeError(other, runtime)).isGreaterThan(1e-3);
  }

  @Test
  void floatClassifierGivesTheProbabilitiesOfNncsScores() throws Exception {
    Trained trained = train(CLASSIFIER);
    ModelProto exported = export(trained);
    assertThat(exported.getGraph().getInput(0).getType().getTensorType().getElemType())
        .isEqualTo(ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE);
    assertThat(exported.getOpsetImport(0).getVersion()).isEqualTo(17L);
    int rows = CLASSIFIER_X.length / 3;
    double[] scores = Weights.predict(trained.network, trained.preprocessing, CLASSIFIER_X, rows);
    if (!OnnxTesting.areProbabilities(scores, 3)) {
      OnnxTesting.softmaxRows(scores, 3);
    }
    double[] runtime =
        OnnxTesting.onnxRuntime(
            exported.toByteArray(), "x", CLASSIFIER_X, new long[] {rows, 3}, false);
    OnnxTesting.assertClose("ONNX Runtime vs nnc's probabilities", runtime, scores, 1e-5);
  }

  /**
   * Conv and pool layers (padding, a rectangular kernel, strides, an overlapping max pool, a nobias
   * conv, an average pool): the graph in float64 and float32, and in float32 (ONNX Runtime's CPU
   * provider has no float64 Conv) ONNX Runtime on the raw rows gives nnc's probabilities; another
   * network's parameters give something else (the comparison can fail).
   */
  @ParameterizedTest
  @CsvSource({"double", "float"})
  void convolutionalNetworksRunInOnnxRuntimeAsNncPredictsThem(String precision) throws Exception {
    String text =
        """
        network Convs {
            precision %s
            input   x[2, 9, 8]
            conv    c1[4]  kernel (3, 2)  stride (1, 2)  pad 1  relu
            maxpool p1     kernel 2  stride 1
            conv    c2[3]  kernel 2  tanh  nobias
            avgpool p2     kernel 2
            dense   out[3]
            label   y
            loss    softmax_cross_entropy(out, y)
        }
        """
            .formatted(precision);
    CompileResult result = NnCompiler.compile("convs.nn", text);
    assertThat(result.formatDiagnostics()).isEmpty();
    Model model = result.model().orElseThrow();
    int rows = 5;
    int width = 2 * 9 * 8;
    Network network = CompiledModel.of(model).newNetwork(rows);
    network.initialize(4);
    double[] parameters = new double[network.spec().parameterCount()];
    network.getParameters(parameters);
    Preprocessing none = Preprocessing.fromStats(RuntimeViews.spec(model), Map.of());
    ModelProto exported = OnnxExporter.export(model, parameters, none, "test");
    assertThat(exported.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList())
        .containsExactly(
            "Reshape",
            "Conv",
            "Relu",
            "MaxPool",
            "Conv",
            "Tanh",
            "AveragePool",
            "Flatten",
            "Gemm",
            "Softmax",
            "Identity")
        .inOrder();
    assertThat(exported.getGraph().getInitializerList().stream().map(t -> t.getDimsList()).toList())
        .contains(List.of(4L, 2L, 3L, 2L)); // c1.W in PyTorch's layout (out_ch, in_ch, kh, kw)
    boolean doubles = precision.equals("double");
    if (doubles) {
      // a valid float64 graph, but ONNX Runtime's CPU provider has no float64 Conv to run it with
      return;
    }
    double[] x = new double[rows * width];
    java.util.Random random = new java.util.Random(9);
    for (int k = 0; k < x.length; k++) {
      x[k] = random.nextGaussian();
    }
    double[] scores = Weights.predict(network, none, x, rows);
    if (!OnnxTesting.areProbabilities(scores, 3)) {
      OnnxTesting.softmaxRows(scores, 3);
    }
    double[] runtime =
        OnnxTesting.onnxRuntime(exported.toByteArray(), "x", x, new long[] {rows, width}, doubles);
    OnnxTesting.assertClose(
        "ONNX Runtime vs nnc's probabilities (" + precision + ")",
        runtime,
        scores,
        doubles ? 1e-12 : 1e-5);
    network.initialize(5);
    double[] other = Weights.predict(network, none, x, rows);
    OnnxTesting.softmaxRows(other, 3);
    assertThat(OnnxTesting.relativeError(other, runtime)).isGreaterThan(1e-3);
  }

  @Test
  void writeIsAtomicAndTheFileRunsAsWritten() throws Exception {
    Trained trained = train(REGRESSION);
    Path file = temp.resolve("poly.onnx");
    Files.writeString(file, "an earlier file");
    OnnxExporter.write(file, export(trained));
    try (var listing = Files.list(temp)) {
      assertThat(listing.map(p -> p.getFileName().toString()).toList())
          .containsExactly("poly.onnx");
    }
    assertThat(ModelProto.parseFrom(Files.readAllBytes(file))).isEqualTo(export(trained));
  }

  /** The fixtures imported, exported again and run in ONNX Runtime: still PyTorch's outputs. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "mlp_gemm",
    "mlp_matmul_sigmoid",
    "mlp_softmax_f64",
    "mnist_mlp",
    "unsupported_batchnorm"
  })
  void fixturesSurviveImportThenExport(String name) throws Exception {
    ImportedNetwork imported = OnnxImporter.read(OnnxTesting.fixture(name));
    Model model = OnnxTesting.check(imported);
    double[] parameters = Weights.parameters(imported.weights(), "w.npz", RuntimeViews.spec(model));
    Preprocessing none = Preprocessing.fromStats(RuntimeViews.spec(model), Map.of());
    ModelProto exported = OnnxExporter.export(model, parameters, none, "test");
    Map<String, NpyArray> io = OnnxTesting.io(name);
    NpyArray x = io.get("X");
    int rows = x.shape()[0];
    double[] runtime =
        OnnxTesting.onnxRuntime(
            exported.toByteArray(),
            "x",
            x.data(),
            new long[] {rows, x.size() / rows},
            imported.doublePrecision());
    OnnxTesting.assertClose(
        name + " re-exported vs PyTorch",
        runtime,
        io.get("Y").data(),
        imported.doublePrecision() ? 1e-12 : 1e-5);

    // And imported again: the same layers and the same weights, bit for bit.
    Path file = temp.resolve(name + "_again.onnx");
    OnnxExporter.write(file, exported);
    ImportedNetwork again = OnnxImporter.read(file);
    assertThat(again.layers().stream().map(ImportedNetwork.Layer::name).toList())
        .isEqualTo(imported.layers().stream().map(ImportedNetwork.Layer::name).toList());
    assertThat(again.weights()).isEqualTo(imported.weights());
    assertThat(again.softmaxOutput()).isEqualTo(imported.softmaxOutput());
  }

  private record Trained(Model model, Network network, Preprocessing preprocessing) {}

  private static Trained train(String text) {
    CompileResult result = NnCompiler.compile("net.nn", text);
    assertThat(result.formatDiagnostics()).isEmpty();
    Model model = result.model().orElseThrow();
    CompiledModel compiled = CompiledModel.of(model);
    Dataset data = RuntimeViews.inlineData(model).orElseThrow();
    Training.Result trained =
        Training.run(
            compiled, data, RuntimeViews.trainConfig(model).orElseThrow(), new TrainListener() {});
    return new Trained(model, trained.network(), trained.preprocessing());
  }

  private static ModelProto export(Trained trained) {
    double[] parameters = new double[trained.network.spec().parameterCount()];
    trained.network.getParameters(parameters);
    return OnnxExporter.export(trained.model, parameters, trained.preprocessing, "test");
  }
}
