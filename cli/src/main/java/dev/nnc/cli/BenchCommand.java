package dev.nnc.cli;

import dev.nnc.emit.perf.Benchmarking;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Time training steps of the generated class: a step is lossAndGradient on a random batch"
          + " (in the form training fills it: a float network's rows as floats), then an SGD"
          + " update; for a recipe trained by cg or lbfgs, what they run instead: one"
          + " evaluation of their objective on a fixed batch (setParameters,"
          + " lossAndGradient(FixedBatch), getGradient). Prints steps/s, examples/s, GFLOP/s of"
          + " the matrix products and the bytes a step allocates, after a warm-up that lets the"
          + " JIT compile the class.",
      "Wall-clock figures on this machine: compare figures of one run, e.g. with --reference."
    },
    footer = {
      "",
      "Examples:",
      "  nnc bench samples/nielsen/nielsen.nn",
      "  nnc bench samples/xor/xor.nn --batch 64 --time 2000 --reference"
    })
final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the network file")
  Path file;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description =
          "rows per step (default: the train block's batch size; with batch full, the"
              + " inline rows, or 64)")
  Integer batch;

  @Option(
      names = "--warmup",
      paramLabel = "MS",
      defaultValue = "1000",
      description = "milliseconds of steps before timing (default: ${DEFAULT-VALUE})")
  long warmupMillis;

  @Option(
      names = "--time",
      paramLabel = "MS",
      defaultValue = "3000",
      description = "milliseconds of timed steps (default: ${DEFAULT-VALUE})")
  long measureMillis;

  @Option(names = "--threads", paramLabel = "N", description = Threads.DESCRIPTION)
  String threads;

  @Option(
      names = "--reference",
      description = "also time the reference interpreter and print the speed-up")
  boolean reference;

  @Override
  public Integer call() {
    Inputs.requireFile(spec, file, "MODEL.nn");
    int requestedThreads = Threads.parse(spec, threads);
    if (warmupMillis < 0 || measureMillis < 1) {
      throw new ParameterException(spec.commandLine(), "--warmup must be ≥ 0 and --time ≥ 1 ms");
    }
    CompiledModel model = CompiledModel.load(file);
    int rows = batch != null ? batch : defaultBatch(model);
    if (rows < 1) {
      throw new ParameterException(spec.commandLine(), "--batch must be at least 1, got " + rows);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "benchmark of %s (%s): %d rows per step, %,d parameters, %d ms warm-up, %d ms timed%n",
        model.model().name(),
        file,
        rows,
        model.spec().parameterCount(),
        warmupMillis,
        measureMillis);
    out.flush();
    convolutional = model.model().convolutional() ? model.model() : null;
    objective =
        RuntimeViews.trainConfig(model.model())
            .map(config -> config.optimizer().fullBatchOnly())
            .orElse(false);
    if (objective) {
      out.println(
          "a step is one evaluation of the objective CG and L-BFGS minimise, on a fixed batch"
              + " (setParameters, lossAndGradient, getGradient), as nnc train runs it");
    }
    Batch data = Benchmarking.randomBatch(model.spec(), rows, 1);
    data.setRows(rows);
    Network network = model.newNetwork(rows);
    Threads.apply(network, requestedThreads, rows, out);
    Benchmarking.Result generated = time(network, data);
    print(out, "generated", generated);
    if (reference) {
      Benchmarking.Result interpreted = time(model.newReference(rows), data);
      print(out, "reference", interpreted);
      out.printf(
          Locale.ROOT,
          "speed-up of the generated class: %.1f×%n",
          interpreted.microsPerStep() / generated.microsPerStep());
    }
    return Main.OK;
  }

  private Benchmarking.Result time(Network network, Batch data) {
    Benchmarking.Result result =
        objective
            ? Benchmarking.timeObjective(network, data, warmupMillis, measureMillis)
            : Benchmarking.time(network, data, warmupMillis, measureMillis);
    if (convolutional != null) {
      result = result.withFlopsPerStep(Benchmarking.flopsPerStep(convolutional, data.rows()));
    }
    return result;
  }

  /** Whether the recipe trains by CG or L-BFGS: a step is then one evaluation of the objective. */
  private boolean objective;

  /** The model when it has conv layers, whose products the spec alone cannot count. */
  private dev.nnc.ir.Model convolutional;

  private static void print(PrintWriter out, String what, Benchmarking.Result result) {
    out.printf(
        Locale.ROOT,
        "%-9s  %,12.1f steps/s  %,14.0f examples/s  %10.3f µs/step  %7.2f GFLOP/s  %,.0f B/step  (%,d steps)%n",
        what,
        1e6 / result.microsPerStep(),
        result.examplesPerSecond(),
        result.microsPerStep(),
        result.gflopsPerSecond(),
        result.bytesAllocatedPerStep(),
        result.steps());
    out.flush();
  }

  /** The recipe's batch size; for batch full, the rows of inline data, else 64. */
  private static int defaultBatch(CompiledModel model) {
    return RuntimeViews.trainConfig(model.model())
        .map(TrainConfig::batchSize)
        .filter(size -> size > 0)
        .or(() -> RuntimeViews.inlineData(model.model()).map(Dataset::rows))
        .orElse(64);
  }
}
