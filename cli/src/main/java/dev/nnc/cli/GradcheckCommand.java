package dev.nnc.cli;

import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.GradientChecking;
import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.check.GradientReport;
import dev.nnc.runtime.check.TensorCheck;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Preprocessing;
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
      "Check the generated backward pass, tensor by tensor: double networks against central"
          + " differences of loss(), float networks against the same network generated in double.",
      "Each checked entry is verified, unverifiable (a relu or max-pool kink, or a gradient below what the"
          + " differences resolve) or failed; a tensor passes with no failed entry, at least one"
          + " verified and at most 5%% unverifiable.",
      "Default: two parameter points (--seed, --seed + 1) × three random batches (one of the"
          + " class's 2·BLOCK_ROWS + 1 rows, run on 1, 2 and 3 threads and block by block,"
          + " when it splits), each run twice;"
          + " with --weights and --data: the user's parameters and rows.",
      "Exit code 1 when the check fails."
    },
    footer = {
      "",
      "Examples:",
      "  nnc gradcheck samples/xor/xor.nn --seed 7 --batch 3",
      "  nnc gradcheck samples/xor/xor.nn --weights runs/Xor/Xor.npz --data xor.csv"
    })
final class GradcheckCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the network file")
  Path file;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seeds the parameters and the random batches (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--batch",
      defaultValue = "4",
      description = "rows in the small batches (default: ${DEFAULT-VALUE})")
  int rows;

  @Option(
      names = "--max-per-tensor",
      defaultValue = "0",
      description =
          "check at most this many entries of each tensor by finite differences: the corners,"
              + " then a random draw (0 = all of a tensor up to 2,000 entries, else 200)")
  int maxPerTensor;

  @Option(
      names = "--reference",
      description = "check the reference interpreter instead of the generated class")
  boolean reference;

  @Option(
      names = "--threshold",
      paramLabel = "T",
      description =
          "the relative part of each entry's bound |a − n| ≤ T·(|a| + |n|) + rounding floor"
              + " (default: 1e-6)")
  Double threshold;

  @Option(
      names = "--epsilon",
      paramLabel = "ε",
      description = "finite-difference step (default: 1e-5)")
  Double epsilon;

  @Option(
      names = "--weights",
      paramLabel = "WEIGHTS.npz",
      description = "check at these parameters (as nnc train writes them) instead of random ones")
  Path weights;

  @Option(
      names = "--map",
      paramLabel = "MEMBER=TENSOR,…|positional",
      description = "weights under other names, as for nnc predict")
  String map;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      description =
          "check on these rows (.npz, .csv or IDX images with --labels; with targets or labels),"
              + " in batches of --batch rows, instead of random ones")
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

  @Option(names = "--scale", paramLabel = "S", description = "multiply IDX pixels by S")
  Double scale;

  @Option(names = "--header", description = "the CSV's first line is a header")
  boolean header;

  @Override
  public Integer call() {
    if (rows < 1) {
      throw new ParameterException(spec.commandLine(), "--batch must be at least 1, got " + rows);
    }
    if (maxPerTensor < 0) {
      throw new ParameterException(
          spec.commandLine(), "--max-per-tensor must be ≥ 0, got " + maxPerTensor);
    }
    Inputs.requireFile(spec, file, "MODEL.nn");
    if (weights != null) {
      Inputs.requireFile(spec, weights, "--weights");
    }
    if (data != null) {
      Inputs.requireFile(spec, data, "--data");
    }
    if (labels != null) {
      Inputs.requireFile(spec, labels, "--labels");
    }
    CompiledModel model = CompiledModel.load(file);
    NetworkSpec networkSpec = model.spec();
    Preprocessing preprocessing = null;
    double[] userParameters = null;
    if (weights != null) {
      WeightMapping.Loaded loaded = WeightMapping.load(weights, networkSpec, map);
      userParameters = loaded.parameters();
      preprocessing = loaded.preprocessing();
    }
    List<Batch> batches;
    String what;
    if (data != null) {
      PredictionData loadedRows =
          PredictionData.load(
              new PredictionData.Request(data, labels, inputMember, targetMember, scale, header),
              model.model(),
              networkSpec);
      if (loadedRows.labelled() == null) {
        throw new UserInputException(
            "nnc: "
                + loadedRows.source()
                + ": the gradient check needs targets or labels beside the inputs");
      }
      Dataset raw = loadedRows.labelled();
      Dataset prepared =
          preprocessing != null
              ? preprocessing.apply(raw)
              : Preprocessing.fit(networkSpec, raw).apply(raw);
      int split = reference ? 0 : GradientChecking.splitRows(model::newNetwork);
      batches = userBatches(networkSpec, prepared, rows, split);
      what = "rows of " + loadedRows.source();
    } else {
      batches = new ArrayList<>();
      what = "random rows, seed " + seed;
    }
    if (epsilon != null && !(epsilon > 0 && Double.isFinite(epsilon))) {
      throw new ParameterException(spec.commandLine(), "ε must be positive, got " + epsilon);
    }
    if (threshold != null && !(threshold >= 0 && Double.isFinite(threshold))) {
      throw new ParameterException(spec.commandLine(), "threshold must be ≥ 0, got " + threshold);
    }
    GradientChecking.Request request =
        new GradientChecking.Request(
            seed,
            rows,
            maxPerTensor,
            epsilon,
            threshold,
            userParameters,
            data == null ? null : batches);
    GradientReport report =
        GradientChecking.run(
            model.model(),
            reference ? model::newReference : model::newNetwork,
            reference
                ? null
                : maxRows ->
                    CompiledModel.of(GradientChecking.doubleTwin(model.model()))
                        .newNetwork(maxRows),
            request);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "gradient check of "
            + (reference ? "the reference interpreter of " : "the generated ")
            + networkSpec.name()
            + " ("
            + file
            + "), "
            + (userParameters != null
                ? "the parameters of " + weights
                : "seeds " + seed + " and " + (seed + 1))
            + ", "
            + what);
    out.println(report.method());
    for (String c : report.cases()) {
      out.println("  " + c);
    }
    out.println();
    out.print(table(report.tensors(), report.cases().size()));
    if (!report.reference().isEmpty()) {
      out.println();
      out.println("the double twin, by central differences of loss():");
      out.print(table(report.reference(), report.cases().size()));
    }
    for (String problem : report.problems()) {
      out.println("PROBLEM: " + problem);
    }
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
      out.flush();
      throw new CheckFailedException(
          "nnc: gradient check FAILED: "
              + report.failures().size()
              + " of "
              + report.tensors().size()
              + " tensors, "
              + report.problems().size()
              + (report.problems().size() == 1 ? " problem" : " problems"));
    }
    out.printf(
        Locale.ROOT,
        "gradient check passed: %d entries verified, %d unverifiable%n",
        report.verified(),
        report.unverifiable());
    return Main.OK;
  }

  /**
   * The user's rows: first the first {@code split} rows as one batch when there are that many (the
   * class's split path), then batches of {@code size} (at most four, first rows first).
   */
  static List<Batch> userBatches(NetworkSpec spec, Dataset prepared, int size, int split) {
    List<Batch> batches = new ArrayList<>();
    if (split > 0 && prepared.rows() >= split) {
      batches.add(rowsOf(spec, prepared, 0, split));
    }
    for (int first = 0, small = 0; first < prepared.rows() && small < 4; first += size, small++) {
      batches.add(rowsOf(spec, prepared, first, Math.min(size, prepared.rows() - first)));
    }
    if (batches.isEmpty()) {
      throw new UserInputException("nnc: no rows to check the gradient on");
    }
    return batches;
  }

  private static Batch rowsOf(NetworkSpec spec, Dataset prepared, int first, int n) {
    Batch batch = Batch.forSpec(spec, n);
    System.arraycopy(prepared.x(), first * spec.inputWidth(), batch.x, 0, n * spec.inputWidth());
    if (prepared.hasLabels()) {
      System.arraycopy(prepared.labels(), first, batch.labels, 0, n);
    } else {
      System.arraycopy(
          prepared.targets(), first * spec.targetWidth(), batch.targets, 0, n * spec.targetWidth());
    }
    batch.setRows(n);
    return batch;
  }

  /**
   * One row per tensor: {@code tensor layer (line) shape checked verified unverifiable failed index
   * analytic numeric |a−n|/bound result}, then what the unverifiable entries were.
   */
  static String table(List<TensorCheck> checks, int cases) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "tensor",
          "layer (line)",
          "shape",
          "checked",
          "verified",
          "unverifiable",
          "failed",
          "shown",
          "analytic",
          "numeric",
          "|a−n|/bound",
          "result"
        });
    long kinks = 0;
    long below = 0;
    long notExercised = 0;
    for (TensorCheck check : checks) {
      TensorSpec tensor = check.tensor();
      kinks += check.kinks();
      below += check.belowResolution();
      notExercised += check.notExercised();
      boolean any = check.worstFlatIndex() >= 0;
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
            Integer.toString(check.verified()),
            Integer.toString(check.unverifiable()),
            Integer.toString(check.failed()),
            index,
            any ? String.format(Locale.ROOT, "%.8g", check.analytic()) : "-",
            any ? String.format(Locale.ROOT, "%.8g", check.numeric()) : "-",
            any ? String.format(Locale.ROOT, "%.2e", check.errorOverBound()) : "-",
            check.passed() ? "ok" : "FAIL: " + check.whyNot()
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
        boolean numeric = c >= 3 && c <= 10 && c != 7;
        String cell = row[c];
        String pad = c == row.length - 1 ? "" : " ".repeat(widths[c] - cell.length());
        line.append(c == 0 ? "" : "  ").append(numeric ? pad + cell : cell + pad);
      }
      text.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        text.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
      }
    }
    text.append(
        "shown: the worst failed entry, else the verified one nearest its bound; an entry is"
            + " verified when some case confirms it and none contradicts it\n");
    if (kinks > 0) {
      text.append(kinks)
          .append(
              " unverifiable at a kink of a relu or max pool (the one-sided differences disagree, and the")
          .append(" analytic gradient is the smooth side's derivative, in every case)\n");
    }
    if (below > 0) {
      text.append(below)
          .append(" unverifiable below resolution (the gradient and its difference within")
          .append(" 4 rounding floors of 0 in every case)\n");
    }
    if (notExercised > 0) {
      text.append(notExercised)
          .append(" never exercised: gradient exactly 0 in all ")
          .append(cases)
          .append(" cases (a unit never active)\n");
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
}
