package dev.nnc.ir;

import java.util.List;

/** How a tensor's initial values are drawn. */
public sealed interface Init {
  record Uniform(double low, double high) implements Init {}

  record Normal(double mean, double std) implements Init {}

  record Constant(double value) implements Init {}

  /** uniform(±√(6 / (fanIn + fanOut))). */
  record Xavier() implements Init {}

  /** normal(0, √(2 / fanIn)). */
  record He() implements Init {}

  /** Literal values, row-major over the tensor's (in, out) shape; the checker checks the count. */
  record Values(List<Double> values) implements Init {
    public Values {
      values = List.copyOf(values);
    }
  }
}
