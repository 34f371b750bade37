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

  /**
   * A batch of up to {@code rows} rows in the form this network reads fastest, for the trainer (and
   * {@code nnc bench}) to fill row by row ({@link Batch#setInputs}): {@link Batch#forSpec} by
   * default. Generated classes that compute in float give a float batch ({@link
   * Batch#forSpecInFloat}): its rows are written as floats once, from the data's doubles or bytes,
   * and lent to the input buffer, where a batch of doubles is converted in every call; the same
   * numbers, so the same bits. A network that gives float batches keeps its outputs for {@link
   * #lastOutputs} (a float batch has no doubles for {@link #predict}).
   */
  default Batch newBatch(int rows) {
    return Batch.forSpec(spec(), rows);
  }

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
   * {@link #lossAndGradient(Batch)} of a fixed batch's rows, the same loss and gradient bit for
   * bit. A fixed batch never changes, so the network may keep its inputs prepared from one call to
   * the next: generated classes keep them as rows of their own precision (converted once per fixed
   * batch, not per call) for as long as they are given the same fixed batch, in a buffer of their
   * own that no other call writes. CG and L-BFGS evaluate their objective this way ({@code
   * optim.NetworkObjective}). Calls {@link #lossAndGradientOfFixed} with the fixed batch's rows.
   */
  default double lossAndGradient(FixedBatch batch) {
    return lossAndGradientOfFixed(batch, batch.rows);
  }

  /** {@link #loss(Batch)} of a fixed batch's rows. */
  default double loss(FixedBatch batch) {
    return loss(batch.rows);
  }

  /**
   * For implementations: {@link #lossAndGradient(FixedBatch)} hands over the fixed batch's own rows
   * as {@code rows} ({@code fixed.holds(rows)} is true; read them, never write them). The default
   * is {@code lossAndGradient(rows)}; a network that keeps prepared inputs between calls overrides
   * it, and refuses rows that {@code fixed} does not hold (an {@link IllegalArgumentException}),
   * since only those are certain not to change.
   */
  default double lossAndGradientOfFixed(FixedBatch fixed, Batch rows) {
    return lossAndGradient(rows);
  }

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
