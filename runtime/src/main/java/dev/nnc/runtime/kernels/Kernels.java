package dev.nnc.runtime.kernels;

/**
 * The two matrix kernels every looped layer of a generated network is written with, in {@code
 * double} and {@code float}: rows of a matrix product, {@code c[r][j] += Σ_k a[r][k]·b[k][j]}
 * ({@code matmulRows}), and the product with the left factor transposed, {@code c[i][j] = Σ_k
 * a[k][i]·b[k][j]} ({@code matmulColumns}, which overwrites c: it writes a gradient whole). The
 * arrays of c must not be arrays of a or b. Beside them, {@code exp} and {@code sigmoid} of a row
 * and the binary cross-entropy's {@code softplus} of rows ({@code NncMath}'s bits on both paths;
 * the Vector API computes exp and log1p lane by lane).
 *
 * <p>Generated classes call them through {@link #INSTANCE}, a {@code static final} field: C2 treats
 * it as a constant, so the call has one known receiver and is inlined like a static method. Which
 * implementation it holds is chosen once, when this interface is first used:
 *
 * <ul>
 *   <li>{@link JavaKernels}, plain loops that C2 vectorises: always available, and the only choice
 *       on a JVM started without {@code --add-modules jdk.incubator.vector};
 *   <li>{@code VectorKernels} (Vector API; written at build time by {@code
 *       src/build/GenerateVectorKernels.java} and compiled separately), when the JVM was started
 *       with {@code --add-modules jdk.incubator.vector} and the system property {@code nnc.vector}
 *       is not {@code false}. Its class is never loaded otherwise.
 * </ul>
 *
 * <p>Both compute every element with the same fused multiply-adds in the same order, {@code c[r][j]
 * = fma(a[r][k], b[k][j], c[r][j])} for k ascending, so they give bit-identical results: which path
 * runs never changes a trained network.
 *
 * <p>A caller passes the whole product (all of k) in one call: each implementation cuts k into the
 * slices that suit its own loops and the caches (the plain loops want a slice of b in L1; the
 * Vector API tiles, which keep c in registers, a longer one), and a slice boundary changes no
 * result.
 */
public interface Kernels {
  /**
   * The kernels of this JVM: Vector API when its module is present and allowed, else plain Java.
   */
  Kernels INSTANCE = KernelLoader.load();

  /**
   * {@code c[r][j] += Σ_k a[r][k]·b[k][j]} for r in [rFrom, rTo), k in [kFrom, kTo), j < n: rows of
   * a matrix product (the forward z = x·W, and dx = δ·Wᵀ), each element {@code c[r][j] =
   * fma(a[r][k], b[k][j], c[r][j])} for k ascending.
   */
  void matmulRows(
      double[][] c, double[][] a, double[][] b, int rFrom, int rTo, int kFrom, int kTo, int n);

  /**
   * {@link #matmulRows(double[][], double[][], double[][], int, int, int, int, int)} with b also
   * given as its panel {@code p} ({@link #newPanel(double[][])}, kept current by the caller): the
   * same bits, whichever of the two an implementation reads. The Vector API tiles read the panel,
   * one stream at one index, where b's rows cost a load and a range check per row and vector (S2's
   * forward x·W 1.4-1.6× faster, bench/README.md, "Seventh round"); plain Java reads b. The forward
   * product of a looped dense layer, whose W the generated class keeps with its panel.
   */
  void matmulRowsPanel(
      double[][] c,
      double[][] a,
      double[][] b,
      double[] p,
      int rFrom,
      int rTo,
      int kFrom,
      int kTo,
      int n);

  /**
   * A new panel of b (k rows of n) for {@link #matmulRowsPanel(double[][], double[][], double[][],
   * double[], int, int, int, int, int)}: b's numbers in the order this implementation's tiles read
   * them (the Vector API: each group of two to four vectors of every row one after another, group
   * after group), or an empty array where its product reads b itself (plain Java, and rows narrower
   * than a vector). Its length depends only on k, n and the implementation.
   */
  double[] newPanel(double[][] b);

  /**
   * Copies row k of b into its panel p (made by {@link #newPanel(double[][])} for b's shape): the
   * panel's copy of the row is b[k]'s bits again. Whoever writes a row of b calls it before the
   * next product reads the panel.
   */
  void packRow(double[][] b, int k, double[] p);

  /**
   * {@code c[i][j] = Σ_k a[k][i]·b[k][j]} for i in [iFrom, iTo), k in [kFrom, kTo), j < n: rows of
   * a product whose left factor is transposed (dW = xᵀ·δ), written over what c held (zeros for an
   * empty k range), each element {@code fma(a[k][i], b[k][j], ·)} for k ascending from +0.0: what
   * zeroing c and then adding would give, without a pass over c to zero it.
   */
  void matmulColumns(
      double[][] c, double[][] a, double[][] b, int iFrom, int iTo, int kFrom, int kTo, int n);

  /**
   * {@code c[i][j] += Σ_k a[k][i]·b[k][j]}: {@link #matmulColumns(double[][], double[][],
   * double[][], int, int, int, int, int)} continuing the chain that c holds instead of starting
   * from +0.0, each element {@code fma(a[k][i], b[k][j], ·)} for k ascending from {@code c[i][j]}.
   * So matmulColumns over [k0, k1) then this over [k1, k2) gives the bits of matmulColumns over
   * [k0, k2): a training step can add each block of batch rows to dW while those rows are in cache,
   * and get the whole-batch product's bits. An empty k range leaves c as it is.
   */
  void matmulColumnsAdd(
      double[][] c, double[][] a, double[][] b, int iFrom, int iTo, int kFrom, int kTo, int n);

  /** {@link #matmulRows(double[][], double[][], double[][], int, int, int, int, int)} in float. */
  void matmulRows(
      float[][] c, float[][] a, float[][] b, int rFrom, int rTo, int kFrom, int kTo, int n);

  /**
   * {@link #matmulRowsPanel(double[][], double[][], double[][], double[], int, int, int, int, int)}
   * in float.
   */
  void matmulRowsPanel(
      float[][] c,
      float[][] a,
      float[][] b,
      float[] p,
      int rFrom,
      int rTo,
      int kFrom,
      int kTo,
      int n);

  /** {@link #newPanel(double[][])} in float. */
  float[] newPanel(float[][] b);

  /** {@link #packRow(double[][], int, double[])} in float. */
  void packRow(float[][] b, int k, float[] p);

  /**
   * {@link #matmulColumns(double[][], double[][], double[][], int, int, int, int, int)} in float.
   */
  void matmulColumns(
      float[][] c, float[][] a, float[][] b, int iFrom, int iTo, int kFrom, int kTo, int n);

  /**
   * {@link #matmulColumnsAdd(double[][], double[][], double[][], int, int, int, int, int)} in
   * float.
   */
  void matmulColumnsAdd(
      float[][] c, float[][] a, float[][] b, int iFrom, int iTo, int kFrom, int kTo, int n);

  /**
   * {@code y[j] = NncMath.exp(x[j])} for j < n, bit for bit on either path (the Vector API one
   * computes fdlibm's algorithm lane by lane with selects for its branches); y must not be x.
   */
  void exp(double[] x, double[] y, int n);

  /**
   * {@code y[j] = NncMath.log1p(x[j])} for j < n, bit for bit on either path (the Vector API one
   * computes fdlibm's algorithm lane by lane with selects for its branches); y must not be x.
   */
  void log1p(double[] x, double[] y, int n);

  /**
   * {@code a[j] = 1.0 / (1.0 + NncMath.exp(-z[j]))} for j < n: the sigmoid of the generated
   * classes, bit for bit on either path; a must not be z.
   */
  void sigmoid(double[] z, double[] a, int n);

  /**
   * {@link #sigmoid(double[], double[], int)} of rows [from, to) of z into the same rows of a, j <
   * n: one call for a block of rows (on the Vector API path, the rows' numbers are taken a chunk at
   * a time whatever the row width, so rows narrower than a vector take vectors too).
   */
  void sigmoid(double[][] z, double[][] a, int from, int to, int n);

  /**
   * {@code a[j] = 1.0f / (1.0f + (float) NncMath.exp(-z[j]))} for j < n: the sigmoid of the
   * generated float classes (exp in double, rounded once to float), bit for bit on either path (the
   * Vector API one takes the exp of a chunk of the row lane by lane in double); a must not be z.
   */
  void sigmoid(float[] z, float[] a, int n);

  /**
   * {@link #sigmoid(float[], float[], int)} of rows [from, to) of z into the same rows of a, j < n:
   * one call for a block of rows (on the Vector API path, the rows' numbers are taken a chunk at a
   * time whatever the row width; a call per 25-wide row cost about as much as the sigmoid).
   */
  void sigmoid(float[][] z, float[][] a, int from, int to, int n);

  /**
   * {@code y[r][j] = Math.max(z, 0.0) + NncMath.log1p(NncMath.exp(-Math.abs(z)))} with {@code z =
   * z[r][j]}, for r in [from, to), j < n: softplus(z) = log(1 + eᶻ) written so that it neither
   * overflows nor cancels, the binary cross-entropy of the generated classes (their loss is
   * softplus(z) − t·z). Bit for bit on either path (the Vector API one takes exp and log1p lane by
   * lane); y's rows must not be z's.
   */
  void softplus(double[][] z, double[][] y, int from, int to, int n);

  /**
   * {@link #softplus(double[][], double[][], int, int, int)} of float rows: each z widened to
   * double (exact), the result in double.
   */
  void softplus(float[][] z, double[][] y, int from, int to, int n);

  /** What these kernels are, for reports: {@code "plain Java"} or {@code "Vector API, 512-bit"}. */
  String description();

  /** Whether these are the Vector API kernels. */
  default boolean vectorized() {
    return false;
  }
}
