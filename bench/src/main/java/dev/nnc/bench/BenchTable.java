package dev.nnc.bench;

import dev.nnc.emit.perf.Benchmarking;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks of this module in one JMH run (with {@code -prof gc}) and prints one table:
 * per seed and precision, µs per step (the best of the measured iterations), examples/s, GFLOP/s
 * (2·M·N·K per matrix product executed, {@link Benchmarking#flopsPerStep}), % of the FMA peak
 * measured in the same run, bytes allocated per step, the speed-up over the reference interpreter,
 * and one thread against two; then S3 under CG and L-BFGS.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar …           JMH itself (its own report)
 * java -cp bench/target/benchmarks.jar dev.nnc.bench.BenchTable [JMH options]   the table
 * </pre>
 *
 * JMH options pass through ({@code -p seed=S4,S5}, {@code -wi 2 -i 3}, a benchmark regex, …).
 */
public final class BenchTable {
  private BenchTable() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions cmd = new CommandLineOptions(args);
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd).addProfiler(GCProfiler.class);
    if (cmd.getIncludes().isEmpty()) {
      options
          .include(PeakBenchmark.class.getName())
          .include(StepBenchmark.class.getName())
          .include(ParallelStepBenchmark.class.getName())
          .include(OptimizerBenchmark.class.getName());
    }
    double loadBefore = loadAverage();
    Collection<RunResult> results = new Runner(options.build()).run();
    double loadAfter = loadAverage();
    System.out.println();
    System.out.print(table(results));
    // the machine may be shared: the figures mean little without the load they were measured at
    System.out.printf(
        Locale.ROOT,
        "%nLoad average (1 minute, %d cores): %.2f before the run, %.2f after it%n",
        Runtime.getRuntime().availableProcessors(),
        loadBefore,
        loadAfter);
  }

  /** The system's load average over the last minute, as {@code uptime} prints it; -1 if unknown. */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * The best (lowest) iteration of a run: on a shared machine the other processes only ever add
   * time, so the minimum is the most repeatable figure; JMH's own report beside it has the means.
   */
  static double best(RunResult run) {
    double best = Double.POSITIVE_INFINITY;
    for (BenchmarkResult result : run.getBenchmarkResults()) {
      for (IterationResult iteration : result.getIterationResults()) {
        best = Math.min(best, iteration.getPrimaryResult().getScore());
      }
    }
    return best;
  }

  /** Markdown tables of the results of one run. */
  static String table(Collection<RunResult> results) {
    Map<String, Double> peak = new TreeMap<>(); // precision → GFLOP/s
    Map<String, RunResult> steps = new TreeMap<>(); // seed/precision/implementation → result
    Map<String, RunResult> parallel = new TreeMap<>(); // seed/precision/threads → result
    Map<String, RunResult> optimizers = new TreeMap<>(); // optimizer/benchmark → result
    List<String> other = new ArrayList<>();
    for (RunResult run : results) {
      String benchmark = run.getParams().getBenchmark();
      double score = best(run);
      if (benchmark.endsWith("PeakBenchmark.fmaF64")) {
        peak.put("f64", 2.0 * 8 / score);
      } else if (benchmark.endsWith("PeakBenchmark.fmaF32")) {
        peak.put("f32", 2.0 * 16 / score);
      } else if (benchmark.endsWith("ParallelStepBenchmark.step")) {
        parallel.put(key(run, "threads"), run);
      } else if (benchmark.endsWith("StepBenchmark.step")) {
        steps.put(key(run, "implementation"), run);
      } else if (benchmark.contains("OptimizerBenchmark.")) {
        optimizers.put(
            run.getParams().getParam("optimizer")
                + "/"
                + benchmark.substring(benchmark.lastIndexOf('.') + 1),
            run);
      } else {
        other.add(
            String.format(
                Locale.ROOT,
                "%s %s: %.3f %s",
                benchmark,
                run.getParams(),
                score,
                run.getPrimaryResult().getScoreUnit()));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "FMA peak of one core (512-bit Vector API, 12 chains): %s GFLOP/s f64, %s GFLOP/s f32%n%n",
            format(peak.get("f64"), "%.1f"),
            format(peak.get("f32"), "%.1f")));
    // JMH forks inherit this JVM's flags, so they choose the same kernels
    out.append(
        String.format(
            Locale.ROOT,
            "Kernels of the generated networks: %s%n%n",
            dev.nnc.runtime.kernels.Kernels.INSTANCE.description()));
    out.append(
        "| seed | shape | N | prec | µs/step | examples/s | GFLOP/s | % peak | B/step |"
            + " reference µs/step | speed-up | 1 thread µs | 2 threads µs | 2 vs 1 |\n");
    out.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (SeedNetworks.Seed seed : SeedNetworks.ALL) {
      for (String precision : List.of("f64", "f32")) {
        RunResult generated = steps.get(seed.name() + "/" + precision + "/generated");
        RunResult reference = steps.get(seed.name() + "/" + precision + "/reference");
        RunResult one = parallel.get(seed.name() + "/" + precision + "/1");
        RunResult two = parallel.get(seed.name() + "/" + precision + "/2");
        if (generated == null && reference == null && one == null) {
          continue;
        }
        long flops = Benchmarking.flopsPerStep(specOf(seed, precision), seed.rows());
        Double micros = generated == null ? null : best(generated);
        Double referenceMicros = reference == null ? null : best(reference);
        Double gflops = micros == null ? null : flops / (micros * 1e3);
        Double percent =
            gflops == null || !peak.containsKey(precision)
                ? null
                : 100 * gflops / peak.get(precision);
        Double oneMicros = one == null ? null : best(one);
        Double twoMicros = two == null ? null : best(two);
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                seed.name(),
                seed.shape(),
                seed.rows(),
                precision,
                format(micros, "%.3f"),
                micros == null
                    ? "–"
                    : String.format(Locale.ROOT, "%,.0f", seed.rows() / (micros * 1e-6)),
                format(gflops, "%.2f"),
                format(percent, "%.1f"),
                format(generated == null ? null : allocated(generated), "%.0f"),
                format(referenceMicros, "%.1f"),
                micros == null || referenceMicros == null
                    ? "–"
                    : String.format(Locale.ROOT, "%.1f×", referenceMicros / micros),
                format(oneMicros, "%.1f"),
                format(twoMicros, "%.1f"),
                oneMicros == null || twoMicros == null
                    ? "–"
                    : String.format(Locale.ROOT, "%.2f×", oneMicros / twoMicros)));
      }
    }
    if (!optimizers.isEmpty()) {
      out.append(
          "\nS3 (m = 5,000, f64) under the full-batch optimizers: one iteration vs the objective"
              + " evaluations it makes\n\n");
      out.append(
          "| optimizer | µs/iteration | evaluations/iteration | µs/evaluation | evaluations' share"
              + " of an iteration |\n|---|---:|---:|---:|---:|\n");
      for (String optimizer : List.of("cg", "lbfgs")) {
        RunResult iteration = optimizers.get(optimizer + "/iteration");
        RunResult evaluation = optimizers.get(optimizer + "/evaluation");
        if (iteration == null || evaluation == null) {
          continue;
        }
        Result perEvaluation = iteration.getSecondaryResults().get("evaluations");
        double iterationMicros = iteration.getPrimaryResult().getScore();
        double iterationMicrosPerEvaluation =
            perEvaluation == null ? Double.NaN : perEvaluation.getScore();
        double evaluationMicros = evaluation.getPrimaryResult().getScore(); // means on both sides
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %.0f | %.2f | %.0f | %.0f%% |%n",
                optimizer,
                iterationMicros,
                iterationMicros / iterationMicrosPerEvaluation,
                evaluationMicros,
                100 * evaluationMicros / iterationMicrosPerEvaluation));
      }
    }
    for (String line : other) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  private static dev.nnc.runtime.NetworkSpec specOf(SeedNetworks.Seed seed, String precision) {
    return dev.nnc.lower.RuntimeViews.spec(SeedNetworks.model(seed.name(), precision));
  }

  private static String key(RunResult run, String last) {
    return run.getParams().getParam("seed")
        + "/"
        + run.getParams().getParam("precision")
        + "/"
        + run.getParams().getParam(last);
  }

  /** Bytes allocated per step ({@code gc.alloc.rate.norm}), or null when not profiled. */
  private static Double allocated(RunResult run) {
    for (Map.Entry<String, Result> entry : run.getSecondaryResults().entrySet()) {
      if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
        return entry.getValue().getScore();
      }
    }
    return null;
  }

  private static String format(Double value, String pattern) {
    return value == null ? "–" : String.format(Locale.ROOT, pattern, value);
  }
}
