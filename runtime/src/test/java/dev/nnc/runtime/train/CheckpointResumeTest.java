package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run stopped after some epochs and resumed from its checkpoint ends with exactly the weights and
 * history of a run that was never stopped, for every batching and stateful optimizer.
 */
class CheckpointResumeTest {
  private static final int ROWS = 23; // not a multiple of the batch: the last batch is smaller

  @TempDir Path folder;

  private static Dataset data() {
    Rng rng = new Rng(5);
    double[] x = new double[ROWS * 3];
    double[] y = new double[ROWS * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    for (int r = 0; r < ROWS; r++) {
      y[r * 2] = x[r * 3] - 0.5 * x[r * 3 + 2] + 0.1 * rng.nextGaussian();
      y[r * 2 + 1] = 2 * x[r * 3 + 1] + 0.3;
    }
    return new Dataset("data", ROWS, 3, x, 2, y, null);
  }

  static List<TrainConfig> recipes() {
    return List.of(
        new TrainConfig(0.05, 0.97, 4, true, false, 12, 0, 3),
        new TrainConfig(0.05, 1, 5, false, true, 12, 0, 4),
        new TrainConfig(0.05, 1, 0, false, false, 12, 0, 4),
        new TrainConfig(0.01, 0.9, 4, true, false, 12, 0, 5, OptimizerSpec.momentum(0.9)),
        new TrainConfig(0.02, 1, 6, true, false, 12, 0, 6, OptimizerSpec.adam(0.9, 0.999, 1e-8)),
        new TrainConfig(0.02, 1, 6, true, false, 0, 50, 6, OptimizerSpec.adam(0.9, 0.99, 1e-8)));
  }

  private static LinearNetwork network(TrainConfig config) {
    LinearNetwork network = new LinearNetwork(3, 2, ROWS);
    network.initialize(config.seed());
    return network;
  }

  @ParameterizedTest
  @MethodSource("recipes")
  void resumedRunIsBitIdenticalToAnUninterruptedOne(TrainConfig config) throws Exception {
    LinearNetwork straight = network(config);
    History expected = new Trainer(straight, config).train(data());
    double[] want = new double[straight.spec().parameterCount()];
    straight.getParameters(want);

    // the first part: stopped after 5 epochs, its checkpoint on disk; or after 18 steps (4 steps
    // an epoch), which ends in the middle of epoch 5: the last checkpoint is then epoch 4's
    Path file = folder.resolve("Linear-checkpoint.npz");
    TrainConfig firstPart = config.epochs() > 0 ? config.withEpochs(5) : withSteps(config, 18);
    new Trainer(network(config), firstPart).checkpointEvery(2, file).train(data());
    Checkpoint checkpoint = Checkpoint.read(file);
    assertThat(checkpoint.epochsDone()).isEqualTo(config.epochs() > 0 ? 5 : 4);

    // the second part: a fresh network (other weights) continues from the file
    LinearNetwork resumed = new LinearNetwork(3, 2, ROWS);
    resumed.initialize(99);
    History history =
        new Trainer(resumed, config).resumeFrom(checkpoint, file.toString()).train(data());
    double[] got = new double[want.length];
    resumed.getParameters(got);
    assertThat(got).isEqualTo(want);
    assertThat(history).isEqualTo(expected);
  }

  private static TrainConfig withSteps(TrainConfig c, int steps) {
    return new TrainConfig(
        c.learningRate(),
        c.decayPerEpoch(),
        c.batchSize(),
        c.shuffle(),
        c.withReplacement(),
        0,
        steps,
        c.seed(),
        c.optimizer());
  }

  @Test
  void checkpointRoundTripsEveryField() throws Exception {
    TrainConfig config =
        new TrainConfig(0.02, 0.5, 6, true, false, 3, 0, 6, OptimizerSpec.adam(0.9, 0.999, 1e-8));
    Path file = folder.resolve("c.npz");
    Trainer trainer = new Trainer(network(config), config).checkpointEvery(1, file);
    History history = trainer.train(data());
    Checkpoint checkpoint = Checkpoint.read(file);
    assertThat(checkpoint.history()).isEqualTo(history);
    assertThat(checkpoint.identity()).isEqualTo(trainer.identity(data()));
    assertThat(checkpoint.learningRate()).isEqualTo(0.02 * 0.5 * 0.5 * 0.5);
    assertThat(checkpoint.stepsDone()).isEqualTo(12);
    assertThat(checkpoint.adamSteps()).isEqualTo(12);
    assertThat(checkpoint.order()).hasLength(ROWS);
    assertThat(checkpoint.optimizerState("m")).hasLength(8);
    // the full 64-bit generator state survives the .npz (an <i8 read as a double would round it)
    Rng.Snapshot rng = checkpoint.rng();
    assertThat(Long.numberOfLeadingZeros(rng.state())).isLessThan(11);
    assertThat(Files.list(folder).count()).isEqualTo(1); // no temporary file left behind
  }

  @Test
  void checkpointOfAnotherRecipeOrDataIsRefused() throws Exception {
    TrainConfig config = new TrainConfig(0.05, 1, 4, true, false, 3, 0, 3);
    Path file = folder.resolve("Linear-checkpoint.npz");
    new Trainer(network(config), config).checkpointEvery(1, file).train(data());
    Checkpoint checkpoint = Checkpoint.read(file);

    CheckpointMismatchException seed =
        assertThrows(
            CheckpointMismatchException.class,
            () ->
                new Trainer(network(config), config.withSeed(4))
                    .resumeFrom(checkpoint, file.toString())
                    .train(data()));
    assertThat(seed).hasMessageThat().contains("was written for another recipe");
    assertThat(seed)
        .hasMessageThat()
        .contains("seed=3, now sgd lr=0.05 decay=1.0 batch=4 shuffle seed=4");

    Dataset other = data();
    other.x()[0] += 1;
    CheckpointMismatchException data =
        assertThrows(
            CheckpointMismatchException.class,
            () ->
                new Trainer(network(config), config)
                    .resumeFrom(checkpoint, file.toString())
                    .train(other));
    assertThat(data).hasMessageThat().contains("another training data");

    CheckpointMismatchException model =
        assertThrows(
            CheckpointMismatchException.class,
            () ->
                new Trainer(network(config), config)
                    .describeModel("out sigmoid")
                    .resumeFrom(checkpoint, file.toString())
                    .train(data()));
    assertThat(model).hasMessageThat().contains("another network");
    // more epochs than the checkpoint's run is fine: that is what resuming is for
    History longer =
        new Trainer(network(config), config.withEpochs(5))
            .resumeFrom(checkpoint, file.toString())
            .train(data());
    assertThat(longer.epochs()).hasSize(5);
  }

  @Test
  void divergenceKeepsTheLastGoodCheckpoint() throws Exception {
    // a learning rate far too large: the loss grows every epoch until it overflows
    TrainConfig config = new TrainConfig(4, 1, 0, false, false, 5000, 0, 3);
    Path file = folder.resolve("Linear-checkpoint.npz");
    LinearNetwork network = network(config);
    TrainingDivergedException diverged =
        assertThrows(
            TrainingDivergedException.class,
            () -> new Trainer(network, config).checkpointEvery(1, file).train(data()));
    assertThat(diverged).hasMessageThat().contains("at epoch " + diverged.epoch() + ", step 1");
    Checkpoint kept = Checkpoint.read(file);
    assertThat(kept.epochsDone()).isEqualTo(diverged.epoch() - 1);
    for (double value : kept.parameters()) {
      assertThat(Double.isFinite(value)).isTrue();
    }
    assertThat(kept.history().last().meanLoss()).isFinite();
    double[] restored = new double[kept.parameters().length];
    network.getParameters(restored);
    assertThat(restored).isEqualTo(kept.parameters());
  }

  @Test
  void conjugateGradientRestartsFromTheSavedParameters() throws Exception {
    TrainConfig config =
        new TrainConfig(1, 1, 0, false, false, 8, 0, 3, OptimizerSpec.conjugateGradient());
    Path file = folder.resolve("cg.npz");
    LinearNetwork first = network(config);
    new Trainer(first, config.withEpochs(3)).checkpointEvery(1, file).train(data());
    Checkpoint checkpoint = Checkpoint.read(file);
    assertThat(checkpoint.epochsDone()).isEqualTo(3);
    assertThat(checkpoint.rng()).isNull();
    History history =
        new Trainer(network(config), config).resumeFrom(checkpoint, "cg.npz").train(data());
    assertThat(history.epochs().size()).isAtMost(8);
    assertThat(history.epochs().get(2)).isEqualTo(checkpoint.history().last());
    assertThat(history.last().meanLoss()).isAtMost(checkpoint.history().last().meanLoss());
  }
}
