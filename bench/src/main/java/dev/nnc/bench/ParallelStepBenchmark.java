package dev.nnc.bench;

import dev.nnc.emit.perf.Benchmarking;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.parallel.DataParallel;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The generated training step of the seeds whose recipe batch has several blocks of rows (S2: 200
 * rows in 13 blocks of 16, S3: 5,000 in 90 of 56, S4: 64 in 4 of 16), on one thread and on two (or
 * any count, {@code -p threads=1,2,4}): the same arithmetic, bit-identical results.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParallelStepBenchmark {
  @Param({"S2", "S3", "S4", "L5"})
  public String seed;

  @Param({"f64", "f32"})
  public String precision;

  @Param({"1", "2"})
  public int threads;

  private Network network;
  private Batch batch;

  @Setup
  public void setUp() {
    int rows = SeedNetworks.seed(seed).rows();
    network = SeedNetworks.compiled(seed, precision).newNetwork(rows);
    ((DataParallel) network).setThreads(threads);
    network.initialize(1);
    network.setPenaltyExampleCount(rows);
    // the network's own kind of batch, as the trainer and `nnc bench` feed it (StepBenchmark)
    batch = network.newBatch(rows);
    batch.copyFrom(Benchmarking.randomBatch(network.spec(), rows, 3));
  }

  @TearDown
  public void tearDown() {
    ((DataParallel) network).setThreads(1);
  }

  @Benchmark
  public double step() {
    return Benchmarking.step(network, batch);
  }
}
