package dev.nnc.ir;

import dev.nnc.diag.Span;

/**
 * Where a {@code train} block's rows come from, other than {@code data inline}. Paths are as
 * written in the file; they are resolved against the {@code .nn} file's folder when loaded (an
 * absolute path stays as it is). The checker has checked what it can without reading the files.
 */
public sealed interface DataSource {
  Span span();

  /** At most this many rows, the first ones; 0 = all. */
  int rows();

  /**
   * {@code idx("images.gz", "labels.gz") scale 1/255 rows 5000}: MNIST's IDX format, gzipped or
   * not; pixel values times {@code scale}; integer labels (one-hot when the loss says so).
   */
  record Idx(String images, String labels, double scale, int rows, Span span)
      implements DataSource {}

  /**
   * {@code npz("file.npz", x = "X", y = "y")}: members for the inputs and the targets or labels.
   */
  record Npz(String file, String inputMember, String targetMember, int rows, Span span)
      implements DataSource {}

  /**
   * {@code csv("file.csv") header}: numeric columns, the inputs first, then the target columns (or
   * one label column).
   */
  record Csv(String file, boolean header, int rows, Span span) implements DataSource {}
}
