package dev.nnc.runtime;

/**
 * Which optimizer a {@link TrainConfig} uses, with its own settings; the learning rate and its
 * decay live in the config because SGD, momentum and Adam share them.
 *
 * <ul>
 *   <li>{@code SGD}: {@code p −= lr · g}.
 *   <li>{@code MOMENTUM}: {@code v = momentum · v − lr · g; p += v} (classical momentum).
 *   <li>{@code ADAM}: Kingma and Ba with bias correction ({@code beta1}, {@code beta2}, {@code
 *       epsilon}).
 *   <li>{@code CONJUGATE_GRADIENT}: nonlinear CG, Polak-Ribière with the line search of the
 *       course's fmincg; full batch; one epoch = one line search (iteration).
 *   <li>{@code LBFGS}: limited-memory BFGS keeping {@code memory} pairs, with a line search; full
 *       batch; one epoch = one iteration.
 * </ul>
 */
public record OptimizerSpec(
    Kind kind, double momentum, double beta1, double beta2, double epsilon, int memory) {

  public enum Kind {
    SGD,
    MOMENTUM,
    ADAM,
    CONJUGATE_GRADIENT,
    LBFGS
  }

  public static OptimizerSpec sgd() {
    return new OptimizerSpec(Kind.SGD, 0, 0, 0, 0, 0);
  }

  public static OptimizerSpec momentum(double momentum) {
    return new OptimizerSpec(Kind.MOMENTUM, momentum, 0, 0, 0, 0);
  }

  public static OptimizerSpec adam(double beta1, double beta2, double epsilon) {
    return new OptimizerSpec(Kind.ADAM, 0, beta1, beta2, epsilon, 0);
  }

  public static OptimizerSpec conjugateGradient() {
    return new OptimizerSpec(Kind.CONJUGATE_GRADIENT, 0, 0, 0, 0, 0);
  }

  public static OptimizerSpec lbfgs(int memory) {
    return new OptimizerSpec(Kind.LBFGS, 0, 0, 0, 0, memory);
  }

  /** CG and L-BFGS see the whole training set in every evaluation. */
  public boolean fullBatchOnly() {
    return kind == Kind.CONJUGATE_GRADIENT || kind == Kind.LBFGS;
  }
}
