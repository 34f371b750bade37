package com.acme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.data.Weights;
import dev.nnc.runtime.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Uses the class the plugin generated, with nothing but the runtime on the class path. */
class XorTest {
  private static Batch batchOf(Dataset data) {
    Batch batch = Batch.forSpec(Xor.SPEC, data.rows());
    System.arraycopy(data.x(), 0, batch.x, 0, data.x().length);
    System.arraycopy(data.targets(), 0, batch.targets, 0, data.targets().length);
    batch.setRows(data.rows());
    return batch;
  }

  @Test
  void trainingLowersTheLossAndLearnsXor() throws Exception {
    TrainConfig config = Xor.trainConfig();
    Dataset data = Xor.inlineData();
    Xor network = new Xor(data.rows());
    network.initialize(config.seed());
    Batch batch = batchOf(data);
    double untrained = network.loss(batch);

    new Trainer(network, config).train(data);
    double trained = network.loss(batch);
    assertTrue(trained < untrained / 10, "loss " + untrained + " -> " + trained);

    double[] out = new double[4];
    network.predict(data.x(), 4, out);
    for (int r = 0; r < 4; r++) {
      assertEquals(data.targets()[r], out[r], 0.2, "row " + r);
    }

    // Embedding: the weights saved as nnc train saves them, loaded into a fresh instance.
    double[] parameters = new double[Xor.SPEC.parameterCount()];
    network.getParameters(parameters);
    Map<String, dev.nnc.runtime.data.NpyArray> arrays = new LinkedHashMap<>();
    for (var tensor : Xor.SPEC.tensors()) {
      double[] values = new double[tensor.size()];
      System.arraycopy(parameters, tensor.offset(), values, 0, values.length);
      arrays.put(tensor.name(), dev.nnc.runtime.data.NpyArray.ofDoubles(values, Weights.shape(tensor)));
    }
    Path file = Files.createTempDirectory("xor").resolve("Xor.npz");
    Npz.write(file, arrays);
    Xor loaded = new Xor(4);
    Preprocessing preprocessing = Weights.load(file, loaded);
    assertArrayEquals(out, Weights.predict(loaded, preprocessing, data.x(), 4), 0.0);
  }
}
