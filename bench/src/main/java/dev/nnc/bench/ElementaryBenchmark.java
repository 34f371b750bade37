package dev.nnc.bench;

import dev.nnc.runtime.NncMath;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of nnc's own elementary functions against {@code Math}'s intrinsics: ns per element of a
 * sigmoid or tanh row loop as the generated classes write it, over a 5,000 × 25 buffer (S3's hidden
 * layer). {@code java -jar bench/target/benchmarks.jar ElementaryBenchmark}; run it with each JDK
 * (the intrinsics differ).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ElementaryBenchmark {
  static final int ROWS = 5_000;
  static final int WIDTH = 25;

  double[][] z;
  double[][] a;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    z = new double[ROWS][WIDTH];
    a = new double[ROWS][WIDTH];
    for (double[] row : z) {
      for (int j = 0; j < WIDTH; j++) {
        row[j] = (random.nextDouble() * 2 - 1) * 6;
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS * WIDTH)
  public double[][] sigmoidMath() {
    for (int r = 0; r < ROWS; r++) {
      double[] zRow = z[r];
      double[] aRow = a[r];
      for (int j = 0; j < WIDTH; j++) {
        aRow[j] = 1.0 / (1.0 + Math.exp(-zRow[j]));
      }
    }
    return a;
  }

  @Benchmark
  @OperationsPerInvocation(ROWS * WIDTH)
  public double[][] sigmoidNncMath() {
    for (int r = 0; r < ROWS; r++) {
      double[] zRow = z[r];
      double[] aRow = a[r];
      for (int j = 0; j < WIDTH; j++) {
        aRow[j] = 1.0 / (1.0 + NncMath.exp(-zRow[j]));
      }
    }
    return a;
  }

  @Benchmark
  @OperationsPerInvocation(ROWS * WIDTH)
  public double[][] tanhMath() {
    for (int r = 0; r < ROWS; r++) {
      double[] zRow = z[r];
      double[] aRow = a[r];
      for (int j = 0; j < WIDTH; j++) {
        aRow[j] = Math.tanh(zRow[j]);
      }
    }
    return a;
  }

  @Benchmark
  @OperationsPerInvocation(ROWS * WIDTH)
  public double[][] tanhNncMath() {
    for (int r = 0; r < ROWS; r++) {
      double[] zRow = z[r];
      double[] aRow = a[r];
      for (int j = 0; j < WIDTH; j++) {
        aRow[j] = NncMath.tanh(zRow[j]);
      }
    }
    return a;
  }
}
