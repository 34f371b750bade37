package dev.nnc.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Spatial;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.data.AtomicFiles;
import dev.nnc.runtime.data.Preprocessing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A checked {@code .nn} network and its trained weights as an ONNX graph (opset {@value #OPSET}),
 * computing what nnc's predict computes from raw inputs:
 *
 * <ol>
 *   <li>the input transforms first: {@code powers(…)} as Unsqueeze → Pow → Reshape, the fitted
 *       standardisation ({@code x.mean}, {@code x.std}) as Sub → Div;
 *   <li>one Gemm per dense layer ({@code layer.W} (in, out), {@code layer.b}), then its Relu,
 *       Sigmoid, Tanh or Softmax;
 *   <li>a Softmax for a {@code softmax_cross_entropy} network (the graph outputs probabilities, as
 *       the PyTorch models it imports do), or Mul → Add back to the targets' units when they were
 *       standardised.
 * </ol>
 *
 * <p>Tensors are FLOAT for {@code precision float}, DOUBLE for {@code precision double}; the batch
 * axis is dynamic ({@code N}).
 */
public final class OnnxExporter {
  public static final int OPSET = 17;

  /** ONNX IR version 8: the first to carry opset 17. */
  private static final long IR_VERSION = 8;

  private OnnxExporter() {}

  /**
   * The graph of {@code model} with {@code parameters} (the flat vector, as {@code setParameters}
   * takes it) and the fitted {@code preprocessing}.
   */
  public static ModelProto export(
      Model model, double[] parameters, Preprocessing preprocessing, String producerVersion) {
    NetworkSpec spec = RuntimeViews.spec(model);
    if (parameters.length != spec.parameterCount()) {
      throw new IllegalArgumentException(
          parameters.length + " parameters for a network of " + spec.parameterCount());
    }
    Builder graph = new Builder(spec.precision() == NetworkSpec.Precision.DOUBLE);
    String inputName = spec.inputName();
    String outputName =
        spec.targetName().equals(inputName) ? inputName + "_out" : spec.targetName();
    String current = inputName;

    int[] powers = spec.featurePowers();
    if (powers.length > 0) {
      long[] exponents = new long[powers.length];
      double[] exponentValues = new double[powers.length];
      for (int k = 0; k < powers.length; k++) {
        exponents[k] = powers[k];
        exponentValues[k] = powers[k];
      }
      graph.initializer(Tensors.int64(inputName + ".axes", 2));
      graph.initializer(graph.tensor(inputName + ".powers", exponentValues, powers.length));
      graph.initializer(Tensors.int64(inputName + ".shape", -1, spec.inputWidth()));
      current =
          graph.node("Unsqueeze", inputName + "/powers/Unsqueeze", current, inputName + ".axes");
      current = graph.node("Pow", inputName + "/powers/Pow", current, inputName + ".powers");
      current = graph.node("Reshape", inputName + "/powers/Reshape", current, inputName + ".shape");
    }
    if (preprocessing.standardizesInputs()) {
      graph.initializer(
          graph.tensor(inputName + ".mean", preprocessing.inputMeans(), spec.inputWidth()));
      graph.initializer(
          graph.tensor(inputName + ".std", preprocessing.inputStds(), spec.inputWidth()));
      current = graph.node("Sub", inputName + "/standardize/Sub", current, inputName + ".mean");
      current = graph.node("Div", inputName + "/standardize/Div", current, inputName + ".std");
    }
    if (!model.spatial().isEmpty()) {
      current = spatialLayers(graph, model, spec, parameters, current);
    }
    for (Dense layer : model.layers()) {
      TensorSpec weights = spec.tensor(layer.name() + ".W");
      graph.initializer(
          graph.tensor(
              weights.name(),
              Arrays.copyOfRange(parameters, weights.offset(), weights.offset() + weights.size()),
              layer.in(),
              layer.out()));
      if (layer.bias()) {
        TensorSpec bias = spec.tensor(layer.name() + ".b");
        graph.initializer(
            graph.tensor(
                bias.name(),
                Arrays.copyOfRange(parameters, bias.offset(), bias.offset() + bias.size()),
                layer.out()));
        current = graph.node("Gemm", layer.name() + "/Gemm", current, weights.name(), bias.name());
      } else {
        current = graph.node("Gemm", layer.name() + "/Gemm", current, weights.name());
      }
      current = activation(graph, layer.name(), layer.activation(), current);
    }
    if (model.loss().kind() == Loss.Kind.SOFTMAX_CROSS_ENTROPY
        && model.outputLayer().activation() == Activation.IDENTITY) {
      current = graph.softmax(model.outputLayer().name() + "/Softmax", current);
    }
    if (preprocessing.standardizesTargets()) {
      String target = spec.targetName();
      graph.initializer(
          graph.tensor(target + ".std", preprocessing.targetStds(), spec.outputWidth()));
      graph.initializer(
          graph.tensor(target + ".mean", preprocessing.targetMeans(), spec.outputWidth()));
      current = graph.node("Mul", target + "/unstandardize/Mul", current, target + ".std");
      current = graph.node("Add", target + "/unstandardize/Add", current, target + ".mean");
    }
    graph.nodeTo("Identity", outputName + "/Identity", outputName, current);

    GraphProto.Builder body =
        graph
            .graph
            .setName(spec.name())
            .setDocString(
                "Exported by nnc from "
                    + spec.sourceFile()
                    + ": the inputs' transforms, then the layers, as nnc predict computes them.")
            .addInput(graph.value(inputName, spec.rawInputWidth()))
            .addOutput(graph.value(outputName, spec.outputWidth()));
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("nnc")
        .setProducerVersion(producerVersion)
        .setDomain("dev.nnc")
        .setModelVersion(1)
        .setDocString("The network " + spec.name() + " of " + spec.sourceFile())
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .addMetadataProps(
            StringStringEntryProto.newBuilder().setKey("nnc.source").setValue(spec.sourceFile()))
        .setGraph(body)
        .build();
  }

  private static String activation(
      Builder graph, String layer, Activation activation, String current) {
    return switch (activation) {
      case IDENTITY -> current;
      case RELU -> graph.node("Relu", layer + "/Relu", current);
      case SIGMOID -> graph.node("Sigmoid", layer + "/Sigmoid", current);
      case TANH -> graph.node("Tanh", layer + "/Tanh", current);
      case SOFTMAX -> graph.softmax(layer + "/Softmax", current);
    };
  }

  /**
   * The conv and pool layers: the flat rows reshaped to (N, C, H, W) (nnc's rows are the images
   * flattened row-major, as {@code torch.flatten}), then {@code Conv} (the kernel in PyTorch's
   * layout (out_ch, in_ch, kh, kw), as nnc stores it; zero padding on both sides), {@code MaxPool}
   * and {@code AveragePool} (no padding, so every window is whole), and a {@code Flatten} back to
   * rows for the dense layers.
   */
  private static String spatialLayers(
      Builder graph, Model model, NetworkSpec spec, double[] parameters, String current) {
    Spatial first = model.spatial().get(0);
    String shapeName = spec.inputName() + ".image_shape";
    graph.initializer(
        Tensors.int64(shapeName, -1, first.inChannels(), first.inHeight(), first.inWidth()));
    current = graph.node("Reshape", spec.inputName() + "/image/Reshape", current, shapeName);
    for (Spatial layer : model.spatial()) {
      String name = layer.name();
      if (layer instanceof Conv conv) {
        TensorSpec kernel = spec.tensor(name + ".W");
        graph.initializer(
            graph.tensor(
                kernel.name(),
                Arrays.copyOfRange(parameters, kernel.offset(), kernel.offset() + kernel.size()),
                conv.outChannels(),
                conv.inChannels(),
                conv.kernelHeight(),
                conv.kernelWidth()));
        List<String> inputs = new ArrayList<>(List.of(current, kernel.name()));
        if (conv.bias()) {
          TensorSpec bias = spec.tensor(name + ".b");
          graph.initializer(
              graph.tensor(
                  bias.name(),
                  Arrays.copyOfRange(parameters, bias.offset(), bias.offset() + bias.size()),
                  conv.outChannels()));
          inputs.add(bias.name());
        }
        current =
            graph.nodeWithInts(
                "Conv",
                name + "/Conv",
                Map.of(
                    "kernel_shape", new long[] {conv.kernelHeight(), conv.kernelWidth()},
                    "strides", new long[] {conv.strideHeight(), conv.strideWidth()},
                    "pads",
                        new long[] {
                          conv.padHeight(), conv.padWidth(), conv.padHeight(), conv.padWidth()
                        }),
                inputs.toArray(String[]::new));
        current = activation(graph, name, conv.activation(), current);
      } else {
        Pool pool = (Pool) layer;
        String op = pool.max() ? "MaxPool" : "AveragePool";
        current =
            graph.nodeWithInts(
                op,
                name + "/" + op,
                Map.of(
                    "kernel_shape", new long[] {pool.kernelHeight(), pool.kernelWidth()},
                    "strides", new long[] {pool.strideHeight(), pool.strideWidth()}),
                current);
      }
    }
    return graph.node(
        "Flatten", model.spatial().get(model.spatial().size() - 1).name() + "/Flatten", current);
  }

  /**
   * Writes {@code model} to {@code file} atomically: to a temporary file in the same folder,
   * synced, then moved over {@code file}, so a failure never leaves a half-written model.
   */
  public static void write(Path file, ModelProto model) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temporary = AtomicFiles.temporarySibling(absolute);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        model.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /** Collects nodes and initializers in order. */
  private static final class Builder {
    final GraphProto.Builder graph = GraphProto.newBuilder();
    final boolean doubles;

    Builder(boolean doubles) {
      this.doubles = doubles;
    }

    TensorProto tensor(String name, double[] values, long... dims) {
      return Tensors.encode(name, doubles, values, dims);
    }

    void initializer(TensorProto tensor) {
      graph.addInitializer(tensor);
    }

    /**
     * A node whose one output is named after the node ({@code hidden/Gemm} → {@code
     * hidden/Gemm_out}).
     */
    String node(String op, String name, String... inputs) {
      return nodeTo(op, name, name + "_out", inputs);
    }

    String nodeTo(String op, String name, String output, String... inputs) {
      NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
      for (String input : inputs) {
        node.addInput(input);
      }
      graph.addNode(node);
      return output;
    }

    /** A node with int-list attributes (sorted by name, so the graph is the same every time). */
    String nodeWithInts(String op, String name, Map<String, long[]> attributes, String... inputs) {
      String output = name + "_out";
      NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
      for (String input : inputs) {
        node.addInput(input);
      }
      for (String key : new java.util.TreeSet<>(attributes.keySet())) {
        AttributeProto.Builder attribute =
            AttributeProto.newBuilder().setName(key).setType(AttributeProto.AttributeType.INTS);
        for (long value : attributes.get(key)) {
          attribute.addInts(value);
        }
        node.addAttribute(attribute);
      }
      graph.addNode(node);
      return output;
    }

    String softmax(String name, String input) {
      String output = name + "_out";
      graph.addNode(
          NodeProto.newBuilder()
              .setOpType("Softmax")
              .setName(name)
              .addInput(input)
              .addOutput(output)
              .addAttribute(
                  AttributeProto.newBuilder()
                      .setName("axis")
                      .setType(AttributeProto.AttributeType.INT)
                      .setI(-1)));
      return output;
    }

    /** (N, width) of the model's element type, N dynamic. */
    ValueInfoProto value(String name, int width) {
      TensorShapeProto shape =
          TensorShapeProto.newBuilder()
              .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
              .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
              .build();
      return ValueInfoProto.newBuilder()
          .setName(name)
          .setType(
              TypeProto.newBuilder()
                  .setTensorType(
                      TypeProto.Tensor.newBuilder()
                          .setElemType(
                              doubles
                                  ? TensorProto.DataType.DOUBLE_VALUE
                                  : TensorProto.DataType.FLOAT_VALUE)
                          .setShape(shape)))
          .build();
    }
  }
}
