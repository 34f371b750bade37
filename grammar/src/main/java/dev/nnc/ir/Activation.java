package dev.nnc.ir;

/** Element-wise activations, and softmax over each row. */
public enum Activation {
  IDENTITY,
  SIGMOID,
  RELU,
  TANH,
  SOFTMAX;

  /** The name used in {@code .nn} files. */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
