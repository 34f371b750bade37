package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * {@code dense hidden[30] sigmoid init normal(0, 1) bias init constant(0)}: out = act(in · W + b),
 * with W stored (in, out).
 *
 * @param inputName the name of what it reads (the input's name, or the previous layer's)
 * @param in width of what it reads
 * @param out its own width
 * @param bias whether it has a bias ({@code nobias} turns it off)
 * @param biasInit the bias's init (constant(0) unless given); ignored without a bias
 * @param dropout {@code dropout(p)}: the share p of the layer's outputs (after its activation)
 *     zeroed in training, the others scaled by 1/(1 − p) (inverted dropout); 0 for none. Never on
 *     the output layer
 */
public record Dense(
    String name,
    String inputName,
    int in,
    int out,
    boolean bias,
    Activation activation,
    Init weightInit,
    Init biasInit,
    Span span,
    double dropout) {

  /** A layer without dropout. */
  public Dense(
      String name,
      String inputName,
      int in,
      int out,
      boolean bias,
      Activation activation,
      Init weightInit,
      Init biasInit,
      Span span) {
    this(name, inputName, in, out, bias, activation, weightInit, biasInit, span, 0);
  }

  /** Whether the layer drops outputs in training. */
  public boolean dropsOut() {
    return dropout > 0;
  }
}
