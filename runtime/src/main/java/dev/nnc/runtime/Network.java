package dev.nnc.runtime;

/**
 * What every network nnc generates (and the reference interpreter) offers the runtime.
 *
 * <p>Parameters and gradients are addressed as one flat vector whose layout {@link #spec()}
 * describes tensor by tensor; how the class stores them internally is its own business. A training
 * step ({@link #lossAndGradient}, {@link #sgdStep}) allocates nothing.
 */
public interface Network {

  /** Static description: name, widths, tensors and their offsets in the flat vector. */
  NetworkSpec spec();

  /** The largest batch this instance has buffers for. */
  int maxRows();

  /** Copies the parameters into {@code dst} (length {@code spec().parameterCount()}). */
  void getParameters(double[] dst);

  /** Replaces the parameters with {@code src} (length {@code spec().parameterCount()}). */
  void setParameters(double[] src);

  /** Copies the gradient of the last {@link #lossAndGradient} call into {@code dst}. */
  void getGradient(double[] dst);

  /** The loss (penalty included) of the batch at the current parameters. */
  double loss(Batch batch);

  /** The loss of the batch; the gradient is overwritten (not accumulated) with its gradient. */
  double lossAndGradient(Batch batch);

  /**
   * Writes the last layer's outputs (after its activation) for {@code rows} rows of {@code x}
   * (row-major, {@code rows × spec().inputWidth()}) into {@code out} (row-major, {@code rows ×
   * spec().outputWidth()}).
   */
  void predict(double[] x, int rows, double[] out);

  /**
   * Copies the last layer's outputs (after its activation, as {@link #predict} gives them) of the
   * first {@code rows} rows of the last {@link #loss} or {@link #lossAndGradient} call into {@code
   * out} (row-major, {@code rows × spec().outputWidth()}): the forward pass that call made, with
   * its dropout masks, so the caller gets the outputs and the loss from one pass. Returns false,
   * writing nothing, when this network does not keep them (the default); the runtime then calls
   * {@link #predict}.
   *
   * @throws IllegalStateException when {@code rows} is more than the last call computed (none after
   *     a {@link #predict}, which overwrites the buffers)
   */
  default boolean lastOutputs(int rows, double[] out) {
    return false;
  }

  /** Plain gradient descent with the current gradient: {@code p -= learningRate · grad}. */
  void sgdStep(double learningRate);

  /**
   * The m of a {@code λ/(2m) · ΣW²} penalty: the size of the whole training set. Until set (or when
   * set to 0) the batch's own row count is used.
   */
  void setPenaltyExampleCount(int m);

  /**
   * Dropout, for networks with {@code dropout(p)} layers (the others ignore it): with {@code step ≥
   * 0}, {@link #loss} and {@link #lossAndGradient} drop the outputs {@link Dropout} draws for
   * training step {@code step} from {@code seed}, the same masks on every call until the next
   * {@code setDropout} (so a gradient check sees one smooth objective); with {@code step < 0}, the
   * initial state, nothing is dropped (evaluation). {@link #predict} never drops. The trainer sets
   * the step before every step and turns dropout off before it measures an epoch.
   */
  default void setDropout(long seed, long step) {}

  /** Draws the initial parameters the {@code .nn} file asks for, from {@code seed}. */
  default void initialize(long seed) {
    setParameters(Initializer.initialize(spec(), seed));
  }
}
