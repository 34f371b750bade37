package dev.nnc.bench;

import dev.nnc.emit.perf.Benchmarking;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.optim.ConjugateGradient;
import dev.nnc.runtime.optim.Lbfgs;
import dev.nnc.runtime.optim.Minimizer;
import dev.nnc.runtime.optim.NetworkObjective;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * S3 (400→25→10, m = 5,000, f64) under the full-batch optimizers: one iteration of CG or L-BFGS
 * ({@code iteration}), and one evaluation of the objective they call ({@code evaluation}: set the
 * flat parameters, loss and gradient, copy the flat gradient out). The table compares the time of
 * one evaluation with the iteration time per evaluation made: what is left is the optimizer's own
 * vector arithmetic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OptimizerBenchmark {
  static final String SEED = "S3";

  @Param({"cg", "lbfgs"})
  public String optimizer;

  private NetworkObjective objective;
  private double[] start;
  private double[] gradient;
  private Minimizer minimizer;

  @Setup
  public void setUp() {
    int rows = SeedNetworks.seed(SEED).rows();
    Network network = SeedNetworks.compiled(SEED, "f64").newNetwork(rows);
    network.initialize(1);
    network.setPenaltyExampleCount(rows);
    Batch batch = Benchmarking.randomBatch(network.spec(), rows, 3);
    objective = new NetworkObjective(network, batch);
    start = new double[network.spec().parameterCount()];
    network.getParameters(start);
    gradient = new double[start.length];
    minimizer = newMinimizer(optimizer, objective, start);
  }

  static Minimizer newMinimizer(String optimizer, NetworkObjective objective, double[] start) {
    return optimizer.equals("cg")
        ? new ConjugateGradient(objective, start.clone())
        : new Lbfgs(objective, start.clone(), 10);
  }

  /**
   * Counts the objective evaluations the iterations make: JMH reports it as µs of iteration time
   * per evaluation ({@code iteration:evaluations}).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Evaluations {
    public long evaluations;

    @Setup(Level.Iteration)
    public void reset() {
      evaluations = 0;
    }
  }

  /** One optimizer iteration (a line search: one or more evaluations); restarts when it stops. */
  @Benchmark
  public double iteration(Evaluations counter) {
    int before = minimizer.evaluations();
    boolean going = minimizer.iterate();
    counter.evaluations += minimizer.evaluations() - before;
    double cost = minimizer.cost();
    if (!going) {
      minimizer = newMinimizer(optimizer, objective, start);
    }
    return cost;
  }

  /** One evaluation of the objective the optimizers see. */
  @Benchmark
  public double evaluation() {
    return objective.evaluate(start, gradient);
  }
}
