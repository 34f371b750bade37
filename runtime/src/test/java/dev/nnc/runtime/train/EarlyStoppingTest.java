package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  private static EpochRecord record(int epoch, double validationLoss, double accuracy) {
    return new EpochRecord(epoch, 1, 1.0, 0.1, validationLoss, Map.of("val_accuracy", accuracy));
  }

  @Test
  void stopsAfterPatienceEpochsWithoutAnImprovementBeyondMinDelta() {
    LinearNetwork network = new LinearNetwork(1, 1, 1);
    EarlyStopping stopping = new EarlyStopping(2, "val_loss", 0.01, false);
    assertThat(stopping.update(record(1, 1.0, 0), network)).isFalse();
    assertThat(stopping.update(record(2, 0.5, 0), network)).isFalse(); // better
    assertThat(stopping.update(record(3, 0.495, 0), network)).isFalse(); // not by 0.01: waits 1
    assertThat(stopping.update(record(4, 0.6, 0), network)).isTrue(); // waits 2
    assertThat(stopping.bestEpoch()).isEqualTo(2);
    assertThat(stopping.stopReason())
        .isEqualTo(
            "early stopping: val_loss did not improve for 2 epochs (best 0.500000 at epoch 2)");
  }

  @Test
  void accuracyImprovesUpwards() {
    LinearNetwork network = new LinearNetwork(1, 1, 1);
    EarlyStopping stopping = new EarlyStopping(1, "val_accuracy", 0, false);
    assertThat(stopping.update(record(1, 9, 0.5), network)).isFalse();
    assertThat(stopping.update(record(2, 9, 0.7), network)).isFalse();
    assertThat(stopping.update(record(3, 1, 0.6), network)).isTrue();
    assertThat(stopping.best()).isEqualTo(0.7);
  }

  @Test
  void aFigureTheRunDoesNotMeasureIsNamed() {
    EarlyStopping stopping = new EarlyStopping(1, "val_rmse", 0, false);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> stopping.update(record(1, 0.3, 0.5), new LinearNetwork(1, 1, 1)));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "early stopping monitors val_rmse, which this run does not measure; it has loss,"
                + " val_loss, val_accuracy");
  }

  /** Training pulls ŷ = w·x towards y = x; the validation rows want y = −x: val_loss only grows. */
  @Test
  void trainingEndsEarlyAndRestoresTheBestEpochsWeights() {
    Dataset training =
        new Dataset("t", 3, 1, new double[] {1, 2, 3}, 1, new double[] {1, 2, 3}, null);
    Dataset validation =
        new Dataset("v", 2, 1, new double[] {1, 2}, 1, new double[] {-1, -2}, null);
    TrainConfig config = new TrainConfig(0.01, 1, 0, false, false, 50, 0, 0);

    LinearNetwork once = new LinearNetwork(1, 1, 3);
    new Trainer(once, config.withEpochs(1)).validateOn(validation).train(training);
    double[] afterOne = new double[2];
    once.getParameters(afterOne);

    LinearNetwork network = new LinearNetwork(1, 1, 3);
    History history =
        new Trainer(network, config)
            .validateOn(validation)
            .stopEarly(new EarlyStopping(3, "val_loss", 0, true))
            .train(training);
    assertThat(history.epochs()).hasSize(4); // best at 1, then 3 epochs without an improvement
    assertThat(history.stopReason())
        .startsWith("early stopping: val_loss did not improve for 3 epochs (best ");
    assertThat(history.stopReason()).endsWith("at epoch 1); the weights of epoch 1 are restored");
    double[] parameters = new double[2];
    network.getParameters(parameters);
    assertThat(parameters).isEqualTo(afterOne);

    LinearNetwork unrestored = new LinearNetwork(1, 1, 3);
    new Trainer(unrestored, config)
        .validateOn(validation)
        .stopEarly(new EarlyStopping(3, "val_loss", 0, false))
        .train(training);
    double[] last = new double[2];
    unrestored.getParameters(last);
    assertThat(last).isNotEqualTo(afterOne); // without restore best: epoch 4's weights
  }
}
