package dev.nnc.cli;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.diag.SourceText;
import dev.nnc.ir.Conv;
import dev.nnc.ir.DataSource;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Model;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Spatial;
import dev.nnc.ir.Train;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Parse and check a .nn file; print its layers, shapes and parameter counts.",
    footer = {"", "Example:", "  nnc check samples/xor/xor.nn"})
final class CheckCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the network file")
  Path file;

  @Override
  public Integer call() {
    Inputs.requireFile(spec, file, "MODEL.nn");
    return run(file, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** The command once its arguments are known good (also {@link QuickDispatch}'s way in). */
  static int run(Path file, PrintWriter out, PrintWriter err) {
    Model model = CompiledModel.check(file, err::println);
    out.print(summary(model));
    for (String warning : missingDataFiles(model, file)) {
      err.println(warning);
    }
    return Main.OK;
  }

  /**
   * A warning (NN328, with the line and a caret) for every data file of the train block that does
   * not exist, resolved as {@code nnc train} resolves it: against the {@code .nn} file's folder.
   */
  static List<String> missingDataFiles(Model model, Path nnFile) {
    List<String> warnings = new ArrayList<>();
    if (model.train().isEmpty()) {
      return warnings;
    }
    Train train = model.train().get();
    List<DataSource> sources = new ArrayList<>();
    train.source().ifPresent(sources::add);
    train.validation().ifPresent(sources::add);
    Path folder = nnFile.toAbsolutePath().getParent();
    SourceText text;
    try {
      text = new SourceText(nnFile.toString(), Files.readString(nnFile));
    } catch (IOException | java.io.UncheckedIOException e) {
      return warnings; // the file was just read by the check; nothing to point at otherwise
    }
    for (DataSource source : sources) {
      List<String> paths =
          source instanceof DataSource.Idx idx
              ? List.of(idx.images(), idx.labels())
              : List.of(
                  source instanceof DataSource.Csv csv
                      ? csv.file()
                      : ((DataSource.Npz) source).file());
      for (String path : paths) {
        Path resolved = folder.resolve(path);
        if (!Files.exists(resolved)) {
          warnings.add(
              text.format(
                  Diagnostic.of(
                      DiagnosticCode.MISSING_DATA_FILE,
                      source.span(),
                      path,
                      resolved.normalize())));
        }
      }
    }
    return warnings;
  }

  /** {@code (N, 6, 28, 28)}: a batch of images, channels × height × width. */
  private static String chw(int channels, int height, int width) {
    return "(N, " + channels + ", " + height + ", " + width + ")";
  }

  /** A Keras-style summary table; conv and pool outputs are (N, C, H, W). */
  static String summary(Model model) {
    NetworkSpec spec = dev.nnc.lower.RuntimeViews.spec(model);
    StringBuilder text = new StringBuilder();
    text.append("network ")
        .append(model.name())
        .append(" (")
        .append(model.sourceFile())
        .append(", ")
        .append(model.precision().name().toLowerCase(java.util.Locale.ROOT))
        .append(")\n");
    String format = "%-14s %-11s %-17s %-10s %12s%n";
    text.append(String.format(format, "layer", "kind", "output", "activation", "parameters"));
    text.append("-".repeat(68)).append('\n');
    text.append(
        String.format(
            format,
            model.input().name(),
            "input",
            model.input().image()
                ? chw(
                    model.input().imageShape().get(0),
                    model.input().imageShape().get(1),
                    model.input().imageShape().get(2))
                : "(N, " + model.input().width() + ")",
            "",
            "0"));
    for (Spatial layer : model.spatial()) {
      long count = 0;
      String kind;
      String activation = "";
      if (layer instanceof Conv conv) {
        count = (long) conv.kernelSize() + (conv.bias() ? conv.outChannels() : 0);
        kind = "conv " + conv.kernelHeight() + "×" + conv.kernelWidth();
        activation = conv.activation().keyword();
      } else {
        Pool pool = (Pool) layer;
        kind =
            (pool.max() ? "maxpool " : "avgpool ") + pool.kernelHeight() + "×" + pool.kernelWidth();
      }
      text.append(
          String.format(
              format,
              layer.name(),
              kind,
              chw(layer.outChannels(), layer.outHeight(), layer.outWidth()),
              activation,
              String.format("%,d", count)));
    }
    for (Dense layer : model.layers()) {
      long count = (long) layer.in() * layer.out() + (layer.bias() ? layer.out() : 0);
      text.append(
          String.format(
              format,
              layer.name(),
              "dense",
              "(N, " + layer.out() + ")",
              layer.activation().keyword(),
              String.format("%,d", count)));
    }
    text.append("-".repeat(68)).append('\n');
    text.append(
        String.format(
            "total parameters: %,d in %d tensors (", spec.parameterCount(), spec.tensors().size()));
    StringBuilder names = new StringBuilder();
    for (TensorSpec tensor : spec.tensors()) {
      if (names.length() > 0) {
        names.append(", ");
      }
      names.append(tensor.name()).append(' ').append(tensor.shapeText());
    }
    text.append(names).append(")\n");
    text.append("loss: ")
        .append(model.loss().kind().name().toLowerCase(java.util.Locale.ROOT))
        .append(" reduce ")
        .append(model.loss().reduction().keyword());
    if (model.loss().weighted()) {
      text.append(" class_weights")
          .append(
              model.loss().classWeights().stream()
                  .map(String::valueOf)
                  .collect(java.util.stream.Collectors.joining(", ", "(", ")")));
    }
    model
        .penalty()
        .ifPresent(
            p ->
                text.append(", penalty ")
                    .append(p.l1() ? "l1(" : "l2(")
                    .append(p.coefficient())
                    .append(')')
                    .append(p.overTwoM() ? " / 2m" : ""));
    text.append('\n');
    String dropouts =
        model.layers().stream()
            .filter(Dense::dropsOut)
            .map(layer -> layer.name() + " " + layer.dropout())
            .collect(java.util.stream.Collectors.joining(", "));
    if (!dropouts.isEmpty()) {
      text.append("dropout: ").append(dropouts).append(" (in training only)\n");
    }
    return text.toString();
  }
}
