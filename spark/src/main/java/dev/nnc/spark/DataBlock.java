package dev.nnc.spark;

import dev.nnc.runtime.data.Dataset;
import java.io.Serializable;

/**
 * One fixed block of rows: global block {@code index} holds the rows {@code [index·B, index·B +
 * rows)} of the input in its order (B the block size), row-major like a {@link Dataset}.
 *
 * @param targets dense targets, or null when the network takes labels
 * @param labels class labels, or null for dense targets
 */
public record DataBlock(
    long index,
    int rows,
    int inputWidth,
    double[] x,
    int targetWidth,
    double[] targets,
    int[] labels)
    implements Serializable {

  /** The rows as a runtime {@link Dataset} (sharing the arrays). */
  public Dataset dataset() {
    return new Dataset("block " + index, rows, inputWidth, x, targetWidth, targets, labels);
  }

  /** The block of {@code data}'s rows (same arrays). */
  public static DataBlock of(long index, Dataset data) {
    return new DataBlock(
        index,
        data.rows(),
        data.inputWidth(),
        data.x(),
        data.targetWidth(),
        data.targets(),
        data.labels());
  }
}
