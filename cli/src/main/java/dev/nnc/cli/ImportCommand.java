package dev.nnc.cli;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.emit.SourceFileGenerator;
import dev.nnc.onnx.ImportedNetwork;
import dev.nnc.onnx.OnnxImporter;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.data.AtomicFiles;
import dev.nnc.runtime.data.Npz;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nnc import model.onnx}: a PyTorch-exported MLP as a {@code .nn} file and its weights. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import an ONNX model (as torch.onnx.export writes a multilayer perceptron) into nnc:"
          + " writes DIR/<stem>.nn (the network block, and a train block to complete with data)"
          + " and DIR/<stem>.npz (the weights, W stored (in, out) as nnc train writes them).",
      "Then: nnc generate <stem>.nn --inference --weights <stem>.npz, or fine-tune with"
          + " nnc train <stem>.nn --init <stem>.npz. Supported ops and what is refused: docs/onnx.md."
    },
    footer = {
      "",
      "Examples:",
      "  nnc import mlp.onnx                 # writes mlp.nn and mlp.npz here",
      "  nnc import mlp.onnx -o models/ --name Scorer"
    })
final class ImportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the ONNX model")
  Path file;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      defaultValue = ".",
      description = "the folder for the .nn file and the weights (default: the current folder)")
  Path outDirectory;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "the network's (and generated class's) name (default: from the file name)")
  String name;

  @Option(
      names = {"-f", "--force"},
      description = "replace an existing .nn file and weights (a completed train block is lost)")
  boolean force;

  @Override
  public Integer call() {
    Inputs.requireFile(spec, file, "MODEL.onnx");
    String fileName = file.getFileName().toString();
    String stem =
        fileName.endsWith(".onnx") ? fileName.substring(0, fileName.length() - 5) : fileName;
    ImportedNetwork imported = OnnxImporter.read(file);
    if (name != null) {
      imported = renamed(imported, name);
    }
    Path nnFile = outDirectory.resolve(stem + ".nn");
    Path weightsFile = outDirectory.resolve(stem + ".npz");
    String text =
        imported.toNn(
            nnFile.getFileName().toString(),
            weightsFile.getFileName().toString(),
            SourceFileGenerator.VERSION);
    CompileResult checked = NnCompiler.compile(nnFile.toString(), text);
    if (!checked.ok()) {
      // The names come from the file: a --name that is no class name lands here.
      throw new UserInputException(checked.formatDiagnostics());
    }
    for (Path existing : new Path[] {nnFile, weightsFile}) {
      if (!force && Files.exists(existing)) {
        throw new UserInputException(
            "nnc: "
                + existing
                + " exists; nnc import does not replace it (its train block may be completed):"
                + " --force replaces it, or -o DIR writes elsewhere");
      }
    }
    Folders.requireWritable(outDirectory);
    try {
      Npz.write(weightsFile, imported.weights());
      Path temp = AtomicFiles.temporarySibling(nnFile.toAbsolutePath());
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(
            temp,
            nnFile.toAbsolutePath(),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UserInputException(
          "nnc: cannot write into " + outDirectory + ": " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    long parameters = 0;
    for (ImportedNetwork.Spatial layer : imported.spatial()) {
      if (layer.weights() != null) {
        parameters += layer.weights().length + (layer.bias() == null ? 0 : layer.bias().length);
      }
    }
    for (ImportedNetwork.Layer layer : imported.layers()) {
      parameters += (long) layer.in() * layer.out() + (layer.bias() == null ? 0 : layer.out());
    }
    out.printf(
        Locale.ROOT,
        "imported %s (ONNX opset %d, %s) as %s: %s%d dense layers, %,d parameters%n",
        fileName,
        imported.opset(),
        imported.doublePrecision() ? "float64" : "float32",
        imported.name(),
        imported.spatial().isEmpty() ? "" : imported.spatial().size() + " conv/pool layers, ",
        imported.layers().size(),
        parameters);
    for (ImportedNetwork.Spatial layer : imported.spatial()) {
      out.printf(
          Locale.ROOT, "  %-12s %-29s from %s%n", layer.name(), layer.kind(), layer.origin());
    }
    for (ImportedNetwork.Layer layer : imported.layers()) {
      out.printf(
          Locale.ROOT,
          "  %-12s %5d → %-5d %-8s from %s%n",
          layer.name(),
          layer.in(),
          layer.out(),
          layer.activation(),
          layer.origin());
    }
    out.println("wrote " + nnFile + " and " + weightsFile);
    out.println(
        "next: nnc generate "
            + nnFile
            + " --inference --weights "
            + weightsFile
            + " -d src/main/java, or give its train block data and nnc train "
            + nnFile
            + " --init "
            + weightsFile);
    return Main.OK;
  }

  private static ImportedNetwork renamed(ImportedNetwork imported, String name) {
    return new ImportedNetwork(
        name,
        imported.sourceFile(),
        imported.opset(),
        imported.doublePrecision(),
        imported.inputName(),
        imported.inputDims(),
        imported.layers(),
        imported.softmaxOutput(),
        imported.spatial());
  }
}
