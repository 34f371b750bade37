package dev.nnc.runtime.optim;

/**
 * Nonlinear conjugate gradient as the course's {@code fmincg} does it: a line-by-line port of Carl
 * Edward Rasmussen's {@code fmincg.m} (2001-2002, itself a trimmed {@code minimize.m}):
 * Polak-Ribière directions, and a line search by quadratic and cubic interpolation and
 * extrapolation that looks for a point satisfying the Wolfe-Powell conditions with {@code RHO} =
 * 0.01 (sufficient decrease) and {@code SIG} = 0.5 (curvature), never re-evaluating within {@code
 * INT} = 0.1 of the bracket's ends, extrapolating at most {@code EXT} = 3 times the current step,
 * with at most {@code MAX} = 20 evaluations per line search, and growing the next initial step by
 * at most {@code RATIO} = 100.
 *
 * <p>One {@link #iterate()} is one pass of fmincg's outer loop: one line search, which either
 * succeeds (the point moves, the cost is recorded) or fails (the point is restored and the next
 * line search starts along the steepest descent). Two failures in a row end the run, fmincg's own
 * rule. Where MATLAB's {@code sqrt} of a negative number would give a complex step, Java gives NaN,
 * which the same branches then treat as a numerical problem (bisect, or extrapolate the most), as
 * the other ports do.
 *
 * <p>Kept from the original on purpose: after a failed line search fmincg swaps the restored
 * gradient with the one at the last trial point ({@code tmp = df1; df1 = df2; df2 = tmp}), so the
 * steepest-descent retry starts from that gradient.
 *
 * <p>All vectors are allocated in the constructor; an iteration allocates nothing.
 */
public final class ConjugateGradient implements Minimizer {
  /** Sufficient-decrease constant of the Wolfe-Powell conditions. */
  public static final double RHO = 0.01;

  /** Curvature constant of the Wolfe-Powell conditions. */
  public static final double SIG = 0.5;

  /** Do not re-evaluate within this fraction of the current bracket's limits. */
  public static final double INT = 0.1;

  /** Extrapolate at most this many times the current step. */
  public static final double EXT = 3.0;

  /** Function evaluations per line search. */
  public static final int MAX = 20;

  /** Largest allowed growth of the initial step from one line search to the next. */
  public static final double RATIO = 100;

  /** MATLAB's {@code realmin}. */
  private static final double REALMIN = Double.MIN_NORMAL;

  private final Objective objective;
  private final int n;
  private final double[] x;
  private final double[] x0;
  private final double[] df0;
  private final double[] s;
  private double[] df1;
  private double[] df2;
  private double f1;
  private double d1;
  private double z1;
  private boolean lineSearchFailed;
  private int evaluations;
  private int iterations;
  private String stopReason;

  /** Evaluates the objective at {@code start} (copied) and sets up the first direction. */
  public ConjugateGradient(Objective objective, double[] start) {
    this.objective = objective;
    this.n = objective.dimension();
    if (start.length != n) {
      throw new IllegalArgumentException(
          "start has " + start.length + " values, the objective " + n);
    }
    x = start.clone();
    x0 = new double[n];
    df0 = new double[n];
    s = new double[n];
    df1 = new double[n];
    df2 = new double[n];
    // [f1 df1] = eval(argstr); s = -df1; d1 = -s'*s; z1 = red/(1-d1) with red = 1
    f1 = evaluate(x, df1);
    for (int i = 0; i < n; i++) {
      s[i] = -df1[i];
    }
    d1 = -dot(s, s);
    z1 = 1 / (1 - d1);
    if (!Double.isFinite(f1)) {
      stopReason = "the cost at the start is " + f1;
    }
  }

  /** The outcome of {@link #minimize}. */
  public record Result(
      double[] parameters, double[] costs, int iterations, int evaluations, String stopReason) {
    /** True when the run ended before its iterations because no progress could be made. */
    public boolean stoppedEarly() {
      return stopReason != null;
    }
  }

  /**
   * fmincg: at most {@code length} line searches from {@code start}.
   *
   * @return the final point and the cost after each iteration run (a failed line search repeats the
   *     cost it restored; fmincg's own {@code fX} lists successful ones only)
   */
  public static Result minimize(Objective objective, double[] start, int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("length (line searches) must be positive, got " + length);
    }
    ConjugateGradient cg = new ConjugateGradient(objective, start);
    double[] costs = new double[length];
    int run = 0;
    while (run < length && cg.stopReason == null) {
      cg.iterate();
      costs[run++] = cg.f1;
    }
    return new Result(
        cg.x.clone(),
        java.util.Arrays.copyOf(costs, run),
        cg.iterations,
        cg.evaluations,
        cg.stopReason);
  }

  @Override
  public boolean iterate() {
    if (stopReason != null) {
      return false;
    }
    iterations++;
    // X0 = X; f0 = f1; df0 = df1;
    System.arraycopy(x, 0, x0, 0, n);
    double f0 = f1;
    System.arraycopy(df1, 0, df0, 0, n);
    // X = X + z1*s; [f2 df2] = eval(argstr); d2 = df2'*s;
    step(z1);
    double f2 = evaluate(x, df2);
    double d2 = dot(df2, s);
    // initialize point 3 equal to point 1
    double f3 = f1;
    double d3 = d1;
    double z3 = -z1;
    int m = MAX;
    boolean success = false;
    double limit = -1;
    double z2;
    double a;
    double b;
    while (true) {
      while (((f2 > f1 + z1 * RHO * d1) || (d2 > -SIG * d1)) && (m > 0)) {
        limit = z1; // tighten the bracket
        if (f2 > f1) {
          z2 = z3 - (0.5 * d3 * z3 * z3) / (d3 * z3 + f2 - f3); // quadratic fit
        } else {
          a = 6 * (f2 - f3) / z3 + 3 * (d2 + d3); // cubic fit
          b = 3 * (f3 - f2) - z3 * (d3 + 2 * d2);
          z2 = (Math.sqrt(b * b - a * d2 * z3 * z3) - b) / a; // numerical error possible - ok!
        }
        if (Double.isNaN(z2) || Double.isInfinite(z2)) {
          z2 = z3 / 2; // if we had a numerical problem then bisect
        }
        z2 = Math.max(Math.min(z2, INT * z3), (1 - INT) * z3); // not too close to the limits
        z1 = z1 + z2; // update the step
        step(z2);
        f2 = evaluate(x, df2);
        m = m - 1;
        d2 = dot(df2, s);
        z3 = z3 - z2; // z3 is now relative to the location of z2
      }
      if (f2 > f1 + z1 * RHO * d1 || d2 > -SIG * d1) {
        break; // this is a failure
      } else if (d2 > SIG * d1) {
        success = true;
        break;
      } else if (m == 0) {
        break; // failure
      }
      a = 6 * (f2 - f3) / z3 + 3 * (d2 + d3); // make cubic extrapolation
      b = 3 * (f3 - f2) - z3 * (d3 + 2 * d2);
      z2 = -d2 * z3 * z3 / (b + Math.sqrt(b * b - a * d2 * z3 * z3)); // num. error possible - ok!
      if (Double.isNaN(z2) || Double.isInfinite(z2) || z2 < 0) { // num prob or wrong sign?
        if (limit < -0.5) { // if we have no upper limit
          z2 = z1 * (EXT - 1); // the extrapolate the maximum amount
        } else {
          z2 = (limit - z1) / 2; // otherwise bisect
        }
      } else if ((limit > -0.5) && (z2 + z1 > limit)) { // extrapolation beyond max?
        z2 = (limit - z1) / 2; // bisect
      } else if ((limit < -0.5) && (z2 + z1 > z1 * EXT)) { // extrapolation beyond limit
        z2 = z1 * (EXT - 1.0); // set to extrapolation limit
      } else if (z2 < -z3 * INT) {
        z2 = -z3 * INT;
      } else if ((limit > -0.5) && (z2 < (limit - z1) * (1.0 - INT))) { // too close to limit?
        z2 = (limit - z1) * (1.0 - INT);
      }
      f3 = f2; // set point 3 equal to point 2
      d3 = d2;
      z3 = -z2;
      z1 = z1 + z2; // update current estimates
      step(z2);
      f2 = evaluate(x, df2);
      m = m - 1;
      d2 = dot(df2, s);
    }

    if (success) {
      f1 = f2;
      // s = (df2'*df2-df1'*df2)/(df1'*df1)*s - df2;  Polak-Ribière direction
      double beta = (dot(df2, df2) - dot(df1, df2)) / dot(df1, df1);
      for (int i = 0; i < n; i++) {
        s[i] = beta * s[i] - df2[i];
      }
      swapGradients();
      d2 = dot(df1, s);
      if (d2 > 0) { // new slope must be negative
        for (int i = 0; i < n; i++) {
          s[i] = -df1[i]; // otherwise use steepest direction
        }
        d2 = -dot(s, s);
      }
      z1 = z1 * Math.min(RATIO, d1 / (d2 - REALMIN)); // slope ratio but max RATIO
      d1 = d2;
      lineSearchFailed = false;
      return true;
    }
    // restore point from before failed line search
    System.arraycopy(x0, 0, x, 0, n);
    f1 = f0;
    System.arraycopy(df0, 0, df1, 0, n);
    if (lineSearchFailed) {
      stopReason =
          "converged: no step along the search direction lowers the cost any more (the line"
              + " search failed twice in a row, iteration "
              + iterations
              + ")";
      return false;
    }
    swapGradients(); // as fmincg: see the class comment
    for (int i = 0; i < n; i++) {
      s[i] = -df1[i]; // try steepest
    }
    d1 = -dot(s, s);
    z1 = 1 / (1 - d1);
    lineSearchFailed = true;
    return true;
  }

  @Override
  public double cost() {
    return f1;
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

  @Override
  public String stopReason() {
    return stopReason;
  }

  private double evaluate(double[] point, double[] gradientOut) {
    evaluations++;
    return objective.evaluate(point, gradientOut);
  }

  /** X = X + z*s. */
  private void step(double z) {
    for (int i = 0; i < n; i++) {
      x[i] += z * s[i];
    }
  }

  private void swapGradients() {
    double[] t = df1;
    df1 = df2;
    df2 = t;
  }

  static double dot(double[] u, double[] v) {
    double sum = 0;
    for (int i = 0; i < u.length; i++) {
      sum += u[i] * v[i];
    }
    return sum;
  }
}
