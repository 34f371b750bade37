package dev.nnc.runtime.optim;

import java.util.Arrays;

/**
 * Limited-memory BFGS (Nocedal and Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithm 7.4
 * and 7.5): the direction comes from the two-loop recursion over the last {@code memory} pairs (s =
 * Δx, y = Δg), with the initial Hessian scaled by sᵀy / yᵀy of the newest pair; a pair with sᵀy ≤ 0
 * is skipped, since it would make the approximation indefinite.
 *
 * <p>The step length comes from a line search for the strong Wolfe conditions (Algorithm 3.5 with
 * the zoom of 3.6, cubic interpolation safeguarded to the inner 80% of the bracket), with {@code
 * C1} = 1e-4 and {@code C2} = 0.9 and at most {@link #MAX_EVALUATIONS} evaluations. The first trial
 * step is 1, except in the first iteration (and after a reset), where it is 1/‖g‖ so the first move
 * has length 1. If the search runs out of evaluations it accepts the best point it found with
 * sufficient decrease, if any; otherwise it has failed: the memory is cleared and the next
 * iteration tries steepest descent. Two failures in a row end the run, as in fmincg.
 *
 * <p>All vectors are allocated in the constructor; an iteration allocates nothing.
 */
public final class Lbfgs implements Minimizer {
  /** Sufficient-decrease constant of the Wolfe conditions. */
  public static final double C1 = 1e-4;

  /** Curvature constant of the strong Wolfe conditions. */
  public static final double C2 = 0.9;

  /** Function evaluations per line search. */
  public static final int MAX_EVALUATIONS = 20;

  /** Growth of the trial step while no bracket has been found. */
  private static final double EXTRAPOLATION = 3.0;

  private final Objective objective;
  private final int n;
  private final int memory;
  private final double[] x;
  private final double[] g;
  private final double[] direction;
  private final double[] trialX;
  private final double[] trialG;
  private final double[] bestX;
  private final double[] bestG;
  private final double[][] s;
  private final double[][] y;
  private final double[] rho;
  private final double[] alpha;
  private int pairs;
  private int newest = -1;
  private double f;
  private double trialF;
  private double bestF;
  private boolean lineSearchFailed;
  private int evaluations;
  private int iterations;
  private int skippedPairs;
  private String stopReason;

  /**
   * Evaluates the objective at {@code start} (copied).
   *
   * @param memory the number of (s, y) pairs kept, ≥ 1
   */
  public Lbfgs(Objective objective, double[] start, int memory) {
    if (memory < 1) {
      throw new IllegalArgumentException("L-BFGS memory must be at least 1, got " + memory);
    }
    this.objective = objective;
    this.n = objective.dimension();
    if (start.length != n) {
      throw new IllegalArgumentException(
          "start has " + start.length + " values, the objective " + n);
    }
    this.memory = memory;
    x = start.clone();
    g = new double[n];
    direction = new double[n];
    trialX = new double[n];
    trialG = new double[n];
    bestX = new double[n];
    bestG = new double[n];
    s = new double[memory][n];
    y = new double[memory][n];
    rho = new double[memory];
    alpha = new double[memory];
    f = evaluate(x, g);
    if (!Double.isFinite(f)) {
      stopReason = "the cost at the start is " + f;
    }
  }

  /** The outcome of {@link #minimize}. */
  public record Result(
      double[] parameters, double[] costs, int iterations, int evaluations, String stopReason) {
    /** True when the run ended before its iterations. */
    public boolean stoppedEarly() {
      return stopReason != null;
    }
  }

  /** At most {@code iterations} iterations from {@code start}; the cost after each one run. */
  public static Result minimize(Objective objective, double[] start, int memory, int iterations) {
    if (iterations <= 0) {
      throw new IllegalArgumentException("iterations must be positive, got " + iterations);
    }
    Lbfgs lbfgs = new Lbfgs(objective, start, memory);
    double[] costs = new double[iterations];
    int run = 0;
    while (run < iterations && lbfgs.stopReason == null) {
      lbfgs.iterate();
      costs[run++] = lbfgs.f;
    }
    return new Result(
        lbfgs.x.clone(),
        Arrays.copyOf(costs, run),
        lbfgs.iterations,
        lbfgs.evaluations,
        lbfgs.stopReason);
  }

  @Override
  public boolean iterate() {
    if (stopReason != null) {
      return false;
    }
    iterations++;
    double gradientNorm = Math.sqrt(ConjugateGradient.dot(g, g));
    if (gradientNorm == 0) {
      stopReason = "the gradient is zero (iteration " + iterations + ")";
      return false;
    }
    twoLoopDirection();
    double slope = ConjugateGradient.dot(g, direction);
    if (!(slope < 0)) {
      // Rounding made the quasi-Newton direction uphill: start the memory afresh.
      clearMemory();
      twoLoopDirection();
      slope = ConjugateGradient.dot(g, direction);
    }
    double firstStep = pairs == 0 ? 1 / gradientNorm : 1;
    if (lineSearch(slope, firstStep)) {
      double sy = 0;
      double yy = 0;
      int slot = (newest + 1) % memory;
      for (int i = 0; i < n; i++) {
        double dx = trialX[i] - x[i];
        double dg = trialG[i] - g[i];
        s[slot][i] = dx;
        y[slot][i] = dg;
        sy += dx * dg;
        yy += dg * dg;
      }
      if (sy > 0 && yy > 0) {
        rho[slot] = 1 / sy;
        newest = slot;
        pairs = Math.min(pairs + 1, memory);
      } else {
        skippedPairs++;
      }
      System.arraycopy(trialX, 0, x, 0, n);
      System.arraycopy(trialG, 0, g, 0, n);
      f = trialF;
      lineSearchFailed = false;
      return true;
    }
    if (lineSearchFailed) {
      stopReason =
          "converged: no step along the search direction lowers the cost any more (the line"
              + " search failed twice in a row, iteration "
              + iterations
              + ")";
      return false;
    }
    clearMemory();
    lineSearchFailed = true;
    return true;
  }

  /** direction = −H·g by the two-loop recursion (steepest descent when the memory is empty). */
  private void twoLoopDirection() {
    System.arraycopy(g, 0, direction, 0, n);
    int slot = newest;
    for (int k = 0; k < pairs; k++) {
      alpha[slot] = rho[slot] * ConjugateGradient.dot(s[slot], direction);
      axpy(-alpha[slot], y[slot], direction);
      slot = (slot - 1 + memory) % memory;
    }
    if (pairs > 0) {
      double gamma = 1 / (rho[newest] * ConjugateGradient.dot(y[newest], y[newest]));
      for (int i = 0; i < n; i++) {
        direction[i] *= gamma;
      }
    }
    slot = (newest - pairs + 1 + memory) % memory;
    for (int k = 0; k < pairs; k++) {
      double beta = rho[slot] * ConjugateGradient.dot(y[slot], direction);
      axpy(alpha[slot] - beta, s[slot], direction);
      slot = (slot + 1) % memory;
    }
    for (int i = 0; i < n; i++) {
      direction[i] = -direction[i];
    }
  }

  /**
   * Finds a step along {@code direction} satisfying the strong Wolfe conditions; on success the
   * point, its gradient and cost are in trialX, trialG, trialF.
   */
  private boolean lineSearch(double slope0, double firstStep) {
    double f0 = f;
    double previousStep = 0;
    double previousF = f0;
    double previousSlope = slope0;
    double step = firstStep;
    bestF = Double.NaN;
    int left = MAX_EVALUATIONS;
    while (left > 0) {
      double value = trial(step);
      double slope = ConjugateGradient.dot(trialG, direction);
      left--;
      if (!Double.isFinite(value)
          || value > f0 + C1 * step * slope0
          || (previousStep > 0 && value >= previousF)) {
        return zoom(previousStep, previousF, previousSlope, step, value, slope, f0, slope0, left);
      }
      remember(value);
      if (Math.abs(slope) <= -C2 * slope0) {
        return true;
      }
      if (slope >= 0) {
        return zoom(step, value, slope, previousStep, previousF, previousSlope, f0, slope0, left);
      }
      previousStep = step;
      previousF = value;
      previousSlope = slope;
      step *= EXTRAPOLATION;
    }
    return acceptBest();
  }

  /**
   * Nocedal and Wright's zoom: {@code lo} satisfies sufficient decrease and has the lowest cost
   * seen so far; the bracket [lo, hi] (in either order) contains a strong Wolfe point.
   */
  private boolean zoom(
      double lo,
      double fLo,
      double slopeLo,
      double hi,
      double fHi,
      double slopeHi,
      double f0,
      double slope0,
      int left) {
    while (left > 0) {
      double step = cubicMinimum(lo, fLo, slopeLo, hi, fHi, slopeHi);
      double value = trial(step);
      double slope = ConjugateGradient.dot(trialG, direction);
      left--;
      if (!Double.isFinite(value) || value > f0 + C1 * step * slope0 || value >= fLo) {
        hi = step;
        fHi = value;
        slopeHi = slope;
      } else {
        remember(value);
        if (Math.abs(slope) <= -C2 * slope0) {
          return true;
        }
        if (slope * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          slopeHi = slopeLo;
        }
        lo = step;
        fLo = value;
        slopeLo = slope;
      }
    }
    return acceptBest();
  }

  /**
   * The minimiser of the cubic through both ends' values and slopes (N&W eq. 3.59), kept within the
   * inner 80% of the bracket; the midpoint when the cubic has none.
   */
  private static double cubicMinimum(
      double a, double fa, double da, double b, double fb, double db) {
    double low = Math.min(a, b);
    double high = Math.max(a, b);
    double margin = 0.1 * (high - low);
    double d1 = da + db - 3 * (fa - fb) / (a - b);
    double square = d1 * d1 - da * db;
    double step = Double.NaN;
    if (square >= 0) {
      double d2 = Math.copySign(Math.sqrt(square), b - a);
      step = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
    }
    if (!Double.isFinite(step)) {
      return (a + b) / 2;
    }
    return Math.max(low + margin, Math.min(high - margin, step));
  }

  /** Evaluates x + step·direction into trialX, trialG, trialF. */
  private double trial(double step) {
    for (int i = 0; i < n; i++) {
      trialX[i] = x[i] + step * direction[i];
    }
    trialF = evaluate(trialX, trialG);
    return trialF;
  }

  /** Keeps the trial point (which has sufficient decrease) as the best so far. */
  private void remember(double value) {
    if (Double.isNaN(bestF) || value < bestF) {
      bestF = value;
      System.arraycopy(trialX, 0, bestX, 0, n);
      System.arraycopy(trialG, 0, bestG, 0, n);
    }
  }

  /** Out of evaluations: accept the best point with sufficient decrease, if there is one. */
  private boolean acceptBest() {
    if (Double.isNaN(bestF)) {
      return false;
    }
    System.arraycopy(bestX, 0, trialX, 0, n);
    System.arraycopy(bestG, 0, trialG, 0, n);
    trialF = bestF;
    return true;
  }

  private void clearMemory() {
    pairs = 0;
    newest = -1;
  }

  private static void axpy(double a, double[] u, double[] target) {
    for (int i = 0; i < target.length; i++) {
      target[i] += a * u[i];
    }
  }

  private double evaluate(double[] point, double[] gradientOut) {
    evaluations++;
    return objective.evaluate(point, gradientOut);
  }

  @Override
  public double cost() {
    return f;
  }

  @Override
  public void copyParameters(double[] dst) {
    System.arraycopy(x, 0, dst, 0, n);
  }

  @Override
  public int evaluations() {
    return evaluations;
  }

  @Override
  public int iterations() {
    return iterations;
  }

  /** Pairs not stored because sᵀy ≤ 0. */
  public int skippedPairs() {
    return skippedPairs;
  }

  @Override
  public String stopReason() {
    return stopReason;
  }
}
