package dev.nnc.runtime.data;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Trained weights from an {@code .npz} archive as {@code nnc train --out} writes it: one member per
 * parameter tensor ({@code hidden.W} of shape (in, out), {@code hidden.b} of shape (out,)), plus
 * the fitted preprocessing statistics ({@code x.mean}, {@code x.std}, …).
 *
 * <pre>{@code
 * Xor network = new Xor(4);
 * Preprocessing preprocessing = Weights.load(Path.of("Xor.npz"), network);
 * double[] y = Weights.predict(network, preprocessing, new double[] {0, 1}, 1);
 * }</pre>
 */
public final class Weights {
  private Weights() {}

  /**
   * Loads the parameters of {@code file} into {@code network} and returns the preprocessing fitted
   * when it was trained (identity when the network standardises nothing).
   *
   * @throws DataFormatException if a member is missing or its shape is not the network's: {@code
   *     Xor.npz: member 'hidden.W': shape (3, 4), the network needs (2, 4)}
   * @throws IOException if the file cannot be read
   */
  public static Preprocessing load(Path file, Network network) throws IOException {
    Map<String, NpyArray> arrays = Npz.read(file);
    String fileName = file.getFileName().toString();
    network.setParameters(parameters(arrays, fileName, network.spec()));
    try {
      return Preprocessing.fromStats(network.spec(), arrays);
    } catch (DataFormatException e) {
      throw new DataFormatException(fileName + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code network}'s parameters and {@code preprocessing}'s statistics to {@code file}
   * (atomically), as {@code nnc train} does: what {@link #load} reads back, and {@code np.load}
   * too.
   */
  public static void save(Path file, Network network, Preprocessing preprocessing)
      throws IOException {
    Npz.write(file, arrays(network, preprocessing));
  }

  /** The arrays {@link #save} writes: every tensor in its saved shape, then the statistics. */
  public static Map<String, NpyArray> arrays(Network network, Preprocessing preprocessing) {
    NetworkSpec spec = network.spec();
    double[] flat = new double[spec.parameterCount()];
    network.getParameters(flat);
    Map<String, NpyArray> arrays = new java.util.LinkedHashMap<>();
    for (TensorSpec tensor : spec.tensors()) {
      double[] values = new double[tensor.size()];
      System.arraycopy(flat, tensor.offset(), values, 0, values.length);
      arrays.put(tensor.name(), new NpyArray("<f8", shape(tensor), values));
    }
    arrays.putAll(preprocessing.stats());
    return arrays;
  }

  /**
   * The flat parameter vector of {@code spec} from {@code arrays} (read from {@code fileName},
   * which only names it in messages), every member's shape checked against its tensor.
   *
   * @throws DataFormatException naming the first missing or misshapen member
   */
  public static double[] parameters(
      Map<String, NpyArray> arrays, String fileName, NetworkSpec spec) {
    double[] flat = new double[spec.parameterCount()];
    for (TensorSpec tensor : spec.tensors()) {
      NpyArray array = Npz.member(arrays, fileName, tensor.name());
      int[] expected = shape(tensor);
      if (!Arrays.equals(array.shape(), expected)) {
        throw new DataFormatException(
            fileName
                + ": member '"
                + tensor.name()
                + "': shape "
                + array.shapeText()
                + ", the network needs "
                + Npy.shapeText(expected));
      }
      System.arraycopy(array.data(), 0, flat, tensor.offset(), tensor.size());
    }
    return flat;
  }

  /**
   * The shape a tensor is saved with: (rows, cols) for a weight matrix, (cols,) for a bias,
   * (out_ch, in_ch, kh, kw) for a convolution kernel (PyTorch's layout, so it loads unchanged).
   */
  public static int[] shape(TensorSpec tensor) {
    if (!tensor.kernel().isEmpty()) {
      return tensor.kernel().stream().mapToInt(Integer::intValue).toArray();
    }
    return tensor.name().endsWith(".b")
        ? new int[] {tensor.cols()}
        : new int[] {tensor.rows(), tensor.cols()};
  }

  /**
   * Predicts on raw inputs ({@code rows × rawInputWidth}, row-major, as in the training data):
   * applies the preprocessing, runs the network, and gives back {@code rows × outputWidth} values,
   * row-major, whose meaning is the spec's {@link NetworkSpec.OutputKind}: class probabilities
   * (softmax of the logits) for softmax cross-entropy, probabilities for binary cross-entropy,
   * values de-standardised to the targets' units for squared error.
   */
  public static double[] predict(
      Network network, Preprocessing preprocessing, double[] rawX, int rows) {
    double[] out = logits(network, preprocessing, rawX, rows);
    NetworkSpec spec = network.spec();
    if (spec.outputKind() == NetworkSpec.OutputKind.LOGITS) {
      spec.probabilities(out, rows);
    }
    return out;
  }

  /**
   * As {@link #predict}, but the last layer's outputs as they are: the raw scores (logits) of a
   * softmax cross-entropy network, which {@link #predict} turns into probabilities.
   */
  public static double[] logits(
      Network network, Preprocessing preprocessing, double[] rawX, int rows) {
    double[] x = preprocessing.transformInputs(rawX, rows);
    double[] out = new double[rows * network.spec().outputWidth()];
    network.predict(x, rows, out);
    return preprocessing.inverseTargets(out);
  }

  /**
   * The predicted class of each raw input row: the largest output, or for a single probability
   * output 1 when it is at least 0.5.
   *
   * @throws IllegalStateException for a network that does not classify (squared error on dense
   *     targets)
   */
  public static int[] classes(
      Network network, Preprocessing preprocessing, double[] rawX, int rows) {
    NetworkSpec spec = network.spec();
    if (!spec.classifies()) {
      throw new IllegalStateException(
          "network "
              + spec.name()
              + " predicts values (squared error on dense targets), not classes");
    }
    double[] out = predict(network, preprocessing, rawX, rows);
    int[] classes = new int[rows];
    for (int r = 0; r < rows; r++) {
      classes[r] = spec.predictedClass(out, r);
    }
    return classes;
  }
}
