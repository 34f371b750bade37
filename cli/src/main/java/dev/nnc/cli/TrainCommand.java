package dev.nnc.cli;

import dev.nnc.lower.RuntimeViews;
import dev.nnc.pipeline.Checkpointing;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.DataLoading;
import dev.nnc.pipeline.Training;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.AtomicFiles;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.train.EpochRecord;
import dev.nnc.runtime.train.TrainListener;
import dev.nnc.runtime.train.TrainingDivergedException;
import dev.nnc.runtime.train.WarmUp;
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

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a network with the recipe of its train block: a progress bar per epoch on a terminal,"
          + " one line per epoch otherwise (pipes, CI).",
      "Then writes into the output folder (default runs/<Name>/ under the current directory):"
          + " <Name>.npz (the weights and the fitted standardisation, np.load reads it),"
          + " <Name>-history.csv (the loss and the metrics of every epoch) and the loss curve"
          + " <Name>-loss.png (or .svg with --plot svg). A folder that cannot be written is reported"
          + " before training.",
      "As Keras reports them, the loss and the training metrics (accuracy, …) of an epoch are"
          + " running figures over its batches, from each step's own outputs (with cg and lbfgs:"
          + " the whole training set after the epoch); val_loss and the val_ metrics are measured"
          + " on the validation rows after the epoch."
    },
    footer = {
      "",
      "Examples:",
      "  nnc train samples/xor/xor.nn                  # writes runs/Xor/",
      "  nnc train samples/xor/xor.nn --epochs 500 --seed 2 --out /tmp/xor --plot svg"
    })
final class TrainCommand implements Callable<Integer> {
  /** At most about this many epoch lines are printed; the last epoch always is. */
  private static final int EPOCH_LINES = 20;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the network file")
  Path file;

  @Option(names = "--epochs", description = "override the number of epochs of the train block")
  Integer epochs;

  @Option(names = "--seed", description = "override the seed of the train block")
  Long seed;

  @Option(
      names = "--lr",
      paramLabel = "RATE",
      description = "override the learning rate of the optimizer (sgd, momentum, adam)")
  Double learningRate;

  @Option(
      names = "--optimizer",
      paramLabel = "OPTIMIZER",
      description =
          "replace the train block's optimizer, written as there: \"adam(lr = 0.001)\","
              + " \"sgd(lr = 0.1, momentum = 0.9)\", \"lbfgs(iterations = 100)\" (checked as the"
              + " file is)")
  String optimizer;

  @Option(
      names = "--batch",
      paramLabel = "N|full",
      description = "override the batch size: rows per step, or full (sgd, momentum, adam)")
  String batch;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "where the weights, the history and the loss curve go (default: runs/<Name>)")
  Path outDirectory;

  @Option(
      names = "--plot",
      paramLabel = "FORMAT",
      defaultValue = "png",
      description = "the loss curve's format: png, svg or none (default: png)",
      converter = PlotFormatConverter.class)
  LossCurve.Format plot;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "auto, bar or lines: auto draws bars exactly when on a terminal (default: auto)",
      converter = ProgressModeConverter.class)
  TrainProgress.Mode progress;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description =
          "write DIR/<Name>-checkpoint.npz (atomically) every N epochs and after the last")
  Integer checkpointEvery;

  @Option(names = "--threads", paramLabel = "N", description = Threads.DESCRIPTION)
  String threads;

  @Option(
      names = "--init",
      paramLabel = "WEIGHTS.npz",
      description =
          "start from these weights instead of the inits (fine-tuning; e.g. from nnc import)")
  Path init;

  @Option(
      names = "--spark",
      paramLabel = "MASTER",
      description =
          "train on Apache Spark (local[N], spark://host:port, yarn, …): needs nnc-spark and Spark"
              + " on the class path (./nnc adds them when SPARK_HOME is set); same blocks on any"
              + " cluster, same weights")
  String sparkMaster;

  @Option(
      names = "--data",
      paramLabel = "PATH",
      description =
          "with --spark: the rows, read by Spark (default: the train block's data statement)")
  String sparkData;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "with --spark --data: parquet (default), csv, json or orc")
  String sparkFormat;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "with --spark: partitions holding the blocks (never changes the result)")
  Integer sparkPartitions;

  @Option(
      names = "--resume",
      description = "continue from DIR/<Name>-checkpoint.npz (same network, recipe and data only)")
  boolean resume;

  @Override
  public Integer call() {
    Inputs.requireFile(spec, file, "MODEL.nn");
    if (sparkMaster != null) {
      return trainOnSpark();
    }
    if (sparkData != null || sparkFormat != null || sparkPartitions != null) {
      throw new UserInputException("nnc: --data, --format and --partitions go with --spark MASTER");
    }
    Threads.parse(spec, threads);
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /**
   * The command once its options are known good, without Spark (also {@link QuickDispatch}'s way
   * in, which loads no picocli class).
   */
  int run(PrintWriter out, PrintWriter err) {
    int requestedThreads = Threads.count(threads);
    WarmUp.prepareKernels(); // the Vector API's first calls, beside the check and the generation
    dev.nnc.ir.Model checked =
        optimizer == null ? CompiledModel.check(file, err::println) : withOptimizerOverride(err);
    // the data (MNIST: 62 MB of doubles, mostly page faults of fresh memory) is read from here on,
    // beside the class's cache look-up and the warm-up's start
    RowsReadAhead readAhead = RowsReadAhead.start(checked, file);
    try {
      return train(out, checked, readAhead, requestedThreads);
    } finally {
      readAhead.cancel(); // nothing once the rows are read; else an error came first
    }
  }

  private int train(
      PrintWriter out, dev.nnc.ir.Model checked, RowsReadAhead readAhead, int requestedThreads) {
    CompiledModel model = CompiledModel.of(checked);
    TrainConfig config =
        RuntimeViews.trainConfig(model.model())
            .orElseThrow(
                () ->
                    new UserInputException(
                        file
                            + ": error: the file has no train block, so there is no recipe to train with"));
    if (epochs != null) {
      if (epochs < 1) {
        throw new UserInputException("nnc: --epochs must be at least 1, got " + epochs);
      }
      config = config.withEpochs(epochs);
    }
    if (seed != null) {
      config = config.withSeed(seed);
    }
    String overrides =
        optimizer == null ? "" : ", optimizer " + optimizer.strip() + " (--optimizer)";
    if (learningRate != null || batch != null) {
      config = Overrides.apply(config, learningRate, batch);
      overrides += Overrides.describe(config, learningRate, batch);
    }
    // The generated class is loaded: while the data is read, a daemon thread runs the training's
    // calls on its own instance, so that the JIT compiles them (WarmUp); it is stopped before the
    // first real step, and never changes a bit of the trained network.
    WarmUp warmUp = WarmUp.start(model::newNetwork, config);
    Path outDir;
    TrainProgress printer;
    Training.Prepared prepared;
    try {
      DataLoading.Rows rows =
          readAhead
              .rows()
              .orElseThrow(
                  () ->
                      new UserInputException(
                          file + ": error: the train block has no data statement"));
      Dataset raw = rows.training();
      Dataset validation = rows.validation();
      outDir = outDirectory != null ? outDirectory : Path.of("runs", model.model().name());
      Folders.requireWritable(outDir);
      int totalEpochs = config.epochs();
      out.printf(
          Locale.ROOT,
          "training %s (%s): %d rows%s, %,d parameters, %s%s%n",
          model.model().name(),
          file,
          raw.rows(),
          validation == null ? "" : " (+ " + validation.rows() + " validation rows)",
          model.spec().parameterCount(),
          totalEpochs > 0
              ? totalEpochs
                  + (config.optimizer().fullBatchOnly()
                      ? (totalEpochs == 1 ? " iteration" : " iterations")
                      : (totalEpochs == 1 ? " epoch" : " epochs"))
              : config.steps() + (config.steps() == 1 ? " step" : " steps"),
          overrides);
      EpochPrinter lines = new EpochPrinter(out, totalEpochs);
      printer =
          TrainProgress.create(progress, lines, lines::flushLast, System.err, config, raw.rows());
      prepared = Training.prepare(model, raw, validation, config);
      if (init != null) {
        prepared = InitialWeights.apply(prepared, init, raw, validation, out);
      }
      Threads.apply(
          prepared.network(),
          requestedThreads,
          config.batchSize() > 0 ? Math.min(config.batchSize(), raw.rows()) : raw.rows(),
          out);
    } finally {
      warmUp.stop();
    }
    Training.Result result;
    try {
      result =
          Checkpointing.train(
              prepared, printer, model.model(), outDir, checkpointEvery, resume, out);
    } catch (TrainingDivergedException e) {
      printer.finish();
      out.flush();
      throw new CheckFailedException(
          "nnc: training stopped: "
              + e.getMessage()
              + Checkpointing.keptNote(outDir, model.model().name()));
    }
    printer.finish();
    if (result.history().stoppedEarly()) {
      out.println(
          (config.optimizer().fullBatchOnly()
                  ? "stopped: " // the reason counts the iterations
                  : "stopped after epoch " + result.history().last().epoch() + ": ")
              + result.history().stopReason());
    }
    EpochRecord last = result.history().last();
    double finalLoss = result.finalLoss();
    if (Double.isNaN(finalLoss)) {
      out.printf(
          Locale.ROOT,
          "mean loss of the last epoch (%d): %s%n",
          last.epoch(),
          formatLoss(last.meanLoss()));
    } else {
      out.printf(Locale.ROOT, "loss after training: %s%n", formatLoss(finalLoss));
    }
    printPredictions(out, result);
    write(result, outDir, out);
    return Main.OK;
  }

  /** The file checked as it is (its errors and warnings first), then with --optimizer's. */
  private dev.nnc.ir.Model withOptimizerOverride(PrintWriter err) {
    CompiledModel.check(file, err::println);
    return OptimizerOverride.apply(file, optimizer);
  }

  /** {@code --spark MASTER}: nnc-spark's SparkTrain, found by reflection, does the run. */
  private int trainOnSpark() {
    if (seed != null
        || learningRate != null
        || batch != null
        || optimizer != null
        || threads != null
        || init != null) {
      throw new UserInputException(
          "nnc: --seed, --lr, --batch, --optimizer, --threads and --init are not available with"
              + " --spark: the"
              + " recipe is the train block's (--epochs, --out, --checkpoint-every and --resume"
              + " are)");
    }
    if (epochs != null && epochs < 1) {
      throw new UserInputException("nnc: --epochs must be at least 1, got " + epochs);
    }
    java.util.List<String> args = new java.util.ArrayList<>();
    args.add(file.toString());
    args.add("--master");
    args.add(sparkMaster);
    if (sparkData != null) {
      args.add("--data");
      args.add(sparkData);
    }
    if (sparkFormat != null) {
      args.add("--format");
      args.add(sparkFormat);
    }
    if (sparkPartitions != null) {
      args.add("--partitions");
      args.add(sparkPartitions.toString());
    }
    if (epochs != null) {
      args.add("--epochs");
      args.add(epochs.toString());
    }
    if (outDirectory != null) {
      args.add("--out");
      args.add(outDirectory.toString());
    }
    if (checkpointEvery != null) {
      args.add("--checkpoint-every");
      args.add(checkpointEvery.toString());
    }
    if (resume) {
      args.add("--resume");
    }
    PrintWriter out = spec.commandLine().getOut();
    java.util.concurrent.atomic.AtomicReference<dev.nnc.runtime.train.History> history =
        new java.util.concurrent.atomic.AtomicReference<>();
    int status =
        SparkLauncher.run(
            args.toArray(String[]::new), out, spec.commandLine().getErr(), history::set);
    if (status == Main.OK && history.get() != null && plot != LossCurve.Format.NONE) {
      String name = dev.nnc.pipeline.CompiledModel.check(file).name();
      Path dir = outDirectory != null ? outDirectory : Path.of("runs", name);
      Path curve = dir.resolve(name + "-loss." + plot.name().toLowerCase(Locale.ROOT));
      try {
        LossCurve.write(name, history.get(), curve, plot);
      } catch (IOException e) {
        throw new UserInputException(
            "nnc: cannot write the loss curve " + curve + ": " + e.getMessage());
      }
      out.println("wrote " + curve);
    }
    return status;
  }

  private void write(Training.Result result, Path outDirectory, PrintWriter out) {
    String name = result.network().spec().name();
    Path weights = outDirectory.resolve(name + ".npz");
    Path history = outDirectory.resolve(name + "-history.csv");
    try {
      Npz.write(weights, result.weights());
      Path temp = AtomicFiles.temporarySibling(history);
      try {
        Files.writeString(temp, result.history().toCsv(), StandardCharsets.UTF_8);
        Files.move(
            temp, history, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UserInputException(
          "nnc: cannot write the results into " + outDirectory + ": " + e.getMessage());
    }
    out.println("wrote " + weights + " and " + history);
    if (plot != LossCurve.Format.NONE) {
      Path curve = outDirectory.resolve(name + "-loss." + plot.name().toLowerCase(Locale.ROOT));
      try {
        LossCurve.write(name, result.history(), curve, plot);
      } catch (IOException e) {
        throw new UserInputException(
            "nnc: cannot write the loss curve " + curve + ": " + e.getMessage());
      }
      out.println("wrote " + curve);
    }
  }

  /** {@code --plot png|svg|none}, case-insensitive. */
  static final class PlotFormatConverter extends Enums<LossCurve.Format> {
    PlotFormatConverter() {
      super(LossCurve.Format.class);
    }
  }

  /** {@code --progress auto|bar|lines}, case-insensitive. */
  static final class ProgressModeConverter extends Enums<TrainProgress.Mode> {
    ProgressModeConverter() {
      super(TrainProgress.Mode.class);
    }
  }

  /** For tiny data sets (the samples), show what the trained network outputs for every row. */
  private static void printPredictions(PrintWriter out, Training.Result result) {
    Dataset data = result.data();
    if (data.rows() > 16) {
      return;
    }
    Network network = result.network();
    int outputs = network.spec().outputWidth();
    double[] predictions = new double[data.rows() * outputs];
    network.predict(data.x(), data.rows(), predictions);
    out.println("outputs after training:");
    for (int r = 0; r < data.rows(); r++) {
      StringBuilder row = new StringBuilder("  ");
      row.append(format(data.x(), r * data.inputWidth(), data.inputWidth())).append(" -> ");
      row.append(format(predictions, r * outputs, outputs));
      if (data.hasLabels()) {
        row.append("  (label ").append(data.labels()[r]).append(')');
      } else {
        row.append("  (target ")
            .append(format(data.targets(), r * data.targetWidth(), data.targetWidth()))
            .append(')');
      }
      out.println(row);
    }
  }

  private static String format(double[] values, int from, int count) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        text.append(", ");
      }
      text.append(String.format(Locale.ROOT, "%.4f", values[from + i]));
    }
    return text.append(']').toString();
  }

  /**
   * Fixed point for ordinary losses, scientific for huge or tiny ones, so columns stay readable.
   */
  static String formatLoss(double loss) {
    double magnitude = Math.abs(loss);
    if (magnitude != 0 && (magnitude >= 1e5 || magnitude < 1e-4)) {
      return String.format(Locale.ROOT, "%.6e", loss);
    }
    return String.format(Locale.ROOT, "%.8f", loss);
  }

  /** One line per epoch, thinned to about {@link #EPOCH_LINES} lines for long runs. */
  private static final class EpochPrinter implements TrainListener {
    private final PrintWriter out;
    private final int every;
    private EpochRecord pending;

    EpochPrinter(PrintWriter out, int totalEpochs) {
      this.out = out;
      this.every = Math.max(1, totalEpochs / EPOCH_LINES);
    }

    @Override
    public void onEpoch(EpochRecord record) {
      if (record.epoch() % every == 0 || record.epoch() == 1) {
        print(record);
        pending = null;
      } else {
        pending = record;
      }
    }

    void flushLast() {
      if (pending != null) {
        print(pending);
      }
    }

    private void print(EpochRecord record) {
      String accuracy = EpochLine.figures(record, false);
      // CG and L-BFGS have no learning rate (NaN) and record the cost after their iteration.
      String rate =
          Double.isNaN(record.learningRate())
              ? ""
              : String.format(Locale.ROOT, "  lr %.4g", record.learningRate());
      out.printf(
          Locale.ROOT,
          // a full-batch optimizer's epoch is one iteration (one line search), and is called so
          Double.isNaN(record.learningRate())
              ? "iteration %5d  %s %s%s%s%n"
              : "epoch %5d  %s %s%s%s%n",
          record.epoch(),
          Double.isNaN(record.learningRate()) ? "cost" : "loss",
          formatLoss(record.meanLoss()),
          rate,
          accuracy);
      out.flush();
    }
  }
}
