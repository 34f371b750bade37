package dev.nnc.runtime.optim;

import java.util.Arrays;

/**
 * Classical momentum: {@code v = μ·v − lr·g; p += v}, with v starting at zero (so the first step is
 * plain SGD).
 */
public final class Momentum extends StepOptimizer {
  private final double momentum;
  private final double[] velocity;

  /**
   * @param momentum μ in [0, 1)
   */
  public Momentum(int dimension, double momentum) {
    super(dimension);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    this.momentum = momentum;
    this.velocity = new double[dimension];
  }

  @Override
  public void update(double[] parameters, double[] gradient, double learningRate) {
    checkLengths(velocity.length, parameters, gradient);
    for (int i = 0; i < velocity.length; i++) {
      velocity[i] = momentum * velocity[i] - learningRate * gradient[i];
      parameters[i] += velocity[i];
    }
  }

  /** A copy of the velocity. */
  public double[] velocity() {
    return velocity.clone();
  }

  /** Replaces the velocity with a copy of {@code saved} (from a checkpoint's {@link #velocity}). */
  public void restoreVelocity(double[] saved) {
    if (saved.length != velocity.length) {
      throw new IllegalArgumentException(
          "a velocity of length " + saved.length + ", optimizer has " + velocity.length);
    }
    System.arraycopy(saved, 0, velocity, 0, velocity.length);
  }

  @Override
  public void reset() {
    Arrays.fill(velocity, 0);
  }
}
