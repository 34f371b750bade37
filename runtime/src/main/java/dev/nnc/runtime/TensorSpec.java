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
 * @param kernel a convolution kernel's (out_ch, in_ch, kh, kw), PyTorch's layout, its shape in
 *     files; rows are then out_ch and cols in_ch·kh·kw. Empty for every other tensor.
 */
public record TensorSpec(
    String name,
    String layer,
    int line,
    int rows,
    int cols,
    int offset,
    boolean penalized,
    InitSpec init,
    java.util.List<Integer> kernel) {

  public TensorSpec {
    kernel = java.util.List.copyOf(kernel);
    if (!kernel.isEmpty()
        && (kernel.size() != 4
            || kernel.get(0) != rows
            || kernel.get(1) * kernel.get(2) * kernel.get(3) != cols)) {
      throw new IllegalArgumentException(
          name + ": kernel " + kernel + " does not match " + rows + "×" + cols);
    }
  }

  /** A dense weight matrix (in, out) or a bias. */
  public TensorSpec(
      String name,
      String layer,
      int line,
      int rows,
      int cols,
      int offset,
      boolean penalized,
      InitSpec init) {
    this(name, layer, line, rows, cols, offset, penalized, init, java.util.List.of());
  }

  /** The values each output sums over: in for W (in, out); in_ch·kh·kw for a kernel. */
  public int fanIn() {
    return kernel.isEmpty() ? rows : cols;
  }

  /** Outputs each input reaches: out for W (in, out); out_ch·kh·kw for a kernel (as PyTorch). */
  public int fanOut() {
    return kernel.isEmpty() ? cols : rows * kernel.get(2) * kernel.get(3);
  }

  public int size() {
    return rows * cols;
  }

  /** {@code "784×30"}, or {@code "30"} for a vector. */
  public String shapeText() {
    if (!kernel.isEmpty()) {
      return kernel.get(0) + "×" + kernel.get(1) + "×" + kernel.get(2) + "×" + kernel.get(3);
    }
    return rows == 1 && name.endsWith(".b") ? Integer.toString(cols) : rows + "×" + cols;
  }
}
