package dev.nnc.runtime.optim;

import dev.nnc.runtime.NncMath;
import java.util.Arrays;

/**
 * Adam (Kingma and Ba, 2015, Algorithm 1) with bias correction, step t = 1, 2, …:
 *
 * <pre>
 * m = β₁·m + (1 − β₁)·g          v = β₂·v + (1 − β₂)·g²
 * m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)
 * p −= lr · m̂ / (√v̂ + ε)
 * </pre>
 *
 * The paper's form, with ε added to √v̂; PyTorch adds ε to √v / √(1 − β₂ᵗ), which is the same
 * number up to rounding.
 */
public final class Adam extends StepOptimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double[] firstMoment;
  private final double[] secondMoment;
  private int steps;

  /**
   * @param beta1 decay of the first moment, in [0, 1) (usually 0.9)
   * @param beta2 decay of the second moment, in [0, 1) (usually 0.999)
   * @param epsilon added to the denominator, ≥ 0 (usually 1e-8)
   */
  public Adam(int dimension, double beta1, double beta2, double epsilon) {
    super(dimension);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "Adam's betas must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("Adam's epsilon must be ≥ 0, got " + epsilon);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.firstMoment = new double[dimension];
    this.secondMoment = new double[dimension];
  }

  @Override
  public void update(double[] parameters, double[] gradient, double learningRate) {
    checkLengths(firstMoment.length, parameters, gradient);
    steps++;
    double correction1 = 1 - NncMath.pow(beta1, steps);
    double correction2 = 1 - NncMath.pow(beta2, steps);
    for (int i = 0; i < firstMoment.length; i++) {
      double g = gradient[i];
      firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g;
      secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g * g;
      double mHat = firstMoment[i] / correction1;
      double vHat = secondMoment[i] / correction2;
      parameters[i] -= learningRate * mHat / (Math.sqrt(vHat) + epsilon);
    }
  }

  /** Steps taken: the t of the bias correction. */
  public int steps() {
    return steps;
  }

  /** A copy of the first moment m. */
  public double[] firstMoment() {
    return firstMoment.clone();
  }

  /** A copy of the second moment v. */
  public double[] secondMoment() {
    return secondMoment.clone();
  }

  /**
   * Puts back the state a checkpoint saved ({@link #firstMoment}, {@link #secondMoment}, {@link
   * #steps}), so the next update is the one an uninterrupted run would make.
   */
  public void restore(double[] first, double[] second, int stepsTaken) {
    if (first.length != firstMoment.length || second.length != secondMoment.length) {
      throw new IllegalArgumentException(
          "moments of length "
              + first.length
              + " and "
              + second.length
              + ", optimizer has "
              + firstMoment.length);
    }
    if (stepsTaken < 0) {
      throw new IllegalArgumentException("steps must be ≥ 0, got " + stepsTaken);
    }
    System.arraycopy(first, 0, firstMoment, 0, first.length);
    System.arraycopy(second, 0, secondMoment, 0, second.length);
    steps = stepsTaken;
  }

  @Override
  public void reset() {
    Arrays.fill(firstMoment, 0);
    Arrays.fill(secondMoment, 0);
    steps = 0;
  }
}
