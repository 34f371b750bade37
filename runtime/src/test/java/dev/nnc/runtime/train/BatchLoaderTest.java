package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.LearningRateSchedule;
import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.parallel.BusyThreads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The {@link BatchLoader}: the trainer gives the same parameters and history bit for bit with and
 * without it (shuffled and ordered minibatches with a smaller last one, a step budget ending
 * mid-epoch, validation and training metrics, decay, a schedule, momentum and Adam), also beside
 * busy threads; the hand-over gives every step its own rows when the loader is slow, stalls or
 * fails (the consumer then fills batches itself); a failing fill reaches the caller with its own
 * message; no loader thread is left after training, whatever ended it.
 */
class BatchLoaderTest {
  private static final int ROWS = 2003;
  private static final int INPUTS = 6;
  private static final int OUTPUTS = 2;
  private static final int PARAMETERS = INPUTS * OUTPUTS + OUTPUTS;

  private static final Dataset TRAINING = data(ROWS, 21);
  private static final Dataset VALIDATION = data(301, 22);

  private static Dataset data(int rows, long seed) {
    Rng rng = new Rng(seed);
    byte[] codes = new byte[rows * INPUTS];
    double[] targets = new double[rows * OUTPUTS];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (byte) rng.nextInt(256);
    }
    for (int i = 0; i < targets.length; i++) {
      targets[i] = rng.nextInt(2);
    }
    return Dataset.ofBytes("d" + seed, rows, INPUTS, codes, 1 / 255.0, OUTPUTS, targets, null);
  }

  /** Minibatches of 8 (2003 rows: the last of each epoch has 3), 3 epochs, the given variants. */
  private static List<TrainConfig> configs() {
    TrainConfig shuffled = new TrainConfig(0.05, 1, 8, true, false, 3, 0, 0).withSeed(5);
    return List.of(
        shuffled,
        new TrainConfig(0.05, 0.7, 8, false, false, 3, 0, 0).withSeed(6), // in order, decay
        new TrainConfig(0.05, 1, 8, true, false, 0, 600, 0).withSeed(7), // ends mid-epoch 3
        shuffled.withSchedule(LearningRateSchedule.cosine(0.001, 1)),
        new TrainConfig(0.05, 1, 8, true, false, 3, 0, 5, OptimizerSpec.momentum(0.9)),
        new TrainConfig(0.05, 1, 8, true, false, 3, 0, 5, OptimizerSpec.adam(0.9, 0.999, 1e-8)));
  }

  private record Run(double[] parameters, History history, long ringTakes) {}

  /** Trains a fresh network (the same start every time); {@code slowSteps} sleep 50 µs each. */
  private static Run train(TrainConfig config, boolean loadAhead, boolean slowSteps) {
    LinearNetwork network = new LinearNetwork(INPUTS, OUTPUTS, 8);
    network.initialize(11);
    Trainer trainer =
        new Trainer(network, config)
            .loadAhead(loadAhead)
            .validateOn(VALIDATION)
            .measureTrainingMetrics(true);
    if (slowSteps) {
      trainer.addListener(
          new TrainListener() {
            @Override
            public void onStep(int epoch, int step, double loss) {
              LockSupport.parkNanos(50_000); // the core is free for the loader meanwhile
            }
          });
    }
    History history = trainer.train(TRAINING);
    double[] parameters = new double[PARAMETERS];
    network.getParameters(parameters);
    return new Run(parameters, history, trainer.lastLoaderRingTakes);
  }

  private static void checkSameBits(boolean slowSteps) {
    double[] untrained = new double[PARAMETERS];
    LinearNetwork fresh = new LinearNetwork(INPUTS, OUTPUTS, 8);
    fresh.initialize(11);
    fresh.getParameters(untrained);
    long ringTakes = 0;
    for (TrainConfig config : configs()) {
      Run without = train(config, false, slowSteps);
      Run with = train(config, true, slowSteps);
      assertWithMessage("without the loader: no loader").that(without.ringTakes()).isEqualTo(-1);
      assertWithMessage("parameters of %s", config)
          .that(with.parameters())
          .usingExactEquality()
          .containsExactly(without.parameters())
          .inOrder();
      assertWithMessage("history of %s", config).that(with.history()).isEqualTo(without.history());
      assertWithMessage("trained").that(with.parameters()).isNotEqualTo(untrained);
      ringTakes += with.ringTakes();
    }
    if (slowSteps) {
      // the loader did fill batches the steps took (else this compared the trainer with itself);
      // with fast steps on a busy machine it may not get ahead of them
      assertThat(ringTakes).isGreaterThan(0);
    }
    assertNoLoaderThread();
  }

  @Test
  void theSameParametersAndHistoryWithAndWithoutTheLoader() {
    checkSameBits(true);
    checkSameBits(false);
  }

  @Test
  void theSameParametersAndHistoryBesideBusyThreads() {
    try (BusyThreads busy = BusyThreads.oversubscribe()) {
      checkSameBits(true);
    }
  }

  /** What the trainer's own fill gives for step {@code step} of an epoch of {@code order}. */
  private static Batch expected(int[] order, int step, int batchRows) {
    Batch batch = Batch.forSpec(new LinearNetwork(INPUTS, OUTPUTS, 8).spec(), batchRows);
    int start = step * batchRows;
    Trainer.fill(batch, TRAINING, order, start, Math.min(batchRows, order.length - start));
    return batch;
  }

  /**
   * The hand-over alone, the loader stalled at random (up to 0.2 ms) and the steps of random
   * lengths: every batch taken is the epoch's own rows, some filled by the loader and some by the
   * consumer, across epochs whose order is shuffled in place; beside busy threads.
   */
  @Test
  void everyStepGetsItsOwnRowsWhenTheLoaderStallsOrLags() {
    int batchRows = 8;
    int steps = (ROWS + batchRows - 1) / batchRows;
    Thread consumer = Thread.currentThread();
    BatchLoader.Fill stalling =
        (batch, data, rows, from, count) -> {
          if (Thread.currentThread() != consumer && (from / batchRows) % 7 == 3) {
            LockSupport.parkNanos((from * 7919L) % 200_000);
          }
          Trainer.fill(batch, data, rows, from, count);
        };
    Rng rng = new Rng(9);
    int[] order = new int[ROWS];
    Arrays.setAll(order, i -> i);
    long own = 0;
    long fromRing = 0;
    try (BusyThreads busy = new BusyThreads(2)) {
      BatchLoader loader =
          new BatchLoader(new LinearNetwork(INPUTS, OUTPUTS, 8), TRAINING, batchRows, stalling);
      try {
        for (int epoch = 0; epoch < 4; epoch++) {
          rng.shuffle(order);
          loader.startEpoch(order, epoch == 3 ? 100 : steps); // the last ends part-way
          for (int step = 0; step < (epoch == 3 ? 100 : steps); step++) {
            Batch batch = loader.take();
            Batch want = expected(order, step, batchRows);
            assertWithMessage("epoch %s step %s rows", epoch, step)
                .that(batch.rows())
                .isEqualTo(want.rows());
            assertWithMessage("epoch %s step %s inputs", epoch, step)
                .that(Arrays.copyOf(batch.x, want.rows() * INPUTS))
                .isEqualTo(Arrays.copyOf(want.x, want.rows() * INPUTS));
            assertWithMessage("epoch %s step %s targets", epoch, step)
                .that(Arrays.copyOf(batch.targets, want.rows() * OUTPUTS))
                .isEqualTo(Arrays.copyOf(want.targets, want.rows() * OUTPUTS));
            if (step % 5 == 0) {
              LockSupport.parkNanos(30_000); // a slow step: the loader gets ahead
            }
          }
        }
        own = loader.ownFills();
        fromRing = loader.ringTakes();
      } finally {
        loader.close();
      }
      assertThat(loader.thread().isAlive()).isFalse();
    }
    assertWithMessage("batches from the ring").that(fromRing).isGreaterThan(0);
    assertWithMessage("batches the consumer filled").that(own).isGreaterThan(0);
    assertThat(own + fromRing).isEqualTo(3L * steps + 100);
  }

  /**
   * The ring holds the network's own kind of batch ({@code Network.newBatch}): a float network's
   * steps get float rows from the loader, as from the trainer's own batch, with the numbers of its
   * doubles rounded once.
   */
  @Test
  void theRingHoldsTheNetworksKindOfBatch() {
    int batchRows = 8;
    Network floats =
        new LinearNetwork(INPUTS, OUTPUTS, 8) {
          @Override
          public Batch newBatch(int rows) {
            return Batch.forSpecInFloat(spec(), rows);
          }
        };
    int[] order = new int[ROWS];
    Arrays.setAll(order, i -> i);
    int fromRing = 0;
    try (BatchLoader loader = new BatchLoader(floats, TRAINING, batchRows, Trainer::fill)) {
      for (int epoch = 0; epoch < 3; epoch++) {
        loader.startEpoch(order, 20);
        for (int step = 0; step < 20; step++) {
          if (step % 4 == 0) {
            LockSupport.parkNanos(200_000); // lets the loader get ahead
          }
          Batch batch = loader.take();
          Batch want = expected(order, step, batchRows);
          assertWithMessage("epoch %s step %s", epoch, step).that(batch.floatInputs()).isTrue();
          for (int r = 0; r < batchRows; r++) {
            for (int i = 0; i < INPUTS; i++) {
              assertThat(batch.floatRows[r][i]).isEqualTo((float) want.x[r * INPUTS + i]);
            }
          }
        }
      }
      fromRing = (int) loader.ringTakes();
    }
    assertWithMessage("steps that took the loader's batch").that(fromRing).isGreaterThan(0);
  }

  @Test
  void aFailingFillReachesTheCallerWithItsOwnMessage() {
    int batchRows = 8;
    BatchLoader.Fill failing =
        (batch, data, rows, from, count) -> {
          for (int i = from; i < from + count; i++) {
            if (rows[i] == 1234) {
              throw new IllegalArgumentException("row 1234 is bad");
            }
          }
          Trainer.fill(batch, data, rows, from, count);
        };
    int[] order = new int[ROWS];
    Arrays.setAll(order, i -> i);
    BatchLoader loader =
        new BatchLoader(new LinearNetwork(INPUTS, OUTPUTS, 8), TRAINING, batchRows, failing);
    List<Integer> taken = new ArrayList<>();
    IllegalArgumentException e;
    try {
      loader.startEpoch(order, 251);
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> {
                for (int step = 0; step < 251; step++) {
                  loader.take();
                  taken.add(step);
                  if (step % 3 == 0) {
                    LockSupport.parkNanos(20_000); // lets the loader get ahead, to the failure
                  }
                }
              });
    } finally {
      loader.close();
    }
    assertThat(e).hasMessageThat().isEqualTo("row 1234 is bad");
    assertThat(taken).hasSize(1234 / batchRows); // every step before the failing one
    assertThat(loader.thread().isAlive()).isFalse();
  }

  @Test
  void noLoaderThreadIsLeftAfterAnExceptionADivergenceOrAnInterrupt() {
    TrainConfig config = new TrainConfig(0.05, 1, 8, true, false, 3, 0, 0).withSeed(5);
    // a listener throws mid-epoch
    LinearNetwork network = new LinearNetwork(INPUTS, OUTPUTS, 8);
    network.initialize(11);
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                new Trainer(network, config)
                    .loadAhead(true)
                    .addListener(
                        new TrainListener() {
                          @Override
                          public void onStep(int epoch, int step, double loss) {
                            if (epoch == 2 && step == 40) {
                              throw new IllegalStateException("listener failed");
                            }
                          }
                        })
                    .train(TRAINING));
    assertThat(thrown).hasMessageThat().isEqualTo("listener failed");
    assertNoLoaderThread();

    // a divergence: the same exception and message as without the loader
    String[] messages = new String[2];
    for (int run = 0; run < 2; run++) {
      LinearNetwork diverging = new LinearNetwork(INPUTS, OUTPUTS, 8);
      diverging.initialize(11);
      boolean loadAhead = run == 1;
      TrainingDivergedException diverged =
          assertThrows(
              TrainingDivergedException.class,
              () ->
                  new Trainer(diverging, config.withLearningRate(1e200))
                      .loadAhead(loadAhead)
                      .train(TRAINING));
      messages[run] = diverged.getMessage();
    }
    assertThat(messages[1]).isEqualTo(messages[0]);
    assertNoLoaderThread();

    // interrupted: training ends as before, the interrupt kept, the thread gone
    LinearNetwork interrupted = new LinearNetwork(INPUTS, OUTPUTS, 8);
    interrupted.initialize(11);
    History history =
        new Trainer(interrupted, config)
            .loadAhead(true)
            .addListener(
                new TrainListener() {
                  @Override
                  public void onStep(int epoch, int step, double loss) {
                    if (epoch == 1 && step == 10) {
                      Thread.currentThread().interrupt();
                    }
                  }
                })
            .train(TRAINING);
    assertThat(Thread.interrupted()).isTrue(); // kept (and cleared here)
    assertThat(history.epochs()).hasSize(3);
    assertNoLoaderThread();
  }

  private static void assertNoLoaderThread() {
    List<String> loaders =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("nnc-batch-loader") && t.isAlive())
            .map(Thread::getName)
            .toList();
    assertWithMessage("loader threads alive").that(loaders).isEmpty();
  }
}
