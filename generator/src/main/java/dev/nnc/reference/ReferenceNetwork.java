package dev.nnc.reference;

import dev.nnc.ir.Activation;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Dense;
import dev.nnc.ir.Loss;
import dev.nnc.ir.Model;
import dev.nnc.ir.Penalty;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Reduction;
import dev.nnc.ir.Spatial;
import dev.nnc.lower.RuntimeViews;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Dropout;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.NncMath;
import dev.nnc.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The yardstick: a plain interpreter of a checked {@link Model}, written to be obviously correct
 * rather than fast. Every generated network is held against it.
 *
 * <p>It implements exactly the semantics of {@code docs/language.md} with naive matrix operations
 * on {@code double[][]}, allocating freely (so, unlike a generated class, its training step does
 * allocate). It <b>always computes in double</b>, even when the model says {@code precision float}:
 * a float network is then compared with the exact answer, not with another float rounding.
 *
 * <p>The flat parameter layout is {@link RuntimeViews#spec(Model)}'s: layer by layer, {@code W} (in
 * × out, row-major) then {@code b} (out) if the layer has one.
 *
 * <p>The code reads like llm.c: each forward function has its backward right under it, outputs
 * first, shapes in comments (N = rows of the batch).
 */
public final class ReferenceNetwork implements Network {
  private final Model model;
  private final NetworkSpec spec;
  private final int maxRows;
  private final double[] parameters;
  private final double[] gradient;
  private int penaltyExampleCount;
  private long dropoutSeed;
  private long dropoutStep = -1;

  /** The outputs of the last loss or lossAndGradient (rows × outputs), null after a predict. */
  private double[][] lastOutputs;

  /**
   * @param model a checked model (from the checker, or built by hand in tests)
   * @param maxRows the largest batch accepted; larger batches are refused, as a generated class
   *     (whose buffers have this size) would refuse them
   */
  public ReferenceNetwork(Model model, int maxRows) {
    if (maxRows <= 0) {
      throw new IllegalArgumentException("maxRows must be positive, got " + maxRows);
    }
    this.model = model;
    this.spec = RuntimeViews.spec(model);
    this.maxRows = maxRows;
    this.parameters = new double[spec.parameterCount()];
    this.gradient = new double[spec.parameterCount()];
  }

  /** The model this network interprets. */
  public Model model() {
    return model;
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
    checkLength(dst);
    System.arraycopy(parameters, 0, dst, 0, parameters.length);
  }

  @Override
  public void setParameters(double[] src) {
    checkLength(src);
    System.arraycopy(src, 0, parameters, 0, parameters.length);
  }

  @Override
  public void getGradient(double[] dst) {
    checkLength(dst);
    System.arraycopy(gradient, 0, dst, 0, gradient.length);
  }

  @Override
  public void setPenaltyExampleCount(int m) {
    if (m < 0) {
      throw new IllegalArgumentException("example count must be ≥ 0, got " + m);
    }
    this.penaltyExampleCount = m;
  }

  @Override
  public void setDropout(long seed, long step) {
    this.dropoutSeed = seed;
    this.dropoutStep = step;
  }

  @Override
  public void sgdStep(double learningRate) {
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] -= learningRate * gradient[i];
    }
  }

  @Override
  public void predict(double[] x, int rows, double[] out) {
    checkRows(rows);
    lastOutputs = null;
    Forward pass = forward(matrix(x, rows, spec.inputWidth()), false);
    double[][] output = pass.activations.get(pass.activations.size() - 1);
    int width = spec.outputWidth();
    for (int r = 0; r < rows; r++) {
      System.arraycopy(output[r], 0, out, r * width, width);
    }
  }

  @Override
  public boolean lastOutputs(int rows, double[] out) {
    int computed = lastOutputs == null ? 0 : lastOutputs.length;
    if (rows < 0 || rows > computed) {
      throw new IllegalStateException(
          "asked for the outputs of "
              + rows
              + " rows; the last loss or lossAndGradient computed "
              + computed);
    }
    int width = spec.outputWidth();
    for (int r = 0; r < rows; r++) {
      System.arraycopy(lastOutputs[r], 0, out, r * width, width);
    }
    return true;
  }

  @Override
  public double loss(Batch batch) {
    checkRows(batch.rows());
    Forward pass = forward(matrix(batch.x, batch.rows(), spec.inputWidth()), dropoutStep >= 0);
    lastOutputs = pass.activations.get(pass.activations.size() - 1);
    return dataLoss(pass, batch) + penaltyForward(batch.rows());
  }

  @Override
  public double lossAndGradient(Batch batch) {
    int n = batch.rows();
    checkRows(n);
    Forward pass = forward(matrix(batch.x, n, spec.inputWidth()), dropoutStep >= 0);
    lastOutputs = pass.activations.get(pass.activations.size() - 1);
    double loss = dataLoss(pass, batch) + penaltyForward(n);

    // Backward: the forward pass upside down. Gradients are zeroed once; kernels only add.
    Arrays.fill(gradient, 0);
    List<Dense> layers = model.layers();
    int last = layers.size() - 1;
    double[][] dz = outputDelta(pass, batch);
    for (int l = last; l >= 0; l--) {
      Dense layer = layers.get(l);
      if (l < last) {
        double[][] mask = pass.masks.get(l);
        if (mask != null) {
          // dropout: da (N×out) = ∂loss/∂d ⊙ m, d = a ⊙ m being what the next layer read
          dz = hadamard(dz, mask);
        }
        // dz (N×out) from da (N×out) through the layer's activation, at a before dropout
        dz = activationBackward(layer.activation(), dz, pass.outputs.get(l));
      }
      double[][] dw = new double[layer.in()][layer.out()];
      double[] db = layer.bias() ? new double[layer.out()] : null;
      // the first layer's dx would be the gradient of the inputs: nobody needs it
      double[][] dx = l > 0 || model.convolutional() ? new double[n][layer.in()] : null;
      denseBackward(dx, dw, db, dz, pass.activations.get(l), weights(l));
      addInto(gradient, spec.tensor(layer.name() + ".W"), dw);
      if (layer.bias()) {
        addInto(gradient, spec.tensor(layer.name() + ".b"), new double[][] {db});
      }
      dz = dx; // da (N×in) of the layer below
    }
    spatialBackward(pass, dz);
    penaltyBackward(n);
    return loss;
  }

  /**
   * The factor that turns the sum of per-element (or per-row) losses into the loss, for {@code
   * rows} rows of {@code outputs} outputs each (the table in {@code docs/language.md}; k is the
   * output width for every loss, softmax cross-entropy included).
   */
  public static double reductionScale(Reduction reduction, int rows, int outputs) {
    return switch (reduction) {
      case SUM -> 1.0;
      case HALF_SUM -> 0.5;
      case MEAN -> 1.0 / ((double) rows * outputs);
      case BATCH_MEAN -> 1.0 / rows;
      case HALF_BATCH_MEAN -> 1.0 / (2.0 * rows);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // The whole forward pass: activations.get(0) is the input (N×in), activations.get(l + 1) the
  // output of layer l after its activation (N×out); preActivations.get(l) its z (N×out).

  // The conv and pool layers come first: spatialInputs.get(s) is what spatial layer s reads
  // (N×C·H·W,
  // each row (C, H, W) flattened row-major), spatialOutputs.get(s) what it writes after its
  // activation; activations.get(0) is then the last of them, the first dense layer's input.

  private record Forward(
      List<double[][]> activations,
      List<double[][]> outputs,
      List<double[][]> masks,
      List<double[][]> preActivations,
      List<double[][]> spatialInputs,
      List<double[][]> spatialOutputs) {}

  private Forward forward(double[][] x, boolean dropping) {
    List<double[][]> activations = new ArrayList<>();
    List<double[][]> outputs = new ArrayList<>();
    List<double[][]> masks = new ArrayList<>();
    List<double[][]> preActivations = new ArrayList<>();
    List<double[][]> spatialInputs = new ArrayList<>();
    List<double[][]> spatialOutputs = new ArrayList<>();
    double[][] a = x;
    for (Spatial layer : model.spatial()) {
      spatialInputs.add(a);
      if (layer instanceof Conv conv) {
        double[][] z = new double[a.length][conv.outSize()];
        convForward(z, a, conv, kernel(conv), conv.bias() ? convBias(conv) : null);
        a = activationForward(conv.activation(), z);
      } else {
        Pool pool = (Pool) layer;
        double[][] out = new double[a.length][pool.outSize()];
        poolForward(out, a, pool);
        a = out;
      }
      spatialOutputs.add(a);
    }
    activations.add(a);
    for (int l = 0; l < model.layers().size(); l++) {
      Dense layer = model.layers().get(l);
      double[][] z = new double[a.length][layer.out()];
      denseForward(z, a, weights(l), layer.bias() ? bias(l) : null);
      a = activationForward(layer.activation(), z);
      preActivations.add(z);
      outputs.add(a);
      double[][] mask = dropping && layer.dropsOut() ? dropoutMask(l, a.length, layer) : null;
      masks.add(mask);
      if (mask != null) {
        a = hadamard(a, mask); // d = a ⊙ m, what the next layer reads
      }
      activations.add(a);
    }
    return new Forward(activations, outputs, masks, preActivations, spatialInputs, spatialOutputs);
  }

  /**
   * Dropout's mask of dense layer l for {@code rows} batch rows: m[r][j] = 1/(1 − p) where {@link
   * Dropout#keep} keeps unit j of row r at this step, else 0.
   */
  private double[][] dropoutMask(int l, int rows, Dense layer) {
    long threshold = Dropout.threshold(layer.dropout());
    double scale = Dropout.scale(layer.dropout());
    double[][] mask = new double[rows][layer.out()];
    for (int r = 0; r < rows; r++) {
      long key = Dropout.rowKey(dropoutSeed, dropoutStep, l, r);
      for (int j = 0; j < layer.out(); j++) {
        mask[r][j] = Dropout.keep(key, j, threshold) ? scale : 0;
      }
    }
    return mask;
  }

  private static double[][] hadamard(double[][] a, double[][] b) {
    double[][] c = new double[a.length][];
    for (int r = 0; r < a.length; r++) {
      c[r] = new double[a[r].length];
      for (int j = 0; j < a[r].length; j++) {
        c[r][j] = a[r][j] * b[r][j];
      }
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Dense layer.

  /** z (N×out) = x (N×in) · W (in×out) + b (out); b may be null (nobias). */
  static void denseForward(double[][] z, double[][] x, double[][] w, double[] b) {
    int in = w.length;
    for (int r = 0; r < x.length; r++) {
      int out = z[r].length;
      for (int j = 0; j < out; j++) {
        z[r][j] = b == null ? 0 : b[j];
      }
      for (int i = 0; i < in; i++) {
        double xi = x[r][i];
        for (int j = 0; j < out; j++) {
          z[r][j] += xi * w[i][j];
        }
      }
    }
  }

  /**
   * dW (in×out) += xᵀ (in×N) · dz (N×out); db (out) += Σ_rows dz; dx (N×in) += dz (N×out) · Wᵀ
   * (out×in). db may be null (nobias), dx too (not wanted).
   */
  static void denseBackward(
      double[][] dx, double[][] dw, double[] db, double[][] dz, double[][] x, double[][] w) {
    int in = w.length;
    for (int r = 0; r < dz.length; r++) {
      int out = dz[r].length;
      for (int i = 0; i < in; i++) {
        double xi = x[r][i];
        for (int j = 0; j < out; j++) {
          dw[i][j] += xi * dz[r][j];
        }
      }
      if (dx != null) {
        for (int i = 0; i < in; i++) {
          double sum = 0;
          for (int j = 0; j < out; j++) {
            sum += dz[r][j] * w[i][j];
          }
          dx[r][i] += sum;
        }
      }
      if (db != null) {
        for (int j = 0; j < out; j++) {
          db[j] += dz[r][j];
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Convolution and pooling, on rows of (C, H, W) flattened row-major: value (c, y, x) of a row
  // is at (c·H + y)·W + x.

  /** Backward through the spatial layers, last to first, from da (N×C·H·W) of the last one. */
  private void spatialBackward(Forward pass, double[][] da) {
    List<Spatial> layers = model.spatial();
    for (int s = layers.size() - 1; s >= 0; s--) {
      double[][] x = pass.spatialInputs.get(s);
      double[][] dx = s > 0 ? new double[x.length][layers.get(s).inSize()] : null;
      if (layers.get(s) instanceof Conv conv) {
        double[][] dz = activationBackward(conv.activation(), da, pass.spatialOutputs.get(s));
        double[][] dk = new double[conv.outChannels()][conv.patchSize()];
        double[] db = conv.bias() ? new double[conv.outChannels()] : null;
        convBackward(dx, dk, db, dz, x, conv, kernel(conv));
        addInto(gradient, spec.tensor(conv.name() + ".W"), dk);
        if (db != null) {
          addInto(gradient, spec.tensor(conv.name() + ".b"), new double[][] {db});
        }
      } else if (dx != null) {
        poolBackward(dx, da, x, (Pool) layers.get(s));
      }
      da = dx;
    }
  }

  /**
   * z[o][y][x] (N×O·H'·W') = b[o] + Σ_c Σ_i Σ_j K[o][c·kh·kw + i·kw + j] · x[c][y·sh + i − ph][x·sw
   * + j − pw], zero outside x. K is (O, C·kh·kw): PyTorch's (O, C, kh, kw) row-major. b may be
   * null.
   */
  static void convForward(double[][] z, double[][] x, Conv conv, double[][] k, double[] b) {
    int h = conv.inHeight();
    int w = conv.inWidth();
    for (int r = 0; r < x.length; r++) {
      for (int o = 0; o < conv.outChannels(); o++) {
        for (int y = 0; y < conv.outHeight(); y++) {
          for (int xo = 0; xo < conv.outWidth(); xo++) {
            double sum = b == null ? 0 : b[o];
            for (int c = 0; c < conv.inChannels(); c++) {
              for (int i = 0; i < conv.kernelHeight(); i++) {
                int iy = y * conv.strideHeight() + i - conv.padHeight();
                for (int j = 0; j < conv.kernelWidth(); j++) {
                  int ix = xo * conv.strideWidth() + j - conv.padWidth();
                  if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                    sum +=
                        k[o][(c * conv.kernelHeight() + i) * conv.kernelWidth() + j]
                            * x[r][(c * h + iy) * w + ix];
                  }
                }
              }
            }
            z[r][(o * conv.outHeight() + y) * conv.outWidth() + xo] = sum;
          }
        }
      }
    }
  }

  /**
   * The forward's sum read backwards, term by term: each product K·x that made z[o][y][x] adds δ·x
   * to dK, δ·K to dx and δ to db. dx (may be null) and the sums are added to.
   */
  static void convBackward(
      double[][] dx,
      double[][] dk,
      double[] db,
      double[][] dz,
      double[][] x,
      Conv conv,
      double[][] k) {
    int h = conv.inHeight();
    int w = conv.inWidth();
    for (int r = 0; r < x.length; r++) {
      for (int o = 0; o < conv.outChannels(); o++) {
        for (int y = 0; y < conv.outHeight(); y++) {
          for (int xo = 0; xo < conv.outWidth(); xo++) {
            double d = dz[r][(o * conv.outHeight() + y) * conv.outWidth() + xo];
            if (db != null) {
              db[o] += d;
            }
            for (int c = 0; c < conv.inChannels(); c++) {
              for (int i = 0; i < conv.kernelHeight(); i++) {
                int iy = y * conv.strideHeight() + i - conv.padHeight();
                for (int j = 0; j < conv.kernelWidth(); j++) {
                  int ix = xo * conv.strideWidth() + j - conv.padWidth();
                  if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                    int kk = (c * conv.kernelHeight() + i) * conv.kernelWidth() + j;
                    int xi = (c * h + iy) * w + ix;
                    dk[o][kk] += d * x[r][xi];
                    if (dx != null) {
                      dx[r][xi] += d * k[o][kk];
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /** out[c][y][x] = the maximum (first in row-major order) or the mean of its window. */
  static void poolForward(double[][] out, double[][] x, Pool pool) {
    for (int r = 0; r < x.length; r++) {
      for (int c = 0; c < pool.inChannels(); c++) {
        for (int y = 0; y < pool.outHeight(); y++) {
          for (int xo = 0; xo < pool.outWidth(); xo++) {
            int o = (c * pool.outHeight() + y) * pool.outWidth() + xo;
            if (pool.max()) {
              out[r][o] = x[r][firstMaximum(x[r], pool, c, y, xo)];
            } else {
              double sum = 0;
              for (int i = 0; i < pool.kernelHeight(); i++) {
                for (int j = 0; j < pool.kernelWidth(); j++) {
                  sum += x[r][windowIndex(pool, c, y, xo, i, j)];
                }
              }
              out[r][o] = sum / (pool.kernelHeight() * pool.kernelWidth());
            }
          }
        }
      }
    }
  }

  /**
   * dx += the gradient of each window: all of it to the window's first maximum (PyTorch's rule), or
   * 1/(kh·kw) of it to each value. Overlapping windows add up.
   */
  static void poolBackward(double[][] dx, double[][] dout, double[][] x, Pool pool) {
    double share = 1.0 / (pool.kernelHeight() * pool.kernelWidth());
    for (int r = 0; r < x.length; r++) {
      for (int c = 0; c < pool.inChannels(); c++) {
        for (int y = 0; y < pool.outHeight(); y++) {
          for (int xo = 0; xo < pool.outWidth(); xo++) {
            double d = dout[r][(c * pool.outHeight() + y) * pool.outWidth() + xo];
            if (pool.max()) {
              dx[r][firstMaximum(x[r], pool, c, y, xo)] += d;
            } else {
              for (int i = 0; i < pool.kernelHeight(); i++) {
                for (int j = 0; j < pool.kernelWidth(); j++) {
                  dx[r][windowIndex(pool, c, y, xo, i, j)] += d * share;
                }
              }
            }
          }
        }
      }
    }
  }

  /** Where in the row the first maximum of window (y, x) of channel c is (ties: the first). */
  private static int firstMaximum(double[] row, Pool pool, int c, int y, int xo) {
    int best = windowIndex(pool, c, y, xo, 0, 0);
    for (int i = 0; i < pool.kernelHeight(); i++) {
      for (int j = 0; j < pool.kernelWidth(); j++) {
        int at = windowIndex(pool, c, y, xo, i, j);
        if (row[at] > row[best]) {
          best = at;
        }
      }
    }
    return best;
  }

  private static int windowIndex(Pool pool, int c, int y, int xo, int i, int j) {
    int iy = y * pool.strideHeight() + i;
    int ix = xo * pool.strideWidth() + j;
    return (c * pool.inHeight() + iy) * pool.inWidth() + ix;
  }

  /** A conv's kernel (O × C·kh·kw), copied out of the flat vector. */
  private double[][] kernel(Conv conv) {
    TensorSpec tensor = spec.tensor(conv.name() + ".W");
    return matrix(
        Arrays.copyOfRange(parameters, tensor.offset(), tensor.offset() + tensor.size()),
        tensor.rows(),
        tensor.cols());
  }

  private double[] convBias(Conv conv) {
    TensorSpec tensor = spec.tensor(conv.name() + ".b");
    return Arrays.copyOfRange(parameters, tensor.offset(), tensor.offset() + tensor.size());
  }

  // ---------------------------------------------------------------------------------------------
  // Activations.

  /** a (N×k) = act(z (N×k)), element-wise, or softmax over each row. */
  static double[][] activationForward(Activation activation, double[][] z) {
    double[][] a = new double[z.length][];
    for (int r = 0; r < z.length; r++) {
      double[] row = z[r];
      a[r] =
          switch (activation) {
            case IDENTITY -> row.clone();
            case SIGMOID -> map(row, ReferenceNetwork::sigmoid);
            case RELU -> map(row, v -> Math.max(v, 0)); // relu(NaN) = NaN, as generated
            case TANH -> map(row, NncMath::tanh);
            case SOFTMAX -> softmax(row);
          };
    }
    return a;
  }

  /**
   * dz (N×k) from da (N×k) and the activation's output a (N×k). ReLU's derivative is 0 at z ≤ 0 (a
   * = 0 exactly then). Softmax uses its full row Jacobian: dz_j = a_j (da_j − Σ_i da_i a_i), so it
   * is right on any layer and with any loss.
   */
  static double[][] activationBackward(Activation activation, double[][] da, double[][] a) {
    double[][] dz = new double[da.length][];
    for (int r = 0; r < da.length; r++) {
      int k = da[r].length;
      double[] d = new double[k];
      double[] ar = a[r];
      switch (activation) {
        case IDENTITY -> System.arraycopy(da[r], 0, d, 0, k);
        case SIGMOID -> {
          for (int j = 0; j < k; j++) {
            d[j] = da[r][j] * ar[j] * (1 - ar[j]);
          }
        }
        case RELU -> {
          for (int j = 0; j < k; j++) {
            d[j] = ar[j] > 0 ? da[r][j] : 0;
          }
        }
        case TANH -> {
          for (int j = 0; j < k; j++) {
            d[j] = da[r][j] * (1 - ar[j] * ar[j]);
          }
        }
        case SOFTMAX -> {
          double dot = 0;
          for (int j = 0; j < k; j++) {
            dot += da[r][j] * ar[j];
          }
          for (int j = 0; j < k; j++) {
            d[j] = ar[j] * (da[r][j] - dot);
          }
        }
      }
      dz[r] = d;
    }
    return dz;
  }

  static double sigmoid(double z) {
    return NncMath.sigmoid(z);
  }

  /** softplus(z) = log(1 + eˣ), without overflow for large z nor cancellation for small. */
  static double softplus(double z) {
    return Math.max(z, 0) + StrictMath.log1p(NncMath.exp(-Math.abs(z)));
  }

  /** softmax of one row, the row's maximum subtracted first so exp cannot overflow. */
  static double[] softmax(double[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      max = Math.max(max, v);
    }
    double[] e = new double[row.length];
    double sum = 0;
    for (int j = 0; j < row.length; j++) {
      e[j] = NncMath.exp(row[j] - max);
      sum += e[j];
    }
    for (int j = 0; j < row.length; j++) {
      e[j] /= sum;
    }
    return e;
  }

  // ---------------------------------------------------------------------------------------------
  // Losses: the sum of per-element (per-row for softmax cross-entropy) losses times the
  // reduction's scale.

  /** The loss of the batch, penalty not included. */
  private double dataLoss(Forward pass, Batch batch) {
    Loss loss = model.loss();
    int n = batch.rows();
    int k = spec.outputWidth();
    double[][] a = pass.activations.get(pass.activations.size() - 1); // N×k
    double[][] z = pass.preActivations.get(pass.preActivations.size() - 1); // N×k
    double total = 0;
    for (int r = 0; r < n; r++) {
      double sum = 0; // the row's terms, then weighted by its class
      switch (loss.kind()) {
        case SQUARED_ERROR -> {
          double[] t = targetRow(batch, r);
          for (int j = 0; j < k; j++) {
            double diff = a[r][j] - t[j];
            sum += diff * diff;
          }
        }
        case SOFTMAX_CROSS_ENTROPY -> {
          // −log softmax(s)[y] = log Σ exp(s − max) − (s[y] − max), on the output a (raw scores
          // when the output layer is identity, as the checker demands)
          double[] s = a[r];
          double max = Double.NEGATIVE_INFINITY;
          for (double v : s) {
            max = Math.max(max, v);
          }
          double sumExp = 0;
          for (double v : s) {
            sumExp += NncMath.exp(v - max);
          }
          sum += NncMath.log(sumExp) - (s[batch.labels[r]] - max);
        }
        case BINARY_CROSS_ENTROPY -> {
          double[] t = targetRow(batch, r);
          for (int j = 0; j < k; j++) {
            sum += binaryCrossEntropy(model.outputLayer().activation(), z[r][j], a[r][j], t[j]);
          }
        }
      }
      total += rowWeight(batch, r) * sum;
    }
    return total * reductionScale(loss.reduction(), n, k);
  }

  /** {@code class_weights}: the weight of row r's class; 1 without. */
  private double rowWeight(Batch batch, int r) {
    Loss loss = model.loss();
    return loss.weighted() ? loss.classWeights().get(batch.labels[r]) : 1;
  }

  /**
   * −t log a − (1 − t) log(1 − a). With a sigmoid output (what the checker demands) it is computed
   * from z as softplus(z) − t·z, which is exact where a rounds to 0 or 1.
   */
  private static double binaryCrossEntropy(Activation output, double z, double a, double t) {
    if (output == Activation.SIGMOID) {
      return softplus(z) - t * z;
    }
    return -t * NncMath.log(a) - (1 - t) * NncMath.log(1 - a);
  }

  /** dz (N×k) of the output layer: the loss's backward, then the output activation's. */
  private double[][] outputDelta(Forward pass, Batch batch) {
    Loss loss = model.loss();
    int n = batch.rows();
    int k = spec.outputWidth();
    double batchScale = reductionScale(loss.reduction(), n, k);
    Activation outputActivation = model.outputLayer().activation();
    double[][] a = pass.activations.get(pass.activations.size() - 1);
    double[][] da = new double[n][k];
    for (int r = 0; r < n; r++) {
      double scale = batchScale * rowWeight(batch, r);
      switch (loss.kind()) {
        case SQUARED_ERROR -> {
          double[] t = targetRow(batch, r);
          for (int j = 0; j < k; j++) {
            da[r][j] = scale * 2 * (a[r][j] - t[j]);
          }
        }
        case SOFTMAX_CROSS_ENTROPY -> {
          // d/ds (−log softmax(s)[y]) = softmax(s) − onehot(y)
          double[] p = softmax(a[r]);
          for (int j = 0; j < k; j++) {
            da[r][j] = scale * (p[j] - (j == batch.labels[r] ? 1 : 0));
          }
        }
        case BINARY_CROSS_ENTROPY -> {
          double[] t = targetRow(batch, r);
          for (int j = 0; j < k; j++) {
            if (outputActivation == Activation.SIGMOID) {
              // fused with the sigmoid: d/dz (softplus(z) − t·z) = σ(z) − t; this is dz, not da
              da[r][j] = scale * (a[r][j] - t[j]);
            } else {
              da[r][j] = scale * (a[r][j] - t[j]) / (a[r][j] * (1 - a[r][j]));
            }
          }
        }
      }
    }
    if (loss.kind() == Loss.Kind.BINARY_CROSS_ENTROPY && outputActivation == Activation.SIGMOID) {
      return da;
    }
    return activationBackward(outputActivation, da, a);
  }

  /** Row r of the targets (k): the dense target row, or onehot(label). */
  private double[] targetRow(Batch batch, int r) {
    int k = spec.outputWidth();
    if (model.loss().onehot()) {
      double[] t = new double[k];
      t[batch.labels[r]] = 1;
      return t;
    }
    if (batch.labels != null) { // a 0/1 label against one sigmoid output
      return new double[] {batch.labels[r] == 1 ? 1 : 0};
    }
    return Arrays.copyOfRange(batch.targets, r * batch.targetWidth, r * batch.targetWidth + k);
  }

  // ---------------------------------------------------------------------------------------------
  // L2 penalty on every weight matrix, never on biases.

  /** reg · ΣW², λ/(2m) · ΣW², or λ · Σ|W|. */
  private double penaltyForward(int rows) {
    if (model.penalty().isEmpty()) {
      return 0;
    }
    double squares = 0;
    for (TensorSpec tensor : spec.tensors()) {
      if (tensor.penalized()) {
        for (int i = tensor.offset(); i < tensor.offset() + tensor.size(); i++) {
          squares +=
              model.penalty().get().l1() ? Math.abs(parameters[i]) : parameters[i] * parameters[i];
        }
      }
    }
    return penaltyScale(model.penalty().get(), rows) * squares;
  }

  /** dW += 2 · scale · W (2·reg·W, or λ/m · W); for L1 dW += λ · sign(W) (0 at 0). */
  private void penaltyBackward(int rows) {
    if (model.penalty().isEmpty()) {
      return;
    }
    double scale = penaltyScale(model.penalty().get(), rows);
    for (TensorSpec tensor : spec.tensors()) {
      if (tensor.penalized()) {
        for (int i = tensor.offset(); i < tensor.offset() + tensor.size(); i++) {
          gradient[i] +=
              model.penalty().get().l1()
                  ? scale * Math.signum(parameters[i])
                  : 2 * scale * parameters[i];
        }
      }
    }
  }

  /** The factor in front of ΣW²: reg, or λ/(2m) with m the set example count (else the rows). */
  private double penaltyScale(Penalty penalty, int rows) {
    if (!penalty.overTwoM()) {
      return penalty.coefficient();
    }
    int m = penaltyExampleCount > 0 ? penaltyExampleCount : rows;
    return penalty.coefficient() / (2.0 * m);
  }

  // ---------------------------------------------------------------------------------------------
  // Moving between the flat vector and matrices.

  /** Layer l's W (in×out), copied out of the flat vector. */
  private double[][] weights(int l) {
    Dense layer = model.layers().get(l);
    TensorSpec tensor = spec.tensor(layer.name() + ".W");
    return matrix(
        Arrays.copyOfRange(parameters, tensor.offset(), tensor.offset() + tensor.size()),
        tensor.rows(),
        tensor.cols());
  }

  /** Layer l's b (out), copied out of the flat vector. */
  private double[] bias(int l) {
    TensorSpec tensor = spec.tensor(model.layers().get(l).name() + ".b");
    return Arrays.copyOfRange(parameters, tensor.offset(), tensor.offset() + tensor.size());
  }

  /** The first rows × cols values of a row-major array, as rows. */
  private static double[][] matrix(double[] flat, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, m[r], 0, cols);
    }
    return m;
  }

  private static void addInto(double[] flat, TensorSpec tensor, double[][] values) {
    int cols = tensor.cols();
    for (int r = 0; r < tensor.rows(); r++) {
      for (int c = 0; c < cols; c++) {
        flat[tensor.offset() + r * cols + c] += values[r][c];
      }
    }
  }

  private static double[] map(double[] row, java.util.function.DoubleUnaryOperator f) {
    double[] out = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      out[j] = f.applyAsDouble(row[j]);
    }
    return out;
  }

  private void checkLength(double[] flat) {
    if (flat.length != parameters.length) {
      throw new IllegalArgumentException(
          spec.name()
              + " has "
              + parameters.length
              + " parameters, got an array of "
              + flat.length);
    }
  }

  private void checkRows(int rows) {
    if (rows < 1 || rows > maxRows) {
      throw new IllegalArgumentException(
          spec.name() + ": batch of " + rows + " rows, this instance takes 1.." + maxRows);
    }
  }
}
