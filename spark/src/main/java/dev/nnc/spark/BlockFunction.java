package dev.nnc.spark;

import java.io.Serializable;

/** What one block contributes to a sum: a fresh vector (the tree takes it over). */
@FunctionalInterface
public interface BlockFunction extends Serializable {
  double[] apply(DataBlock block);
}
