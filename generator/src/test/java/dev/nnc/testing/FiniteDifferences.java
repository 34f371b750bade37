package dev.nnc.testing;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import java.util.Locale;

/**
 * Central finite differences of a {@link Network}'s loss, and a comparison with its analytic
 * gradient that names the worst entry (llm.c's {@code check_tensor} habit).
 *
 * <p>An entry passes when its relative error {@code |a − n| / max(1e-8, |a| + |n|)} is below the
 * threshold, <em>or</em> when {@code |a − n|} is within the rounding noise of the difference
 * quotient itself. The loss is only known to a few ulps, so {@code (L₊ − L₋) / 2ε} carries an
 * absolute error of about {@code ulp(L) / ε} (≈ 1e-10 for L ≈ 1, ε = 1e-6): an entry of 1e-4 can
 * then never reach 1e-7 relative, however right the gradient. Measured on the reference: the honest
 * misses sit at 0.1–1× {@code ulp(L)/2ε}; {@link #noiseFloor} allows 16× that, still a billionth of
 * the loss, far below what a wrong factor, sign or transpose produces.
 */
public final class FiniteDifferences {
  private FiniteDifferences() {}

  /**
   * (L(p + ε·eᵢ) − L(p − ε·eᵢ)) / 2ε for every parameter i, at the network's current parameters,
   * which are left as they were.
   */
  public static double[] gradient(Network network, Batch batch, double epsilon) {
    int count = network.spec().parameterCount();
    double[] parameters = new double[count];
    network.getParameters(parameters);
    double[] numeric = new double[count];
    double[] probe = parameters.clone();
    for (int i = 0; i < count; i++) {
      probe[i] = parameters[i] + epsilon;
      network.setParameters(probe);
      double plus = network.loss(batch);
      probe[i] = parameters[i] - epsilon;
      network.setParameters(probe);
      double minus = network.loss(batch);
      probe[i] = parameters[i];
      numeric[i] = (plus - minus) / (2 * epsilon);
    }
    network.setParameters(parameters);
    return numeric;
  }

  /** |a − n| / max(1e-8, |a| + |n|): the relative error the runtime's gradient check uses. */
  public static double relativeError(double analytic, double numeric) {
    return Math.abs(analytic - numeric) / Math.max(1e-8, Math.abs(analytic) + Math.abs(numeric));
  }

  /**
   * The absolute error a central difference of step {@code epsilon} can carry from rounding alone,
   * for a loss of size {@code loss}: 16 ulps of the loss over 2ε.
   */
  public static double noiseFloor(double loss, double epsilon) {
    return 16 * Math.ulp(Math.abs(loss)) / (2 * epsilon);
  }

  /**
   * The worst entry of a comparison.
   *
   * @param tensor the tensor holding it
   * @param index its index inside the tensor (row-major)
   */
  public record Worst(
      double relativeError, TensorSpec tensor, int index, double analytic, double numeric) {

    /** e.g. {@code hidden.W[3] (1×2): analytic 0.1234, numeric 0.1235, relative error 4.0e-04}. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%s[%d] (row %d, col %d): analytic %.17g, numeric %.17g, relative error %.3e",
          tensor.name(),
          index,
          index / tensor.cols(),
          index % tensor.cols(),
          analytic,
          numeric,
          relativeError);
    }
  }

  /** The entry of largest {@link #relativeError} over the whole flat vector. */
  public static Worst worst(NetworkSpec spec, double[] analytic, double[] numeric) {
    return worst(spec, analytic, numeric, 0);
  }

  /**
   * The entry of largest {@link #relativeError} among those whose absolute error exceeds {@code
   * absoluteNoise} (see {@link #noiseFloor}); relative error 0 at index 0 if there is none.
   */
  public static Worst worst(
      NetworkSpec spec, double[] analytic, double[] numeric, double absoluteNoise) {
    int worstIndex = 0;
    double worstError = 0;
    for (int i = 0; i < analytic.length; i++) {
      if (Math.abs(analytic[i] - numeric[i]) <= absoluteNoise) {
        continue;
      }
      double error = relativeError(analytic[i], numeric[i]);
      if (!(error <= worstError)) { // NaN counts as the worst
        worstError = error;
        worstIndex = i;
      }
    }
    TensorSpec tensor = spec.tensorAt(worstIndex);
    return new Worst(
        worstError,
        tensor,
        worstIndex - tensor.offset(),
        analytic[worstIndex],
        numeric[worstIndex]);
  }

  /** The first few (analytic, numeric) pairs, then the worst entry: for failure messages. */
  public static String report(NetworkSpec spec, double[] analytic, double[] numeric) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(5, analytic.length); i++) {
      text.append(String.format(Locale.ROOT, "  %.17g  %.17g%n", analytic[i], numeric[i]));
    }
    return text.append("  worst: ").append(worst(spec, analytic, numeric).describe()).toString();
  }

  /** {@link #report} with the worst entry above the noise too. */
  public static String report(
      NetworkSpec spec, double[] analytic, double[] numeric, double absoluteNoise) {
    return report(spec, analytic, numeric)
        + String.format(Locale.ROOT, "%n  worst above the noise floor %.2e: ", absoluteNoise)
        + worst(spec, analytic, numeric, absoluteNoise).describe();
  }
}
