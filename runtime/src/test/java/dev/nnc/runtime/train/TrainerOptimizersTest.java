package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.ScriptedNetwork;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainerOptimizersTest {
  private static final int ROWS = 20;

  /** 20 rows, 3 inputs, targets from a fixed linear map plus a bias: a loss of 0 is reachable. */
  private static Dataset linearData() {
    Rng rng = new Rng(21);
    double[] map = {0.5, -1, 2, 0.25, -0.75, 1.5};
    double[] x = new double[ROWS * 3];
    double[] y = new double[ROWS * 2];
    for (int r = 0; r < ROWS; r++) {
      for (int d = 0; d < 3; d++) {
        x[r * 3 + d] = rng.nextGaussian();
      }
      for (int k = 0; k < 2; k++) {
        double t = k == 0 ? 0.3 : -0.2;
        for (int d = 0; d < 3; d++) {
          t += x[r * 3 + d] * map[d * 2 + k];
        }
        y[r * 2 + k] = t;
      }
    }
    return new Dataset("linear", ROWS, 3, x, 2, y, null);
  }

  private static TrainConfig config(
      OptimizerSpec optimizer, double learningRate, int batch, int epochs) {
    return new TrainConfig(learningRate, 1, batch, true, false, epochs, 0, 7, optimizer);
  }

  private static History train(TrainConfig config, LinearNetwork network) {
    network.initialize(config.seed());
    return new Trainer(network, config).train(linearData());
  }

  /** Each optimizer's recipe and the loss it must get below (the start is about 5). */
  private static TrainConfig recipe(OptimizerSpec.Kind kind) {
    return switch (kind) {
      case SGD -> config(OptimizerSpec.sgd(), 0.05, 5, 40);
      case MOMENTUM -> config(OptimizerSpec.momentum(0.9), 0.01, 5, 40);
      case ADAM -> config(OptimizerSpec.adam(0.9, 0.999, 1e-8), 0.05, 5, 80);
      case CONJUGATE_GRADIENT -> config(OptimizerSpec.conjugateGradient(), 1, 0, 30);
      case LBFGS -> config(OptimizerSpec.lbfgs(5), 1, 0, 30);
    };
  }

  /** Measured: SGD 6.4e-6, momentum 1.2e-7, Adam 2.6e-13, CG 2.6e-32, L-BFGS 0. */
  private static double bound(OptimizerSpec.Kind kind) {
    return switch (kind) {
      case SGD -> 1e-4;
      case MOMENTUM -> 1e-5;
      case ADAM -> 1e-10;
      case CONJUGATE_GRADIENT, LBFGS -> 1e-20;
    };
  }

  @ParameterizedTest
  @EnumSource(OptimizerSpec.Kind.class)
  void everyOptimizerFitsTheLinearNetworkAndIsDeterministic(OptimizerSpec.Kind kind) {
    TrainConfig config = recipe(kind);
    LinearNetwork network = new LinearNetwork(3, 2, ROWS);
    network.initialize(config.seed());
    Batch full = Batch.forSpec(network.spec(), ROWS);
    fillAll(full, linearData());
    double start = network.loss(full);
    assertThat(start).isGreaterThan(1.0);

    History history = train(config, network);
    double end = network.loss(full);
    assertThat(end).isLessThan(bound(kind));
    if (config.optimizer().fullBatchOnly()) {
      // The network holds the optimizer's final point, whose cost the last epoch recorded.
      assertThat(history.last().meanLoss()).isEqualTo(end);
      assertThat(history.last().learningRate()).isNaN();
      for (int i = 1; i < history.epochs().size(); i++) {
        assertThat(history.epochs().get(i).meanLoss())
            .isAtMost(history.epochs().get(i - 1).meanLoss());
      }
    }

    LinearNetwork again = new LinearNetwork(3, 2, ROWS);
    assertThat(train(config, again)).isEqualTo(history);
    double[] first = new double[8];
    double[] second = new double[8];
    network.getParameters(first);
    again.getParameters(second);
    assertThat(second).usingExactEquality().containsExactly(first).inOrder();
  }

  @Test
  void momentumZeroIsSgdBitForBit() {
    LinearNetwork sgd = new LinearNetwork(3, 2, ROWS);
    LinearNetwork momentum = new LinearNetwork(3, 2, ROWS);
    History plain = train(config(OptimizerSpec.sgd(), 0.05, 5, 5), sgd);
    History zero = train(config(OptimizerSpec.momentum(0), 0.05, 5, 5), momentum);
    assertThat(zero).isEqualTo(plain);
  }

  @Test
  void conjugateGradientAndLbfgsRefuseMinibatches() {
    LinearNetwork network = new LinearNetwork(3, 2, ROWS);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Trainer(network, config(OptimizerSpec.conjugateGradient(), 1, 10, 5)));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "conjugate gradient evaluates the whole training set at every point: it needs batch 0"
                + " (full batch), got batch 10");
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Trainer(network, config(OptimizerSpec.lbfgs(3), 1, 4, 5)));
    assertThat(e).hasMessageThat().startsWith("L-BFGS evaluates the whole training set");
  }

  @Test
  void noProgressEndsTheRunEarlyAndSaysSoInTheHistory() {
    // Constant loss, constant gradient: no line search can succeed, CG gives up after two.
    ScriptedNetwork network = new ScriptedNetwork(6, call -> 3.0);
    List<Double> costs = new ArrayList<>();
    History history =
        new Trainer(network, config(OptimizerSpec.conjugateGradient(), 1, 0, 50))
            .addListener(
                new TrainListener() {
                  @Override
                  public void onEpoch(EpochRecord record) {
                    costs.add(record.meanLoss());
                  }
                })
            .train(ScriptedNetwork.rows(6));
    assertThat(history.stoppedEarly()).isTrue();
    assertThat(history.stopReason())
        .isEqualTo(
            "conjugate gradient stopped after 2 of 50 iterations: converged: no step along the"
                + " search direction lowers the cost any more (the line search failed twice in a"
                + " row, iteration 2)");
    assertThat(history.epochs()).hasSize(2);
    assertThat(costs).containsExactly(3.0, 3.0);
    assertThat(network.parameter()).isEqualTo(0.0); // back at the start, not at a rejected trial
    assertThat(history.toCsv()).contains("\n1,1,3.0,,\n");
  }

  @Test
  void aNonFiniteCostStopsLikeSgd() {
    ScriptedNetwork network = new ScriptedNetwork(6, call -> Double.NaN);
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () ->
                new Trainer(network, config(OptimizerSpec.lbfgs(3), 1, 0, 5))
                    .train(ScriptedNetwork.rows(6)));
    assertThat(e.epoch()).isEqualTo(1);
    assertThat(e.loss()).isNaN();
    assertThat(e.history().epochs()).isEmpty();
  }

  @Test
  void fullBatchOptimizersNeedTheWholeSetInOneBatch() {
    LinearNetwork network = new LinearNetwork(3, 2, ROWS - 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Trainer(network, config(OptimizerSpec.conjugateGradient(), 1, 0, 5))
                    .train(linearData()));
    assertThat(e).hasMessageThat().contains("whole training set (20 rows)");
  }

  private static void fillAll(Batch batch, Dataset data) {
    System.arraycopy(data.x(), 0, batch.x, 0, data.x().length);
    System.arraycopy(data.targets(), 0, batch.targets, 0, data.targets().length);
    batch.setRows(data.rows());
  }
}
