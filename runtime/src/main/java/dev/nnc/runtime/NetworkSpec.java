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
 * @param outputKind what the last layer's outputs mean: values in the targets' units (squared
 *     error), probabilities (a sigmoid under binary cross-entropy) or logits (the raw scores of
 *     softmax cross-entropy, which {@link #probabilities} turns into class probabilities)
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
    int parameterCount,
    OutputKind outputKind) {

  public enum Precision {
    FLOAT,
    DOUBLE
  }

  public enum TargetKind {
    DENSE,
    LABELS
  }

  /** What the outputs of {@link Network#predict} are. */
  public enum OutputKind {
    /** Values to compare with dense targets (squared error); de-standardised for the user. */
    VALUES,
    /** Each output the probability that its target is 1 (sigmoid, binary cross-entropy). */
    PROBABILITIES,
    /** Raw class scores (softmax cross-entropy); softmax turns them into probabilities. */
    LOGITS
  }

  public NetworkSpec {
    featurePowers = featurePowers.clone();
    tensors = List.copyOf(tensors);
    if (outputKind == null) {
      throw new IllegalArgumentException("outputKind must not be null");
    }
  }

  /** A network whose outputs are {@link OutputKind#VALUES}. */
  public NetworkSpec(
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
    this(
        name,
        sourceFile,
        precision,
        inputName,
        rawInputWidth,
        featurePowers,
        inputWidth,
        inputStandardizeDdof,
        outputWidth,
        targetName,
        targetKind,
        targetWidth,
        targetStandardizeDdof,
        tensors,
        parameterCount,
        OutputKind.VALUES);
  }

  /** True when a row's outputs name a class: labels, logits, or one probability of class 1. */
  public boolean classifies() {
    return targetKind == TargetKind.LABELS || outputKind != OutputKind.VALUES;
  }

  /**
   * Turns {@code rows} rows of outputs (row-major, {@link #outputWidth} wide) into probabilities in
   * place: softmax per row for {@link OutputKind#LOGITS} (max subtracted first, so large scores do
   * not overflow); {@link OutputKind#PROBABILITIES} are left as they are.
   *
   * @throws IllegalStateException for {@link OutputKind#VALUES}, which are no probabilities
   */
  public void probabilities(double[] outputs, int rows) {
    if (outputKind == OutputKind.VALUES) {
      throw new IllegalStateException(
          "network " + name + " outputs values (squared error), not probabilities");
    }
    if (outputKind == OutputKind.PROBABILITIES) {
      return;
    }
    int width = outputWidth;
    for (int r = 0; r < rows; r++) {
      int base = r * width;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < width; j++) {
        max = Math.max(max, outputs[base + j]);
      }
      double sum = 0;
      for (int j = 0; j < width; j++) {
        outputs[base + j] = NncMath.exp(outputs[base + j] - max);
        sum += outputs[base + j];
      }
      for (int j = 0; j < width; j++) {
        outputs[base + j] /= sum;
      }
    }
  }

  /**
   * The class of row {@code row} of {@code outputs}: the first largest output, or for one output (a
   * probability of class 1) 1 when it is at least 0.5.
   */
  public int predictedClass(double[] outputs, int row) {
    int width = outputWidth;
    int base = row * width;
    if (width == 1) {
      return outputs[base] >= 0.5 ? 1 : 0;
    }
    int best = 0;
    for (int j = 1; j < width; j++) {
      if (outputs[base + j] > outputs[base + best]) {
        best = j;
      }
    }
    return best;
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
