package dev.nnc.ir;

/**
 * The optimizer of a {@code train} block. SGD, momentum and Adam use the train block's learning
 * rate and decay; CG and L-BFGS work on the full batch, one iteration per epoch.
 */
public sealed interface Optimizer {
  /** {@code sgd(lr = …)}: p −= lr · g. */
  record Sgd() implements Optimizer {}

  /** {@code sgd(lr = …, momentum = μ)}: v = μ·v − lr·g; p += v. */
  record Momentum(double momentum) implements Optimizer {}

  /** {@code adam(lr = …, beta1 = …, beta2 = …, epsilon = …)}, with bias correction. */
  record Adam(double beta1, double beta2, double epsilon) implements Optimizer {}

  /** {@code cg(iterations = N)}: Polak-Ribière with fmincg's line search. */
  record ConjugateGradient() implements Optimizer {}

  /** {@code lbfgs(iterations = N, memory = M)}. */
  record Lbfgs(int memory) implements Optimizer {}
}
