package dev.nnc.spark;

import dev.nnc.runtime.data.DataFormatException;

/**
 * Input rows that cannot be trained on: a missing or non-numeric column, a null, an array of the
 * wrong width, a label out of range. The message names the data, the row (counted from 1 in the
 * Dataset's order) and the column, e.g. {@code people.parquet, row 17, column 'y': label 3 is
 * outside 0..2}. Thrown on an executor, it reaches the driver through Spark's task failure and is
 * rethrown there with the same message.
 */
public final class SparkDataException extends DataFormatException {
  private static final long serialVersionUID = 1L;

  public SparkDataException(String message) {
    super(message);
  }
}
