package com.acme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.data.DataFile;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.History;
import dev.nnc.runtime.train.Model;
import dev.nnc.runtime.train.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's "Train from Java", as a user's project runs it: the generated class, the runtime,
 * nothing else.
 */
class WineTest {
  @Test
  void trainsThroughItsRecipeLikeNncTrain() throws Exception {
    // --- README: Train from Java ---
    Model<Wine> model =
        Wine.recipe() // the train block: optimizer, batch, epochs, seed, data, validate, stop
            .relativeTo(Path.of("src/main/nn/com/acme/Wine.nn")) // data paths as nnc train reads them
            .model()
            .listener(TrainListener.printing(System.out)); // one line per epoch, like Keras
    Dataset test = model.read(new DataFile.Csv("test.csv", false, 0)); // beside Wine.nn
    Map<String, Double> untrained = model.initialize().evaluate(test); // loss, accuracy

    History history = model.fit(); // validate split(0.2), stop early(…) restore best
    Map<String, Double> trained = model.evaluate(test);
    System.out.printf(
        "test loss %.4f -> %.4f, accuracy %.1f%% -> %.1f%% after %d epochs (%s)%n",
        untrained.get("loss"),
        trained.get("loss"),
        100 * untrained.get("accuracy"),
        100 * trained.get("accuracy"),
        history.epochs().size(),
        history.stopReason());

    double[] probabilities = model.predict(test.x(), test.rows()); // rows × 3, raw measurements in
    int[] classes = model.predictClasses(test.x(), test.rows());
    model.save(Path.of("target/Wine.npz")); // what nnc train writes: weights and standardisation
    // --- end ---

    assertTrue(
        trained.get("loss") < untrained.get("loss") / 4,
        "test loss " + untrained.get("loss") + " -> " + trained.get("loss"));
    assertTrue(trained.get("accuracy") >= 0.95, "accuracy " + trained.get("accuracy"));
    assertTrue(history.stoppedEarly(), history.stopReason());
    assertTrue(history.epochs().get(0).validationLoss() > 0);
    assertEquals(3 * test.rows(), probabilities.length);
    assertEquals(1.0, probabilities[0] + probabilities[1] + probabilities[2], 1e-12);
    assertEquals(test.rows(), classes.length);

    // the saved weights, loaded into a fresh model, predict the same probabilities
    assertTrue(Files.size(Path.of("target/Wine.npz")) > 0);
    Model<Wine> loaded = Wine.recipe().model().load(Path.of("target/Wine.npz"));
    assertArrayEquals(probabilities, loaded.predict(test.x(), test.rows()), 0.0);
  }
}
