package dev.nnc.cli;

import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.Training;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Weights;
import dev.nnc.runtime.train.Metrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Run a trained network on data: one line of outputs per row (CSV on standard output), or,"
          + " when the data has targets or labels, the loss and the metrics of the task (accuracy,"
          + " and for two classes precision, recall, F1 and AUC; RMSE and MAE for a regression).",
      "What the outputs are: a softmax_cross_entropy network gives the class probabilities"
          + " (p_0, p_1, …, each row summing to 1; --logits for the raw scores), a"
          + " binary_cross_entropy network the probability that each target is 1 (for a 0/1"
          + " label, of class 1), a squared_error network values in the targets' units. A"
          + " classifier's rows start with the predicted class.",
      "The weights' standardisation statistics (x.mean, x.std, …, saved by nnc train) are applied"
          + " to the inputs, and dense outputs are given back in the targets' units.",
      "--data takes the forms of a train block's data: an .npz (members chosen with --x/--y;"
          + " default: the input's and target's names, or x/X and y/Y), a .csv (the input columns,"
          + " optionally followed by the target columns or one label column), or IDX images with"
          + " --labels (pixels scaled as the train block's idx data, or by --scale)."
    },
    footer = {
      "",
      "Examples:",
      // each line fits 80 columns, so picocli does not wrap it and a copied example still runs
      "  nnc predict samples/xor/xor.nn --weights runs/Xor/Xor.npz --data points.csv",
      "  nnc predict samples/nielsen/nielsen.nn \\",
      "      --weights runs/Nielsen/Nielsen.npz \\",
      "      --data data/mnist/mnist-test-images-idx3-ubyte.gz \\",
      "      --labels data/mnist/mnist-test-labels-idx1-ubyte.gz",
      "  nnc predict toy.nn --weights S2toy_init.npz \\",
      "      --map W1=hidden.W,b1=hidden.b,W2=scores.W,b2=scores.b \\",
      "      --data S2toy_init.npz --x X --y y"
    })
final class PredictCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the network file")
  Path file;

  @Option(
      names = "--weights",
      required = true,
      paramLabel = "WEIGHTS.npz",
      description =
          "trained weights: members named as the tensors (hidden.W (in, out), hidden.b), as nnc train writes them")
  Path weights;

  @Option(
      names = "--map",
      paramLabel = "MEMBER=TENSOR,…|positional",
      description =
          "weights under other names: rename members (W1=hidden.W,b1=hidden.b,…), or"
              + " 'positional': the archive's first members, in order, for the tensors in order")
  String map;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "the rows: .npz, .csv or IDX images")
  Path data;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "the IDX labels file that goes with IDX images")
  Path labels;

  @Option(names = "--x", paramLabel = "MEMBER", description = "the .npz member holding the inputs")
  String inputMember;

  @Option(
      names = "--y",
      paramLabel = "MEMBER",
      description = "the .npz member holding the targets or labels")
  String targetMember;

  @Option(
      names = "--scale",
      paramLabel = "S",
      description = "multiply IDX pixels by S (e.g. 0.00392156862745098 for 1/255)")
  Double scale;

  @Option(
      names = "--header",
      description = "the CSV's first line is a header (detected when it has no number)")
  boolean header;

  @Option(
      names = "--logits",
      description =
          "print the raw scores of a softmax_cross_entropy network instead of its probabilities")
  boolean logits;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "0",
      description = "print the outputs of at most N rows (0 = all)")
  int limit;

  @Override
  public Integer call() {
    Inputs.requireFile(spec, file, "MODEL.nn");
    Inputs.requireFile(spec, weights, "--weights");
    Inputs.requireFile(spec, data, "--data");
    if (labels != null) {
      Inputs.requireFile(spec, labels, "--labels");
    }
    if (limit < 0) {
      Inputs.usageError(spec, "--limit must be ≥ 0, got " + limit);
    }
    return run(spec.commandLine().getOut());
  }

  /** The command once its options are known good (also {@link QuickDispatch}'s way in). */
  int run(PrintWriter out) {
    CompiledModel model = CompiledModel.load(file);
    NetworkSpec networkSpec = model.spec();
    WeightMapping.Loaded loaded = WeightMapping.load(weights, networkSpec, map);
    PredictionData rows =
        PredictionData.load(
            new PredictionData.Request(data, labels, inputMember, targetMember, scale, header),
            model.model(),
            networkSpec);
    if (rows.rows() == 0) {
      out.println("no rows in " + rows.source());
      return Main.OK;
    }
    Network network = model.newNetwork(Math.min(rows.rows(), 4096));
    network.setParameters(loaded.parameters());
    if (rows.labelled() == null) {
      printOutputs(out, network, loaded, rows);
    } else {
      printScores(out, model, network, loaded, rows);
    }
    return Main.OK;
  }

  /**
   * CSV: {@code row,class,p_0,…} for a softmax network ({@code logit_0,…} with {@code --logits}),
   * {@code row,class,<target>_0} for binary cross-entropy, {@code row,<target>_0,…} for values.
   */
  private void printOutputs(
      PrintWriter out, Network network, WeightMapping.Loaded loaded, PredictionData rows) {
    NetworkSpec networkSpec = network.spec();
    int outputs = networkSpec.outputWidth();
    int shown = limit == 0 ? rows.rows() : Math.min(limit, rows.rows());
    double[] rawX = java.util.Arrays.copyOf(rows.x(), shown * networkSpec.rawInputWidth());
    boolean softmax = networkSpec.outputKind() == NetworkSpec.OutputKind.LOGITS;
    if (logits && !softmax) {
      throw new UserInputException(
          "nnc: --logits needs a softmax_cross_entropy network; the outputs of "
              + networkSpec.name()
              + " are "
              + (networkSpec.outputKind() == NetworkSpec.OutputKind.PROBABILITIES
                  ? "probabilities already (binary_cross_entropy)"
                  : "values (squared_error)"));
    }
    double[] predictions =
        softmax && !logits
            ? Weights.predict(network, loaded.preprocessing(), rawX, shown)
            : Weights.logits(network, loaded.preprocessing(), rawX, shown);
    boolean classes = networkSpec.classifies();
    String column =
        softmax
            ? (logits ? "logit" : "p")
            : classes && outputs > 1 ? "out" : networkSpec.targetName();
    StringBuilder header = new StringBuilder("row");
    if (classes) {
      header.append(",class");
    }
    for (int j = 0; j < outputs; j++) {
      header.append(',').append(column).append('_').append(j);
    }
    out.println(header);
    for (int r = 0; r < shown; r++) {
      StringBuilder line = new StringBuilder(Integer.toString(r));
      if (classes) {
        line.append(',').append(networkSpec.predictedClass(predictions, r));
      }
      for (int j = 0; j < outputs; j++) {
        line.append(',').append(String.format(Locale.ROOT, "%.6g", predictions[r * outputs + j]));
      }
      out.println(line);
    }
    if (shown < rows.rows()) {
      out.println("# " + (rows.rows() - shown) + " more rows not shown (--limit " + limit + ")");
    }
  }

  private static void printScores(
      PrintWriter out,
      CompiledModel model,
      Network network,
      WeightMapping.Loaded loaded,
      PredictionData rows) {
    Dataset prepared = loaded.preprocessing().apply(rows.labelled());
    out.printf(
        Locale.ROOT, "%s on %s: %,d rows%n", network.spec().name(), rows.source(), rows.rows());
    if (prepared.rows() <= network.maxRows()) {
      Batch batch = Batch.of(network.spec(), prepared);
      network.setPenaltyExampleCount(prepared.rows());
      out.printf(
          Locale.ROOT,
          "loss      %s   (%s, penalty included)%n",
          TrainCommand.formatLoss(network.loss(batch)),
          lossName(model));
    }
    Metrics metrics = Training.metrics(model.model(), rows.labelled(), loaded.preprocessing());
    Map<String, Double> figures = metrics.evaluate(network, prepared);
    for (Map.Entry<String, Double> figure : figures.entrySet()) {
      double value = figure.getValue();
      String text =
          switch (figure.getKey()) {
            case "accuracy" ->
                String.format(
                    Locale.ROOT,
                    "%.2f%%   (%,d of %,d rows)",
                    100 * value,
                    Math.round(value * prepared.rows()),
                    prepared.rows());
            case "precision" -> format(value, "of the rows predicted class 1, the share that are");
            case "recall" -> format(value, "of the rows of class 1, the share predicted so");
            case "f1" -> format(value, "the harmonic mean of precision and recall");
            case "auc" -> format(value, "area under the ROC curve of the class-1 score");
            case "rmse" -> format(value, "root mean squared error, in the targets' units");
            case "mae" -> format(value, "mean absolute error, in the targets' units");
            default -> format(value, "");
          };
      out.printf(Locale.ROOT, "%-9s %s%n", figure.getKey(), text);
    }
  }

  private static String format(double value, String meaning) {
    String number = Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.6g", value);
    return meaning.isEmpty() ? number : number + "   (" + meaning + ")";
  }

  private static String lossName(CompiledModel model) {
    var loss = model.model().loss();
    return loss.kind().name().toLowerCase(Locale.ROOT) + " reduce " + loss.reduction().keyword();
  }
}
