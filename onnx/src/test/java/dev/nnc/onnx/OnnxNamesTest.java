package dev.nnc.onnx;

import static com.google.common.truth.Truth.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer and network names: from the weights, else the module path, else dense1, dense2, …. */
class OnnxNamesTest {
  @Test
  void namesComeFromWeightsThenModulePathsThenPositions() throws IOException {
    ModelProto.Builder model =
        ModelProto.parseFrom(Files.readAllBytes(OnnxTesting.fixture("mlp_matmul_sigmoid")))
            .toBuilder();
    // As PyTorch names a transposed weight, in a module called fc1; and a weight named 'class.W'.
    model.getGraphBuilder().getInitializerBuilder(0).setName("onnx::MatMul_17");
    model.getGraphBuilder().getInitializerBuilder(2).setName("class.W");
    for (NodeProto.Builder node : model.getGraphBuilder().getNodeBuilderList()) {
      if (node.getName().equals("/0/MatMul")) {
        node.setName("/fc1/MatMul").setInput(1, "onnx::MatMul_17");
      }
      if (node.getName().equals("/2/MatMul")) {
        node.setInput(1, "class.W");
      }
    }
    ImportedNetwork imported =
        OnnxImporter.convert(model.build().toByteArray(), "2-layer net.onnx", "Net");
    assertThat(imported.layers().stream().map(ImportedNetwork.Layer::name).toList())
        .isEqualTo(List.of("fc1", "dense2"));
    OnnxTesting.check(imported);
  }

  @Test
  void networkNamesAreJavaClassNames() {
    assertThat(OnnxImporter.className("mlp_gemm.onnx")).isEqualTo("MlpGemm");
    assertThat(OnnxImporter.className("2-layer net.onnx")).isEqualTo("Net2LayerNet");
    assertThat(OnnxImporter.className("class.onnx")).isEqualTo("Class");
    assertThat(OnnxImporter.className("über.onnx")).isEqualTo("Ber");
    assertThat(OnnxImporter.className("___.onnx")).isEqualTo("Net");
  }
}
