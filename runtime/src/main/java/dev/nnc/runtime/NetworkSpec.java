package dev.nnc.runtime;

import java.util.List;

/**
 * Everything the runtime needs to know about a network without seeing the compiler's IR: its name
 * and source, the widths of its inputs, outputs and targets, the data preprocessing the {@code .nn}
 * file declares, and the layout of the flat parameter vector.
 *
 * @param name the network's name
 * @param sourceFile the {@code .nn} file it was compiled from
 * @param precision arithmetic precision of the compiled network
 * @param inputName the name of the {@code input} declaration
 * @param rawInputWidth columns of the raw input data, before {@code powers(…)}
 * @param featurePowers powers applied to every raw column ({@code powers(1, 2)} → [x, x²]); an
 *     empty array means the raw columns are the inputs
 * @param inputWidth columns the first layer sees (rawInputWidth × max(1, featurePowers.length))
 * @param inputStandardizeDdof −1 for none, else 0 or 1: standardise each input column with the mean
 *     and the std of the training data, computed with that delta degrees of freedom
 * @param outputWidth width of the last layer
 * @param targetName the name of the {@code target} or {@code label} declaration
 * @param targetKind dense targets or integer labels
 * @param targetWidth dense targets: their width; labels: the number of classes
 * @param targetStandardizeDdof −1 for none, else as for inputs (dense targets only)
 * @param tensors the parameter tensors in flat-vector order
 * @param parameterCount the length of the flat vector
 */
public record NetworkSpec(
    String name,
    String sourceFile,
    Precision precision,
    String inputName,
    int rawInputWidth,
    int[] featurePowers,
    int inputWidth,
    int inputStandardizeDdof,
    int outputWidth,
    String targetName,
    TargetKind targetKind,
    int targetWidth,
    int targetStandardizeDdof,
    List<TensorSpec> tensors,
    int parameterCount) {

  public enum Precision {
    FLOAT,
    DOUBLE
  }

  public enum TargetKind {
    DENSE,
    LABELS
  }

  public NetworkSpec {
    featurePowers = featurePowers.clone();
    tensors = List.copyOf(tensors);
  }

  @Override
  public int[] featurePowers() {
    return featurePowers.clone();
  }

  public TensorSpec tensor(String qualifiedName) {
    for (TensorSpec t : tensors) {
      if (t.name().equals(qualifiedName)) {
        return t;
      }
    }
    throw new IllegalArgumentException("network " + name + " has no tensor " + qualifiedName);
  }

  /** The tensor holding flat index {@code index}. */
  public TensorSpec tensorAt(int index) {
    for (TensorSpec t : tensors) {
      if (index >= t.offset() && index < t.offset() + t.size()) {
        return t;
      }
    }
    throw new IndexOutOfBoundsException("flat index " + index + " of " + parameterCount);
  }
}
