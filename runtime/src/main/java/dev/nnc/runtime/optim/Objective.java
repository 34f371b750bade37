package dev.nnc.runtime.optim;

/**
 * A differentiable function of a flat parameter vector: what CG and L-BFGS minimise.
 *
 * <p>It must be <em>pure</em>: the value and gradient depend on {@code parameters} only, never on
 * state left behind by an earlier call. The seed S3's bug was a cost function that ignored the
 * vector the optimizer passed and read the network's own weights, so every line search saw the same
 * cost and the optimizer could not move.
 */
public interface Objective {
  /** The length of the parameter and gradient vectors. */
  int dimension();

  /**
   * The value at {@code parameters}; writes the gradient there into {@code gradientOut}. Neither
   * array is kept; {@code parameters} is not modified.
   */
  double evaluate(double[] parameters, double[] gradientOut);
}
