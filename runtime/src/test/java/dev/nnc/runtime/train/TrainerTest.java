package dev.nnc.runtime.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.LinearNetwork;
import dev.nnc.runtime.Oracle;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.ScriptedNetwork;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.NpyArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {
  private static final double[] NO_DECAY = {};

  @Test
  void fullBatchSeesEveryRowInOrderOncePerEpoch() {
    ScriptedNetwork network = new ScriptedNetwork(10, call -> 1.0);
    History history =
        new Trainer(network, config(0, false, false, 3, 0, 0.1, 1)).train(ScriptedNetwork.rows(4));
    assertThat(network.batches).hasSize(3);
    for (int[] batch : network.batches) {
      assertThat(batch).asList().containsExactly(0, 1, 2, 3).inOrder();
    }
    assertThat(history.epochs()).hasSize(3);
    assertThat(history.epochs().get(2).steps()).isEqualTo(1);
    assertThat(network.penaltyExampleCount).isEqualTo(4);
  }

  @Test
  void minibatchesInOrderEndWithASmallerBatch() {
    ScriptedNetwork network = new ScriptedNetwork(3, call -> 1.0);
    History history =
        new Trainer(network, config(3, false, false, 2, 0, 0.1, 1)).train(ScriptedNetwork.rows(7));
    assertThat(rows(network))
        .containsExactly(
            List.of(0, 1, 2),
            List.of(3, 4, 5),
            List.of(6),
            List.of(0, 1, 2),
            List.of(3, 4, 5),
            List.of(6))
        .inOrder();
    assertThat(history.epochs().get(0).steps()).isEqualTo(3);
    assertThat(history.totalSteps()).isEqualTo(6);
  }

  @Test
  void shuffledEpochsArePermutationsFromTheBatchingStream() {
    ScriptedNetwork network = new ScriptedNetwork(4, call -> 1.0);
    long seed = 17;
    new Trainer(network, config(4, true, false, 2, 0, 0.1, 1).withSeed(seed))
        .train(ScriptedNetwork.rows(10));
    assertThat(network.batches).hasSize(6); // ⌈10/4⌉ = 3 steps per epoch
    assertThat(network.batches.get(2)).hasLength(2);

    // Expected: the same Rng, seeded from the config seed mixed with the batching constant,
    // reshuffling one order array before every epoch.
    Rng rng = new Rng(Trainer.batchingSeed(seed));
    int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    List<Integer> expected = new ArrayList<>();
    for (int epoch = 0; epoch < 2; epoch++) {
      rng.shuffle(order);
      for (int i : order) {
        expected.add(i);
      }
    }
    List<Integer> seen = new ArrayList<>();
    for (int[] batch : network.batches) {
      for (int row : batch) {
        seen.add(row);
      }
    }
    assertThat(seen).isEqualTo(expected);
    assertThat(seen.subList(0, 10)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(seen.subList(0, 10)).isNotEqualTo(seen.subList(10, 20));
    assertThat(Trainer.batchingSeed(seed)).isNotEqualTo(seed);
  }

  @Test
  void withReplacementDrawsUniformRowsAndEpochIsMOverN() {
    ScriptedNetwork network = new ScriptedNetwork(3, call -> 1.0);
    History history =
        new Trainer(network, config(3, true, true, 2, 0, 0.1, 1).withSeed(5))
            .train(ScriptedNetwork.rows(10));
    assertThat(history.epochs().get(0).steps()).isEqualTo(3); // 10 / 3 = 3
    assertThat(network.batches).hasSize(6);
    Rng rng = new Rng(Trainer.batchingSeed(5));
    for (int[] batch : network.batches) {
      assertThat(batch).hasLength(3);
      for (int row : batch) {
        assertThat(row).isEqualTo(rng.nextInt(10));
      }
    }

    // More rows per batch than the training set has: still N rows, one step per epoch.
    ScriptedNetwork small = new ScriptedNetwork(5, call -> 1.0);
    History tiny =
        new Trainer(small, config(5, false, true, 4, 0, 0.1, 1)).train(ScriptedNetwork.rows(2));
    assertThat(tiny.epochs().get(0).steps()).isEqualTo(1);
    assertThat(small.batches).hasSize(4);
    assertThat(small.batches.get(0)).hasLength(5);
  }

  @Test
  void withReplacementIsUniformOverManyDraws() {
    ScriptedNetwork network = new ScriptedNetwork(50, call -> 1.0);
    new Trainer(network, config(50, false, true, 0, 200, 0.1, 1)).train(ScriptedNetwork.rows(5));
    int[] counts = new int[5];
    for (int[] batch : network.batches) {
      for (int row : batch) {
        counts[row]++;
      }
    }
    // 10,000 draws, 2,000 expected per row, std ≈ 40.
    for (int count : counts) {
      assertThat(count).isIn(com.google.common.collect.Range.closed(1800, 2200));
    }
  }

  @Test
  void learningRateDecaysOnceAfterEveryEpoch() {
    ScriptedNetwork network = new ScriptedNetwork(2, call -> 1.0);
    History history =
        new Trainer(network, config(2, false, false, 3, 0, 1.0, 0.5))
            .train(ScriptedNetwork.rows(4));
    assertThat(network.learningRates).containsExactly(1.0, 1.0, 0.5, 0.5, 0.25, 0.25).inOrder();
    assertThat(history.epochs().stream().map(EpochRecord::learningRate).toList())
        .containsExactly(1.0, 0.5, 0.25)
        .inOrder();
  }

  @Test
  void stepsModeMayEndMidEpoch() {
    ScriptedNetwork network = new ScriptedNetwork(3, call -> call);
    History history =
        new Trainer(network, config(3, false, false, 0, 5, 0.1, 0.5))
            .train(ScriptedNetwork.rows(7));
    assertThat(rows(network))
        .containsExactly(
            List.of(0, 1, 2), List.of(3, 4, 5), List.of(6), List.of(0, 1, 2), List.of(3, 4, 5))
        .inOrder();
    assertThat(history.epochs()).hasSize(2);
    assertThat(history.epochs().get(1).steps()).isEqualTo(2);
    // Mean of the losses each step computed: calls 0,1,2 then 3,4.
    assertThat(history.epochs().get(0).meanLoss()).isEqualTo(1.0);
    assertThat(history.epochs().get(1).meanLoss()).isEqualTo(3.5);
    assertThat(history.epochs().get(1).learningRate()).isEqualTo(0.05);
  }

  @Test
  void nonFiniteLossStopsNamingEpochAndStepAndRestoresTheEpochStart() {
    // 2 steps per epoch; call 5 is epoch 3, step 2.
    ScriptedNetwork network = new ScriptedNetwork(2, call -> call == 5 ? Double.NaN : 1.0);
    List<String> steps = new ArrayList<>();
    Trainer trainer =
        new Trainer(network, config(2, false, false, 10, 0, 1.0, 1))
            .addListener(
                new TrainListener() {
                  @Override
                  public void onStep(int epoch, int step, double loss) {
                    steps.add(epoch + ":" + step);
                  }
                });
    TrainingDivergedException e =
        assertThrows(TrainingDivergedException.class, () -> trainer.train(ScriptedNetwork.rows(4)));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo("loss became NaN at epoch 3, step 2; parameters restored to the end of epoch 2");
    assertThat(e.epoch()).isEqualTo(3);
    assertThat(e.step()).isEqualTo(2);
    assertThat(e.loss()).isNaN();
    assertThat(e.history().epochs()).hasSize(2);
    // Five updates of p −= 1 happened; the parameter is back where epoch 3 started.
    assertThat(network.learningRates).hasSize(5);
    assertThat(network.parameter()).isEqualTo(-4.0);
    assertThat(steps).containsExactly("1:1", "1:2", "2:1", "2:2", "3:1").inOrder();
  }

  @Test
  void divergenceInTheFirstEpochRestoresTheInitialParameters() {
    ScriptedNetwork network =
        new ScriptedNetwork(2, call -> call == 1 ? Double.POSITIVE_INFINITY : 1.0);
    network.setParameters(new double[] {0.75});
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () ->
                new Trainer(network, config(2, false, false, 3, 0, 1.0, 1))
                    .train(ScriptedNetwork.rows(4)));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "loss became Infinity at epoch 1, step 2; parameters restored to their initial values");
    assertThat(network.parameter()).isEqualTo(0.75);
  }

  @Test
  void sameSeedSameHistoryAndBatches() {
    TrainConfig config = config(3, true, false, 4, 0, 0.01, 0.9).withSeed(99);
    ScriptedNetwork a = new ScriptedNetwork(3, call -> 1.0 / (call + 1));
    ScriptedNetwork b = new ScriptedNetwork(3, call -> 1.0 / (call + 1));
    History first = new Trainer(a, config).train(ScriptedNetwork.rows(8));
    History second = new Trainer(b, config).train(ScriptedNetwork.rows(8));
    assertThat(first).isEqualTo(second);
    assertThat(rows(a)).isEqualTo(rows(b));

    ScriptedNetwork c = new ScriptedNetwork(3, call -> 1.0 / (call + 1));
    new Trainer(c, config.withSeed(100)).train(ScriptedNetwork.rows(8));
    assertThat(rows(c)).isNotEqualTo(rows(a));
  }

  @Test
  void reproducesTheS6OracleTrajectory() {
    Map<String, NpyArray> init = Oracle.read("S6_init.npz");
    Map<String, NpyArray> train = Oracle.read("S6_train.npz");
    LinearNetwork network = new LinearNetwork(2, 1, 5);
    network.setParameters(concat(init.get("W").data(), init.get("b").data()));
    Dataset data = new Dataset("S6", 5, 2, init.get("X").data(), 1, init.get("Y").data(), null);
    List<Double> losses = new ArrayList<>();
    History history =
        new Trainer(network, config(0, false, false, 30, 0, init.get("lr").scalar(), 1))
            .addListener(
                new TrainListener() {
                  @Override
                  public void onStep(int epoch, int step, double loss) {
                    losses.add(loss);
                  }
                })
            .train(data);

    double[] expected = train.get("losses").data();
    assertThat(losses).hasSize(expected.length);
    for (int k = 0; k < expected.length; k++) {
      assertThat(losses.get(k)).isWithin(1e-9 * expected[k]).of(expected[k]);
      assertThat(history.epochs().get(k).meanLoss()).isEqualTo(losses.get(k));
    }
    double[] parameters = new double[3];
    network.getParameters(parameters);
    double[] finals = concat(train.get("final_W").data(), train.get("final_b").data());
    for (int i = 0; i < 3; i++) {
      assertThat(parameters[i]).isWithin(1e-9 * Math.abs(finals[i])).of(finals[i]);
    }
  }

  @Test
  void inputsHeldAsBytesTrainAsTheSameDoubles() {
    // IDX images are held as bytes and a scale (Dataset.ofBytes) and decoded into each batch:
    // shuffled minibatches, a last smaller batch, the validation pass in chunks, the training
    // metrics, all the same bits as with the decoded doubles
    Rng rng = new Rng(3);
    byte[] trainCodes = new byte[23 * 5];
    byte[] validationCodes = new byte[7 * 5];
    double[] targets = new double[23 * 2];
    double[] validationTargets = new double[7 * 2];
    for (int i = 0; i < trainCodes.length; i++) {
      trainCodes[i] = (byte) rng.nextInt(256);
    }
    for (int i = 0; i < validationCodes.length; i++) {
      validationCodes[i] = (byte) rng.nextInt(256);
    }
    for (int i = 0; i < targets.length; i++) {
      targets[i] = rng.nextInt(2);
    }
    for (int i = 0; i < validationTargets.length; i++) {
      validationTargets[i] = rng.nextInt(2);
    }
    double scale = 1 / 255.0;
    Dataset training = Dataset.ofBytes("t.idx", 23, 5, trainCodes, scale, 2, targets, null);
    Dataset validation =
        Dataset.ofBytes("v.idx", 7, 5, validationCodes, scale, 2, validationTargets, null);
    Dataset trainingDoubles = new Dataset("t", 23, 5, training.x().clone(), 2, targets, null);
    Dataset validationDoubles =
        new Dataset("v", 7, 5, validation.x().clone(), 2, validationTargets, null);

    double[][] parameters = new double[2][];
    List<List<EpochRecord>> histories = new ArrayList<>();
    double[] initial = null;
    for (int run = 0; run < 2; run++) {
      LinearNetwork network = new LinearNetwork(5, 2, 4);
      network.initialize(11);
      if (initial == null) {
        initial = new double[12];
        network.getParameters(initial);
      }
      History history =
          new Trainer(network, config(4, true, false, 3, 0, 0.3, 1).withSeed(5))
              .validateOn(run == 0 ? validation : validationDoubles)
              .measureTrainingMetrics(true)
              .train(run == 0 ? training : trainingDoubles);
      parameters[run] = new double[12];
      network.getParameters(parameters[run]);
      histories.add(history.epochs());
    }
    assertThat(parameters[0]).usingExactEquality().containsExactly(parameters[1]).inOrder();
    assertThat(parameters[0]).isNotEqualTo(initial); // it trained
    assertThat(histories.get(0)).isEqualTo(histories.get(1));
    assertThat(histories.get(0).get(2).validationLoss()).isFinite();
  }

  @Test
  void recordsValidationAccuracyAndOptionallyTrainingAccuracy() {
    // ŷ = x (W = 1, b = 0, lr tiny): accuracy at 0.5 is known in advance.
    LinearNetwork network = new LinearNetwork(1, 1, 4);
    network.setParameters(new double[] {1, 0});
    Dataset training =
        new Dataset(
            "t", 4, 1, new double[] {0.9, 0.1, 0.8, 0.2}, 1, new double[] {1, 0, 0, 0}, null);
    Dataset validation =
        new Dataset("v", 2, 1, new double[] {0.9, 0.1}, 1, new double[] {1, 1}, null);
    List<EpochRecord> heard = new ArrayList<>();
    History history =
        new Trainer(network, config(0, false, false, 2, 0, 1e-12, 1))
            .validateOn(validation)
            .measureTrainingMetrics(true)
            .addListener(
                new TrainListener() {
                  @Override
                  public void onEpoch(EpochRecord record) {
                    heard.add(record);
                  }
                })
            .train(training);
    assertThat(history.epochs().get(0).trainAccuracy()).isEqualTo(0.75);
    assertThat(history.epochs().get(0).validationAccuracy()).isEqualTo(0.5);
    // (0.9 − 1)² and (0.1 − 1)², averaged: the loss of the validation rows as one batch
    assertThat(history.epochs().get(0).validationLoss()).isWithin(1e-12).of(0.41);
    assertThat(history.epochs().get(0).metrics().keySet())
        .containsExactly(
            "train_accuracy",
            "train_precision",
            "train_recall",
            "train_f1",
            "train_auc",
            "val_accuracy",
            "val_precision",
            "val_recall",
            "val_f1",
            "val_auc")
        .inOrder();
    assertThat(heard).isEqualTo(history.epochs());

    History without = new Trainer(network, config(0, false, false, 1, 0, 1e-12, 1)).train(training);
    assertThat(without.last().trainAccuracy()).isNaN();
    assertThat(without.last().validationAccuracy()).isNaN();
  }

  @Test
  void trainingMetricsAreTheRunningFiguresOfTheEpochsSteps() {
    // batch 1 in order and a large rate: ŷ moves at every step, so the rows as the steps saw them
    // score otherwise than the whole set after the epoch. LinearNetwork keeps no outputs: the
    // trainer predicts each batch before its update (the fallback of Network.lastOutputs).
    double[] x = {0.9, 0.1, 0.8, 0.2, 0.7, 0.3};
    double[] t = {1, 0, 0, 1, 1, 0};
    Dataset training = new Dataset("t", 6, 1, x, 1, t, null);
    double[] start = {0.5, 0.1};
    LinearNetwork network = new LinearNetwork(1, 1, 1);
    network.setParameters(start);
    History history =
        new Trainer(network, config(1, false, false, 2, 0, 0.8, 1))
            .metrics(Metrics.binary())
            .measureTrainingMetrics(true)
            .train(training);

    // the same steps by hand, each row's output taken before its update
    LinearNetwork twin = new LinearNetwork(1, 1, 1);
    twin.setParameters(start);
    Batch one = new Batch(1, 1, 1, false);
    double[] out = new double[1];
    for (int epoch = 1; epoch <= 2; epoch++) {
      int correct = 0;
      int truePositives = 0;
      int predictedPositives = 0;
      int actualPositives = 0;
      for (int r = 0; r < 6; r++) {
        one.x[0] = x[r];
        one.targets[0] = t[r];
        one.setRows(1);
        twin.predict(one.x, 1, out);
        int predicted = out[0] >= 0.5 ? 1 : 0;
        int actual = (int) t[r];
        correct += predicted == actual ? 1 : 0;
        predictedPositives += predicted;
        actualPositives += actual;
        truePositives += predicted == 1 && actual == 1 ? 1 : 0;
        twin.lossAndGradient(one);
        twin.sgdStep(0.8);
      }
      EpochRecord record = history.epochs().get(epoch - 1);
      assertWithMessage("epoch %s", epoch)
          .that(record.trainAccuracy())
          .isEqualTo((double) correct / 6);
      assertThat(record.metric("train_precision"))
          .isEqualTo((double) truePositives / predictedPositives);
      assertThat(record.metric("train_recall")).isEqualTo((double) truePositives / actualPositives);
    }
    // and not the figure of the whole set at the epoch's end, which the column used to be
    double after = Metrics.binary().evaluate(network, training).get("accuracy");
    assertThat(history.last().trainAccuracy()).isNotEqualTo(after);
  }

  @Test
  void historyCsvHasAHeaderAndFullPrecision() {
    History history =
        new History(
            List.of(
                new EpochRecord(1, 3, 0.25, 0.1, 0.5, Map.of("val_accuracy", 0.5)),
                new EpochRecord(2, 2, 1.0 / 3, 0.05, Double.NaN, Map.of("train_accuracy", 1.0))));
    assertThat(history.toCsv())
        .isEqualTo(
            "epoch,steps,mean_loss,learning_rate,val_loss,val_accuracy,train_accuracy\n"
                + "1,3,0.25,0.1,0.5,0.5,\n"
                + "2,2,0.3333333333333333,0.05,,,1.0\n");
  }

  @Test
  void rejectsDataAndBatchesThatDoNotFit() {
    ScriptedNetwork network = new ScriptedNetwork(2, call -> 1.0);
    IllegalArgumentException tooBig =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Trainer(network, config(3, false, false, 1, 0, 0.1, 1))
                    .train(ScriptedNetwork.rows(5)));
    assertThat(tooBig)
        .hasMessageThat()
        .isEqualTo("batches of 3 rows, but network Scripted has buffers for 2");

    Dataset wide = new Dataset("wide.csv", 1, 2, new double[] {1, 2}, 1, new double[] {1}, null);
    IllegalArgumentException wrongWidth =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Trainer(network, config(1, false, false, 1, 0, 0.1, 1)).train(wide));
    assertThat(wrongWidth)
        .hasMessageThat()
        .isEqualTo("training data (wide.csv) has 2 input columns, network Scripted expects 1");

    assertThrows(
        IllegalArgumentException.class,
        () -> new Trainer(network, config(1, false, false, 1, 0, 0.1, 0)));
  }

  private static TrainConfig config(
      int batch,
      boolean shuffle,
      boolean replacement,
      int epochs,
      int steps,
      double lr,
      double decay) {
    return new TrainConfig(lr, decay, batch, shuffle, replacement, epochs, steps, 0);
  }

  private static List<List<Integer>> rows(ScriptedNetwork network) {
    List<List<Integer>> rows = new ArrayList<>();
    for (int[] batch : network.batches) {
      rows.add(Arrays.stream(batch).boxed().toList());
    }
    return rows;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
