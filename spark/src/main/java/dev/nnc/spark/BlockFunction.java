package dev.nnc.spark;

import java.io.Serializable;

/**
 * What one block contributes to a sum, as leaf {@code leaf} of the tree (its position in the
 * selection: the block index for a full sum): a fresh vector, which the tree takes over.
 */
@FunctionalInterface
public interface BlockFunction extends Serializable {
  double[] apply(DataBlock block, long leaf);
}
