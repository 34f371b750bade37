package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Uses the inference class the plugin generated, with no nnc jar on the class path at all. */
class XorTest {
  @Test
  void theTrainedWeightsComputeXor() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.nnc.runtime.Network"));
    double[][] inputs = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    double[] expected = {0, 1, 1, 0};
    for (int i = 0; i < 4; i++) {
      double[] out = Xor.predict(inputs[i]);
      assertEquals(1, out.length);
      // trained (nnc train samples/xor/xor.nn): within 0.05 of the truth table; untrained
      // weights would not be (a sigmoid output starts near 0.5)
      assertEquals(expected[i], out[0], 0.05, "xor" + java.util.Arrays.toString(inputs[i]));
    }
  }
}
