package dev.nnc.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FLOP/s ceiling of one core: 12 independent chains of 512-bit fused multiply-adds kept in
 * registers (enough to cover an FMA latency of 4 cycles on 2 ports, and more). Each operation of
 * the score is one FMA lane, 2 FLOPs: GFLOP/s = 2 · lanes / (ns per operation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakBenchmark {
  static final VectorSpecies<Double> F64 = DoubleVector.SPECIES_512;
  static final VectorSpecies<Float> F32 = FloatVector.SPECIES_512;
  static final int ROUNDS = 1024;
  static final int CHAINS = 12;

  public double seed = 1e-3;

  /** 12 · ROUNDS FMAs of 8 doubles: one operation = one 512-bit FMA instruction. */
  @Benchmark
  @OperationsPerInvocation(CHAINS * ROUNDS)
  public double fmaF64() {
    DoubleVector b = DoubleVector.broadcast(F64, 0.999999);
    DoubleVector c = DoubleVector.broadcast(F64, seed);
    DoubleVector a0 = DoubleVector.broadcast(F64, 1.0);
    DoubleVector a1 = a0.add(c), a2 = a1.add(c), a3 = a2.add(c), a4 = a3.add(c), a5 = a4.add(c);
    DoubleVector a6 = a5.add(c), a7 = a6.add(c), a8 = a7.add(c), a9 = a8.add(c), a10 = a9.add(c);
    DoubleVector a11 = a10.add(c);
    for (int k = 0; k < ROUNDS; k++) {
      a0 = a0.fma(b, c);
      a1 = a1.fma(b, c);
      a2 = a2.fma(b, c);
      a3 = a3.fma(b, c);
      a4 = a4.fma(b, c);
      a5 = a5.fma(b, c);
      a6 = a6.fma(b, c);
      a7 = a7.fma(b, c);
      a8 = a8.fma(b, c);
      a9 = a9.fma(b, c);
      a10 = a10.fma(b, c);
      a11 = a11.fma(b, c);
    }
    return a0.add(a1)
        .add(a2)
        .add(a3)
        .add(a4)
        .add(a5)
        .add(a6)
        .add(a7)
        .add(a8)
        .add(a9)
        .add(a10)
        .add(a11)
        .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }

  /** 12 · ROUNDS FMAs of 16 floats: one operation = one 512-bit FMA instruction. */
  @Benchmark
  @OperationsPerInvocation(CHAINS * ROUNDS)
  public float fmaF32() {
    FloatVector b = FloatVector.broadcast(F32, 0.999f);
    FloatVector c = FloatVector.broadcast(F32, (float) seed);
    FloatVector a0 = FloatVector.broadcast(F32, 1.0f);
    FloatVector a1 = a0.add(c), a2 = a1.add(c), a3 = a2.add(c), a4 = a3.add(c), a5 = a4.add(c);
    FloatVector a6 = a5.add(c), a7 = a6.add(c), a8 = a7.add(c), a9 = a8.add(c), a10 = a9.add(c);
    FloatVector a11 = a10.add(c);
    for (int k = 0; k < ROUNDS; k++) {
      a0 = a0.fma(b, c);
      a1 = a1.fma(b, c);
      a2 = a2.fma(b, c);
      a3 = a3.fma(b, c);
      a4 = a4.fma(b, c);
      a5 = a5.fma(b, c);
      a6 = a6.fma(b, c);
      a7 = a7.fma(b, c);
      a8 = a8.fma(b, c);
      a9 = a9.fma(b, c);
      a10 = a10.fma(b, c);
      a11 = a11.fma(b, c);
    }
    return a0.add(a1)
        .add(a2)
        .add(a3)
        .add(a4)
        .add(a5)
        .add(a6)
        .add(a7)
        .add(a8)
        .add(a9)
        .add(a10)
        .add(a11)
        .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }
}
