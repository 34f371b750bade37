package dev.nnc.runtime;

/**
 * One named parameter tensor inside the flat parameter vector.
 *
 * @param name qualified name, e.g. {@code hidden.W} or {@code hidden.b}
 * @param layer the layer it belongs to
 * @param line the {@code .nn} line that declares the layer (1-based), for error reports
 * @param rows rows of the tensor (fan-in for a weight matrix stored (in, out); 1 for a bias)
 * @param cols columns of the tensor (fan-out)
 * @param offset where the tensor starts in the flat vector; row-major inside
 * @param penalized whether an L2 penalty applies to it (weights yes, biases never)
 * @param init how {@link Initializer} draws its initial values
 */
public record TensorSpec(
    String name,
    String layer,
    int line,
    int rows,
    int cols,
    int offset,
    boolean penalized,
    InitSpec init) {

  public int size() {
    return rows * cols;
  }

  /** {@code "784×30"}, or {@code "30"} for a vector. */
  public String shapeText() {
    return rows == 1 && name.endsWith(".b") ? Integer.toString(cols) : rows + "×" + cols;
  }
}
