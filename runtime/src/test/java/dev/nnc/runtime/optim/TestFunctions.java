package dev.nnc.runtime.optim;

import dev.nnc.runtime.Rng;
import java.util.ArrayList;
import java.util.List;

/** Objectives with known minima for the optimizer tests. */
final class TestFunctions {
  private TestFunctions() {}

  /** Rosenbrock's banana f(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1). */
  static final Objective ROSENBROCK =
      new Objective() {
        @Override
        public int dimension() {
          return 2;
        }

        @Override
        public double evaluate(double[] p, double[] gradient) {
          double x = p[0];
          double y = p[1];
          double t = y - x * x;
          gradient[0] = -2 * (1 - x) - 400 * x * t;
          gradient[1] = 200 * t;
          return (1 - x) * (1 - x) + 100 * t * t;
        }
      };

  /** f(x) = ½ xᵀAx − bᵀx with A symmetric positive definite; minimum at A⁻¹b. */
  static final class Quadratic implements Objective {
    final double[][] a;
    final double[] b;

    Quadratic(double[][] a, double[] b) {
      this.a = a;
      this.b = b;
    }

    /** A = MᵀM + I (M n×n standard normal), b standard normal, from {@code seed}. */
    static Quadratic random(int n, long seed) {
      Rng rng = new Rng(seed);
      double[][] m = new double[n][n];
      for (double[] row : m) {
        for (int j = 0; j < n; j++) {
          row[j] = rng.nextGaussian();
        }
      }
      double[][] a = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          for (int k = 0; k < n; k++) {
            a[i][j] += m[k][i] * m[k][j];
          }
        }
        a[i][i] += 1;
      }
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        b[i] = rng.nextGaussian();
      }
      return new Quadratic(a, b);
    }

    @Override
    public int dimension() {
      return b.length;
    }

    @Override
    public double evaluate(double[] x, double[] gradient) {
      double value = 0;
      for (int i = 0; i < b.length; i++) {
        double ax = 0;
        for (int j = 0; j < b.length; j++) {
          ax += a[i][j] * x[j];
        }
        gradient[i] = ax - b[i];
        value += 0.5 * x[i] * ax - b[i] * x[i];
      }
      return value;
    }

    /** A⁻¹b by Gaussian elimination with partial pivoting. */
    double[] minimizer() {
      int n = b.length;
      double[][] m = new double[n][n + 1];
      for (int i = 0; i < n; i++) {
        System.arraycopy(a[i], 0, m[i], 0, n);
        m[i][n] = b[i];
      }
      for (int c = 0; c < n; c++) {
        int pivot = c;
        for (int r = c + 1; r < n; r++) {
          if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
            pivot = r;
          }
        }
        double[] t = m[c];
        m[c] = m[pivot];
        m[pivot] = t;
        for (int r = 0; r < n; r++) {
          if (r != c) {
            double factor = m[r][c] / m[c][c];
            for (int k = c; k <= n; k++) {
              m[r][k] -= factor * m[c][k];
            }
          }
        }
      }
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = m[i][n] / m[i][i];
      }
      return x;
    }

    double minimum() {
      return evaluate(minimizer(), new double[b.length]);
    }
  }

  /** Wraps an objective and keeps a copy of every point it was evaluated at. */
  static final class Recording implements Objective {
    final Objective inner;
    final List<double[]> points = new ArrayList<>();

    Recording(Objective inner) {
      this.inner = inner;
    }

    @Override
    public int dimension() {
      return inner.dimension();
    }

    @Override
    public double evaluate(double[] parameters, double[] gradientOut) {
      points.add(parameters.clone());
      return inner.evaluate(parameters, gradientOut);
    }
  }

  static double distance(double[] u, double[] v) {
    double sum = 0;
    for (int i = 0; i < u.length; i++) {
      sum += (u[i] - v[i]) * (u[i] - v[i]);
    }
    return Math.sqrt(sum);
  }
}
