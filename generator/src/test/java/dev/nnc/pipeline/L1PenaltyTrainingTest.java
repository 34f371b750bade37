package dev.nnc.pipeline;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.OptimizerSpec;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.TrainConfig;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.TrainListener;
import org.junit.jupiter.api.Test;

/**
 * {@code penalty l1(λ)} does what Lasso does: on targets that depend on 2 of 12 inputs, training
 * with it ends with a smaller Σ|W| than the same run without it, the first layer's weights from the
 * 10 irrelevant inputs shrink far more than those of the 2 relevant ones, and the loss it reports
 * is the data loss plus λ·Σ|W| computed here from the weights.
 */
class L1PenaltyTrainingTest {
  private static final String MODEL =
      """
      network Sparse {
          input   x[12]
          dense   hidden[8]  tanh
          dense   out[1]
          target  t[1]
          loss    squared_error(out, t) reduce mean
          %s
      }
      """;
  private static final int ROWS = 400;

  private static CompiledModel compile(String penalty) {
    CompileResult result = NnCompiler.compile("sparse.nn", MODEL.formatted(penalty));
    assertWithMessage(result.formatDiagnostics()).that(result.ok()).isTrue();
    return CompiledModel.of(result.model().orElseThrow());
  }

  private static Dataset data() {
    Rng rng = new Rng(3);
    double[] x = new double[ROWS * 12];
    double[] t = new double[ROWS];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    for (int r = 0; r < ROWS; r++) {
      t[r] = Math.sin(x[r * 12]) + 0.5 * x[r * 12 + 1];
    }
    return new Dataset("sparse", ROWS, 12, x, 1, t, null);
  }

  /** Σ|W| of the first layer's rows from, to (exclusive), and of every weight matrix. */
  private static double absolutes(Network network, int from, int to) {
    double[] flat = new double[network.spec().parameterCount()];
    network.getParameters(flat);
    double sum = 0;
    for (TensorSpec tensor : network.spec().tensors()) {
      if (!tensor.penalized()) {
        continue;
      }
      for (int i = 0; i < tensor.rows(); i++) {
        if (tensor.layer().equals("hidden") && (i < from || i >= to)) {
          continue;
        }
        for (int j = 0; j < tensor.cols(); j++) {
          sum += Math.abs(flat[tensor.offset() + i * tensor.cols() + j]);
        }
      }
    }
    return sum;
  }

  private static double hiddenAbsolutes(Network network, int from, int to) {
    double[] flat = new double[network.spec().parameterCount()];
    network.getParameters(flat);
    TensorSpec w = network.spec().tensor("hidden.W");
    double sum = 0;
    for (int i = from; i < to; i++) {
      for (int j = 0; j < w.cols(); j++) {
        sum += Math.abs(flat[w.offset() + i * w.cols() + j]);
      }
    }
    return sum / ((to - from) * w.cols());
  }

  @Test
  void shrinksTheWeightsOfIrrelevantInputs() {
    TrainConfig config =
        new TrainConfig(0.01, 1, 40, true, false, 150, 0, 1, OptimizerSpec.adam(0.9, 0.999, 1e-8));
    Dataset data = data();
    Training.Result plain =
        Training.prepare(compile(""), data, config).train(new TrainListener() {});
    Training.Result lasso =
        Training.prepare(compile("penalty l1(0.003)"), data, config).train(new TrainListener() {});

    double plainTotal = absolutes(plain.network(), 0, 12);
    double lassoTotal = absolutes(lasso.network(), 0, 12);
    double relevant = hiddenAbsolutes(lasso.network(), 0, 2);
    double irrelevant = hiddenAbsolutes(lasso.network(), 2, 12);
    double plainIrrelevant = hiddenAbsolutes(plain.network(), 2, 12);
    System.out.printf(
        "l1: Σ|W| %.3f (without %.3f); mean |W| from relevant inputs %.4f, irrelevant %.4f"
            + " (without: %.4f)%n",
        lassoTotal, plainTotal, relevant, irrelevant, plainIrrelevant);
    assertThat(lassoTotal).isLessThan(0.5 * plainTotal);
    assertThat(irrelevant).isLessThan(0.1 * relevant);
    assertThat(irrelevant).isLessThan(0.2 * plainIrrelevant);

    // the reported loss is the data loss plus λ·Σ|W|, computed here from the weights
    Network network = lasso.network();
    double[] flat = new double[network.spec().parameterCount()];
    network.getParameters(flat);
    Network whole = compile("penalty l1(0.003)").newNetwork(ROWS);
    whole.setParameters(flat);
    double withPenalty = whole.loss(dev.nnc.runtime.Batch.of(whole.spec(), data));
    Network twin = compile("").newNetwork(ROWS);
    twin.setParameters(flat);
    double dataLoss = twin.loss(dev.nnc.runtime.Batch.of(twin.spec(), data));
    assertThat(withPenalty).isWithin(1e-12).of(dataLoss + 0.003 * absolutes(network, 0, 12));
  }
}
