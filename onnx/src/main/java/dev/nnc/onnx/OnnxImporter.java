package dev.nnc.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.nnc.check.ReservedNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an ONNX model as exporters write a multilayer perceptron ({@code torch.onnx.export} of
 * {@code nn.Linear} layers and activations) into an {@link ImportedNetwork}: one input, a chain of
 * {@code Gemm} or {@code MatMul} + {@code Add} layers, each optionally followed by a folded {@code
 * BatchNormalization} and a {@code Relu}, {@code Sigmoid} or {@code Tanh}, an optional {@code
 * Softmax} on the output, and the no-ops {@code Identity}, {@code Dropout}, {@code Flatten}/{@code
 * Reshape} to (N, features). Anything else is refused with the node's op type and name, and the
 * attribute that is not supported (docs/onnx.md).
 *
 * <p>The file may be hostile: every size is checked before it is allocated, the walk over the graph
 * visits each node at most once (cycles end it), and every problem is a {@link
 * dev.nnc.pipeline.UserInputException} naming the file.
 */
public final class OnnxImporter {
  /** The largest file read: protobuf messages cannot exceed 2 GiB. */
  static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

  public static final int MIN_OPSET = 11;
  public static final int MAX_OPSET = 17;

  /** Nesting depth protobuf may follow (graphs inside attributes inside graphs …). */
  private static final int RECURSION_LIMIT = 64;

  /** At most this many input features after flattening. */
  static final long MAX_FEATURES = 1L << 24;

  /** The ops a graph may contain, as messages list them. */
  static final List<String> SUPPORTED_IN_ORDER =
      List.of(
          "Conv",
          "MaxPool",
          "AveragePool",
          "Gemm",
          "MatMul",
          "Add",
          "BatchNormalization",
          "Relu",
          "Sigmoid",
          "Tanh",
          "Softmax",
          "Flatten",
          "Reshape",
          "Identity",
          "Dropout",
          "Constant");

  private static final Set<String> SUPPORTED = Set.copyOf(SUPPORTED_IN_ORDER);

  /**
   * Ops exporters emit to compute shapes around the layers that matter: when a graph has both
   * unsupported kinds, the error names the real layer (the LSTM), not its shape plumbing.
   */
  private static final Set<String> SHAPE_PLUMBING =
      Set.of(
          "Shape",
          "Gather",
          "Unsqueeze",
          "Squeeze",
          "Concat",
          "ConstantOfShape",
          "Cast",
          "Slice",
          "Transpose",
          "Expand",
          "Range");

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");

  /** The batch size in a folded shape: a Reshape reads it as 0, "keep that axis". */
  private static final long BATCH = Long.MIN_VALUE;

  private OnnxImporter() {}

  /**
   * Reads {@code file}; the network is named after the file ({@code mlp_gemm.onnx} → {@code
   * MlpGemm}).
   */
  public static ImportedNetwork read(Path file) {
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(file.toString());
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw OnnxError.NX002.at(
            fileName,
            "the file is "
                + Files.size(file)
                + " bytes, more than a self-contained ONNX model can hold (2 GiB)");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw OnnxError.NX001.at(fileName, "cannot read the file: no such file");
    } catch (IOException e) {
      throw OnnxError.NX001.at(fileName, "cannot read the file: " + e.getMessage());
    }
    return convert(bytes, fileName, className(fileName));
  }

  /** Parses {@code bytes} (the contents of {@code fileName}) and converts the graph. */
  public static ImportedNetwork convert(byte[] bytes, String fileName, String networkName) {
    ModelProto model;
    try {
      CodedInputStream input = CodedInputStream.newInstance(bytes);
      input.setRecursionLimit(RECURSION_LIMIT);
      input.setSizeLimit(Integer.MAX_VALUE);
      model = ModelProto.parseFrom(input);
      input.checkLastTagWas(0);
    } catch (InvalidProtocolBufferException e) {
      throw OnnxError.NX001.at(
          fileName, "not an ONNX model: the protobuf data is damaged (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw OnnxError.NX001.at(fileName, "cannot read the model: " + e.getMessage());
    }
    if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
      throw OnnxError.NX001.at(fileName, "not an ONNX model: it has no graph (or an empty one)");
    }
    return new Walk(model, fileName, networkName).run();
  }

  /** {@code mlp_gemm.onnx} → {@code MlpGemm}; {@code Net}, if nothing usable is left. */
  public static String className(String fileName) {
    String stem = fileName.replaceFirst("\\.[^.]*$", "");
    StringBuilder name = new StringBuilder();
    boolean upper = true;
    for (char c : stem.toCharArray()) {
      if (c < 128 && Character.isLetterOrDigit(c)) {
        if (name.length() == 0 && Character.isDigit(c)) {
          name.append("Net");
        }
        name.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = true;
      }
    }
    String result = name.length() == 0 ? "Net" : name.toString();
    if (result.length() > 48) {
      result = result.substring(0, 48);
    }
    return ReservedNames.isJavaReserved(result) ? result + "Net" : result;
  }

  /** The conversion of one graph; one instance per call. */
  private static final class Walk {
    private final ModelProto model;
    private final GraphProto graph;
    private final String fileName;
    private final String networkName;
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Map<String, NodeProto> constants = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, long[]> folded = new HashMap<>();
    private final Set<NodeProto> foldedNodes = new HashSet<>();
    private long opset;
    private int elementType;

    Walk(ModelProto model, String fileName, String networkName) {
      this.model = model;
      this.graph = model.getGraph();
      this.fileName = fileName;
      this.networkName = networkName;
    }

    ImportedNetwork run() {
      opset = opset();
      for (TensorProto tensor : graph.getInitializerList()) {
        initializers.put(tensor.getName(), tensor);
      }
      checkOps();
      for (NodeProto node : graph.getNodeList()) {
        if (node.getOpType().equals("Constant")) {
          for (String output : node.getOutputList()) {
            constants.put(output, node);
          }
        }
      }
      ValueInfoProto input = graphInput();
      ValueInfoProto output = graphOutput();
      elementType = elementType(input);
      List<Long> dims = featureDims(input);
      foldShapes(input.getName(), dims);
      for (NodeProto node : graph.getNodeList()) {
        if (node.getOpType().equals("Constant") || foldedNodes.contains(node)) {
          continue;
        }
        if (SHAPE_PLUMBING.contains(node.getOpType())) {
          throw unsupportedOp(node);
        }
        for (String value : inputsAsMap(node).keySet()) {
          consumers.computeIfAbsent(value, k -> new ArrayList<>()).add(node);
        }
      }
      String inputName = layerName(input.getName(), "x");
      usedNames.add(inputName);

      List<ImportedNetwork.Layer> layers = new ArrayList<>();
      List<ImportedNetwork.Spatial> spatial = new ArrayList<>();
      // the image's (C, H, W) while conv and pool layers may still come; null once flattened
      long[] image = dims.size() == 3 ? new long[] {dims.get(0), dims.get(1), dims.get(2)} : null;
      LayerBuilder open = null;
      boolean softmax = false;
      long features = 1;
      for (long dim : dims) {
        features *= dim;
      }
      boolean flat = dims.size() == 1;
      String current = input.getName();
      Set<NodeProto> visited = new HashSet<>();
      while (true) {
        List<NodeProto> next = consumers.getOrDefault(current, List.of());
        if (next.isEmpty()) {
          break;
        }
        if (next.size() > 1) {
          throw OnnxError.NX103.at(
              fileName,
              "the graph branches at '"
                  + current
                  + "': it feeds "
                  + describe(next.get(0))
                  + " and "
                  + describe(next.get(1))
                  + "; nnc imports a chain of layers");
        }
        NodeProto node = next.get(0);
        if (!visited.add(node)) {
          throw OnnxError.NX103.at(
              fileName, "the graph has a cycle through " + describe(node) + "");
        }
        boolean noOp = node.getOpType().equals("Identity") || node.getOpType().equals("Dropout");
        if (softmax && !noOp) {
          throw OnnxError.NX103.at(
              fileName,
              describe(node) + " follows the Softmax; nnc takes a Softmax only as the last node");
        }
        boolean add = node.getOpType().equals("Add") && node.getInputCount() == 2;
        if (!add && (node.getInputCount() == 0 || !node.getInput(0).equals(current))) {
          throw OnnxError.NX103.at(
              fileName,
              describe(node)
                  + " takes '"
                  + current
                  + "' as its input "
                  + node.getInputList().indexOf(current)
                  + "; nnc needs the layer's input first (a weight second)");
        }
        if (node.getOutputCount() == 0 || node.getOutput(0).isEmpty()) {
          throw OnnxError.NX103.at(fileName, describe(node) + " has no output");
        }
        switch (node.getOpType()) {
          case "Identity" -> {}
          case "Dropout" -> {
            if (node.getOutputCount() > 1
                && !node.getOutput(1).isEmpty()
                && consumers.containsKey(node.getOutput(1))) {
              throw OnnxError.NX103.at(
                  fileName, describe(node) + ": its mask output is used; nnc drops Dropout");
            }
          }
          case "Flatten" -> {
            long axis = intAttribute(node, "axis", 1);
            if (axis != 1 && !(flat && (axis == -1))) {
              throw unsupportedAttribute(node, "axis", axis, "1 (keep the batch axis)");
            }
            if (open == null && !flat) {
              flat = true;
            }
            image = null;
          }
          case "Reshape" -> {
            reshape(node, features);
            flat = true;
            image = null;
          }
          case "Conv", "MaxPool", "AveragePool" -> {
            if (open != null || flat || image == null) {
              throw OnnxError.NX103.at(
                  fileName,
                  describe(node)
                      + " does not read an image (N, C, H, W) before the dense layers; nnc takes"
                      + " convolution and pooling only between an image input and the first"
                      + " Gemm or MatMul");
            }
            ImportedNetwork.Spatial layer =
                node.getOpType().equals("Conv")
                    ? conv(node, image, spatial.size())
                    : pool(node, image, spatial.size());
            spatial.add(layer);
            image = spatialOutput(node, layer, image);
            features = image[0] * image[1] * image[2];
          }
          case "Gemm", "MatMul" -> {
            if (!flat) {
              throw OnnxError.NX106.at(
                  fileName,
                  describe(node)
                      + " reads the input of shape (N, "
                      + String.join(", ", dims.stream().map(String::valueOf).toList())
                      + "); flatten it to (N, "
                      + features
                      + ") first (torch.flatten(x, 1))");
            }
            if (open != null) {
              layers.add(open.build());
            }
            open =
                node.getOpType().equals("Gemm")
                    ? gemm(node, (int) features, layers.size())
                    : matmul(node, (int) features, layers.size());
            features = open.out;
          }
          case "Add" -> {
            if (node.getInputCount() != 2) {
              throw OnnxError.NX103.at(fileName, describe(node) + " needs two inputs");
            }
            if (open == null || open.activation != null || open.batchNorm) {
              throw OnnxError.NX103.at(
                  fileName,
                  describe(node)
                      + " does not add a bias to a MatMul's or Gemm's output; nnc imports Add only"
                      + " as a dense layer's bias");
            }
            int other = node.getInput(0).equals(current) ? 1 : 0;
            if (node.getInput(other).equals(current)) {
              throw OnnxError.NX103.at(
                  fileName,
                  describe(node)
                      + " adds '"
                      + current
                      + "' to itself; nnc imports Add only as a bias");
            }
            open.addBias(node, constant(node, other, "the bias"));
          }
          case "BatchNormalization" -> {
            if (open == null || open.activation != null) {
              throw OnnxError.NX103.at(
                  fileName,
                  describe(node)
                      + " does not follow a Gemm or MatMul; nnc folds a BatchNormalization only into"
                      + " the dense layer before it");
            }
            open.batchNorm(node);
          }
          case "Relu", "Sigmoid", "Tanh" -> {
            ImportedNetwork.Spatial last =
                spatial.isEmpty() ? null : spatial.get(spatial.size() - 1);
            if (open == null
                && image != null
                && last != null
                && last.kind().equals("conv")
                && last.activation().equals("identity")) {
              spatial.set(
                  spatial.size() - 1,
                  new ImportedNetwork.Spatial(
                      last.kind(),
                      last.name(),
                      last.filters(),
                      last.inChannels(),
                      last.kernel(),
                      last.stride(),
                      last.pad(),
                      last.weights(),
                      last.bias(),
                      node.getOpType().toLowerCase(Locale.ROOT),
                      last.origin() + ", " + describeShort(node)));
              current = node.getOutput(0);
              continue;
            }
            if (open == null || open.activation != null) {
              throw OnnxError.NX103.at(
                  fileName,
                  describe(node)
                      + " does not follow a dense layer (Gemm, MatMul + Add); in nnc an activation"
                      + " belongs to a layer");
            }
            open.activation = node.getOpType().toLowerCase(Locale.ROOT);
            open.origin += ", " + describeShort(node);
          }
          case "Softmax" -> {
            long axis = intAttribute(node, "axis", opset >= 13 ? -1 : 1);
            if (axis != -1 && axis != 1) {
              throw unsupportedAttribute(node, "axis", axis, "-1, the last axis");
            }
            if (open == null || open.activation != null) {
              throw OnnxError.NX103.at(
                  fileName,
                  describe(node)
                      + " does not follow a dense layer without activation; nnc takes a Softmax"
                      + " only on the output layer's scores");
            }
            softmax = true;
            open.origin += ", " + describeShort(node);
          }
          default -> throw unsupportedOp(node);
        }
        current = node.getOutput(0);
      }
      if (open != null) {
        layers.add(open.build());
      }
      if (!current.equals(output.getName())) {
        throw OnnxError.NX103.at(
            fileName,
            "the output '"
                + output.getName()
                + "' is not computed from the input '"
                + input.getName()
                + "' by a chain of layers (the chain ends at '"
                + current
                + "')");
      }
      if (layers.isEmpty()) {
        throw OnnxError.NX103.at(
            fileName, "the graph has no dense layer (Gemm, or MatMul + Add): nothing to import");
      }
      if (features > MAX_FEATURES) {
        throw OnnxError.NX106.at(fileName, "the output has " + features + " features");
      }
      return new ImportedNetwork(
          networkName,
          fileName,
          opset,
          elementType == TensorProto.DataType.DOUBLE_VALUE,
          inputName,
          dims,
          layers,
          softmax,
          spatial);
    }

    /** A Conv: kernel (out_ch, in_ch, kh, kw) as PyTorch's, symmetric pads, group 1. */
    private ImportedNetwork.Spatial conv(NodeProto node, long[] image, int index) {
      checkAutoPad(node);
      long group = intAttribute(node, "group", 1);
      if (group != 1) {
        throw unsupportedAttribute(node, "group", group, "1");
      }
      checkOnes(node, "dilations");
      Tensors.Values w = constant(node, 1, "the kernel W");
      long[] d = w.dims();
      if (d.length != 4 || d[0] <= 0 || d[2] <= 0 || d[3] <= 0 || d[1] != image[0]) {
        throw OnnxError.NX106.at(
            fileName,
            describe(node)
                + ": the kernel W has shape "
                + w.shapeText()
                + ", not (filters, "
                + image[0]
                + ", kh, kw) for an input of "
                + image[0]
                + " channels");
      }
      int[] kernel = {(int) d[2], (int) d[3]};
      long[] shape = ints(node, "kernel_shape");
      if (shape != null && (shape.length != 2 || shape[0] != d[2] || shape[1] != d[3])) {
        throw unsupportedAttribute(
            node,
            "kernel_shape",
            java.util.Arrays.toString(shape),
            "the kernel W's (" + d[2] + ", " + d[3] + ")");
      }
      int filters = (int) d[0];
      double[] bias = null;
      if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
        bias = biasValues(node, constant(node, 2, "the bias B"), filters, 1);
      }
      double[] weights = w.data().clone();
      if (elementType == TensorProto.DataType.FLOAT_VALUE) {
        roundToFloat(weights);
        if (bias != null) {
          roundToFloat(bias);
        }
      }
      return new ImportedNetwork.Spatial(
          "conv",
          layerName(node, 1, "conv" + (index + 1)),
          filters,
          (int) image[0],
          kernel,
          strides(node),
          pads(node),
          weights,
          bias,
          "identity",
          describeShort(node));
    }

    /** A MaxPool or AveragePool without padding, dilation or ceil_mode. */
    private ImportedNetwork.Spatial pool(NodeProto node, long[] image, int index) {
      checkAutoPad(node);
      long ceil = intAttribute(node, "ceil_mode", 0);
      if (ceil != 0) {
        throw unsupportedAttribute(node, "ceil_mode", ceil, "0");
      }
      checkOnes(node, "dilations");
      if (node.getOpType().equals("MaxPool")) {
        long order = intAttribute(node, "storage_order", 0);
        if (order != 0) {
          throw unsupportedAttribute(node, "storage_order", order, "0");
        }
        if (node.getOutputCount() > 1
            && !node.getOutput(1).isEmpty()
            && consumers.containsKey(node.getOutput(1))) {
          throw OnnxError.NX103.at(
              fileName, describe(node) + ": its Indices output is used; nnc pools values only");
        }
      }
      int[] pad = pads(node);
      if (pad[0] != 0 || pad[1] != 0) {
        throw unsupportedAttribute(
            node, "pads", java.util.Arrays.toString(ints(node, "pads")), "no padding on a pool");
      }
      long[] shape = ints(node, "kernel_shape");
      if (shape == null || shape.length != 2 || shape[0] <= 0 || shape[1] <= 0) {
        throw unsupportedAttribute(
            node,
            "kernel_shape",
            shape == null ? "(none)" : java.util.Arrays.toString(shape),
            "two positive sizes (kh, kw)");
      }
      String kind = node.getOpType().equals("MaxPool") ? "maxpool" : "avgpool";
      String[] path = node.getName().split("/");
      String stem = path.length >= 2 ? path[path.length - 2] : "";
      stem = stem.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_+|_+$", "");
      if (!stem.isEmpty() && Character.isDigit(stem.charAt(0))) {
        stem = "layer" + stem;
      }
      String name = layerName(stem, "pool" + (index + 1));
      usedNames.add(name);
      return new ImportedNetwork.Spatial(
          kind,
          name,
          0,
          (int) image[0],
          new int[] {(int) shape[0], (int) shape[1]},
          strides(node),
          pad,
          null,
          null,
          "identity",
          describeShort(node));
    }

    /** (C, H, W) after {@code layer}; a kernel larger than its padded input is refused. */
    private long[] spatialOutput(NodeProto node, ImportedNetwork.Spatial layer, long[] image) {
      long channels = layer.kind().equals("conv") ? layer.filters() : image[0];
      long[] out = {channels, 0, 0};
      for (int axis = 0; axis < 2; axis++) {
        long padded = image[axis + 1] + 2L * layer.pad()[axis];
        if (layer.kernel()[axis] > padded) {
          throw OnnxError.NX106.at(
              fileName,
              describe(node)
                  + ": its kernel ("
                  + layer.kernel()[0]
                  + ", "
                  + layer.kernel()[1]
                  + ") is larger than its (padded) input ("
                  + image[1]
                  + ", "
                  + image[2]
                  + ")");
        }
        out[axis + 1] = (padded - layer.kernel()[axis]) / layer.stride()[axis] + 1;
      }
      return out;
    }

    private void checkAutoPad(NodeProto node) {
      AttributeProto autoPad = attribute(node, "auto_pad");
      if (autoPad != null
          && !(autoPad.getType() == AttributeProto.AttributeType.STRING
              && autoPad.getS().toStringUtf8().equals("NOTSET"))) {
        throw unsupportedAttribute(
            node,
            "auto_pad",
            Printable.of(autoPad.getS().toStringUtf8()),
            "NOTSET, with explicit pads");
      }
    }

    private void checkOnes(NodeProto node, String name) {
      long[] values = ints(node, name);
      if (values != null) {
        for (long value : values) {
          if (value != 1) {
            throw unsupportedAttribute(node, name, java.util.Arrays.toString(values), "all 1");
          }
        }
      }
    }

    /** strides: (sh, sw), each 1 to 65536; (1, 1) when absent. */
    private int[] strides(NodeProto node) {
      long[] values = ints(node, "strides");
      if (values == null) {
        return new int[] {1, 1};
      }
      if (values.length != 2
          || values[0] < 1
          || values[1] < 1
          || values[0] > 65536
          || values[1] > 65536) {
        throw unsupportedAttribute(
            node, "strides", java.util.Arrays.toString(values), "two positive strides");
      }
      return new int[] {(int) values[0], (int) values[1]};
    }

    /** pads [top, left, bottom, right], symmetric: (ph, pw); (0, 0) when absent. */
    private int[] pads(NodeProto node) {
      long[] values = ints(node, "pads");
      if (values == null) {
        return new int[] {0, 0};
      }
      if (values.length != 4
          || values[0] != values[2]
          || values[1] != values[3]
          || values[0] < 0
          || values[1] < 0
          || values[0] > 65536
          || values[1] > 65536) {
        throw unsupportedAttribute(
            node,
            "pads",
            java.util.Arrays.toString(values),
            "the same padding before and after: [p, q, p, q]");
      }
      return new int[] {(int) values[0], (int) values[1]};
    }

    private long[] ints(NodeProto node, String name) {
      AttributeProto attribute = attribute(node, name);
      if (attribute == null) {
        return null;
      }
      if (attribute.getType() != AttributeProto.AttributeType.INTS) {
        throw unsupportedAttribute(node, name, attribute.getType().name(), "INTS");
      }
      return attribute.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** The default domain's opset, which must be 11..17. */
    private long opset() {
      long version = -1;
      for (OperatorSetIdProto set : model.getOpsetImportList()) {
        if (set.getDomain().isEmpty() || set.getDomain().equals("ai.onnx")) {
          version = set.getVersion();
        }
      }
      if (version < 0) {
        throw OnnxError.NX003.at(fileName, "the model imports no ONNX opset (opset_import)");
      }
      if (version < MIN_OPSET || version > MAX_OPSET) {
        throw OnnxError.NX003.at(
            fileName,
            "opset "
                + version
                + " is not supported; nnc imports opsets "
                + MIN_OPSET
                + " to "
                + MAX_OPSET
                + " (torch.onnx.export(..., opset_version=17))");
      }
      return version;
    }

    /**
     * The first op nnc does not import, in graph order; shape plumbing is left to {@link
     * #foldShapes}, so an LSTM is named rather than the Shape node that sizes its initial state.
     */
    private void checkOps() {
      for (NodeProto node : graph.getNodeList()) {
        boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
        if (defaultDomain
            && (SUPPORTED.contains(node.getOpType())
                || SHAPE_PLUMBING.contains(node.getOpType()))) {
          continue;
        }
        throw unsupportedOp(node);
      }
    }

    /**
     * Evaluates the shape arithmetic exporters write for {@code x.view(x.size(0), -1)}: {@code
     * Shape(x)} → {@code Gather} → {@code Unsqueeze} → {@code Concat} with constants, feeding a
     * Reshape. The batch size is the symbol {@link #BATCH}, which a Reshape reads as 0 (keep the
     * batch axis). Plumbing that does not fold (a Shape of anything but the input, a Slice, …) is
     * left unfolded and refused.
     */
    private void foldShapes(String inputName, List<Long> dims) {
      for (NodeProto node : graph.getNodeList()) {
        if (!SHAPE_PLUMBING.contains(node.getOpType()) || node.getOutputCount() != 1) {
          continue;
        }
        long[] value =
            switch (node.getOpType()) {
              case "Shape" -> {
                if (node.getInputCount() != 1
                    || !node.getInput(0).equals(inputName)
                    || node.getAttributeCount() > 0) {
                  yield null;
                }
                long[] shape = new long[dims.size() + 1];
                shape[0] = BATCH;
                for (int i = 0; i < dims.size(); i++) {
                  shape[i + 1] = dims.get(i);
                }
                yield shape;
              }
              case "Gather" -> {
                long[] data = node.getInputCount() == 2 ? shapeValue(node.getInput(0)) : null;
                long[] indices = node.getInputCount() == 2 ? shapeValue(node.getInput(1)) : null;
                if (data == null || indices == null || intAttribute(node, "axis", 0) != 0) {
                  yield null;
                }
                long[] picked = new long[indices.length];
                for (int i = 0; i < indices.length; i++) {
                  long index = indices[i] < 0 ? indices[i] + data.length : indices[i];
                  if (index < 0 || index >= data.length) {
                    yield null;
                  }
                  picked[i] = data[(int) index];
                }
                yield picked;
              }
              case "Unsqueeze", "Squeeze", "Cast" ->
                  node.getInputCount() >= 1 ? shapeValue(node.getInput(0)) : null;
              case "Concat" -> {
                long axis = intAttribute(node, "axis", 0);
                if (axis != 0 && axis != -1) {
                  yield null;
                }
                List<Long> joined = new ArrayList<>();
                for (String part : node.getInputList()) {
                  long[] values = shapeValue(part);
                  if (values == null || joined.size() + values.length > 16) {
                    yield null;
                  }
                  for (long v : values) {
                    joined.add(v);
                  }
                }
                yield joined.stream().mapToLong(Long::longValue).toArray();
              }
              default -> null;
            };
        if (value != null) {
          folded.put(node.getOutput(0), value);
          foldedNodes.add(node);
        }
      }
    }

    /** A folded shape value, or a small stored INT64/INT32 vector; null for anything else. */
    private long[] shapeValue(String name) {
      long[] value = folded.get(name);
      if (value != null) {
        return value;
      }
      TensorProto tensor = initializers.get(name);
      NodeProto constant = constants.get(name);
      if (tensor == null && constant != null) {
        for (AttributeProto attribute : constant.getAttributeList()) {
          if (attribute.getName().equals("value") && attribute.hasT()) {
            tensor = attribute.getT();
          }
        }
      }
      if (tensor == null
          || (tensor.getDataType() != TensorProto.DataType.INT64_VALUE
              && tensor.getDataType() != TensorProto.DataType.INT32_VALUE)) {
        return null;
      }
      Tensors.Values values = Tensors.decode(tensor, fileName, "the constant '" + name + "'");
      if (values.data().length > 16) {
        return null;
      }
      long[] longs = new long[values.data().length];
      for (int i = 0; i < longs.length; i++) {
        longs[i] = (long) values.data()[i];
      }
      return longs;
    }

    private static Map<String, Boolean> inputsAsMap(NodeProto node) {
      Map<String, Boolean> inputs = new LinkedHashMap<>();
      for (String input : node.getInputList()) {
        if (!input.isEmpty()) {
          inputs.put(input, true);
        }
      }
      return inputs;
    }

    private ValueInfoProto graphInput() {
      List<ValueInfoProto> inputs = new ArrayList<>();
      for (ValueInfoProto value : graph.getInputList()) {
        if (!initializers.containsKey(value.getName())) {
          inputs.add(value);
        }
      }
      if (inputs.size() != 1) {
        throw OnnxError.NX103.at(
            fileName,
            "the graph has "
                + inputs.size()
                + " inputs ("
                + String.join(", ", inputs.stream().map(v -> "'" + v.getName() + "'").toList())
                + "); nnc imports a network with exactly one");
      }
      return inputs.get(0);
    }

    private ValueInfoProto graphOutput() {
      if (graph.getOutputCount() != 1) {
        throw OnnxError.NX103.at(
            fileName,
            "the graph has "
                + graph.getOutputCount()
                + " outputs; nnc imports a network with exactly one");
      }
      return graph.getOutput(0);
    }

    private int elementType(ValueInfoProto input) {
      TypeProto type = input.getType();
      if (!type.hasTensorType()) {
        throw OnnxError.NX105.at(fileName, "the input '" + input.getName() + "' is not a tensor");
      }
      int element = type.getTensorType().getElemType();
      if (element != TensorProto.DataType.FLOAT_VALUE
          && element != TensorProto.DataType.DOUBLE_VALUE) {
        throw OnnxError.NX105.at(
            fileName,
            "the input '"
                + input.getName()
                + "' has element type "
                + Tensors.typeName(element)
                + "; nnc imports FLOAT and DOUBLE models");
      }
      return element;
    }

    /** The input's dimensions after the batch axis; each must be a known positive size. */
    private List<Long> featureDims(ValueInfoProto input) {
      TypeProto.Tensor tensor = input.getType().getTensorType();
      if (!tensor.hasShape() || tensor.getShape().getDimCount() < 2) {
        throw OnnxError.NX106.at(
            fileName,
            "the input '"
                + input.getName()
                + "' has "
                + (tensor.hasShape() ? "rank " + tensor.getShape().getDimCount() : "no shape")
                + "; nnc needs (N, features) or (N, C, H, W) with a batch axis first");
      }
      List<Long> dims = new ArrayList<>();
      long product = 1;
      for (int i = 1; i < tensor.getShape().getDimCount(); i++) {
        TensorShapeProto.Dimension dim = tensor.getShape().getDim(i);
        if (!dim.hasDimValue() || dim.getDimValue() <= 0) {
          throw OnnxError.NX106.at(
              fileName,
              "the input '"
                  + input.getName()
                  + "' has dimension "
                  + i
                  + (dim.hasDimParam() ? " ('" + dim.getDimParam() + "')" : "")
                  + " unknown; only the batch axis (0) may be dynamic");
        }
        long value = dim.getDimValue();
        if (value > MAX_FEATURES || product * value > MAX_FEATURES) {
          throw OnnxError.NX106.at(
              fileName,
              "the input '"
                  + input.getName()
                  + "' has dimension "
                  + i
                  + " of "
                  + value
                  + ", more than nnc's "
                  + MAX_FEATURES
                  + " input features");
        }
        product *= value;
        dims.add(value);
      }
      return dims;
    }

    /** A Reshape is taken only as a flatten to (N, features): shape [-1, F], [0, -1] or [0, F]. */
    private void reshape(NodeProto node, long features) {
      long allowZero = intAttribute(node, "allowzero", 0);
      if (allowZero != 0) {
        throw unsupportedAttribute(node, "allowzero", allowZero, "0");
      }
      Tensors.Values shape = constant(node, 1, "the shape");
      if (shape.dataType() != TensorProto.DataType.INT64_VALUE) {
        throw OnnxError.NX105.at(
            fileName,
            describe(node)
                + ": the shape is "
                + Tensors.typeName(shape.dataType())
                + ", not INT64");
      }
      double[] s = shape.data();
      boolean batchKept = s.length == 2 && (s[0] == -1 || s[0] == 0);
      boolean featuresFlat = s.length == 2 && (s[1] == -1 || s[1] == features) && s[0] != s[1];
      if (!batchKept || !featuresFlat) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
          text.append(i > 0 ? ", " : "").append((long) s[i]);
        }
        throw OnnxError.NX106.at(
            fileName,
            describe(node)
                + " reshapes to "
                + text
                + "]; nnc takes a Reshape only to (N, features): [-1, "
                + features
                + "] or [0, -1]");
      }
    }

    private LayerBuilder gemm(NodeProto node, int in, int index) {
      long transA = intAttribute(node, "transA", 0);
      if (transA != 0) {
        throw unsupportedAttribute(node, "transA", transA, "0");
      }
      long transB = intAttribute(node, "transB", 0);
      if (transB != 0 && transB != 1) {
        throw unsupportedAttribute(node, "transB", transB, "0 or 1");
      }
      double alpha = floatAttribute(node, "alpha", 1);
      double beta = floatAttribute(node, "beta", 1);
      if (node.getInputCount() < 2) {
        throw OnnxError.NX104.at(fileName, describe(node) + " has no weight input B");
      }
      Tensors.Values b = constant(node, 1, "the weight B");
      if (b.rank() != 2) {
        throw OnnxError.NX106.at(
            fileName,
            describe(node) + ": the weight B has shape " + b.shapeText() + ", not a matrix");
      }
      long rows = transB == 1 ? b.dims()[1] : b.dims()[0];
      long out = transB == 1 ? b.dims()[0] : b.dims()[1];
      checkIn(node, rows, in, b);
      double[] w = new double[in * (int) out];
      for (int i = 0; i < in; i++) {
        for (int j = 0; j < out; j++) {
          double value = transB == 1 ? b.data()[j * in + i] : b.data()[i * (int) out + j];
          w[i * (int) out + j] = alpha * value;
        }
      }
      LayerBuilder layer = new LayerBuilder(node, in, (int) out, w, layerName(node, 1, index));
      if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
        Tensors.Values c = constant(node, 2, "the bias C");
        layer.bias = biasValues(node, c, (int) out, beta);
      }
      return layer;
    }

    private LayerBuilder matmul(NodeProto node, int in, int index) {
      if (node.getInputCount() != 2) {
        throw OnnxError.NX103.at(fileName, describe(node) + " needs two inputs");
      }
      Tensors.Values b = constant(node, 1, "the weight");
      if (b.rank() != 2) {
        throw OnnxError.NX106.at(
            fileName,
            describe(node) + ": the weight has shape " + b.shapeText() + ", not a matrix");
      }
      checkIn(node, b.dims()[0], in, b);
      return new LayerBuilder(
          node, in, (int) b.dims()[1], b.data().clone(), layerName(node, 1, index));
    }

    private void checkIn(NodeProto node, long rows, int in, Tensors.Values weight) {
      if (rows != in) {
        throw OnnxError.NX106.at(
            fileName,
            describe(node)
                + ": the weight has shape "
                + weight.shapeText()
                + " for "
                + in
                + " inputs (the layer before gives "
                + in
                + ")");
      }
      long out = weight.dims()[0] == rows ? weight.dims()[1] : weight.dims()[0];
      if (out == 0) {
        throw OnnxError.NX106.at(
            fileName, describe(node) + ": the weight has shape " + weight.shapeText());
      }
    }

    /** A bias of {@code out} values: shape (out,), (1, out), or a broadcast scalar. */
    private double[] biasValues(NodeProto node, Tensors.Values c, int out, double scale) {
      double[] bias = new double[out];
      long[] dims = c.dims();
      boolean scalar = c.data().length == 1 && (dims.length == 0 || dims[dims.length - 1] == 1);
      boolean vector = c.data().length == out && dims.length >= 1 && dims[dims.length - 1] == out;
      if (!scalar && !vector) {
        throw OnnxError.NX106.at(
            fileName,
            describe(node)
                + ": the bias has shape "
                + c.shapeText()
                + ", not ("
                + out
                + ",) for the layer's "
                + out
                + " outputs");
      }
      for (int j = 0; j < out; j++) {
        bias[j] = scale * (scalar ? c.data()[0] : c.data()[j]);
      }
      return bias;
    }

    /**
     * Input {@code index} of {@code node} as stored values: an initializer or a Constant node's
     * value.
     */
    private Tensors.Values constant(NodeProto node, int index, String what) {
      if (node.getInputCount() <= index || node.getInput(index).isEmpty()) {
        throw OnnxError.NX104.at(fileName, describe(node) + " has no " + what);
      }
      String name = node.getInput(index);
      long[] shape = folded.get(name);
      if (shape != null) {
        double[] data = new double[shape.length];
        for (int i = 0; i < shape.length; i++) {
          data[i] = shape[i] == BATCH ? 0 : shape[i];
        }
        return new Tensors.Values(
            new long[] {shape.length}, data, TensorProto.DataType.INT64_VALUE);
      }
      TensorProto tensor = initializers.get(name);
      if (tensor == null) {
        NodeProto constant = constants.get(name);
        if (constant != null) {
          for (AttributeProto attribute : constant.getAttributeList()) {
            if (attribute.getName().equals("value") && attribute.hasT()) {
              tensor = attribute.getT();
            }
          }
          if (tensor == null) {
            throw OnnxError.NX104.at(
                fileName,
                describe(constant)
                    + " has no tensor 'value' (nnc reads Constant nodes' value only)");
          }
        }
      }
      if (tensor == null) {
        boolean computed = false;
        for (NodeProto other : graph.getNodeList()) {
          if (other.getOutputList().contains(name)) {
            computed = true;
          }
        }
        throw OnnxError.NX104.at(
            fileName,
            describe(node)
                + ": "
                + what
                + " '"
                + name
                + "' "
                + (computed
                    ? "is computed by the graph; nnc needs it stored (an initializer)"
                    : "is neither an initializer nor a Constant: the file is incomplete"));
      }
      Tensors.Values values =
          Tensors.decode(tensor, fileName, describe(node) + ": " + what + " '" + name + "'");
      boolean weight =
          values.dataType() == TensorProto.DataType.FLOAT_VALUE
              || values.dataType() == TensorProto.DataType.DOUBLE_VALUE;
      if (weight && values.dataType() != elementType && !what.equals("the shape")) {
        throw OnnxError.NX105.at(
            fileName,
            describe(node)
                + ": "
                + what
                + " '"
                + name
                + "' is "
                + Tensors.typeName(values.dataType())
                + " in a "
                + Tensors.typeName(elementType)
                + " model; nnc needs one precision throughout");
      }
      for (double value : values.data()) {
        if (!Double.isFinite(value)) {
          throw OnnxError.NX106.at(
              fileName, describe(node) + ": " + what + " '" + name + "' holds " + value);
        }
      }
      return values;
    }

    private long intAttribute(NodeProto node, String name, long fallback) {
      AttributeProto attribute = attribute(node, name);
      if (attribute == null) {
        return fallback;
      }
      if (attribute.getType() != AttributeProto.AttributeType.INT) {
        throw unsupportedAttribute(node, name, attribute.getType().name(), "an INT");
      }
      return attribute.getI();
    }

    private double floatAttribute(NodeProto node, String name, double fallback) {
      AttributeProto attribute = attribute(node, name);
      if (attribute == null) {
        return fallback;
      }
      if (attribute.getType() != AttributeProto.AttributeType.FLOAT) {
        throw unsupportedAttribute(node, name, attribute.getType().name(), "a FLOAT");
      }
      double value = attribute.getF();
      if (!Double.isFinite(value)) {
        throw unsupportedAttribute(node, name, value, "a finite number");
      }
      return value;
    }

    private static AttributeProto attribute(NodeProto node, String name) {
      for (AttributeProto attribute : node.getAttributeList()) {
        if (attribute.getName().equals(name)) {
          return attribute;
        }
      }
      return null;
    }

    private RuntimeException unsupportedOp(NodeProto node) {
      String domain =
          node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx")
              ? ""
              : " (domain '" + node.getDomain() + "')";
      String reason =
          switch (node.getOpType()) {
            case "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast" ->
                " here (nnc evaluates shape arithmetic only as x.view(x.size(0), -1) writes it,"
                    + " on the graph's input);";
            default -> ";";
          };
      return OnnxError.NX101.at(
          fileName,
          describe(node)
              + domain
              + " is not supported"
              + reason
              + " nnc imports "
              + String.join(", ", SUPPORTED_IN_ORDER));
    }

    private RuntimeException unsupportedAttribute(
        NodeProto node, String name, Object value, String supported) {
      return OnnxError.NX102.at(
          fileName,
          describe(node)
              + ": attribute "
              + name
              + " = "
              + value
              + " is not supported (nnc takes "
              + supported
              + ")");
    }

    private static String describe(NodeProto node) {
      return Printable.of(node.getOpType())
          + " node '"
          + Printable.of(
              node.getName().isEmpty() ? "(unnamed) → " + firstOutput(node) : node.getName())
          + "'";
    }

    /** {@code Gemm '/fc1/Gemm'}, for the comments of the .nn file. */
    private static String describeShort(NodeProto node) {
      return Printable.of(node.getOpType()) + " '" + Printable.of(node.getName()) + "'";
    }

    private static String firstOutput(NodeProto node) {
      return node.getOutputCount() == 0 ? "?" : node.getOutput(0);
    }

    /**
     * A layer's name from its weight's ({@code fc1.weight} → {@code fc1}, {@code 0.weight} → {@code
     * layer0}); {@code dense1}, … when that is no usable name or is taken.
     */
    private String layerName(NodeProto node, int weightInput, int index) {
      return layerName(node, weightInput, "dense" + (index + 1));
    }

    private String layerName(NodeProto node, int weightInput, String fallback) {
      String weight = node.getInput(weightInput);
      // PyTorch names a transposed weight onnx::MatMul_17: then the node's module path names it.
      String[] path = node.getName().split("/");
      String stem =
          weight.startsWith("onnx::")
              ? (path.length >= 2 ? path[path.length - 2] : "")
              : weight.replaceFirst("\\.(weight|W|w)$", "");
      stem = stem.replaceAll("^onnx::|[^A-Za-z0-9_]+", "_").replaceAll("^_+|_+$", "");
      if (!stem.isEmpty() && Character.isDigit(stem.charAt(0))) {
        stem = "layer" + stem;
      }
      String name = layerName(stem, fallback);
      usedNames.add(name);
      return name;
    }

    private String layerName(String candidate, String fallback) {
      if (NAME.matcher(candidate).matches()
          && !ReservedNames.isJavaReserved(candidate)
          && !usedNames.contains(candidate)
          && !candidate.equals(networkName)) {
        return candidate;
      }
      String name = fallback;
      for (int i = 2; usedNames.contains(name); i++) {
        name = fallback + "_" + i;
      }
      return name;
    }

    private static void roundToFloat(double[] values) {
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) values[i];
      }
    }

    /** A dense layer being assembled from a Gemm/MatMul and what follows it. */
    private final class LayerBuilder {
      final int in;
      final int out;
      final double[] weights;
      final String name;
      double[] bias;
      String activation;
      boolean batchNorm;
      String origin;

      LayerBuilder(NodeProto node, int in, int out, double[] weights, String name) {
        this.in = in;
        this.out = out;
        this.weights = weights;
        this.name = name;
        this.origin = describeShort(node);
      }

      void addBias(NodeProto add, Tensors.Values values) {
        double[] extra = biasValues(add, values, out, 1);
        if (bias == null) {
          bias = extra;
        } else {
          for (int j = 0; j < out; j++) {
            bias[j] += extra[j];
          }
        }
        origin += " + Add";
      }

      /**
       * y = (z − mean) / √(var + ε) · scale + B, folded: W·s and (b − mean)·s + B, with s = scale /
       * √(var + ε) per output.
       */
      void batchNorm(NodeProto node) {
        long training = intAttribute(node, "training_mode", 0);
        if (training != 0) {
          throw unsupportedAttribute(node, "training_mode", training, "0 (inference)");
        }
        if (node.getOutputCount() > 1) {
          for (int i = 1; i < node.getOutputCount(); i++) {
            if (!node.getOutput(i).isEmpty()) {
              throw OnnxError.NX103.at(
                  fileName,
                  describe(node)
                      + " outputs running statistics (training mode); nnc folds it"
                      + " only as exported for inference");
            }
          }
        }
        double epsilon = floatAttribute(node, "epsilon", 1e-5);
        double[] scale = biasValues(node, constant(node, 1, "the scale"), out, 1);
        double[] shift = biasValues(node, constant(node, 2, "the bias B"), out, 1);
        double[] mean = biasValues(node, constant(node, 3, "the mean"), out, 1);
        double[] variance = biasValues(node, constant(node, 4, "the variance"), out, 1);
        if (bias == null) {
          bias = new double[out];
        }
        for (int j = 0; j < out; j++) {
          double denominator = variance[j] + epsilon;
          if (!(denominator > 0)) {
            throw OnnxError.NX106.at(
                fileName,
                describe(node) + ": variance + epsilon is " + denominator + " for output " + j);
          }
          double s = scale[j] / Math.sqrt(denominator);
          for (int i = 0; i < in; i++) {
            weights[i * out + j] *= s;
          }
          bias[j] = (bias[j] - mean[j]) * s + shift[j];
        }
        batchNorm = true;
        origin += ", BatchNormalization '" + node.getName() + "' folded in";
      }

      /** The layer; a float32 model's folded values rounded to float32, as its class holds them. */
      ImportedNetwork.Layer build() {
        if (elementType == TensorProto.DataType.FLOAT_VALUE) {
          roundToFloat(weights);
          if (bias != null) {
            roundToFloat(bias);
          }
        }
        return new ImportedNetwork.Layer(
            name, in, out, weights, bias, activation == null ? "identity" : activation, origin);
      }
    }
  }
}
