package dev.nnc.bench;

import dev.nnc.runtime.kernels.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The matrix products of the seeds' first layers alone, as a generated step calls them: the forward
 * z = x·W ({@code Kernels.matmulRows}) a block of rows at a time (16 rows for S2 and S4, 56 for S3:
 * the generated {@code BLOCK_ROWS}), and dW = xᵀ·δ ({@code matmulColumns}) over the whole batch.
 * GFLOP/s = 2·M·K·N / µs / 1000 with the shapes of {@link #product}; run it beside {@link
 * PeakBenchmark} for % of the peak: {@code java -jar bench/target/benchmarks.jar
 * 'KernelBenchmark|PeakBenchmark'} (the fork has the Vector API module, so the kernels are the
 * Vector API ones; {@code -jvmArgsAppend -Dnnc.vector=false} for plain Java).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmark {
  /**
   * Seed and product: {@code S4.xW} is 64 × 1000 · 1000 × 100 in blocks of 16 rows, {@code S4.dW}
   * 1000 × 64 · 64 × 100; S2 3072-100 at N = 200 (blocks of 16); S3 400-25 at m = 5,000 (blocks of
   * 56).
   */
  @Param({"S2.xW", "S2.dW", "S4.xW", "S4.dW", "S3.xW", "S3.dW"})
  public String product;

  @Param({"f64", "f32"})
  public String precision;

  private int rows;
  private int inputs;
  private int outputs;
  private int block;
  private boolean forward;
  private boolean f64;
  private double[][] x;
  private double[][] w;
  private double[][] z;
  private float[][] xf;
  private float[][] wf;
  private float[][] zf;

  @Setup
  public void setUp() {
    String seed = product.substring(0, 2);
    rows = seed.equals("S2") ? 200 : seed.equals("S4") ? 64 : 5000;
    inputs = seed.equals("S2") ? 3072 : seed.equals("S4") ? 1000 : 400;
    outputs = seed.equals("S3") ? 25 : 100;
    block = seed.equals("S3") ? 56 : 16;
    forward = product.endsWith("xW");
    f64 = precision.equals("f64");
    SplittableRandom random = new SplittableRandom(5);
    x = fill(new double[rows][inputs], random); // the batch, rows × inputs
    w = fill(new double[inputs][outputs], random); // W, or for dW the result
    z = fill(new double[rows][outputs], random); // z, or for dW the δ
    xf = toFloat(x);
    wf = toFloat(w);
    zf = toFloat(z);
  }

  private static double[][] fill(double[][] m, SplittableRandom random) {
    for (double[] row : m) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextDouble() - 0.5;
      }
    }
    return m;
  }

  private static float[][] toFloat(double[][] m) {
    float[][] f = new float[m.length][];
    for (int i = 0; i < m.length; i++) {
      f[i] = new float[m[i].length];
      for (int j = 0; j < m[i].length; j++) {
        f[i][j] = (float) m[i][j];
      }
    }
    return f;
  }

  @Benchmark
  public Object product() {
    Kernels kernels = Kernels.INSTANCE;
    if (forward) {
      for (int from = 0; from < rows; from += block) {
        int to = Math.min(rows, from + block);
        if (f64) {
          kernels.matmulRows(z, x, w, from, to, 0, inputs, outputs);
        } else {
          kernels.matmulRows(zf, xf, wf, from, to, 0, inputs, outputs);
        }
      }
      return f64 ? z : zf;
    }
    if (f64) {
      kernels.matmulColumns(w, x, z, 0, inputs, 0, rows, outputs);
    } else {
      kernels.matmulColumns(wf, xf, zf, 0, inputs, 0, rows, outputs);
    }
    return f64 ? w : wf;
  }
}
