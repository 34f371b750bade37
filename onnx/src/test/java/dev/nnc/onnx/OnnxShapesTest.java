package dev.nnc.onnx;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.nnc.ir.Model;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.data.NpyArray;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code x.view(x.size(0), -1)} as exporters write it: Shape → Gather → Unsqueeze → Concat →
 * Reshape. nnc folds the arithmetic and imports the Reshape as a flatten; ONNX Runtime runs the
 * same file.
 */
class OnnxShapesTest {
  /** mnist_mlp with its Flatten replaced by the shape arithmetic of x.view(x.size(0), -1). */
  private static ModelProto viewModel(String shapeOf) throws Exception {
    ModelProto.Builder model =
        ModelProto.parseFrom(Files.readAllBytes(OnnxTesting.fixture("mnist_mlp"))).toBuilder();
    GraphProto.Builder graph = model.getGraphBuilder();
    graph.removeNode(0);
    graph.addInitializer(Tensors.int64("zero", 0).toBuilder().clearDims().build());
    graph.addInitializer(Tensors.int64("axes", 0));
    graph.addInitializer(Tensors.int64("minus_one", -1));
    NodeProto[] nodes = {
      node("Shape", "/Shape", "s", shapeOf),
      node("Gather", "/Gather", "n", "s", "zero"),
      node("Unsqueeze", "/Unsqueeze", "n1", "n", "axes"),
      node("Concat", "/Concat", "shape", "n1", "minus_one"),
      node("Reshape", "/Reshape", "/0/Flatten_output_0", "x", "shape"),
    };
    for (int i = 0; i < nodes.length; i++) {
      graph.addNode(i, nodes[i]);
    }
    graph
        .getNodeBuilder(3)
        .addAttribute(
            ai.onnx.proto.OnnxMl.AttributeProto.newBuilder()
                .setName("axis")
                .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT)
                .setI(0));
    return model.build();
  }

  private static NodeProto node(String op, String name, String output, String... inputs) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    return node.build();
  }

  @Test
  void viewOfTheBatchSizeIsImportedAsAFlatten() throws Exception {
    ModelProto model = viewModel("x");
    ImportedNetwork imported = OnnxImporter.convert(model.toByteArray(), "view.onnx", "View");
    assertThat(imported.inputWidth()).isEqualTo(784);
    Model checked = OnnxTesting.check(imported);
    Map<String, NpyArray> io = OnnxTesting.io("mnist_mlp");
    NpyArray x = io.get("X");
    int rows = x.shape()[0];
    double[] nnc = OnnxTesting.nncOutputs(checked, imported.weights(), x.data(), rows);
    double[] runtime =
        OnnxTesting.onnxRuntime(
            model.toByteArray(), "x", x.data(), new long[] {rows, 1, 28, 28}, false);
    OnnxTesting.assertClose("nnc vs ONNX Runtime", nnc, runtime, 1e-5);
    OnnxTesting.assertClose("nnc vs PyTorch", nnc, io.get("Y").data(), 1e-5);
  }

  @Test
  void shapeArithmeticOnAnythingButTheInputIsRefused() throws Exception {
    ModelProto model = viewModel("y");
    UserInputException error =
        assertThrows(
            UserInputException.class,
            () -> OnnxImporter.convert(model.toByteArray(), "view.onnx", "View"));
    assertThat(error.getMessage())
        .isEqualTo(
            "view.onnx: error: Shape node '/Shape' is not supported here (nnc evaluates shape"
                + " arithmetic only as x.view(x.size(0), -1) writes it, on the graph's input); nnc"
                + " imports Conv, MaxPool, AveragePool, Gemm, MatMul, Add, BatchNormalization, Relu, Sigmoid, Tanh, Softmax,"
                + " Flatten, Reshape, Identity, Dropout, Constant [NX101]");
  }
}
