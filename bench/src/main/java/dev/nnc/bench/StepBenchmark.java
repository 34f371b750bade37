package dev.nnc.bench;

import dev.nnc.emit.perf.Benchmarking;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
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
 * One training step ({@code lossAndGradient} then {@code sgdStep}) of a seed network at its
 * recipe's batch size: the generated class, or the reference interpreter of the same model.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StepBenchmark {
  @Param({"S1", "S2", "S3", "S4", "S5", "S6", "L5"})
  public String seed;

  @Param({"f64", "f32"})
  public String precision;

  @Param({"generated", "reference"})
  public String implementation;

  private Network network;
  private Batch batch;

  @Setup
  public void setUp() {
    int rows = SeedNetworks.seed(seed).rows();
    CompiledModel compiled = SeedNetworks.compiled(seed, precision);
    network =
        implementation.equals("generated")
            ? compiled.newNetwork(rows)
            : compiled.newReference(rows);
    network.initialize(1);
    network.setPenaltyExampleCount(rows);
    // the network's own kind of batch, as the trainer and `nnc bench` feed it: a float network's
    // rows converted to float once here, not in every step
    batch = network.newBatch(rows);
    batch.copyFrom(Benchmarking.randomBatch(network.spec(), rows, 3));
  }

  @Benchmark
  public double step() {
    return Benchmarking.step(network, batch);
  }
}
