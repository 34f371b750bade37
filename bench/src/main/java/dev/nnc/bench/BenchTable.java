package dev.nnc.bench;

import dev.nnc.emit.perf.Benchmarking;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks of this module in one JMH run (with {@code -prof gc}) and prints one table:
 * per seed and precision, µs per step, examples/s, GFLOP/s (2·M·N·K per matrix product executed,
 * {@link Benchmarking#flopsPerStep}), % of the FMA peak measured in the same run, bytes allocated
 * per step, and the speed-up over the reference interpreter.
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
      options.include(PeakBenchmark.class.getName()).include(StepBenchmark.class.getName());
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    System.out.println();
    System.out.print(table(results));
  }

  /** Markdown table of the results of one run. */
  static String table(Collection<RunResult> results) {
    Map<String, Double> peak = new TreeMap<>(); // precision → GFLOP/s
    Map<String, RunResult> steps = new TreeMap<>(); // seed/precision/implementation → result
    List<String> other = new ArrayList<>();
    for (RunResult run : results) {
      String benchmark = run.getParams().getBenchmark();
      double score = run.getPrimaryResult().getScore();
      if (benchmark.endsWith("PeakBenchmark.fmaF64")) {
        peak.put("f64", 2.0 * 8 / score);
      } else if (benchmark.endsWith("PeakBenchmark.fmaF32")) {
        peak.put("f32", 2.0 * 16 / score);
      } else if (benchmark.endsWith("StepBenchmark.step")) {
        steps.put(key(run, "implementation"), run);
      } else {
        other.add(
            String.format(Locale.ROOT, "%s %s: %.3f %s", benchmark, run.getParams(), score,
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
    out.append(
        "| seed | shape | N | prec | µs/step | examples/s | GFLOP/s | % peak | B/step |"
            + " reference µs/step | speed-up |\n");
    out.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (SeedNetworks.Seed seed : SeedNetworks.ALL) {
      for (String precision : List.of("f64", "f32")) {
        RunResult generated = steps.get(seed.name() + "/" + precision + "/generated");
        RunResult reference = steps.get(seed.name() + "/" + precision + "/reference");
        if (generated == null && reference == null) {
          continue;
        }
        long flops = Benchmarking.flopsPerStep(specOf(seed, precision), seed.rows());
        Double micros = generated == null ? null : generated.getPrimaryResult().getScore();
        Double referenceMicros =
            reference == null ? null : reference.getPrimaryResult().getScore();
        Double gflops = micros == null ? null : flops / (micros * 1e3);
        Double percent =
            gflops == null || !peak.containsKey(precision) ? null : 100 * gflops / peak.get(precision);
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                seed.name(),
                seed.shape(),
                seed.rows(),
                precision,
                format(micros, "%.3f"),
                micros == null ? "" : String.format(Locale.ROOT, "%,.0f", seed.rows() / (micros * 1e-6)),
                format(gflops, "%.2f"),
                format(percent, "%.1f"),
                format(generated == null ? null : allocated(generated), "%.0f"),
                format(referenceMicros, "%.1f"),
                micros == null || referenceMicros == null
                    ? ""
                    : String.format(Locale.ROOT, "%.0f×", referenceMicros / micros)));
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
