package dev.nnc.onnx;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnc.pipeline.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every way a model is refused, as exact text: the file, what is wrong and where (op type, node
 * name, attribute), and the code.
 */
class OnnxErrorsTest {
  private static String refusal(String fixture, Consumer<ModelProto.Builder> change)
      throws IOException {
    ModelProto.Builder model =
        ModelProto.parseFrom(Files.readAllBytes(OnnxTesting.fixture(fixture))).toBuilder();
    change.accept(model);
    byte[] bytes = model.build().toByteArray();
    return assertThrows(UserInputException.class, () -> OnnxImporter.convert(bytes, "m.onnx", "M"))
        .getMessage();
  }

  private static NodeProto.Builder node(ModelProto.Builder model, String name) {
    for (NodeProto.Builder node : model.getGraphBuilder().getNodeBuilderList()) {
      if (node.getName().equals(name)) {
        return node;
      }
    }
    throw new AssertionError("no node " + name);
  }

  private static TensorProto.Builder initializer(ModelProto.Builder model, String name) {
    for (TensorProto.Builder tensor : model.getGraphBuilder().getInitializerBuilderList()) {
      if (tensor.getName().equals(name)) {
        return tensor;
      }
    }
    throw new AssertionError("no initializer " + name);
  }

  private static void setAttribute(NodeProto.Builder node, String name, long value) {
    node.addAttribute(
        AttributeProto.newBuilder()
            .setName(name)
            .setType(AttributeProto.AttributeType.INT)
            .setI(value));
  }

  @Test
  void aCycle() throws IOException {
    assertThat(refusal("mlp_gemm", m -> node(m, "/3/Tanh").setOutput(0, "/0/Gemm_output_0")))
        .isEqualTo("m.onnx: error: the graph has a cycle through Relu node '/1/Relu' [NX103]");
  }

  @Test
  void aMissingInitializer() throws IOException {
    assertThat(refusal("mlp_gemm", m -> m.getGraphBuilder().removeInitializer(2)))
        .isEqualTo(
            "m.onnx: error: Gemm node '/2/Gemm': the weight B '2.weight' is neither an initializer nor a Constant: the file is incomplete [NX104]");
  }

  @Test
  void aComputedWeight() throws IOException {
    assertThat(refusal("mlp_gemm", m -> node(m, "/2/Gemm").setInput(1, "/1/Relu_output_0")))
        .isEqualTo(
            "m.onnx: error: Gemm node '/2/Gemm': the weight B '/1/Relu_output_0' is computed by the graph; nnc needs it stored (an initializer) [NX104]");
  }

  @Test
  void hugeDimensions() throws IOException {
    assertThat(refusal("mlp_gemm", m -> initializer(m, "0.weight").setDims(1, 4_000_000_000_000L)))
        .isEqualTo(
            "m.onnx: error: Gemm node '/0/Gemm': the weight B '0.weight': dimension 1 is 4000000000000 (at most 268435456 values in a tensor) [NX106]");
  }

  @Test
  void fewerBytesThanTheShapeNeeds() throws IOException {
    assertThat(refusal("mlp_gemm", m -> initializer(m, "0.weight").setDims(1, 5)))
        .isEqualTo(
            "m.onnx: error: Gemm node '/0/Gemm': the weight B '0.weight': shape (16, 5) needs 320 bytes of FLOAT, the file holds 256 [NX106]");
  }

  @Test
  void aWeightOfAnotherType() throws IOException {
    assertThat(
            refusal(
                "mlp_gemm",
                m -> initializer(m, "2.bias").setDataType(TensorProto.DataType.INT8_VALUE)))
        .isEqualTo(
            "m.onnx: error: Gemm node '/2/Gemm': the bias C '2.bias' has element type INT8; nnc imports FLOAT and DOUBLE weights (and INT64 shapes) [NX105]");
  }

  @Test
  void anIntegerInput() throws IOException {
    assertThat(
            refusal(
                "mlp_gemm",
                m ->
                    m.getGraphBuilder()
                        .getInputBuilder(0)
                        .getTypeBuilder()
                        .getTensorTypeBuilder()
                        .setElemType(TensorProto.DataType.INT64_VALUE)))
        .isEqualTo(
            "m.onnx: error: the input 'x' has element type INT64; nnc imports FLOAT and DOUBLE models [NX105]");
  }

  @Test
  void aDynamicFeatureAxis() throws IOException {
    assertThat(
            refusal(
                "mlp_gemm",
                m ->
                    m.getGraphBuilder()
                        .getInputBuilder(0)
                        .getTypeBuilder()
                        .getTensorTypeBuilder()
                        .getShapeBuilder()
                        .getDimBuilder(1)
                        .setDimParam("features")))
        .isEqualTo(
            "m.onnx: error: the input 'x' has dimension 1 ('features') unknown; only the batch axis (0) may be dynamic [NX106]");
  }

  @Test
  void anOpsetOutsideElevenToSeventeen() throws IOException {
    assertThat(refusal("mlp_gemm", m -> m.getOpsetImportBuilder(0).setVersion(9)))
        .isEqualTo(
            "m.onnx: error: opset 9 is not supported; nnc imports opsets 11 to 17 (torch.onnx.export(..., opset_version=17)) [NX003]");
    assertThat(refusal("mlp_gemm", m -> m.getOpsetImportBuilder(0).setVersion(18)))
        .isEqualTo(
            "m.onnx: error: opset 18 is not supported; nnc imports opsets 11 to 17 (torch.onnx.export(..., opset_version=17)) [NX003]");
  }

  @Test
  void gemmWithTransA() throws IOException {
    assertThat(refusal("mlp_gemm", m -> setAttribute(node(m, "/2/Gemm"), "transA", 1)))
        .isEqualTo(
            "m.onnx: error: Gemm node '/2/Gemm': attribute transA = 1 is not supported (nnc takes 0) [NX102]");
  }

  @Test
  void softmaxOverTheBatchAxis() throws IOException {
    assertThat(
            refusal(
                "mlp_softmax_f64",
                m -> {
                  NodeProto.Builder softmax = node(m, "/3/Softmax");
                  softmax.clearAttribute();
                  setAttribute(softmax, "axis", 0);
                }))
        .isEqualTo(
            "m.onnx: error: Softmax node '/3/Softmax': attribute axis = 0 is not supported (nnc takes -1, the last axis) [NX102]");
  }

  @Test
  void aBranch() throws IOException {
    assertThat(
            refusal(
                "mlp_gemm",
                m ->
                    m.getGraphBuilder()
                        .addNode(
                            NodeProto.newBuilder()
                                .setOpType("Relu")
                                .setName("extra")
                                .addInput("/1/Relu_output_0")
                                .addOutput("unused"))))
        .isEqualTo(
            "m.onnx: error: the graph branches at '/1/Relu_output_0': it feeds Gemm node '/2/Gemm' and Relu node 'extra'; nnc imports a chain of layers [NX103]");
  }

  @Test
  void anActivationWithoutALayer() throws IOException {
    assertThat(
            refusal(
                "mlp_gemm",
                m -> {
                  node(m, "/0/Gemm").setOutput(0, "a");
                  m.getGraphBuilder()
                      .addNode(
                          NodeProto.newBuilder()
                              .setOpType("Tanh")
                              .setName("/extra/Tanh")
                              .addInput("a")
                              .addOutput("b"));
                  node(m, "/1/Relu").setInput(0, "b");
                }))
        .isEqualTo(
            "m.onnx: error: Relu node '/1/Relu' does not follow a dense layer (Gemm, MatMul + Add); in nnc an activation belongs to a layer [NX103]");
  }

  @Test
  void aFloat64WeightInAFloat32Model() throws IOException {
    assertThat(
            refusal(
                "mlp_gemm",
                m ->
                    initializer(m, "4.bias")
                        .setDataType(TensorProto.DataType.DOUBLE_VALUE)
                        .clearRawData()
                        .addDoubleData(1)
                        .addDoubleData(2)
                        .addDoubleData(3)))
        .isEqualTo(
            "m.onnx: error: Gemm node '/4/Gemm': the bias C '4.bias' is DOUBLE in a FLOAT model; nnc needs one precision throughout [NX105]");
  }

  @Test
  void aReshapeThatKeepsNoBatchAxis() throws IOException {
    assertThat(
            refusal(
                "mlp_gemm",
                m -> {
                  m.getGraphBuilder().addInitializer(Tensors.int64("shape", 2, -1));
                  node(m, "/0/Gemm").setInput(0, "flat");
                  m.getGraphBuilder()
                      .addNode(
                          NodeProto.newBuilder()
                              .setOpType("Reshape")
                              .setName("/flatten/Reshape")
                              .addInput("x")
                              .addInput("shape")
                              .addOutput("flat"));
                }))
        .isEqualTo(
            "m.onnx: error: Reshape node '/flatten/Reshape' reshapes to [2, -1]; nnc takes a Reshape only to (N, features): [-1, 4] or [0, -1] [NX106]");
  }

  @Test
  void notProtobufAtAll() {
    byte[] text = "network Xor {\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(
            assertThrows(UserInputException.class, () -> OnnxImporter.convert(text, "m.onnx", "M"))
                .getMessage())
        .isEqualTo(
            "m.onnx: error: not an ONNX model: the protobuf data is damaged (Protocol message tag had invalid wire type.) [NX001]");
  }
}
