package dev.nnc.cli;

import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.check.GradientCheck;
import dev.nnc.runtime.check.GradientReport;
import dev.nnc.runtime.check.TensorCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seeds the parameters and the random batch (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--batch",
      defaultValue = "4",
      description = "rows in the random batch (default: ${DEFAULT-VALUE})")
  int rows;

  @Option(
      names = "--max-per-tensor",
      defaultValue = "0",
      description = "check at most this many entries of each tensor, chosen at random (0 = all)")
  int maxPerTensor;

  @Option(
      names = "--reference",
      description = "check the reference interpreter instead of the generated class")
  boolean reference;

  @Option(
      names = "--threshold",
      paramLabel = "T",
      description =
          "largest max relative error that passes (default: 1e-6 for double networks, 1e-2 for float)")
  Double threshold;

  @Option(
      names = "--epsilon",
      paramLabel = "ε",
      description = "central-difference step (default: 1e-6 for double networks, 1e-3 for float)")
  Double epsilon;

  @Override
  public Integer call() {
    if (rows < 1) {
      throw new ParameterException(spec.commandLine(), "--batch must be at least 1, got " + rows);
    }
    Inputs.requireFile(spec, file, "MODEL.nn");
    CompiledModel model = CompiledModel.load(file);
    Network network = reference ? model.newReference(rows) : model.newNetwork(rows);
    network.initialize(seed);
    Batch batch = randomBatch(network.spec(), rows, seed);
    GradientCheck check = new GradientCheck(network);
    if (maxPerTensor > 0) {
      check.maxPerTensor(maxPerTensor);
    }
    try {
      if (threshold != null) {
        check.threshold(threshold);
      }
      if (epsilon != null) {
        check.epsilon(epsilon);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    GradientReport report = check.run(batch);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "gradient check of "
            + (reference ? "the reference interpreter of " : "the generated ")
            + network.spec().name()
            + " ("
            + file
            + "), "
            + rows
            + " random rows, seed "
            + seed);
    out.printf(
        Locale.ROOT,
        "central differences, ε = %.1e; a tensor passes when its max relative error"
            + " |a − n| / max(1e-8, |a| + |n|) ≤ %.1e%n%n",
        report.epsilon(),
        report.threshold());
    out.print(table(report));
    if (!report.passed()) {
      out.println();
      out.println("the layers of the failing tensors:");
      List<String> lines = sourceLines(file);
      for (TensorCheck failure : report.failures()) {
        TensorSpec tensor = failure.tensor();
        String text =
            tensor.line() >= 1 && tensor.line() <= lines.size()
                ? lines.get(tensor.line() - 1).strip()
                : "";
        out.println("  " + tensor.name() + ": " + file + ":" + tensor.line() + ": " + text);
      }
      out.println();
      out.println(
          "the check already retried each disagreeing entry at 10ε, ε/10 and ε/100, allowed for the"
              + " loss's rounding");
      out.println(
          "and skipped relu kinks: a gap that remains points at the backward pass of the layers above.");
      out.flush();
      throw new CheckFailedException(
          "nnc: gradient check FAILED: "
              + report.failures().size()
              + " of "
              + report.tensors().size()
              + " tensors over the threshold");
    }
    out.println("gradient check passed");
    return Main.OK;
  }

  /**
   * One row per tensor: {@code tensor layer (line) shape checked max-rel-error worst-index analytic
   * numeric result}.
   */
  static String table(GradientReport report) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "tensor",
          "layer (line)",
          "shape",
          "checked",
          "max rel. error",
          "worst index",
          "analytic",
          "numeric",
          "result"
        });
    long entries = 0;
    for (TensorCheck check : report.tensors()) {
      TensorSpec tensor = check.tensor();
      entries += check.checkedEntries();
      boolean any = check.checkedEntries() > 0;
      String index =
          !any
              ? "-"
              : tensor.name().endsWith(".b") && tensor.rows() == 1
                  ? "[" + check.worstColumn() + "]"
                  : "[" + check.worstRow() + ", " + check.worstColumn() + "]";
      rows.add(
          new String[] {
            tensor.name(),
            tensor.layer() + " (" + tensor.line() + ")",
            tensor.shapeText(),
            Integer.toString(check.checkedEntries()),
            any ? String.format(Locale.ROOT, "%.2e", check.maxRelativeError()) : "-",
            index,
            any ? String.format(Locale.ROOT, "%.8g", check.analytic()) : "-",
            any ? String.format(Locale.ROOT, "%.8g", check.numeric()) : "-",
            check.passed() ? "ok" : "FAIL"
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        boolean numeric = c >= 3 && c <= 7 && c != 5;
        String cell = row[c];
        String pad = " ".repeat(widths[c] - cell.length());
        line.append(c == 0 ? "" : "  ").append(numeric ? pad + cell : cell + pad);
      }
      text.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        text.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
      }
    }
    text.append(report.tensors().size())
        .append(" tensors, ")
        .append(entries)
        .append(" entries checked\n");
    int roundingLimited = 0;
    int kinks = 0;
    for (TensorCheck check : report.tensors()) {
      roundingLimited += check.roundingLimited();
      kinks += check.kinks();
    }
    if (roundingLimited > 0) {
      text.append(roundingLimited)
          .append(" entries differ by less than the central difference's rounding")
          .append(" (16 ulps of the loss / 2ε): counted as agreeing\n");
    }
    if (kinks > 0) {
      text.append(kinks)
          .append(" entries skipped: a relu kink within ±ε (the analytic gradient lies")
          .append(" between the one-sided differences)\n");
    }
    return text.toString();
  }

  private static List<String> sourceLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Inputs ~ N(0, 1/D) for D inputs, so that a first layer initialised N(0, 1) (Nielsen's) sees z ~
   * N(0, 1) instead of saturating its sigmoids: saturated units have gradients near 1e-9, where
   * central differences are mostly rounding and the check would fail a correct class. Dense targets
   * uniform in [0, 1) (valid for every loss); labels uniform.
   */
  static Batch randomBatch(NetworkSpec spec, int rows, long seed) {
    Rng rng = new Rng(seed ^ 0x6772616463686563L);
    Batch batch = Batch.forSpec(spec, rows);
    double scale = 1 / Math.sqrt(spec.inputWidth());
    for (int i = 0; i < rows * spec.inputWidth(); i++) {
      batch.x[i] = scale * rng.nextGaussian();
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
