package dev.nnc.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.nnc.emit.SourceFileGenerator;
import dev.nnc.ir.Model;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.onnx.OnnxExporter;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.NetworkSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nnc export model.nn --weights w.npz -o model.onnx}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a network and its trained weights as an ONNX model (opset 17, float32 or float64 as"
          + " the network's precision, a dynamic batch axis) that computes what nnc predict does"
          + " from raw inputs: feature powers and the fitted standardisation (x.mean, x.std) are its"
          + " first nodes, a softmax_cross_entropy network outputs probabilities, standardised"
          + " targets come back in their own units. The file is written atomically.",
      "Details: docs/onnx.md."
    },
    footer = {
      "",
      "Example:",
      "  nnc export samples/xor/xor.nn --weights runs/Xor/Xor.npz -o xor.onnx"
    })
final class ExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the network file")
  Path file;

  @Option(
      names = "--weights",
      required = true,
      paramLabel = "WEIGHTS.npz",
      description = "trained weights, as nnc train writes them (with the fitted standardisation)")
  Path weights;

  @Option(
      names = "--map",
      paramLabel = "MEMBER=TENSOR,…|positional",
      description = "weights under other names, as for nnc predict")
  String map;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE.onnx",
      description = "the ONNX file to write (default: <Name>.onnx in the current folder)")
  Path output;

  @Override
  public Integer call() {
    Inputs.requireFile(spec, file, "MODEL.nn");
    Inputs.requireFile(spec, weights, "--weights");
    Model model = CompiledModel.check(file);
    NetworkSpec networkSpec = RuntimeViews.spec(model);
    WeightMapping.Loaded loaded = WeightMapping.load(weights, networkSpec, map);
    ModelProto onnx =
        OnnxExporter.export(
            model, loaded.parameters(), loaded.preprocessing(), SourceFileGenerator.VERSION);
    Path target = output != null ? output : Path.of(model.name() + ".onnx");
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      Folders.requireWritable(parent);
    }
    try {
      OnnxExporter.write(target, onnx);
    } catch (IOException e) {
      throw new UserInputException("nnc: cannot write " + target + ": " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    var graph = onnx.getGraph();
    out.printf(
        Locale.ROOT,
        "wrote %s: ONNX opset %d, %s, input '%s' (N, %d), output '%s' (N, %d), %d nodes%n",
        target,
        OnnxExporter.OPSET,
        networkSpec.precision() == NetworkSpec.Precision.DOUBLE ? "float64" : "float32",
        graph.getInput(0).getName(),
        networkSpec.rawInputWidth(),
        graph.getOutput(0).getName(),
        networkSpec.outputWidth(),
        graph.getNodeCount());
    return Main.OK;
  }
}
