package com.acme.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.infer.Xor;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;

/** The generated classes, compiled and run inside the named module com.acme.app. */
class NamedModuleTest {
  @Test
  void theClassesLiveInTheNamedModuleAndTheRuntimeInItsAutomaticOne() {
    assertEquals("com.acme.app", com.acme.train.Xor.class.getModule().getName());
    assertEquals("com.acme.app", Xor.class.getModule().getName());
    assertEquals("dev.nnc.runtime", dev.nnc.runtime.Network.class.getModule().getName());
  }

  @Test
  void theTrainerTrainsInTheModule() {
    TrainConfig config = com.acme.train.Xor.trainConfig();
    Dataset data = com.acme.train.Xor.inlineData();
    com.acme.train.Xor network = new com.acme.train.Xor(data.rows());
    network.initialize(config.seed());
    Batch batch = Batch.forSpec(com.acme.train.Xor.SPEC, data.rows());
    System.arraycopy(data.x(), 0, batch.x, 0, data.x().length);
    System.arraycopy(data.targets(), 0, batch.targets, 0, data.targets().length);
    batch.setRows(data.rows());
    double untrained = network.loss(batch);
    new Trainer(network, config).train(data);
    double trained = network.loss(batch);
    assertTrue(trained < untrained / 10, "loss " + untrained + " -> " + trained);
  }

  @Test
  void theInferenceClassReadsItsWeightsFromTheModule() {
    // the weights are a resource of com.acme.app (com/acme/infer/Xor.npz); trained, the outputs
    // are within 0.05 of XOR, which untrained weights are not
    double[][] inputs = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    double[] expected = {0, 1, 1, 0};
    for (int i = 0; i < 4; i++) {
      assertEquals(expected[i], Xor.predict(inputs[i])[0], 0.05, "row " + i);
    }
  }
}
