package dev.nnc.cli;

import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.check.GradientCheck;
import dev.nnc.runtime.check.GradientReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "gradcheck",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the generated backward pass with central finite differences, tensor by tensor.",
      "Exit code 1 when a tensor's max relative error |a − n| / max(1e-8, |a| + |n|) is over the threshold."
    },
    footer = {"", "Example:", "  nnc gradcheck samples/xor/xor.nn --seed 7 --batch 3"})
final class GradcheckCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the network file")
  Path file;

  @Option(names = "--seed", defaultValue = "1", description = "seeds the parameters and the random batch (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--batch", defaultValue = "4", description = "rows in the random batch (default: ${DEFAULT-VALUE})")
  int rows;

  @Option(names = "--max-per-tensor", defaultValue = "0",
      description = "check at most this many entries of each tensor, chosen at random (0 = all)")
  int maxPerTensor;

  @Option(names = "--reference", description = "check the reference interpreter instead of the generated class")
  boolean reference;

  @Override
  public Integer call() {
    if (rows < 1) {
      throw new dev.nnc.pipeline.UserInputException("nnc: --batch must be at least 1, got " + rows);
    }
    CompiledModel model = CompiledModel.load(file);
    Network network = reference ? model.newReference(rows) : model.newNetwork(rows);
    network.initialize(seed);
    Batch batch = randomBatch(network.spec(), rows, seed);
    GradientCheck check = new GradientCheck(network);
    if (maxPerTensor > 0) {
      check.maxPerTensor(maxPerTensor);
    }
    GradientReport report = check.run(batch);
    PrintWriter out = spec.commandLine().getOut();
    out.println("gradient check of " + (reference ? "the reference interpreter of " : "the generated ")
        + network.spec().name() + " (" + file + "), " + rows + " random rows, seed " + seed);
    out.print(report.format());
    if (!report.passed()) {
      throw new CheckFailedException("gradient check FAILED");
    }
    out.println("gradient check passed");
    return Main.OK;
  }

  /** Inputs ~ N(0, 1); dense targets uniform in [0, 1) (valid for every loss); labels uniform. */
  static Batch randomBatch(NetworkSpec spec, int rows, long seed) {
    Rng rng = new Rng(seed ^ 0x6772616463686563L);
    Batch batch = Batch.forSpec(spec, rows);
    for (int i = 0; i < rows * spec.inputWidth(); i++) {
      batch.x[i] = rng.nextGaussian();
    }
    if (batch.hasLabels()) {
      for (int r = 0; r < rows; r++) {
        batch.labels[r] = rng.nextInt(spec.targetWidth());
      }
    } else {
      for (int i = 0; i < rows * spec.targetWidth(); i++) {
        batch.targets[i] = rng.nextDouble();
      }
    }
    batch.setRows(rows);
    return batch;
  }
}
