package dev.nnc.runtime;

import java.util.List;

/**
 * A hand-written test network: ŷ = x W + b (W is D×K, b is K), loss = (1/(n·K)) Σ (ŷ − t)² plus,
 * optionally, {@code reg · ΣW²} or {@code λ/(2m) · ΣW²}. Its gradient is written out by hand below.
 * {@link #withWrongBiasGradient} gives a copy whose bias gradient lacks the factor 2, to prove the
 * gradient check catches it.
 */
public class LinearNetwork implements Network {
  public enum Penalty {
    NONE,
    REG_SUM, // reg · ΣW²
    LAMBDA_OVER_2M // λ/(2m) · ΣW²
  }

  private final NetworkSpec spec;
  private final int inputs;
  private final int outputs;
  private final int maxRows;
  private final Penalty penalty;
  private final double strength;
  private final boolean wrongBiasGradient;
  private final double[] parameters;
  private final double[] gradient;
  private final double[] residual;
  private int penaltyExamples;
  private double lossAndGradientScale = 1;
  private boolean unclearedBias;

  public LinearNetwork(int inputs, int outputs, int maxRows) {
    this(inputs, outputs, maxRows, Penalty.NONE, 0, NetworkSpec.Precision.DOUBLE, false);
  }

  public LinearNetwork(
      int inputs,
      int outputs,
      int maxRows,
      Penalty penalty,
      double strength,
      NetworkSpec.Precision precision,
      boolean wrongBiasGradient) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.maxRows = maxRows;
    this.penalty = penalty;
    this.strength = strength;
    this.wrongBiasGradient = wrongBiasGradient;
    this.spec = spec(inputs, outputs, precision);
    this.parameters = new double[spec.parameterCount()];
    this.gradient = new double[spec.parameterCount()];
    this.residual = new double[maxRows * outputs];
  }

  /** The same network, but its bias gradient is half what it should be. */
  public LinearNetwork withWrongBiasGradient() {
    LinearNetwork wrong =
        new LinearNetwork(inputs, outputs, maxRows, penalty, strength, spec.precision(), true);
    wrong.setParameters(parameters);
    return wrong;
  }

  /**
   * The same network, but {@code lossAndGradient} returns {@code factor} times the loss, with the
   * gradient of that scaled loss (what a wrong loss scale in a loss-and-δ method does).
   */
  public LinearNetwork withScaledLossAndGradient(double factor) {
    LinearNetwork wrong = withWrongBiasGradientIf(false);
    wrong.lossAndGradientScale = factor;
    return wrong;
  }

  /** The same network, but its bias gradient is not cleared between calls: it adds up. */
  public LinearNetwork withUnclearedBias() {
    LinearNetwork wrong = withWrongBiasGradientIf(false);
    wrong.unclearedBias = true;
    return wrong;
  }

  private LinearNetwork withWrongBiasGradientIf(boolean wrongBias) {
    LinearNetwork copy =
        new LinearNetwork(inputs, outputs, maxRows, penalty, strength, spec.precision(), wrongBias);
    copy.setParameters(parameters);
    return copy;
  }

  /** Layer 'out' declared on line 3 of linear.nn: out.W (D×K), then out.b (K). */
  public static NetworkSpec spec(int inputs, int outputs, NetworkSpec.Precision precision) {
    TensorSpec weights =
        new TensorSpec("out.W", "out", 3, inputs, outputs, 0, true, InitSpec.normal(0, 1));
    TensorSpec bias =
        new TensorSpec(
            "out.b", "out", 3, 1, outputs, inputs * outputs, false, InitSpec.constant(0));
    return new NetworkSpec(
        "Linear",
        "linear.nn",
        precision,
        "x",
        inputs,
        new int[0],
        inputs,
        -1,
        outputs,
        "y",
        NetworkSpec.TargetKind.DENSE,
        outputs,
        -1,
        List.of(weights, bias),
        inputs * outputs + outputs);
  }

  @Override
  public NetworkSpec spec() {
    return spec;
  }

  @Override
  public int maxRows() {
    return maxRows;
  }

  @Override
  public void getParameters(double[] dst) {
    System.arraycopy(parameters, 0, dst, 0, parameters.length);
  }

  @Override
  public void setParameters(double[] src) {
    System.arraycopy(src, 0, parameters, 0, parameters.length);
    if (spec.precision() == NetworkSpec.Precision.FLOAT) {
      // A float network holds float parameters: what a gradient check's probe meets.
      for (int i = 0; i < parameters.length; i++) {
        parameters[i] = (float) parameters[i];
      }
    }
  }

  @Override
  public void getGradient(double[] dst) {
    System.arraycopy(gradient, 0, dst, 0, gradient.length);
  }

  @Override
  public double loss(Batch batch) {
    return forward(batch);
  }

  @Override
  public double lossAndGradient(Batch batch) {
    double loss = forward(batch);
    int n = batch.rows();
    int biasOffset = inputs * outputs;
    java.util.Arrays.fill(gradient, 0, unclearedBias ? biasOffset : gradient.length, 0);
    double scale = lossAndGradientScale * 2.0 / (n * outputs);
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < outputs; k++) {
        // dL/dŷ = 2(ŷ − t)/(nK); dW = xᵀ dŷ, db = Σ_rows dŷ
        double delta = scale * residual[r * outputs + k];
        for (int d = 0; d < inputs; d++) {
          gradient[d * outputs + k] += batch.x[r * inputs + d] * delta;
        }
        gradient[biasOffset + k] += wrongBiasGradient ? delta / 2 : delta;
      }
    }
    double factor = penaltyFactor(n);
    for (int i = 0; i < biasOffset; i++) {
      gradient[i] += lossAndGradientScale * 2 * factor * parameters[i];
    }
    return lossAndGradientScale * loss;
  }

  private double forward(Batch batch) {
    int n = batch.rows();
    double sum = 0;
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < outputs; k++) {
        double prediction = parameters[inputs * outputs + k];
        for (int d = 0; d < inputs; d++) {
          prediction += batch.x[r * inputs + d] * parameters[d * outputs + k];
        }
        double difference = prediction - batch.targets[r * outputs + k];
        residual[r * outputs + k] = difference;
        sum += difference * difference;
      }
    }
    double squares = 0;
    for (int i = 0; i < inputs * outputs; i++) {
      squares += parameters[i] * parameters[i];
    }
    return sum / (n * outputs) + penaltyFactor(n) * squares;
  }

  private double penaltyFactor(int rows) {
    return switch (penalty) {
      case NONE -> 0;
      case REG_SUM -> strength;
      case LAMBDA_OVER_2M -> strength / (2.0 * (penaltyExamples > 0 ? penaltyExamples : rows));
    };
  }

  @Override
  public void predict(double[] x, int rows, double[] out) {
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < outputs; k++) {
        double prediction = parameters[inputs * outputs + k];
        for (int d = 0; d < inputs; d++) {
          prediction += x[r * inputs + d] * parameters[d * outputs + k];
        }
        out[r * outputs + k] = prediction;
      }
    }
  }

  @Override
  public void sgdStep(double learningRate) {
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] -= learningRate * gradient[i];
    }
  }

  @Override
  public void setPenaltyExampleCount(int m) {
    this.penaltyExamples = m;
  }
}
