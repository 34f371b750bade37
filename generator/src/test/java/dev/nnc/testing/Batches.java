package dev.nnc.testing;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.Rng;

/** Seeded random batches and parameters for tests. */
public final class Batches {
  private Batches() {}

  /**
   * A batch of {@code rows} rows for {@code spec}: inputs uniform in [−1, 1); dense targets uniform
   * in (0.05, 0.95) (legal for binary cross-entropy too); labels uniform over the classes.
   */
  public static Batch random(NetworkSpec spec, int rows, long seed) {
    return Batch.random(spec, rows, seed);
  }

  /** A batch holding exactly these rows (dense targets). */
  public static Batch of(double[][] x, double[][] targets) {
    Batch batch = new Batch(x.length, x[0].length, targets[0].length, false);
    for (int r = 0; r < x.length; r++) {
      System.arraycopy(x[r], 0, batch.x, r * batch.inputWidth, batch.inputWidth);
      System.arraycopy(targets[r], 0, batch.targets, r * batch.targetWidth, batch.targetWidth);
    }
    return batch;
  }

  /** A batch holding exactly these rows (integer labels of {@code classes} classes). */
  public static Batch of(double[][] x, int[] labels, int classes) {
    Batch batch = new Batch(x.length, x[0].length, classes, true);
    for (int r = 0; r < x.length; r++) {
      System.arraycopy(x[r], 0, batch.x, r * batch.inputWidth, batch.inputWidth);
    }
    System.arraycopy(labels, 0, batch.labels, 0, labels.length);
    return batch;
  }

  /** {@code count} values normal(0, std), seeded. */
  public static double[] normal(int count, double std, long seed) {
    Rng rng = new Rng(seed);
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = std * rng.nextGaussian();
    }
    return values;
  }
}
