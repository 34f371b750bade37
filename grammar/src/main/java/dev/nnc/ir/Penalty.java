package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * A penalty on every weight matrix and convolution kernel (never on biases): {@code penalty
 * l2(reg)} adds {@code reg · ΣW²}; {@code penalty l2(λ) / 2m} adds {@code λ/(2m) · ΣW²}, m being
 * the size of the whole training set; {@code penalty l1(λ)} adds {@code λ · Σ|W|} (gradient {@code
 * λ · sign(W)}, 0 at W = 0, as PyTorch's {@code sign}).
 */
public record Penalty(Norm norm, double coefficient, boolean overTwoM, Span span) {
  /** Which norm of the weights is penalised. */
  public enum Norm {
    /** Σ|W| ({@code l1}). */
    L1,
    /** ΣW² ({@code l2}). */
    L2
  }

  /** An L2 penalty. */
  public Penalty(double coefficient, boolean overTwoM, Span span) {
    this(Norm.L2, coefficient, overTwoM, span);
  }

  public boolean l1() {
    return norm == Norm.L1;
  }

  /** The penalty as written: {@code l2(0.001) / 2m}, {@code l1(1.0E-4)}. */
  public String text() {
    return norm.name().toLowerCase(java.util.Locale.ROOT)
        + "("
        + coefficient
        + ")"
        + (overTwoM ? " / 2m" : "");
  }
}
