package dev.nnc.runtime.optim;

import dev.nnc.runtime.Network;

/**
 * A first-order update rule with state (momentum, Adam) applied to the flat parameter vector. The
 * parameter and gradient buffers and the rule's state are allocated once, in the constructor, so a
 * step allocates nothing.
 */
public abstract class StepOptimizer {
  private final double[] parameters;
  private final double[] gradient;

  protected StepOptimizer(int dimension) {
    if (dimension <= 0) {
      throw new IllegalArgumentException("need at least one parameter, got " + dimension);
    }
    this.parameters = new double[dimension];
    this.gradient = new double[dimension];
  }

  /** The length of the vectors this optimizer updates. */
  public final int dimension() {
    return parameters.length;
  }

  /**
   * Updates {@code network} with the gradient of its last {@link Network#lossAndGradient} call:
   * {@code getParameters}, {@code getGradient}, {@link #update}, {@code setParameters}.
   */
  public final void step(Network network, double learningRate) {
    network.getParameters(parameters);
    network.getGradient(gradient);
    update(parameters, gradient, learningRate);
    network.setParameters(parameters);
  }

  /** Updates {@code parameters} in place from {@code gradient} (both of {@link #dimension()}). */
  public abstract void update(double[] parameters, double[] gradient, double learningRate);

  /** Forgets the state (as if no step had been taken). */
  public abstract void reset();

  static void checkLengths(int dimension, double[] parameters, double[] gradient) {
    if (parameters.length != dimension || gradient.length != dimension) {
      throw new IllegalArgumentException(
          "vectors of length "
              + parameters.length
              + " and "
              + gradient.length
              + ", optimizer has "
              + dimension);
    }
  }
}
