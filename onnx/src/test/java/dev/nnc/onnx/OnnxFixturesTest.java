package dev.nnc.onnx;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.ir.Model;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.data.NpyArray;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The PyTorch-exported fixtures ({@code testdata/onnx}): each supported one imported, run by the
 * generated class on the fixture's X and held against PyTorch's Y and against ONNX Runtime on the
 * same file: 1e-5 relative for float32 models, 1e-12 for float64 (relative to the outputs' largest
 * magnitude).
 */
class OnnxFixturesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "mlp_gemm, false, 3",
    "mlp_matmul_sigmoid, false, 2",
    "mlp_softmax_f64, true, 2",
    "mnist_mlp, false, 2",
    "lenet5, false, 3",
    "unsupported_batchnorm, false, 2",
  })
  void importedModelPredictsAsPyTorchAndOnnxRuntime(String name, boolean doubles, int layers)
      throws Exception {
    ImportedNetwork imported = OnnxImporter.read(OnnxTesting.fixture(name));
    assertThat(imported.doublePrecision()).isEqualTo(doubles);
    assertThat(imported.layers()).hasSize(layers);
    Model model = OnnxTesting.check(imported);
    Map<String, NpyArray> io = OnnxTesting.io(name);
    NpyArray x = io.get("X");
    int rows = x.shape()[0];
    double[] y = io.get("Y").data();
    double tolerance = doubles ? 1e-12 : 1e-5;

    double[] nnc = OnnxTesting.nncOutputs(model, imported.weights(), x.data(), rows);
    OnnxTesting.assertClose(name + ": nnc vs PyTorch", nnc, y, tolerance);

    long[] shape = new long[x.ndim()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = x.shape()[i];
    }
    double[] runtime =
        OnnxTesting.onnxRuntime(
            Files.readAllBytes(OnnxTesting.fixture(name)), "x", x.data(), shape, doubles);
    OnnxTesting.assertClose(name + ": ONNX Runtime vs PyTorch", runtime, y, tolerance);
    OnnxTesting.assertClose(name + ": nnc vs ONNX Runtime", nnc, runtime, tolerance);
  }

  private static final String SUPPORTED =
      "nnc imports Conv, MaxPool, AveragePool, Gemm, MatMul, Add, BatchNormalization, Relu, Sigmoid, Tanh, Softmax, Flatten,"
          + " Reshape, Identity, Dropout, Constant";

  @Test
  void anLstmIsRefusedNamingTheNodeNotItsShapePlumbing() {
    assertThat(refusal("unsupported_lstm"))
        .isEqualTo(
            "unsupported_lstm.onnx: error: LSTM node '/LSTM' is not supported; "
                + SUPPORTED
                + " [NX101]");
  }

  @Test
  void lenet5ImportsAsConvolutionsPoolsAndDenseLayers() {
    ImportedNetwork imported = OnnxImporter.read(OnnxTesting.fixture("lenet5"));
    assertThat(imported.spatial().stream().map(ImportedNetwork.Spatial::kind).toList())
        .containsExactly("conv", "maxpool", "conv", "maxpool")
        .inOrder();
    assertThat(imported.weights().get(imported.spatial().get(0).name() + ".W").shape())
        .isEqualTo(new int[] {6, 1, 5, 5});
  }

  @Test
  void aConvWithGroupsIsRefusedNamingTheAttribute() throws Exception {
    ai.onnx.proto.OnnxMl.ModelProto.Builder model =
        ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(OnnxTesting.fixture("lenet5")))
            .toBuilder();
    ai.onnx.proto.OnnxMl.NodeProto.Builder conv = model.getGraphBuilder().getNodeBuilder(0);
    for (int i = conv.getAttributeCount() - 1; i >= 0; i--) {
      if (conv.getAttribute(i).getName().equals("group")) {
        conv.removeAttribute(i);
      }
    }
    conv.addAttribute(
        ai.onnx.proto.OnnxMl.AttributeProto.newBuilder()
            .setName("group")
            .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT)
            .setI(2));
    byte[] bytes = model.build().toByteArray();
    assertThat(
            assertThrows(
                    UserInputException.class,
                    () -> OnnxImporter.convert(bytes, "lenet5.onnx", "Lenet5"))
                .getMessage())
        .contains("attribute group = 2 is not supported (nnc takes 1) [NX102]");
  }

  @Test
  void aTransposedConvolutionIsStillRefused() throws Exception {
    ai.onnx.proto.OnnxMl.ModelProto.Builder model =
        ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(OnnxTesting.fixture("lenet5")))
            .toBuilder();
    model.getGraphBuilder().getNodeBuilder(0).setOpType("ConvTranspose");
    byte[] bytes = model.build().toByteArray();
    assertThat(
            assertThrows(
                    UserInputException.class,
                    () -> OnnxImporter.convert(bytes, "lenet5.onnx", "Lenet5"))
                .getMessage())
        .isEqualTo(
            "lenet5.onnx: error: ConvTranspose node '/0/Conv' is not supported; "
                + SUPPORTED
                + " [NX101]");
  }

  private static String refusal(String name) {
    return assertThrows(
            UserInputException.class, () -> OnnxImporter.read(OnnxTesting.fixture(name)))
        .getMessage();
  }
}
