package dev.nnc.oracle;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.ir.Model;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.testing.NetworkFactory;
import dev.nnc.testing.OracleFiles;
import dev.nnc.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Holds a {@link Network} against the PyTorch oracle ({@code testdata/oracle}, float64 autograd) on
 * the seed networks. Any network can be checked: the reference interpreter or a generated class,
 * through a {@link NetworkFactory}:
 *
 * <pre>{@code
 * OracleChecks.checkSeed("S5", ReferenceNetwork::new);
 * }</pre>
 *
 * <p>What is compared, and how: a tensor (or a loss) matches when {@code max|a − o| / max|o|} (the
 * worst absolute difference over the tensor's largest oracle entry; |a − o| / |o| for a scalar) is
 * below the tolerance. Oracle tensors {@code W1, b1, W2, …} (or {@code W, b} for a one-layer net)
 * map by position to the network's layers.
 */
public final class OracleChecks {
  private OracleChecks() {}

  /**
   * The tolerances of each kind of comparison.
   *
   * @param evaluation loss and gradient at the initial parameters
   * @param steps losses and parameters over the 3 plain gradient-descent steps of {@code _ref}
   * @param trajectory each loss (relative to itself) and the final parameters of {@code _train}
   */
  public record Tolerances(double evaluation, double steps, double trajectory) {
    /** For a double-precision network: what a float64 implementation achieves, with room. */
    public static final Tolerances DOUBLE = new Tolerances(1e-10, 1e-9, 1e-9);
  }

  /** Every check of {@code seed} ({@code seeds/<seed>.nn}, compiled), at double tolerances. */
  public static void checkSeed(String seed, NetworkFactory factory) {
    checkSeed(seed, Seeds.model(seed), factory, Tolerances.DOUBLE);
  }

  /**
   * Every check the oracle has for {@code seed}: the loss and gradient at the initial parameters,
   * the course layout of the gradient (S3), three gradient-descent steps, and the whole training
   * run where there is one (S1, S4, S6).
   */
  public static void checkSeed(
      String seed, Model model, NetworkFactory factory, Tolerances tolerances) {
    checkLossAndGradient(seed, model, factory, tolerances.evaluation());
    checkThreeSteps(seed, model, factory, tolerances.steps());
    if (OracleFiles.exists(seed + "_train")) {
      checkTraining(seed, model, factory, tolerances.trajectory());
    }
  }

  /** {@code loss} and every {@code grad_*} of {@code <seed>_ref} at {@code <seed>_init}. */
  public static void checkLossAndGradient(
      String seed, Model model, NetworkFactory factory, double tolerance) {
    Network network = atInitialParameters(seed, model, factory);
    NetworkSpec spec = network.spec();
    Map<String, NpyArray> ref = OracleFiles.load(seed + "_ref");

    double loss = network.lossAndGradient(batch(seed, spec));
    double[] gradient = new double[spec.parameterCount()];
    network.getGradient(gradient);

    assertScalarClose(seed + " loss", loss, ref.get("loss").scalar(), tolerance);
    for (TensorSpec tensor : spec.tensors()) {
      String name = oracleName(spec, tensor);
      assertClose(
          seed + " grad_" + name + " (" + tensor.name() + ")",
          slice(gradient, tensor),
          ref.get("grad_" + name).data(),
          tolerance);
    }
    if (ref.containsKey("grad_Theta1")) {
      checkCourseLayout(seed, spec, gradient, tolerance);
    }
  }

  /**
   * S3 in Andrew Ng's layout: {@code Theta (out, 1 + in)} with the bias in column 0, and {@code
   * nn_params = [Theta1(:); Theta2(:)]} unrolled column-major. The layout is first checked on the
   * initial parameters ({@code _init} holds both forms), then used on the gradient.
   */
  static void checkCourseLayout(
      String seed, NetworkSpec spec, double[] gradient, double tolerance) {
    Map<String, NpyArray> init = OracleFiles.load(seed + "_init");
    Map<String, NpyArray> ref = OracleFiles.load(seed + "_ref");
    double[] parameters = initialParameters(seed, spec);
    List<double[][]> initialThetas = courseThetas(spec, parameters);
    List<double[][]> gradientThetas = courseThetas(spec, gradient);
    for (int l = 0; l < initialThetas.size(); l++) {
      String name = "Theta" + (l + 1);
      assertClose(
          seed + " " + name + " (course layout of the initial parameters)",
          rowMajor(initialThetas.get(l)),
          init.get(name).data(),
          0);
      assertClose(
          seed + " grad_" + name,
          rowMajor(gradientThetas.get(l)),
          ref.get("grad_" + name).data(),
          tolerance);
    }
    assertClose(
        seed + " nn_params (course layout of the initial parameters)",
        unrollColumnMajor(initialThetas),
        init.get("nn_params").data(),
        0);
    assertClose(
        seed + " grad_nn_params",
        unrollColumnMajor(gradientThetas),
        ref.get("grad_nn_params").data(),
        tolerance);
  }

  /**
   * {@code step0/1/2_loss} (the loss before each of 3 updates {@code p −= lr · grad} on the {@code
   * _init} batch), then {@code after3_*} and {@code after3_loss}.
   */
  public static void checkThreeSteps(
      String seed, Model model, NetworkFactory factory, double tolerance) {
    Network network = atInitialParameters(seed, model, factory);
    NetworkSpec spec = network.spec();
    Map<String, NpyArray> ref = OracleFiles.load(seed + "_ref");
    Batch batch = batch(seed, spec);
    double learningRate = OracleFiles.array(seed + "_init", "lr").scalar();

    for (int step = 0; step < 3; step++) {
      double loss = network.lossAndGradient(batch);
      assertScalarClose(
          seed + " step" + step + "_loss",
          loss,
          ref.get("step" + step + "_loss").scalar(),
          tolerance);
      network.sgdStep(learningRate);
    }
    assertParametersClose(seed + " after3_", network, ref, "after3_", tolerance);
    assertScalarClose(
        seed + " after3_loss", network.loss(batch), ref.get("after3_loss").scalar(), tolerance);
  }

  /**
   * The seed's whole training run ({@code <seed>_train}): before every update k the loss must be
   * {@code losses[k]} to {@code tolerance} relative to itself; then {@code final_loss} and {@code
   * final_*}.
   */
  public static void checkTraining(
      String seed, Model model, NetworkFactory factory, double tolerance) {
    Network network = atInitialParameters(seed, model, factory);
    NetworkSpec spec = network.spec();
    Map<String, NpyArray> train = OracleFiles.load(seed + "_train");
    Batch batch = batch(seed, spec);
    double learningRate = OracleFiles.array(seed + "_init", "lr").scalar();
    double[] losses = train.get("losses").data();

    for (int step = 0; step < losses.length; step++) {
      double loss = network.lossAndGradient(batch);
      assertScalarClose(
          String.format(Locale.ROOT, "%s _train losses[%d] (of %d)", seed, step, losses.length),
          loss,
          losses[step],
          tolerance);
      network.sgdStep(learningRate);
    }
    assertScalarClose(
        seed + " _train final_loss",
        network.loss(batch),
        train.get("final_loss").scalar(),
        tolerance);
    assertParametersClose(seed + " _train final_", network, train, "final_", tolerance);
  }

  // ---------------------------------------------------------------------------------------------
  // From the oracle's arrays to the network's flat vector and batch.

  /** A network from {@code factory} with {@code _init}'s parameters, sized for its batch. */
  public static Network atInitialParameters(String seed, Model model, NetworkFactory factory) {
    int rows = OracleFiles.array(seed + "_init", "X").shape()[0];
    Network network = factory.create(model, rows);
    network.setParameters(initialParameters(seed, network.spec()));
    // the oracle's λ/(2m) penalty (S3) takes m = the rows of its one batch
    network.setPenaltyExampleCount(rows);
    return network;
  }

  /** {@code _init}'s W1, b1, W2, … laid out as {@code spec}'s flat vector. */
  public static double[] initialParameters(String seed, NetworkSpec spec) {
    Map<String, NpyArray> init = OracleFiles.load(seed + "_init");
    double[] flat = new double[spec.parameterCount()];
    for (TensorSpec tensor : spec.tensors()) {
      NpyArray array = OracleFiles.array(seed + "_init", oracleName(spec, tensor));
      if (array.size() != tensor.size()) {
        throw new AssertionError(
            seed
                + ": oracle "
                + oracleName(spec, tensor)
                + " has shape "
                + array.shapeText()
                + ", the network's "
                + tensor.name()
                + " is "
                + tensor.shapeText());
      }
      System.arraycopy(array.data(), 0, flat, tensor.offset(), tensor.size());
    }
    return flat;
  }

  /**
   * {@code _init}'s batch: inputs {@code X}; dense targets {@code Y}, or labels: the argmax of the
   * one-hot {@code Y} where there is one (S3's {@code y} counts from 1, S5's Y is one-hot too),
   * else {@code y}.
   */
  public static Batch batch(String seed, NetworkSpec spec) {
    Map<String, NpyArray> init = OracleFiles.load(seed + "_init");
    NpyArray x = init.get("X");
    int rows = x.shape()[0];
    if (x.shape()[1] != spec.inputWidth()) {
      throw new AssertionError(
          seed
              + ": oracle X has "
              + x.shape()[1]
              + " columns, the network takes "
              + spec.inputWidth());
    }
    Batch batch = Batch.forSpec(spec, rows);
    System.arraycopy(x.data(), 0, batch.x, 0, x.size());
    NpyArray oneHot = init.get("Y");
    if (!batch.hasLabels()) {
      System.arraycopy(oneHot.data(), 0, batch.targets, 0, oneHot.size());
    } else if (oneHot != null) {
      int classes = oneHot.shape()[1];
      for (int r = 0; r < rows; r++) {
        int label = 0;
        for (int c = 1; c < classes; c++) {
          if (oneHot.data()[r * classes + c] > oneHot.data()[r * classes + label]) {
            label = c;
          }
        }
        batch.labels[r] = label;
      }
    } else {
      System.arraycopy(init.get("y").asInts(), 0, batch.labels, 0, rows);
    }
    return batch;
  }

  /** The oracle's name of a tensor: {@code W1}, {@code b2}, … or {@code W}, {@code b}. */
  public static String oracleName(NetworkSpec spec, TensorSpec tensor) {
    if (spec.tensors().stream().anyMatch(t -> !t.kernel().isEmpty())) {
      return convOracleName(spec, tensor);
    }
    List<String> layers = new ArrayList<>();
    for (TensorSpec t : spec.tensors()) {
      if (!layers.contains(t.layer())) {
        layers.add(t.layer());
      }
    }
    String kind = tensor.name().endsWith(".b") ? "b" : "W";
    return layers.size() == 1 ? kind : kind + (layers.indexOf(tensor.layer()) + 1);
  }

  /**
   * The names of {@code testdata/oracle-conv}: kernels {@code K1, K2, …} with biases {@code kb1, …}
   * numbered over the conv layers, {@code W1, b1, …} over the dense layers.
   */
  private static String convOracleName(NetworkSpec spec, TensorSpec tensor) {
    boolean conv = !spec.tensor(tensor.layer() + ".W").kernel().isEmpty();
    List<String> layers = new ArrayList<>();
    for (TensorSpec t : spec.tensors()) {
      if (spec.tensor(t.layer() + ".W").kernel().isEmpty() == conv) {
        continue; // the other kind of layer
      }
      if (!layers.contains(t.layer())) {
        layers.add(t.layer());
      }
    }
    int number = layers.indexOf(tensor.layer()) + 1;
    boolean bias = tensor.name().endsWith(".b");
    return (conv ? (bias ? "kb" : "K") : (bias ? "b" : "W")) + number;
  }

  /** Per layer, Theta (out × (1 + in)): the bias in column 0, then Wᵀ. */
  static List<double[][]> courseThetas(NetworkSpec spec, double[] flat) {
    List<double[][]> thetas = new ArrayList<>();
    for (TensorSpec w : spec.tensors()) {
      if (w.name().endsWith(".b")) {
        continue;
      }
      TensorSpec b = spec.tensor(w.layer() + ".b");
      double[][] theta = new double[w.cols()][w.rows() + 1];
      for (int j = 0; j < w.cols(); j++) {
        theta[j][0] = flat[b.offset() + j];
        for (int i = 0; i < w.rows(); i++) {
          theta[j][1 + i] = flat[w.offset() + i * w.cols() + j];
        }
      }
      thetas.add(theta);
    }
    return thetas;
  }

  /** Octave's {@code [Theta1(:); Theta2(:); …]}: each matrix column by column. */
  static double[] unrollColumnMajor(List<double[][]> matrices) {
    List<Double> values = new ArrayList<>();
    for (double[][] m : matrices) {
      for (int c = 0; c < m[0].length; c++) {
        for (double[] row : m) {
          values.add(row[c]);
        }
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] rowMajor(double[][] m) {
    return Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
  }

  private static double[] slice(double[] flat, TensorSpec tensor) {
    return Arrays.copyOfRange(flat, tensor.offset(), tensor.offset() + tensor.size());
  }

  // ---------------------------------------------------------------------------------------------
  // Comparisons that say where they fail.

  private static void assertParametersClose(
      String what, Network network, Map<String, NpyArray> expected, String prefix, double tol) {
    NetworkSpec spec = network.spec();
    double[] parameters = new double[spec.parameterCount()];
    network.getParameters(parameters);
    for (TensorSpec tensor : spec.tensors()) {
      String name = oracleName(spec, tensor);
      assertClose(
          what + name + " (" + tensor.name() + ")",
          slice(parameters, tensor),
          expected.get(prefix + name).data(),
          tol);
    }
  }

  /** max|a − o| / max|o| ≤ tolerance, or a message with the worst entry and the first pairs. */
  public static void assertClose(
      String what, double[] actual, double[] expected, double tolerance) {
    assertWithMessage(what + ": length").that(actual.length).isEqualTo(expected.length);
    double scale = 0;
    double worst = -1;
    int worstIndex = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      double difference = Math.abs(actual[i] - expected[i]);
      if (!(difference <= worst)) { // NaN counts as the worst
        worst = difference;
        worstIndex = i;
      }
    }
    double relative = worst / (scale > 0 ? scale : 1);
    if (!(relative <= tolerance)) {
      StringBuilder message = new StringBuilder();
      message.append(
          String.format(
              Locale.ROOT,
              "%s: max|a − o| / max|o| = %.3e above %.1e; worst at [%d]: actual %.17g, oracle"
                  + " %.17g (max|o| %.6g); first pairs:%n",
              what,
              relative,
              tolerance,
              worstIndex,
              actual[worstIndex],
              expected[worstIndex],
              scale));
      for (int i = 0; i < Math.min(5, expected.length); i++) {
        message.append(String.format(Locale.ROOT, "  %.17g  %.17g%n", actual[i], expected[i]));
      }
      throw new AssertionError(message.toString());
    }
  }

  /** |a − o| / |o| ≤ tolerance. */
  public static void assertScalarClose(
      String what, double actual, double expected, double tolerance) {
    assertClose(what, new double[] {actual}, new double[] {expected}, tolerance);
  }
}
