package dev.nnc.emit;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import java.util.function.ToDoubleFunction;

/**
 * A network stepping on another form of a batch (a {@code FixedBatch} of it, a float batch of it)
 * beside a reference network stepping on the batch itself: the tests of those forms ({@link
 * FixedBatchTest}, {@link FloatBatchTest}) check the same bits this way.
 */
final class SameSteps {
  private SameSteps() {}

  /**
   * Three SGD steps (learning rate 10⁻³) of {@code network} through {@code step} and of {@code
   * reference} on {@code batch}, from the same parameters: the same loss and gradient, bit for bit,
   * at every step (so also after the held or lent rows are reused).
   */
  static void assertThreeSameSteps(
      Network network,
      ToDoubleFunction<Network> step,
      Network reference,
      Batch batch,
      String what) {
    for (int k = 0; k < 3; k++) {
      String which = what + ", step " + k;
      double expected = reference.lossAndGradient(batch);
      assertWithMessage("%s: loss", which).that(step.applyAsDouble(network)).isEqualTo(expected);
      assertWithMessage("%s: gradient", which)
          .that(gradient(network))
          .isEqualTo(gradient(reference));
      network.sgdStep(1e-3);
      reference.sgdStep(1e-3);
    }
  }

  /** The gradient of the network's last {@code lossAndGradient}. */
  static double[] gradient(Network network) {
    double[] gradient = new double[network.spec().parameterCount()];
    network.getGradient(gradient);
    return gradient;
  }
}
