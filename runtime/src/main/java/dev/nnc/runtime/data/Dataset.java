package dev.nnc.runtime.data;

/**
 * Examples held in memory, row-major: inputs ({@code rows × inputWidth}) and either dense targets
 * ({@code rows × targetWidth}) or integer labels. Immutable by convention: loaders build a new one.
 *
 * @param source where the rows came from, for error messages (a file name, or "inline")
 */
public record Dataset(
    String source,
    int rows,
    int inputWidth,
    double[] x,
    int targetWidth,
    double[] targets,
    int[] labels) {

  public Dataset {
    if (x.length != rows * inputWidth) {
      throw new IllegalArgumentException(
          source + ": " + x.length + " input values for " + rows + " rows");
    }
    if ((targets == null) == (labels == null)) {
      throw new IllegalArgumentException(source + ": need either dense targets or labels");
    }
    if (targets != null && targets.length != rows * targetWidth) {
      throw new IllegalArgumentException(
          source + ": " + targets.length + " target values for " + rows + " rows");
    }
    if (labels != null && labels.length != rows) {
      throw new IllegalArgumentException(
          source + ": " + labels.length + " labels for " + rows + " rows");
    }
  }

  public boolean hasLabels() {
    return labels != null;
  }
}
